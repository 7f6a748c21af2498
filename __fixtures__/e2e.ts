// Shared pieces of the deploy end-to-end tests: a local cloud of containers, the action run
// against it, and looks at the containers that do not go through the action or SSM.

import { execFileSync } from 'node:child_process';
import type { RunningCloud } from '../cloud/server.ts';
import type { CallRecord, InstanceView } from '../cloud/cloud.ts';
import { TAG } from '../src/plan/types.ts';
import { runAction, type ActionRun, type RunOptions } from './action.ts';
import { stepsOf } from './agent.ts';

let runs = 0;
/** A run id unique to this process and call: tagged on the instances as TAG.run. */
export function newRunId(): string {
  return `${process.pid}${String(++runs).padStart(3, '0')}`;
}

export function action(cloud: RunningCloud, o: Omit<RunOptions, 'cloudUrl'>): Promise<ActionRun> {
  return runAction({ ...o, cloudUrl: cloud.url });
}

export function instancesOfRun(cloud: RunningCloud, runId: string): InstanceView[] {
  return cloud.instances().filter((i) => i.tags[TAG.run] === `${runId}-1`);
}

export function instancesOfDeployment(cloud: RunningCloud, deploymentId: string): InstanceView[] {
  return cloud.instances().filter((i) => i.tags[TAG.deployment] === deploymentId);
}

/** Whether the container's leader process still exists on this machine. */
export function containerAlive(i: InstanceView): boolean {
  const pid = Number(i.machine?.leaderPid ?? 0);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a shell command inside a running container, straight through its namespaces. */
export function inContainer(i: InstanceView, script: string): string {
  const pid = String(i.machine?.leaderPid ?? '');
  return execFileSync(
    'nsenter',
    ['-t', pid, '-a', 'env', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'bash', '-c', script],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
}

/** Waits (polling the cloud, at most `ms`) until `pred` holds; returns whether it did. */
export async function eventually(pred: () => boolean, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return pred();
}

/** Output lines worth showing when an assertion about a run fails. */
export function explain(r: ActionRun): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`;
}

/**
 * Command rounds each instance took, from the cloud's call log: its accepted SendCommand
 * calls (a refusal while its registration settles is sent again, not a round), where sends
 * with no ListCommandInvocations between them (commands sent together, then followed) are one
 * round. Returned as the scripts' step ids per round, per instance.
 */
export function commandRounds(calls: readonly CallRecord[]): Map<string, string[][][]> {
  const rounds = new Map<string, string[][][]>();
  const followedSince = new Map<string, boolean>();
  for (const c of calls) {
    if (c.service !== 'ssm') continue;
    if (c.operation === 'ListCommandInvocations') {
      for (const id of followedSince.keys()) followedSince.set(id, true);
      continue;
    }
    if (c.operation !== 'SendCommand' || c.error) continue;
    const p = c.params as { InstanceIds?: string[]; Parameters?: { commands?: string[] } };
    const script = p.Parameters?.commands?.[0] ?? '';
    const steps = stepsOf(script);
    for (const id of p.InstanceIds ?? []) {
      const list = rounds.get(id) ?? [];
      if (list.length === 0 || followedSince.get(id)) list.push([]);
      list.at(-1)?.push(steps);
      rounds.set(id, list);
      followedSince.set(id, false);
    }
  }
  return rounds;
}
