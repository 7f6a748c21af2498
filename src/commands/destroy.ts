// command: destroy — every live instance tagged with the deployment id, in every region of
// the manifest, of the last deployment record and of the `regions` input, is terminated and
// waited for. Nothing found is a success that says so.

import { resolve } from 'node:path';
import { DeployError } from '../aws/errors.ts';
import { locateDeployment, type Located } from '../aws/locate.ts';
import { destroyLocated } from '../destroy/destroy.ts';
import type { Host } from '../host.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import type { Log } from '../log.ts';
import { TAG } from '../plan/types.ts';
import { instanceTable, table } from '../report/summary.ts';
import { fallbackRegion, loadDeployment, type FallbackRegion } from '../validate/load.ts';

/** How long destroy waits for `terminated`. */
export const DESTROY_TIMEOUT_SECONDS = 600;

/** The manifest's regions, when there is a readable manifest; destroy works without one. */
export async function manifestRegions(
  path: string,
  log: Log,
  fallback: FallbackRegion | undefined,
): Promise<string[]> {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    if (res.deployment) return res.deployment.cloud.regions.map((r) => r.name);
    log.info(
      `no usable manifest at '${path}' (${res.diagnostics.filter((d) => d.severity === 'error').length} errors); searching the other regions`,
    );
  } catch (err) {
    log.info(
      `no usable manifest at '${path}' (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return [];
}

/**
 * Where the deployment runs: in the manifest's regions, the `regions` input's and the last
 * deployment record's (destroy and status).
 */
export async function searchDeployment(
  inputs: Pick<Inputs, 'path' | 'regions'>,
  deploymentId: string,
  host: Host,
): Promise<Located> {
  const given = [
    ...(await manifestRegions(inputs.path, host.log, fallbackRegion(host.env, inputs.regions))),
    ...inputs.regions,
  ];
  const located = await locateDeployment(
    host,
    { deploymentId },
    { regions: given, record: () => host.records.restore(deploymentId) },
  );
  for (const w of located.warnings) host.log.info(w);
  if (located.regions.length === 0) {
    throw new DeployError(
      `no region to search for deployment '${deploymentId}': no readable manifest at '${inputs.path}', ` +
        `no deployment record, and no 'regions' input; pass the regions (e.g. regions: us-west-2)`,
    );
  }
  return located;
}

export async function destroyCommand(
  inputs: Pick<Inputs, 'path' | 'regions' | 'deploymentId'> & { githubToken?: string },
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
    destroyLocated(
      {
        clientsFor: host.clientsFor,
        log,
        clock: host.clock,
        poll: host.poll.instances,
        timeoutMs: DESTROY_TIMEOUT_SECONDS * 1000,
        ...(host.signal ? { signal: host.signal } : {}),
      },
      located,
    ),
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
    log.info(
      `terminated ${res.terminated.length} instance${res.terminated.length === 1 ? '' : 's'} of ${deploymentId}`,
    );
    lines.push(
      `Terminated ${res.terminated.length} instance${res.terminated.length === 1 ? '' : 's'} in ${regions.join(', ')}.`,
      '',
      instanceTable(
        res.found.map((f) => ({
          id: f.id,
          region: f.region,
          zone: f.zone ?? '',
          type: f.instanceType,
          lifecycle: f.lifecycle,
          state: res.terminated.includes(f.id) ? 'terminated' : f.state,
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
      `${res.remaining.length} instance${res.remaining.length === 1 ? ' is' : 's are'} not terminated after ${DESTROY_TIMEOUT_SECONDS} s: ` +
        res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(', ') +
        '; run destroy again to check',
    );
  }
  return { deploymentId, terminated: res.terminated, regions };
}
