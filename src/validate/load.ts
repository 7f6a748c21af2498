// discover → parse → schema → semantic checks → normalized Deployment.
// Every problem is collected (not just the first) and located.

import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { scanConvention } from '../discover/convention.ts';
import { discover } from '../discover/discover.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Deployment } from '../manifest/model.ts';
import { normalizeConfig } from './config.ts';
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

export async function loadDeployment(root: string): Promise<LoadResult> {
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
  const files = [found.configFile];

  const configYaml = await readYamlFile(
    join(root, found.configFile),
    found.configFile,
    CONFIG_EXPECT,
  );
  diagnostics.push(...configYaml.diagnostics);
  const configSchema = validateSchema(configYaml, 'config');
  diagnostics.push(...configSchema.diagnostics);
  const cloud =
    configYaml.data !== undefined
      ? normalizeConfig(configYaml, fileReporter(configYaml, diagnostics, configSchema.errorPaths))
      : undefined;

  let parts: DeploymentParts | undefined;
  if (found.layout === 'spot') {
    files.push(found.deploymentFile);
    const y = await readYamlFile(
      join(root, found.deploymentFile),
      found.deploymentFile,
      DEPLOYMENT_EXPECT,
    );
    diagnostics.push(...y.diagnostics);
    const schema = validateSchema(y, 'deployment');
    diagnostics.push(...schema.diagnostics);
    if (y.data !== undefined) {
      parts = await normalizeDeployment(
        y,
        fileReporter(y, diagnostics, schema.errorPaths),
        ctx,
        diagnostics,
      );
    }
  } else {
    const scanned = await scanConvention(ctx, diagnostics);
    files.push(...scanned.files);
    parts = scanned;
  }

  const sorted = sortDiagnostics(diagnostics);
  const warnings = sorted.filter((d) => d.severity === 'warning');
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
    warnings,
  };
  return { deployment, diagnostics: sorted };
}
