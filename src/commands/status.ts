// command: status — the deployment's live instances, found by tag, with state, lifecycle,
// addresses and the health of its services (one SSM command per region runs
// `systemctl is-active` for the manifest's services on the instances Online in SSM).

import { resolve } from 'node:path';
import { Clients } from '../aws/clients.ts';
import { describeAwsError } from '../aws/errors.ts';
import { COMMAND_POLL, realClock } from '../aws/poll.ts';
import { onlineIds } from '../deliver/wait.ts';
import { findTagged, type FoundInstance } from '../destroy/find.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { TAG } from '../plan/types.ts';
import { coreLog, type Log } from '../report/log.ts';
import { instanceRecord, setInstanceOutputs, type InstanceRecord } from '../report/outputs.ts';
import { instanceTable, writeSummary } from '../report/summary.ts';
import { fallbackRegion, loadDeployment } from '../validate/load.ts';
import { checkServices, type InstanceHealth } from '../verify/services.ts';
import { searchRegions } from './destroy.ts';

export interface StatusRecord extends InstanceRecord {
  services: Record<string, string>;
  cause?: string;
}

async function serviceNames(
  path: string,
  regions: readonly string[],
): Promise<string[] | undefined> {
  try {
    const res = await loadDeployment(resolve(path), {
      fallbackRegion: fallbackRegion(process.env, regions),
    });
    // Services the manifest does not start are not expected to be active.
    return res.deployment?.services.filter((s) => s.start).map((s) => s.name);
  } catch {
    return undefined;
  }
}

export async function statusCommand(
  inputs: Inputs,
  opts: { signal?: AbortSignal; log?: Log } = {},
): Promise<{ deploymentId: string; instances: StatusRecord[] }> {
  const log = opts.log ?? coreLog;
  const signal = opts.signal;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, process.env);
  const regions = await searchRegions(inputs, deploymentId, log);
  const services = await serviceNames(inputs.path, inputs.regions);
  const clients = new Clients();
  try {
    const perRegion = await log.group(`Status of ${deploymentId} in ${regions.join(', ')}`, () =>
      Promise.all(
        regions.map(async (region) => {
          const { ec2, ssm } = clients.for(region);
          const found = await findTagged(ec2, region, { deploymentId }, signal);
          const health = new Map<string, InstanceHealth>();
          const running = found.filter((f) => f.state === 'running').map((f) => f.id);
          if (running.length > 0 && services !== undefined) {
            try {
              const online = [...(await onlineIds(ssm, running, signal))];
              for (const id of running.filter((i) => !online.includes(i))) {
                health.set(id, { health: 'unknown', services: {}, detail: 'not Online in SSM' });
              }
              const checked = await checkServices(
                { ssm, clock: realClock, poll: COMMAND_POLL, ...(signal ? { signal } : {}) },
                online,
                services,
                `spot-deployer status ${deploymentId}`,
              );
              for (const [id, h] of checked) health.set(id, h);
            } catch (err) {
              log.warning(`${region}: could not check services over SSM: ${describeAwsError(err)}`);
            }
          }
          log.info(`${region}: ${found.length} instance${found.length === 1 ? '' : 's'}`);
          return found.map((f) => toStatus(f, health.get(f.id), services));
        }),
      ),
    );
    const instances = perRegion.flat();
    setInstanceOutputs(
      deploymentId,
      instances.map(({ services: _s, cause: _c, ...r }) => r),
      [...new Set(instances.map((i) => i.region))],
    );
    for (const i of instances) {
      log.info(
        `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i['public-ip'] || '-'} ${i['private-ip'] || '-'} ${i.health}` +
          (Object.keys(i.services).length > 0
            ? ` [${Object.entries(i.services)
                .map(([n, s]) => `${n}=${s}`)
                .join(' ')}]`
            : '') +
          (i.cause ? ` (${i.cause})` : ''),
      );
    }
    if (instances.length === 0) {
      log.info(
        `no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(', ')}`,
      );
    }
    await writeSummary(
      [`## Spot status \`${deploymentId}\``, '', instanceTable(instances), ''].join('\n'),
    );
    return { deploymentId, instances };
  } finally {
    clients.close();
  }
}

function toStatus(
  f: FoundInstance,
  h: InstanceHealth | undefined,
  services: string[] | undefined,
): StatusRecord {
  const health =
    f.state !== 'running'
      ? 'unknown'
      : services === undefined
        ? 'unknown'
        : (h?.health ?? 'unknown');
  const cause =
    f.state !== 'running'
      ? `instance is ${f.state}`
      : services === undefined
        ? 'no manifest to name the services'
        : h?.detail;
  return {
    ...instanceRecord(f, health),
    services: h?.services ?? {},
    ...(cause ? { cause } : {}),
  };
}
