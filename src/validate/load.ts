// discover → parse → schema → semantic checks → normalized Deployment.
// Every problem is collected (not just the first) and located.

import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeConvention } from './convention.ts';
import { CONVENTION_DIR, discover } from '../discover/discover.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { CloudConfig, Deployment } from '../manifest/model.ts';
import { defaultCloudConfig, normalizeConfig } from './config.ts';
import { normalizeDeployment, type DeploymentParts } from './deployment.ts';
import type { RepoContext } from './paths.ts';
import { fileReporter } from './report.ts';
import { validateSchema } from './schema.ts';
import { readYamlFile } from './yaml.ts';

export interface LoadResult {
  /** Present only when there is no error-severity diagnostic. */
  deployment?: Deployment;
  /** Errors and warnings, in file then position order. */
  diagnostics: Diagnostic[];
}

const CONFIG_EXPECT = 'a mapping with aws: and regions:';
const DEPLOYMENT_EXPECT = 'a mapping with version: 1 and deployment:';

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list
    .filter((d) => {
      const key = `${d.file}\0${d.line}\0${d.col}\0${d.severity}\0${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) =>
      a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.col - b.col,
    );
}

/** Where a convention deployment without cloud settings runs, and who said so. */
export interface FallbackRegion {
  region: string;
  /** For the notice: AWS_REGION, AWS_DEFAULT_REGION or the 'regions' input. */
  from: string;
}

export interface LoadOptions {
  fallbackRegion?: FallbackRegion | undefined;
}

/** The region the credentials name (AWS_REGION, else AWS_DEFAULT_REGION), else the first
 * of the `regions` input. */
export function fallbackRegion(
  env: Record<string, string | undefined>,
  regionsInput: readonly string[] = [],
): FallbackRegion | undefined {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const region = env[name]?.trim();
    if (region) return { region, from: name };
  }
  const first = regionsInput[0];
  return first !== undefined ? { region: first, from: "the 'regions' input" } : undefined;
}

const NO_CLOUD_SETTINGS =
  'the deployment/ layout needs cloud settings (at least regions:) in config.yaml next to deployment/ or in .spot/config.yaml';

/** Cloud settings for a convention deployment without config.yaml: the fallback region's
 * defaults, with a notice saying so, or today's error when no region is known. */
function defaultedCloud(
  fallback: FallbackRegion | undefined,
  diagnostics: Diagnostic[],
): CloudConfig | undefined {
  const at = { file: CONVENTION_DIR, line: 0, col: 0 };
  if (!fallback) {
    diagnostics.push({ ...at, severity: 'error', message: NO_CLOUD_SETTINGS });
    return undefined;
  }
  const cloud = defaultCloudConfig(fallback.region);
  const region = cloud.regions[0]!;
  diagnostics.push({
    ...at,
    severity: 'notice',
    message:
      `no cloud settings (config.yaml): deploying ${cloud.totalInstances} instance of ` +
      `${region.instanceTypes.join(', ')} with the ${cloud.os} image in ${region.name}, the region ` +
      `${fallback.from} names. To pin them, add a config.yaml next to deployment/ with aws: ` +
      `and regions: (for example 'regions: {${region.name}: {instance_types: [${region.instanceTypes[0]}]}}')`,
  });
  return cloud;
}

async function readCloud(
  root: string,
  configFile: string,
  diagnostics: Diagnostic[],
): Promise<CloudConfig | undefined> {
  const y = await readYamlFile(join(root, configFile), configFile, CONFIG_EXPECT);
  diagnostics.push(...y.diagnostics);
  const schema = validateSchema(y, 'config');
  diagnostics.push(...schema.diagnostics);
  if (y.data === undefined) return undefined;
  return normalizeConfig(y, fileReporter(y, diagnostics, schema.errorPaths));
}

async function readSpotDeployment(
  ctx: RepoContext,
  deploymentFile: string,
  diagnostics: Diagnostic[],
): Promise<DeploymentParts | undefined> {
  // Empty, as the original tool read it: a deployment of nothing (normalizeDeployment warns).
  const y = await readYamlFile(
    join(ctx.root, deploymentFile),
    deploymentFile,
    DEPLOYMENT_EXPECT,
    {},
  );
  diagnostics.push(...y.diagnostics);
  const schema = validateSchema(y, 'deployment');
  diagnostics.push(...schema.diagnostics);
  if (y.data === undefined) return undefined;
  return normalizeDeployment(y, fileReporter(y, diagnostics, schema.errorPaths), ctx, diagnostics);
}

export async function loadDeployment(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const { found, diagnostics: discovery } = await discover(root);
  diagnostics.push(...discovery);
  if (!found) return { diagnostics: sortDiagnostics(diagnostics) };

  const ctx: RepoContext = {
    root,
    rootReal: await realpath(root),
    baseDir: found.baseDir,
    baseRel: found.baseRel,
  };
  const files: string[] = [];
  let cloud: CloudConfig | undefined;
  if (found.configFile !== undefined) {
    files.push(found.configFile);
    cloud = await readCloud(root, found.configFile, diagnostics);
  } else cloud = defaultedCloud(options.fallbackRegion, diagnostics);

  let parts: DeploymentParts | undefined;
  if (found.layout === 'spot') {
    files.push(found.deploymentFile);
    parts = await readSpotDeployment(ctx, found.deploymentFile, diagnostics);
  } else {
    const scanned = await normalizeConvention(ctx, diagnostics);
    files.push(...scanned.files);
    parts = scanned;
  }

  const sorted = sortDiagnostics(diagnostics);
  if (sorted.some((d) => d.severity === 'error') || !cloud || !parts) {
    return { diagnostics: sorted };
  }
  const deployment: Deployment = {
    root,
    layout: found.layout,
    baseDir: found.baseDir,
    files,
    cloud,
    packages: parts.packages,
    template: parts.template,
    env: parts.env,
    uploads: parts.uploads,
    scripts: parts.scripts,
    services: parts.services,
    ...(parts.tarball ? { tarball: parts.tarball } : {}),
    ...(parts.onInterruption ? { onInterruption: parts.onInterruption } : {}),
    warnings: sorted.filter((d) => d.severity === 'warning'),
  };
  return { deployment, diagnostics: sorted };
}
