// Builds the plan from a validated deployment and the action's inputs. Pure but for
// reading the repository's files that will be delivered; no network.

import { createHash } from 'node:crypto';
import type { Deployment } from '../manifest/model.ts';
import { planRegions } from './regions.ts';
import { renderSteps } from './steps.ts';
import type { Plan, RunIdentity } from './types.ts';
import { renderUserData } from './userdata.ts';

export interface PlanOptions {
  deploymentId: string;
  identity: RunIdentity;
  /** Names only; values stay in the action's memory until delivery. */
  secretNames: string[];
}

export async function buildPlan(deployment: Deployment, opts: PlanOptions): Promise<Plan> {
  const userData = renderUserData(
    deployment,
    deployment.cloud.ttlSeconds !== undefined ? { ttlSeconds: deployment.cloud.ttlSeconds } : {},
  );
  const steps = await renderSteps(deployment, { secretNames: opts.secretNames, userData });
  // The digest covers what would reach the instances, so an unchanged repo gives the same digest
  // whatever run computes it. Run identity and deployment id are excluded on purpose.
  const digest = createHash('sha256');
  digest.update(JSON.stringify(deployment.cloud));
  digest.update(userData.text);
  for (const s of steps) digest.update(s.script);
  digest.update(JSON.stringify(opts.secretNames));
  const manifestDigest = digest.digest('hex');
  return {
    version: 1,
    deploymentId: opts.deploymentId,
    manifestDigest,
    identity: opts.identity,
    regions: planRegions(deployment.cloud, {
      deploymentId: opts.deploymentId,
      identity: opts.identity,
      manifestDigest,
    }),
    userData,
    steps,
    services: deployment.services.map((s) => s.name),
    secretNames: opts.secretNames,
  };
}
