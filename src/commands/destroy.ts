// command: destroy — every live instance tagged with the deployment id, in every region of
// the manifest, of the last deployment record and of the `regions` input, is terminated and
// waited for. Nothing found is a success that says so.

import { resolve } from 'node:path';
import * as core from '../runner.ts';
import { Clients } from '../aws/clients.ts';
import { DeployError } from '../aws/errors.ts';
import { POLL, realClock } from '../aws/poll.ts';
import { destroyTagged, type DestroyContext } from '../destroy/destroy.ts';
import { updatePreview } from '../github/preview.ts';
import { restoreRecord, regionsToSearch } from '../github/record.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { TAG } from '../plan/types.ts';
import { coreLog, type Log } from '../report/log.ts';
import { instanceTable, table, writeSummary } from '../report/summary.ts';
import { loadDeployment } from '../validate/load.ts';

/** How long destroy waits for `terminated`. */
export const DESTROY_TIMEOUT_SECONDS = 600;

/** The manifest's regions, when there is a readable manifest; destroy works without one. */
export async function manifestRegions(path: string, log: Log): Promise<string[]> {
  try {
    const res = await loadDeployment(resolve(path));
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

/** Regions to search: the manifest's, the `regions` input, and the last deployment record's. */
export async function searchRegions(
  inputs: Pick<Inputs, 'path' | 'regions'>,
  deploymentId: string,
  log: Log,
): Promise<string[]> {
  const fromManifest = await manifestRegions(inputs.path, log);
  const restored = await restoreRecord(deploymentId);
  if (restored.warning) log.info(restored.warning);
  const regions = regionsToSearch([...fromManifest, ...inputs.regions], restored.record);
  if (regions.length === 0) {
    throw new DeployError(
      `no region to search for deployment '${deploymentId}': no readable manifest at '${inputs.path}', ` +
        `no deployment record, and no 'regions' input; pass the regions (e.g. regions: us-west-2)`,
    );
  }
  return regions;
}

/** What destroying by tag needs, for the commands that destroy (destroy, reap). */
export function destroyContext(clients: Clients, log: Log, signal?: AbortSignal): DestroyContext {
  return {
    clientsFor: (r) => clients.for(r),
    log,
    clock: realClock,
    poll: POLL,
    timeoutMs: DESTROY_TIMEOUT_SECONDS * 1000,
    ...(signal ? { signal } : {}),
  };
}

export async function destroyCommand(
  inputs: Pick<Inputs, 'path' | 'regions' | 'deploymentId'> & { githubToken?: string },
  opts: { signal?: AbortSignal; log?: Log } = {},
): Promise<{ deploymentId: string; terminated: string[]; regions: string[] }> {
  const log = opts.log ?? coreLog;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, process.env);
  core.setOutput('deployment-id', deploymentId);
  const token = inputs.githubToken ?? '';
  if (token) core.setSecret(token);
  const regions = await searchRegions(inputs, deploymentId, log);
  const clients = new Clients();
  try {
    const res = await log.group(`Destroy ${deploymentId} in ${regions.join(', ')}`, () =>
      destroyTagged(destroyContext(clients, log, opts.signal), regions, { deploymentId }),
    );
    core.setOutput('instance-ids', JSON.stringify(res.terminated));
    core.setOutput('regions', JSON.stringify(regions));
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
    await writeSummary(lines.join('\n') + '\n');
    // The pull request's preview comment says it is gone (only an existing comment is edited).
    if (res.remaining.length === 0) {
      await updatePreview(
        token,
        { status: 'destroyed', deploymentId, terminated: res.terminated.length },
        log,
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
  } finally {
    clients.close();
  }
}
