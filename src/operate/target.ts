// The instances `logs` and `exec` address: the deployment's running instances, found by tag
// in the regions destroy and status search, optionally narrowed to one instance.

import { DeployError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import type { Host } from '../host.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { searchDeployment } from '../pipeline/search.ts';
import { TAG } from '../plan/types.ts';

export interface TargetInputs extends Pick<Inputs, 'path' | 'regions' | 'deploymentId'> {
  /** Only this instance id. */
  instance?: string;
}

export async function findTargets(
  inputs: TargetInputs,
  host: Host,
): Promise<{ deploymentId: string; instances: FoundInstance[] }> {
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const { regions, instances: found } = await searchDeployment(inputs, deploymentId, host);
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
