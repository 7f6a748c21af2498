// Deploy and destroy against a local cloud on its simulated backend, and what the cloud saw:
// every API call (operation, region, start time, duration, parameters) and every Run Command
// invocation (when it started and ended on its instance).

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CallRecord } from '../cloud/cloud.ts';
import { startCloud, type RunningCloud } from '../cloud/server.ts';
import { countRounds } from '../src/deliver/deliver.ts';
import { secretsKeyScript } from '../src/plan/secrets.ts';
import type { Plan } from '../src/plan/types.ts';
import { TAG } from '../src/plan/types.ts';
import { failureOf, runAction, type ActionRun } from './action.ts';
import { stepsOf } from '../__fixtures__/agent.ts';
import { simulatedAnswers } from './agent.ts';
import { writeProbe } from './probe.ts';
import { tempDir } from './temp.ts';
import { makeProject, type Payload } from './project.ts';

/** The latencies the local cloud is told to simulate, in ms. */
export interface Latencies {
  /** RunInstances -> `running`. */
  pendingMs: number;
  /** Launch -> OS booted (cloud-init done); counted from the launch, overlapping pendingMs. */
  bootMs: number;
  /** Booted -> SSM agent Online. */
  onlineMs: number;
  /** Every command, on every instance. */
  commandMs: number;
  /** shutting-down -> terminated. */
  terminateMs: number;
}

export const LATENCIES: Latencies = {
  pendingMs: 500,
  bootMs: 1200,
  onlineMs: 300,
  commandMs: 300,
  terminateMs: 500,
};

const open = new Set<RunningCloud>();

export async function newCloud(
  lat: Latencies,
  capacity?: Record<string, number>,
): Promise<RunningCloud> {
  const cloud = await startCloud({
    backend: 'simulated',
    ...(capacity ? { capacity } : {}),
    simulated: {
      bootMs: lat.bootMs,
      commandMs: lat.commandMs,
      answer: simulatedAnswers(lat.commandMs),
    },
    latency: {
      pendingToRunningMs: lat.pendingMs,
      runningToOnlineMs: lat.onlineMs,
      terminateMs: lat.terminateMs,
    },
  });
  open.add(cloud);
  return cloud;
}

export async function closeCloud(cloud: RunningCloud): Promise<void> {
  open.delete(cloud);
  await cloud.close();
}

/** Closes every cloud still open (on an error or a signal). */
export async function closeAll(): Promise<void> {
  await Promise.all([...open].map((c) => closeCloud(c)));
}

export interface Scenario {
  name: string;
  instances: number;
  regions: number;
  payloadBytes?: number;
  /** A secret to deliver (NAME=value). */
  secret?: string;
  /** Instance types of every region, in order (default t3.micro, t3a.micro). */
  instanceTypes?: string[];
  /** The local cloud's capacity caps (`spot:TYPE@REGION`: n, see cloud/README.md). */
  capacity?: Record<string, number>;
}

/** One command as the cloud ran it: when it was asked for and when its last instance ended. */
export interface CommandSpan {
  id: string;
  comment: string;
  /** Ids of the steps the command carries (one, or several in a merged command). */
  steps: string[];
  instances: number;
  requestedAt: number;
  endedAt: number;
}

export interface PhaseRun {
  ok: boolean;
  error?: string;
  ms: number;
  startedAt: number;
  endedAt: number;
  /** CPU time and peak RSS of the action process. */
  cpuMs?: number;
  maxRssMiB?: number;
  calls: CallRecord[];
}

export interface ScenarioResult {
  scenario: Scenario;
  payload?: Payload;
  plan: Plan;
  /** Command rounds one after another on an instance (commandRounds). */
  rounds: number;
  deploy: PhaseRun;
  destroy: PhaseRun;
  commands: CommandSpan[];
  /** Instances of the deployment still billing after destroy, neither shutting-down nor
   * terminated (must be 0; destroy goes on at shutting-down). */
  leftBehind: number;
}

let runs = 0;

function phase(r: ActionRun, calls: CallRecord[]): PhaseRun {
  const error = failureOf(r);
  return {
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
    ms: r.ms,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    ...(r.probe ? { cpuMs: r.probe.cpuMs, maxRssMiB: r.probe.maxRssMiB } : {}),
    calls,
  };
}

/** Sequential command rounds the plan makes on each instance: the delivery's rounds (steps
 * merged into one command while they fit, the secrets key ending one), and a service check
 * only when no step checked the services' health. */
export function commandRounds(plan: Plan): number {
  const check = plan.services.length > 0 && !plan.steps.some((s) => s.services) ? 1 : 0;
  return countRounds(plan.steps, secretsKeyScript()) + check;
}

export async function runScenario(
  s: Scenario,
  dist: string,
  lat: Latencies,
): Promise<ScenarioResult> {
  const dir = tempDir('project-');
  const probeDir = tempDir('probe-');
  const cloud = await newCloud(lat, s.capacity);
  try {
    const payload = makeProject(dir, {
      instances: s.instances,
      regions: s.regions,
      ...(s.instanceTypes ? { instanceTypes: s.instanceTypes } : {}),
      ...(s.payloadBytes ? { payloadBytes: s.payloadBytes } : {}),
    });
    const deploymentId = `bench-${process.pid}-${++runs}`;
    const inputs = {
      path: '.',
      'deployment-id': deploymentId,
      'instance-profile': 'bench-ssm',
      ...(s.secret ? { secrets: s.secret } : {}),
    };
    const base = { dist, workspace: dir, cloudUrl: cloud.url, probe: writeProbe(probeDir) };
    const planned = await runAction({
      ...base,
      runId: `${process.pid}${runs}0`,
      inputs: { ...inputs, command: 'plan', 'plan-out': join(dir, 'plan-out') },
    });
    if (failureOf(planned)) throw new Error(`plan failed: ${failureOf(planned)}`);
    const plan = JSON.parse(readFileSync(join(dir, 'plan-out', 'plan.json'), 'utf8')) as Plan;

    const before = cloud.calls().length;
    const deployed = await runAction({
      ...base,
      runId: `${process.pid}${runs}1`,
      inputs: { ...inputs, command: 'deploy' },
    });
    const deployCalls = cloud.calls().slice(before);
    const commands: CommandSpan[] = [...cloud.cloud.commands.values()].map((c) => {
      const ends = [...c.invocations.values()].map((i) => i.endedAt?.getTime() ?? Date.now());
      return {
        id: c.id,
        comment: c.comment ?? '',
        steps: stepsOf(c.parameters.commands?.[0] ?? ''),
        instances: c.invocations.size,
        requestedAt: c.requestedAt.getTime(),
        endedAt: Math.max(c.requestedAt.getTime(), ...ends),
      };
    });

    const mid = cloud.calls().length;
    const destroyed = await runAction({
      ...base,
      runId: `${process.pid}${runs}2`,
      inputs: { ...inputs, command: 'destroy' },
    });
    const destroyCalls = cloud.calls().slice(mid);
    const leftBehind = cloud
      .instances()
      .filter(
        (i) =>
          i.tags[TAG.deployment] === deploymentId &&
          i.state !== 'terminated' &&
          i.state !== 'shutting-down',
      ).length;
    return {
      scenario: s,
      ...(payload ? { payload } : {}),
      plan,
      rounds: commandRounds(plan),
      deploy: phase(deployed, deployCalls),
      destroy: phase(destroyed, destroyCalls),
      commands,
      leftBehind,
    };
  } finally {
    await closeCloud(cloud);
    rmSync(dir, { recursive: true, force: true });
    rmSync(probeDir, { recursive: true, force: true });
  }
}

// ---- what the records say ----

export function countByOperation(calls: readonly CallRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.operation] = (out[c.operation] ?? 0) + 1;
  return out;
}

export function errorsOf(calls: readonly CallRecord[]): number {
  return calls.filter((c) => c.error !== undefined).length;
}

/** Most intervals open at one instant (end exclusive; a 0 ms interval lasts its millisecond). */
export function maxOverlap(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const events: Array<[number, number]> = [];
  for (const s of spans) {
    events.push([s.start, 1], [Math.max(s.end, s.start + 1), -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, d] of events) {
    open += d;
    max = Math.max(max, open);
  }
  return max;
}

export function callSpan(c: CallRecord): { start: number; end: number } {
  const start = Date.parse(c.time);
  return { start, end: start + c.durationMs };
}

/** UTF-8 bytes of a SendCommand's Parameters as sent (JSON), what counts against 64 KB. */
export function parameterBytes(c: CallRecord): number {
  const p = (c.params as { Parameters?: unknown }).Parameters ?? {};
  return Buffer.byteLength(JSON.stringify(p));
}

/** The step ids a SendCommand carried, from the cloud's call record. */
export function sentSteps(c: CallRecord): string[] {
  const p = c.params as { Parameters?: { commands?: string[] } };
  return stepsOf(p.Parameters?.commands?.[0] ?? '');
}

export function commentOf(c: CallRecord): string {
  return String((c.params as { Comment?: unknown }).Comment ?? '');
}
