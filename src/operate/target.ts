// The instances `logs` and `exec` address: the deployment's running instances, found by tag
// in the regions destroy and status search, optionally narrowed to one instance.

import type { Clients } from '../aws/clients.ts';
import { DeployError } from '../aws/errors.ts';
import { searchRegions } from '../commands/destroy.ts';
import { findTagged, type FoundInstance } from '../destroy/find.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { TAG } from '../plan/types.ts';
import type { Log } from '../report/log.ts';

export interface TargetInputs extends Pick<Inputs, 'path' | 'regions' | 'deploymentId'> {
  /** Only this instance id. */
  instance?: string;
}

export async function findTargets(
  inputs: TargetInputs,
  clients: Clients,
  log: Log,
  signal?: AbortSignal,
): Promise<{ deploymentId: string; instances: FoundInstance[] }> {
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, process.env);
  const regions = await searchRegions(inputs, deploymentId, log);
  const found = (
    await Promise.all(
      regions.map((r) => findTagged(clients.for(r).ec2, r, { deploymentId }, signal)),
    )
  ).flat();
  const running = found.filter(
    (f) => f.state === 'running' && (inputs.instance === undefined || f.id === inputs.instance),
  );
  if (running.length === 0) {
    const what = inputs.instance ? `instance ${inputs.instance} of ` : 'running instance of ';
    throw new DeployError(
      `no ${what}${TAG.deployment}=${deploymentId} in ${regions.join(', ')}` +
        (found.length > 0 ? ` (found: ${found.map((f) => `${f.id} ${f.state}`).join(', ')})` : ''),
    );
  }
  return { deploymentId, instances: running };
}
