import { resolve } from 'node:path';
import { UserError, type Diagnostic } from '../diagnostics.ts';
import type { Deployment } from '../manifest/model.ts';
import { loadDeployment } from '../validate/load.ts';

export interface Reporter {
  annotate(d: Diagnostic): void;
  info(message: string): void;
}

/** Loads and validates; throws UserError (with every diagnostic) when anything is wrong. */
export async function loadOrThrow(path: string, reporter: Reporter): Promise<Deployment> {
  const result = await loadDeployment(resolve(path));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const w of result.diagnostics.filter((d) => d.severity === 'warning')) reporter.annotate(w);
  if (errors.length > 0 || !result.deployment) {
    throw new UserError(
      `the deployment manifest has ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      errors,
    );
  }
  return result.deployment;
}

export async function validateCommand(
  inputs: { path: string },
  reporter: Reporter,
): Promise<Deployment> {
  const deployment = await loadOrThrow(inputs.path, reporter);
  reporter.info(
    `valid: ${deployment.layout === 'spot' ? '.spot/' : 'deployment/'} layout, ` +
      `${deployment.cloud.totalInstances} instance(s) in ${deployment.cloud.regions.map((r) => r.name).join(', ')}`,
  );
  return deployment;
}
