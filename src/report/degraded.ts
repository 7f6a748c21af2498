// What a deployment lost, as status reports it: the planned count against the healthy one,
// the instances EC2 took (shutting-down or terminated, with the state reason and time), the
// unhealthy ones and those EC2 recommended rebalancing. Pure: status gathers the facts.

import type { FoundInstance } from '../aws/instances.ts';
import type { InstanceRecord } from './outputs.ts';

/** An instance as status reports it: its record, its services, and what status saw. */
export interface StatusRecord extends InstanceRecord {
  services: Record<string, string>;
  cause?: string;
  /** The notice time of a rebalance recommendation the instance recorded. */
  rebalance?: string;
}

export interface Assessment {
  /** From the manifest; undefined without one. */
  planned?: number;
  healthy: number;
  degraded: boolean;
  /** Why it is degraded, one line each (empty when it is not). */
  reasons: string[];
  /** The instances the deployment lost, one line each (also once healed: EC2 lists
   * terminated instances for about an hour). */
  lost: string[];
}

/** Terminated through the API (a deploy's retire, destroy, a person): not a loss. */
const RETIRED = 'Client.UserInitiatedShutdown';

/** The ended instances (shutting-down, terminated) that the deployment lost. */
export function lostInstances(ended: readonly FoundInstance[]): FoundInstance[] {
  return ended.filter(
    (f) => (f.state === 'shutting-down' || f.state === 'terminated') && f.stateReason !== RETIRED,
  );
}

export function lostLine(f: FoundInstance): string {
  return (
    `${f.id} (${f.region}, ${f.lifecycle}) ${f.state}: ${f.stateReason ?? 'no state reason'}` +
    (f.stateTime ? ` at ${f.stateTime}` : '')
  );
}

export function assess(
  planned: number | undefined,
  instances: readonly StatusRecord[],
  lost: readonly FoundInstance[],
): Assessment {
  const healthy = instances.filter((i) => i.health === 'healthy').length;
  const reasons: string[] = [];
  if (planned !== undefined && healthy < planned) {
    reasons.push(`${healthy} of ${planned} planned instance${planned === 1 ? '' : 's'} healthy`);
  }
  const gone = new Set(lost.map((l) => l.id));
  // Without the manifest, status cannot name the services: health is unknown, not bad.
  const judged = planned === undefined ? [] : instances;
  for (const i of judged.filter((x) => x.health !== 'healthy' && !gone.has(x.id))) {
    reasons.push(`${i.id} is ${i.health}${i.cause ? `: ${i.cause}` : ''}`);
  }
  for (const i of instances.filter((x) => x.rebalance)) {
    reasons.push(`${i.id}: EC2 recommends rebalancing (notice ${i.rebalance})`);
  }
  return {
    ...(planned !== undefined ? { planned } : {}),
    healthy,
    degraded: reasons.length > 0,
    reasons,
    lost: lost.map(lostLine),
  };
}

/** The summary's section: healthy of planned, why degraded, what was lost. */
export function assessmentMarkdown(a: Assessment): string {
  const head =
    `**${a.healthy}${a.planned !== undefined ? ` of ${a.planned}` : ''} healthy**` +
    (a.degraded ? ': degraded' : '');
  const list = (title: string, lines: readonly string[]) =>
    lines.length > 0 ? ['', `${title}:`, '', ...lines.map((l) => `- ${l}`)] : [];
  return [
    head,
    ...list('Degraded', a.reasons),
    ...list('Lost (EC2 keeps terminated instances listed for about an hour)', a.lost),
  ].join('\n');
}
