import { resolve } from 'node:path';
import { buildPlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';
import { writePlan } from '../plan/write.ts';
import { resolveIdentity, resolveDeploymentId } from '../identity.ts';
import { applyInputOverrides, type Inputs } from '../inputs.ts';
import { fallbackRegion } from '../validate/load.ts';
import { loadOrThrow, type Reporter } from './validate.ts';

/** The plan `deploy` would execute: the same manifest, amended by the same inputs
 * (instance-profile, ttl, max-price, on-demand-fallback), hence the same digest. */
export async function planCommand(
  inputs: Pick<Inputs, 'path' | 'planOut' | 'deploymentId' | 'secrets'> &
    Partial<Pick<Inputs, 'instanceProfile' | 'ttl' | 'maxPrice' | 'onDemandFallback' | 'regions'>>,
  reporter: Reporter,
  /** The run's environment (GITHUB_*), for the identity and the derived id. */
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ plan: Plan; dir: string }> {
  const deployment = applyInputOverrides(
    await loadOrThrow(inputs.path, reporter, fallbackRegion(env, inputs.regions ?? [])),
    {
      instanceProfile: inputs.instanceProfile ?? '',
      ttl: inputs.ttl ?? '',
      maxPrice: inputs.maxPrice ?? '',
      ...(inputs.onDemandFallback !== undefined
        ? { onDemandFallback: inputs.onDemandFallback }
        : {}),
    },
  );
  const identity = resolveIdentity(env);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, env),
    identity,
    secretNames: Object.keys(inputs.secrets).sort(),
  });
  const dir = resolve(inputs.planOut);
  const written = await writePlan(plan, dir);
  reporter.info(`plan written to ${dir} (${written.length} files)`);
  return { plan, dir };
}
