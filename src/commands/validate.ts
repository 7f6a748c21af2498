import { isAbsolute, relative, resolve } from 'node:path';
import { UserError, type Diagnostic } from '../diagnostics.ts';
import type { Deployment } from '../manifest/model.ts';
import { fallbackRegion, loadDeployment, type FallbackRegion } from '../validate/load.ts';

export interface Reporter {
  annotate(d: Diagnostic): void;
  info(message: string): void;
}

/**
 * A diagnostic's file as seen from the working directory (the workspace, in the action),
 * so GitHub annotations and editors find it; loadDeployment's are relative to `path`.
 */
function fromCwd(path: string, d: Diagnostic): Diagnostic {
  const abs = resolve(path, d.file);
  const rel = relative(process.cwd(), abs);
  return { ...d, file: rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? abs : rel };
}

/** Loads and validates; throws UserError (with every diagnostic) when anything is wrong.
 * `fallback` (see fallbackRegion) is where a deployment without cloud settings runs. */
export async function loadOrThrow(
  path: string,
  reporter: Reporter,
  fallback: FallbackRegion | undefined,
): Promise<Deployment> {
  const result = await loadDeployment(resolve(path), { fallbackRegion: fallback });
  const diagnostics = result.diagnostics.map((d) => fromCwd(path, d));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const w of diagnostics.filter((d) => d.severity !== 'error')) reporter.annotate(w);
  if (errors.length > 0 || !result.deployment) {
    throw new UserError(
      `the deployment manifest has ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      errors,
    );
  }
  return result.deployment;
}

/** `env`: the run's environment (AWS_REGION, AWS_DEFAULT_REGION), as the entry point gives it. */
export async function validateCommand(
  inputs: { path: string; regions?: string[] },
  reporter: Reporter,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Deployment> {
  const deployment = await loadOrThrow(inputs.path, reporter, fallbackRegion(env, inputs.regions));
  reporter.info(
    `valid: ${deployment.layout === 'spot' ? '.spot/' : 'deployment/'} layout, ` +
      `${deployment.cloud.totalInstances} instance(s) in ${deployment.cloud.regions.map((r) => r.name).join(', ')}`,
  );
  return deployment;
}
