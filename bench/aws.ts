// The benchmark at AWS's latencies: one deployment of 3 instances taken through its life on
// the local cloud's simulated backend (first deploy, an unchanged redeploy, a changed
// `replace`, an `update`, a heal of one reclaimed instance, a destroy), each step timed and
// set against the critical path those latencies impose on it.

import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { CallRecord, Command } from '../cloud/cloud.ts';
import type { RunningCloud } from '../cloud/server.ts';
import { TAG } from '../src/plan/types.ts';
import { failureOf, runAction, type ActionRun } from './action.ts';
import { makeProject } from './project.ts';
import { closeCloud, countByOperation, newCloud, type Latencies } from './scenarios.ts';
import { tempDir } from './temp.ts';

/**
 * What AWS takes, as the README explains: `running` about 10 s after RunInstances, the OS
 * booted (cloud-init done) at 25 s, the SSM agent Online 5 s later, each command 1.5 s of
 * delivery and reporting on top of its own work (the simulated backend's commands do none),
 * and 45 s from `shutting-down` to `terminated`.
 */
export const AWS_LATENCIES: Latencies = {
  pendingMs: 10_000,
  bootMs: 25_000,
  onlineMs: 5_000,
  commandMs: 1_500,
  terminateMs: 45_000,
};

/** A phase of the action as its debug log times it. */
export interface PhaseTime {
  name: string;
  start: number;
  end: number;
  state: string;
}

/** What an instance did during a step, from the cloud's records. */
export interface InstanceTimeline {
  id: string;
  launchedAt?: number;
  onlineAt?: number;
  /** The command invocations on it: [start, end] and the command's comment. */
  commands: Array<{ start: number; end: number; comment: string }>;
  terminateAt?: number;
}

export interface LifecycleStep {
  name: string;
  ok: boolean;
  error?: string;
  wallMs: number;
  startedAt: number;
  endedAt: number;
  /** Instances the step launched (successful RunInstances). */
  launched: number;
  /** Command rounds: runs of overlapping invocations on one instance, the most of any. */
  rounds: number;
  /** The latencies on the step's critical path: boot + Online if it launched, then rounds. */
  criticalMs: number;
  overheadMs: number;
  calls: number;
  byOperation: Record<string, number>;
  changed?: string;
  healed?: string;
  phases: PhaseTime[];
  instances: InstanceTimeline[];
  /** Every API call: when, how long, which. */
  callTimes: CallTime[];
}

export interface CallTime {
  at: number;
  ms: number;
  service: string;
  op: string;
}

export interface LifecycleResult {
  instances: number;
  latencies: Latencies;
  steps: LifecycleStep[];
}

/** `::debug::phase NAME: STATE at ISO` lines (the action host's progress) as phase spans. */
export function phasesOf(stdout: string): PhaseTime[] {
  const out: PhaseTime[] = [];
  const open = new Map<string, number>();
  for (const m of stdout.matchAll(/^::debug::phase (.+): (running|done|failed) at (\S+)$/gm)) {
    const [, name = '', state = '', iso = ''] = m;
    const t = Date.parse(iso);
    if (state === 'running') open.set(name, t);
    else out.push({ name, start: open.get(name) ?? t, end: t, state });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Runs of overlapping intervals (sorted by start): how many rounds they make one after another. */
export function roundsOf(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let rounds = 0;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.start >= end) rounds++;
    end = Math.max(end, s.end);
  }
  return rounds;
}

function timelines(cloud: RunningCloud, calls: CallRecord[], from: number, to: number) {
  const byId = new Map<string, InstanceTimeline>();
  const get = (id: string) => {
    let t = byId.get(id);
    if (!t) byId.set(id, (t = { id, commands: [] }));
    return t;
  };
  for (const inst of cloud.cloud.instances.values()) {
    const at = inst.launchTime.getTime();
    if (at >= from && at <= to) {
      const t = get(inst.id);
      t.launchedAt = at;
      if (inst.agentRegisteredAt) t.onlineAt = inst.agentRegisteredAt.getTime();
    }
  }
  const commands = [...cloud.cloud.commands.values()].filter(
    (c: Command) => c.requestedAt.getTime() >= from && c.requestedAt.getTime() <= to,
  );
  for (const c of commands) {
    for (const inv of c.invocations.values()) {
      if (!inv.startedAt) continue;
      get(inv.instanceId).commands.push({
        start: inv.startedAt.getTime(),
        end: inv.endedAt?.getTime() ?? to,
        comment: c.comment ?? '',
      });
    }
  }
  for (const c of calls.filter((x) => x.operation === 'TerminateInstances' && !x.error)) {
    for (const id of (c.params as { InstanceIds?: string[] }).InstanceIds ?? []) {
      get(id).terminateAt = Date.parse(c.time);
    }
  }
  return [...byId.values()];
}

function stepOf(
  name: string,
  run: ActionRun,
  cloud: RunningCloud,
  calls: CallRecord[],
  lat: Latencies,
): LifecycleStep {
  const launched = calls
    .filter((c) => c.operation === 'RunInstances' && !c.error)
    .reduce((n, c) => n + Number((c.params as { MaxCount?: number }).MaxCount ?? 0), 0);
  const instances = timelines(cloud, calls, run.startedAt, run.endedAt);
  const rounds = Math.max(0, ...instances.map((i) => roundsOf(i.commands)));
  const criticalMs =
    (launched > 0 ? Math.max(lat.pendingMs, lat.bootMs) + lat.onlineMs : 0) +
    rounds * lat.commandMs;
  const error = failureOf(run);
  return {
    name,
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
    wallMs: Math.round(run.ms),
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    launched,
    rounds,
    criticalMs,
    overheadMs: Math.round(run.ms - criticalMs),
    calls: calls.length,
    byOperation: countByOperation(calls),
    ...(run.outputs.changed !== undefined ? { changed: run.outputs.changed } : {}),
    ...(run.outputs.healed !== undefined ? { healed: run.outputs.healed } : {}),
    phases: phasesOf(run.stdout),
    instances,
    callTimes: calls.map((c) => ({
      at: Date.parse(c.time),
      ms: c.durationMs,
      service: c.service,
      op: c.operation,
    })),
  };
}

/** Appends a line to a file of the app, so its digest changes. */
function edit(dir: string, n: number): void {
  appendFileSync(join(dir, 'app', 'server.js'), `// benchmark edit ${n}\n`);
}

/** Deploy 3, redeploy unchanged, replace, update, lose one to a reclaim and heal, destroy. */
export async function runLifecycle(
  dist: string,
  lat: Latencies,
  log: (line: string) => void,
): Promise<LifecycleResult> {
  const instances = 3;
  const dir = tempDir('lifecycle-');
  const cloud = await newCloud(lat);
  try {
    makeProject(dir, { instances, regions: 1 });
    const deploymentId = `bench-aws-${process.pid}`;
    const inputs = { path: '.', 'deployment-id': deploymentId, 'instance-profile': 'bench-ssm' };
    const steps: LifecycleStep[] = [];
    let n = 0;
    const step = async (name: string, extra: Record<string, string>) => {
      const before = cloud.calls().length;
      const run = await runAction({
        dist,
        workspace: dir,
        cloudUrl: cloud.url,
        runId: `${process.pid}${++n}`,
        inputs: { ...inputs, ...extra },
      });
      const s = stepOf(name, run, cloud, cloud.calls().slice(before), lat);
      log(
        `aws ${name}: ${s.ok ? 'ok' : `FAILED ${s.error ?? ''}`} ${(s.wallMs / 1000).toFixed(1)} s ` +
          `(critical path ${(s.criticalMs / 1000).toFixed(1)} s), ${s.calls} calls`,
      );
      steps.push(s);
    };
    await step('first deploy', { command: 'deploy' });
    await step('unchanged redeploy', { command: 'deploy' });
    edit(dir, 1);
    await step('changed, replace', { command: 'deploy' });
    edit(dir, 2);
    await step('changed, update', { command: 'deploy', strategy: 'update' });
    const victim = [...cloud.cloud.instances.values()].find(
      (i) => i.tags.get(TAG.deployment) === deploymentId && i.state === 'running',
    );
    // A reclaim with a short notice; the heal starts once EC2 has begun the termination.
    if (victim) {
      void cloud.cloud.interrupt(victim, 1000).catch(() => undefined);
      while (victim.state === 'running' || victim.state === 'pending') await sleep(100);
    }
    await step('heal of 1 reclaimed', { command: 'deploy' });
    await step('destroy', { command: 'destroy' });
    return { instances, latencies: lat, steps };
  } finally {
    await closeCloud(cloud);
  }
}
