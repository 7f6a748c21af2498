// command: destroy — every live instance tagged with the deployment id, in every region of
// the manifest, of the last deployment record and of the `regions` input, is terminated and
// waited for: until EC2 has it shutting-down (billing stops there), or with wait-terminated
// until it is terminated. Nothing found is a success that says so.

import { DeployError } from '../aws/errors.ts';
import { destroyLocated, type DestroyContext } from '../destroy/destroy.ts';
import type { Host } from '../host.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { TAG } from '../plan/types.ts';
import { instanceTable, table } from '../report/summary.ts';
import { searchDeployment } from '../pipeline/search.ts';

/** How long destroy waits for `shutting-down` (or `terminated`). */
export const DESTROY_TIMEOUT_SECONDS = 600;

export { manifestRegions, searchDeployment } from '../pipeline/search.ts';

/** What destroying by tag needs, from the host (destroy and reap); `waitTerminated`: wait
 * for `terminated`, not just `shutting-down`. */
export function destroyContext(host: Host, waitTerminated = false): DestroyContext {
  return {
    goal: waitTerminated ? 'terminated' : 'shutting-down',
    clientsFor: host.clientsFor,
    log: host.log,
    clock: host.clock,
    poll: host.poll.instances,
    timeoutMs: DESTROY_TIMEOUT_SECONDS * 1000,
    ...(host.signal ? { signal: host.signal } : {}),
  };
}

export async function destroyCommand(
  inputs: Pick<Inputs, 'path' | 'regions' | 'deploymentId'> & {
    githubToken?: string;
    waitTerminated?: boolean;
  },
  host: Host,
): Promise<{ deploymentId: string; terminated: string[]; regions: string[] }> {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  host.output('deployment-id', deploymentId);
  const token = inputs.githubToken ?? '';
  if (token) host.mask(token);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const res = await log.group(`Destroy ${deploymentId} in ${regions.join(', ')}`, () =>
    destroyLocated(destroyContext(host, inputs.waitTerminated), located),
  );
  host.output('instance-ids', JSON.stringify(res.terminated));
  host.output('regions', JSON.stringify(regions));
  const lines: string[] = [`## Spot destroy \`${deploymentId}\``, ''];
  if (res.found.length === 0) {
    const msg =
      `nothing to destroy: no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(', ')} ` +
      `(already destroyed, or never deployed)`;
    log.info(msg);
    lines.push(msg[0]?.toUpperCase() + msg.slice(1) + '.');
  } else {
    const down = new Set(res.shuttingDown ?? []);
    const n = res.terminated.length;
    const still =
      down.size > 0
        ? ` (${down.size} still shutting-down, no longer billed: ${[...down].join(', ')})`
        : '';
    log.info(`terminated ${n} instance${n === 1 ? '' : 's'} of ${deploymentId}${still}`);
    lines.push(
      `Terminated ${n} instance${n === 1 ? '' : 's'} in ${regions.join(', ')}${still}.`,
      '',
      instanceTable(
        res.found.map((f) => ({
          id: f.id,
          region: f.region,
          zone: f.zone ?? '',
          type: f.instanceType,
          lifecycle: f.lifecycle,
          state: down.has(f.id)
            ? 'shutting-down'
            : res.terminated.includes(f.id)
              ? 'terminated'
              : f.state,
          'public-ip': f.publicIp ?? '',
          'private-ip': f.privateIp ?? '',
          health: '',
        })),
      ),
    );
  }
  if (res.remaining.length > 0) {
    lines.push(
      '',
      table(
        ['instance', 'region', 'state'],
        res.remaining.map((r) => [r.id, r.region, r.state]),
      ),
    );
  }
  await host.summary(lines.join('\n') + '\n');
  // The pull request's preview comment says it is gone (only an existing comment is edited).
  if (res.remaining.length === 0) {
    await host.preview(
      token,
      { status: 'destroyed', deploymentId, terminated: res.terminated.length },
      { createIfMissing: false },
    );
  }
  if (res.remaining.length > 0) {
    throw new DeployError(
      `${res.remaining.length} instance${res.remaining.length === 1 ? ' is' : 's are'} not ${inputs.waitTerminated ? 'terminated' : 'shutting down'} after ${DESTROY_TIMEOUT_SECONDS} s: ` +
        res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(', ') +
        '; run destroy again to check',
    );
  }
  return { deploymentId, terminated: res.terminated, regions };
}
