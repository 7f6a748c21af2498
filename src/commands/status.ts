// command: status — the deployment's live instances, found by tag, with state, lifecycle,
// addresses and the health of its services (one SSM command per region runs
// `systemctl is-active` for the manifest's services on the instances Online in SSM).

import { resolve } from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { describeAwsError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import { onlineIds } from '../deliver/wait.ts';
import { setInstanceOutputs, type Host } from '../host.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { TAG } from '../plan/types.ts';
import { instanceRecord, type InstanceRecord } from '../report/outputs.ts';
import { instanceTable } from '../report/summary.ts';
import { fallbackRegion, loadDeployment, type FallbackRegion } from '../validate/load.ts';
import { checkServices, type InstanceHealth } from '../verify/services.ts';
import { searchDeployment } from '../pipeline/search.ts';

export interface StatusRecord extends InstanceRecord {
  services: Record<string, string>;
  cause?: string;
}

async function serviceNames(
  path: string,
  fallback: FallbackRegion | undefined,
): Promise<string[] | undefined> {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    // Services the manifest does not start are not expected to be active.
    return res.deployment?.services.filter((s) => s.start).map((s) => s.name);
  } catch {
    return undefined;
  }
}

export async function statusCommand(
  inputs: Inputs,
  host: Host,
): Promise<{ deploymentId: string; instances: StatusRecord[] }> {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const services = await serviceNames(inputs.path, fallbackRegion(host.env, inputs.regions));
  const perRegion = await log.group(`Status of ${deploymentId} in ${regions.join(', ')}`, () =>
    Promise.all(
      regions.map(async (region) => {
        const found = located.instances.filter((f) => f.region === region);
        const health =
          services === undefined
            ? new Map<string, InstanceHealth>()
            : await regionHealth(host, region, found, services, deploymentId);
        log.info(`${region}: ${found.length} instance${found.length === 1 ? '' : 's'}`);
        return found.map((f) => toStatus(f, health.get(f.id), services));
      }),
    ),
  );
  const instances = perRegion.flat();
  setInstanceOutputs(
    host,
    deploymentId,
    instances.map(({ services: _s, cause: _c, ...r }) => r),
    [...new Set(instances.map((i) => i.region))],
  );
  for (const i of instances) log.info(statusLine(i));
  if (instances.length === 0) {
    log.info(`no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(', ')}`);
  }
  await host.summary(
    [`## Spot status \`${deploymentId}\``, '', instanceTable(instances), ''].join('\n'),
  );
  return { deploymentId, instances };
}

function statusLine(i: StatusRecord): string {
  const services = Object.entries(i.services).map(([n, s]) => `${n}=${s}`);
  return (
    `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i['public-ip'] || '-'} ${i['private-ip'] || '-'} ${i.health}` +
    (services.length > 0 ? ` [${services.join(' ')}]` : '') +
    (i.cause ? ` (${i.cause})` : '')
  );
}

/** The services' states on the region's running instances that are Online in SSM. */
async function regionHealth(
  host: Pick<Host, 'clientsFor' | 'clock' | 'poll' | 'log' | 'signal'>,
  region: string,
  found: readonly FoundInstance[],
  services: readonly string[],
  deploymentId: string,
): Promise<Map<string, InstanceHealth>> {
  const health = new Map<string, InstanceHealth>();
  const running = found.filter((f) => f.state === 'running').map((f) => f.id);
  if (running.length === 0) return health;
  const ssm: SSMClient = host.clientsFor(region).ssm;
  const signal = host.signal;
  try {
    const online = [...(await onlineIds(ssm, running, signal))];
    for (const id of running.filter((i) => !online.includes(i))) {
      health.set(id, { health: 'unknown', services: {}, detail: 'not Online in SSM' });
    }
    const checked = await checkServices(
      { ssm, clock: host.clock, poll: host.poll.commands, ...(signal ? { signal } : {}) },
      online,
      services,
      `spot-deployer status ${deploymentId}`,
    );
    for (const [id, h] of checked) health.set(id, h);
  } catch (err) {
    host.log.warning(`${region}: could not check services over SSM: ${describeAwsError(err)}`);
  }
  return health;
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
