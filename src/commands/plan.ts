import { resolve } from 'node:path';
import { buildPlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';
import { writePlan } from '../plan/write.ts';
import { resolveIdentity, resolveDeploymentId } from '../identity.ts';
import { loadOrThrow, type Reporter } from './validate.ts';

export async function planCommand(
  inputs: { path: string; planOut: string; deploymentId: string; secrets: Record<string, string> },
  reporter: Reporter,
): Promise<{ plan: Plan; dir: string }> {
  const deployment = await loadOrThrow(inputs.path, reporter);
  const identity = resolveIdentity(process.env);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, process.env),
    identity,
    secretNames: Object.keys(inputs.secrets).sort(),
  });
  const dir = resolve(inputs.planOut);
  const written = await writePlan(plan, dir);
  reporter.info(`plan written to ${dir} (${written.length} files)`);
  return { plan, dir };
}
