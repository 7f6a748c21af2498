// command: status — the deployment's live instances, found by tag, with state, lifecycle,
// addresses and the health of its services (one SSM command per region, per 50 instances,
// runs `systemctl is-active` for the manifest's services on the instances Online in SSM and
// reads the rebalance recommendation the instance's watcher recorded), and what the
// deployment lost: planned against healthy, the instances EC2 took, with reason and time.
// Instances with a rebalance recommendation are marked (spot-deployer:phase=rebalance) so
// that the next deploy heals them.

import type { SSMClient } from '@aws-sdk/client-ssm';
import { DeployError, describeAwsError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import { survey } from '../aws/locate.ts';
import { onlineIds } from '../deliver/wait.ts';
import { setInstanceOutputs, type Host } from '../host.ts';
import { resolveDeploymentId } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { PHASE } from '../launch/concurrency.ts';
import { tagInstances } from '../launch/strategy.ts';
import { TAG } from '../plan/types.ts';
import {
  assess,
  assessmentMarkdown,
  lostInstances,
  type Assessment,
  type StatusRecord,
} from '../report/degraded.ts';
import { instanceRecord } from '../report/outputs.ts';
import { instanceTable } from '../report/summary.ts';
import { manifestServices } from '../operate/manifest.ts';
import { fallbackRegion } from '../validate/load.ts';
import { checkServices, type InstanceHealth } from '../verify/services.ts';
import { searchDeployment } from '../pipeline/search.ts';

export type { StatusRecord } from '../report/degraded.ts';

export async function statusCommand(
  inputs: Inputs,
  host: Host,
): Promise<{ deploymentId: string; instances: StatusRecord[] } & Assessment> {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const [facts, ended] = await Promise.all([
    manifestServices(inputs.path, fallbackRegion(host.env, inputs.regions)),
    // EC2 lists terminated instances for about an hour: what the deployment lost lately.
    survey(host, regions, { deploymentId, states: ['terminated'] }),
  ]);
  // Without a usable manifest, the services are unknown: health unknown (search said why).
  const services = 'services' in facts ? facts.services : undefined;
  const planned = 'planned' in facts ? facts.planned : undefined;
  const perRegion = await log.group(`Status of ${deploymentId} in ${regions.join(', ')}`, () =>
    Promise.all(
      regions.map(async (region) => {
        const found = located.instances.filter((f) => f.region === region);
        const health = await regionHealth(host, region, found, services ?? [], deploymentId);
        log.info(`${region}: ${found.length} instance${found.length === 1 ? '' : 's'}`);
        return found.map((f) => toStatus(f, health.get(f.id), services));
      }),
    ),
  );
  const instances = perRegion.flat();
  const assessment = assess(planned, instances, lostInstances([...located.instances, ...ended]));
  await markRebalance(host, located.instances, instances);
  report(host, deploymentId, instances, assessment);
  for (const i of instances) log.info(statusLine(i));
  if (instances.length === 0) {
    log.info(`no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(', ')}`);
  }
  await host.summary(
    [
      `## Spot status \`${deploymentId}\``,
      '',
      assessmentMarkdown(assessment),
      '',
      instanceTable(instances),
      '',
    ].join('\n'),
  );
  if (assessment.degraded && inputs.failOnDegraded) {
    throw new DeployError(`${deploymentId} is degraded: ${assessment.reasons.join('; ')}`);
  }
  return { deploymentId, instances, ...assessment };
}

/** The outputs and the log lines of what status found. */
function report(
  host: Host,
  deploymentId: string,
  instances: readonly StatusRecord[],
  a: Assessment,
): void {
  setInstanceOutputs(
    host,
    deploymentId,
    instances.map(({ services: _s, cause: _c, rebalance: _r, ...r }) => r),
    [...new Set(instances.map((i) => i.region))],
  );
  host.output('planned-count', a.planned !== undefined ? String(a.planned) : '');
  host.output('healthy-count', String(a.healthy));
  host.output('degraded', String(a.degraded));
  const of = a.planned !== undefined ? ` of ${a.planned} planned` : '';
  (a.degraded ? host.log.warning : host.log.info)(
    `${deploymentId}: ${a.healthy}${of} healthy${a.degraded ? `; degraded: ${a.reasons.join('; ')}` : ''}`,
  );
  for (const l of a.lost) host.log.info(`lost: ${l}`);
}

/** Marks the ready instances that recorded a rebalance recommendation (the next deploy
 * replaces them); a failure to tag is a warning, status still reports them. */
async function markRebalance(
  host: Host,
  found: readonly FoundInstance[],
  instances: readonly StatusRecord[],
): Promise<void> {
  const ready = new Set(
    found.filter((f) => (f.tags[TAG.phase] ?? PHASE.ready) === PHASE.ready).map((f) => f.id),
  );
  const flagged = instances.filter((i) => i.rebalance && ready.has(i.id));
  if (flagged.length === 0) return;
  const mark = `${TAG.phase}=${PHASE.rebalance}`;
  await tagInstances(host, flagged, { [TAG.phase]: PHASE.rebalance }).then(
    () =>
      host.log.info(
        `marked ${flagged.map((i) => i.id).join(', ')} ${mark}: the next deploy replaces them`,
      ),
    (err: unknown) =>
      host.log.warning(
        `could not mark ${flagged.map((i) => i.id).join(', ')} ${mark}: ${describeAwsError(err)}; a deploy will not know to replace them`,
      ),
  );
}

function statusLine(i: StatusRecord): string {
  const services = Object.entries(i.services).map(([n, s]) => `${n}=${s}`);
  return (
    `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i['public-ip'] || '-'} ${i['private-ip'] || '-'} ${i.health}` +
    (services.length > 0 ? ` [${services.join(' ')}]` : '') +
    (i.cause ? ` (${i.cause})` : '') +
    (i.rebalance ? ` rebalance recommended (notice ${i.rebalance})` : '')
  );
}

/** The services' states (and rebalance records) on the region's running instances that are
 * Online in SSM. */
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
      true,
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
  const rebalance =
    h?.rebalance ?? (f.tags[TAG.phase] === PHASE.rebalance ? 'unknown, marked earlier' : undefined);
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
    ...(rebalance ? { rebalance } : {}),
  };
}
