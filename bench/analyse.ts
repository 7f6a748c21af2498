// From what the local cloud recorded to the figures the benchmark reports.

import type { CallRecord } from '../cloud/cloud.ts';
import {
  callSpan,
  sentSteps,
  countByOperation,
  errorsOf,
  maxOverlap,
  parameterBytes,
  type Latencies,
  type PhaseRun,
  type ScenarioResult,
} from './scenarios.ts';
import { stats, type Stats } from './startup.ts';

export interface CallCounts {
  ok: boolean;
  error?: string;
  wallMs: number;
  /** CPU time and peak RSS of the action process. */
  cpuMs?: number;
  maxRssMiB?: number;
  total: number;
  errors: number;
  byOperation: Record<string, number>;
}

export function callCounts(p: PhaseRun): CallCounts {
  return {
    ok: p.ok,
    ...(p.error !== undefined ? { error: p.error } : {}),
    wallMs: Math.round(p.ms),
    ...(p.cpuMs !== undefined ? { cpuMs: Math.round(p.cpuMs) } : {}),
    ...(p.maxRssMiB !== undefined ? { maxRssMiB: Math.round(p.maxRssMiB * 10) / 10 } : {}),
    total: p.calls.length,
    errors: errorsOf(p.calls),
    byOperation: countByOperation(p.calls),
  };
}

export interface ApiRow {
  name: string;
  instances: number;
  regions: number;
  /** Instances per region as planned. */
  perRegion: number[];
  rounds: number;
  /** The issue's bound for SendCommand: one per command round per 50 instances of a region. */
  sendCommandBound: number;
  secret: boolean;
  deploy: CallCounts;
  destroy: CallCounts;
  leftBehind: number;
}

export function apiRow(r: ScenarioResult): ApiRow {
  const perRegion = r.plan.regions.map((x) => x.count);
  return {
    name: r.scenario.name,
    instances: r.scenario.instances,
    regions: r.scenario.regions,
    perRegion,
    rounds: r.rounds,
    sendCommandBound: r.rounds * perRegion.reduce((n, c) => n + Math.ceil(c / 50), 0),
    secret: r.scenario.secret !== undefined,
    deploy: callCounts(r.deploy),
    destroy: callCounts(r.destroy),
    leftBehind: r.leftBehind,
  };
}

export interface OverheadRun {
  wallMs: number;
  /** CPU time of the action process (user + system). */
  cpuMs: number;
  /** The configured latencies on the critical path: boot/running, Online, each command round. */
  simulatedMs: number;
  overheadMs: number;
  /** Spawn -> first API call: node start, bundle load, manifest, plan, SDK set-up. */
  startupMs: number;
  /** First call -> last RunInstances answered: image lookup and launch requests. */
  launchMs: number;
  /** Launch -> first SendCommand, beyond max(pending, boot) + online. */
  waitBeyondMs: number;
  /** First SendCommand -> last command result read, beyond rounds x command time. */
  commandsBeyondMs: number;
  /** Last command result -> exit: cost estimate, outputs, summary, record, exit. */
  finishMs: number;
}

const COMMAND_OPS = new Set(['SendCommand', 'ListCommandInvocations', 'GetCommandInvocation']);

export function overheadOf(r: ScenarioResult, lat: Latencies): OverheadRun {
  const d = r.deploy;
  const spans = d.calls.map((c) => ({ c, ...callSpan(c) }));
  const first = Math.min(...spans.map((s) => s.start));
  const launched = Math.max(
    ...spans.filter((s) => s.c.operation === 'RunInstances').map((s) => s.end),
  );
  const commands = spans.filter((s) => COMMAND_OPS.has(s.c.operation));
  const firstSend = Math.min(
    ...commands.filter((s) => s.c.operation === 'SendCommand').map((s) => s.start),
  );
  const commandsEnd = Math.max(...commands.map((s) => s.end));
  const waitSim = Math.max(lat.pendingMs, lat.bootMs) + lat.onlineMs;
  const commandSim = r.rounds * lat.commandMs;
  const wall = d.ms;
  return {
    wallMs: Math.round(wall),
    cpuMs: Math.round(d.cpuMs ?? NaN),
    simulatedMs: waitSim + commandSim,
    overheadMs: Math.round(wall - waitSim - commandSim),
    startupMs: first - d.startedAt,
    launchMs: launched - first,
    waitBeyondMs: firstSend - launched - waitSim,
    commandsBeyondMs: commandsEnd - firstSend - commandSim,
    finishMs: d.endedAt - commandsEnd,
  };
}

export interface OverheadRow {
  instances: number;
  runs: OverheadRun[];
  wallMs: Stats;
  overheadMs: Stats;
  cpuMs: Stats;
  /** The run with the median overhead, for its breakdown. */
  median: OverheadRun;
  failures: string[];
}

export function overheadRow(instances: number, results: ScenarioResult[], lat: Latencies) {
  const good = results.filter((r) => r.deploy.ok);
  const runs = good.map((r) => overheadOf(r, lat));
  const sorted = [...runs].sort((a, b) => a.overheadMs - b.overheadMs);
  const row: OverheadRow = {
    instances,
    runs,
    wallMs: stats(runs.map((r) => r.wallMs)),
    overheadMs: stats(runs.map((r) => r.overheadMs)),
    cpuMs: stats(runs.map((r) => r.cpuMs)),
    median: sorted[Math.floor((sorted.length - 1) / 2)] as OverheadRun,
    failures: results.filter((r) => !r.deploy.ok).map((r) => r.deploy.error ?? 'failed'),
  };
  return row;
}

export interface DeliveryRow {
  payloadBytes: number;
  files: number;
  largestFile: number;
  ok: boolean;
  error?: string;
  /** Upload commands in the plan: carrying files or parts, and assembling cut files. */
  carryCommands: number;
  assembleCommands: number;
  /** File bytes per carrying command, from the plan. */
  payloadPerCommand: Stats;
  /** Bytes of the Parameters of each upload SendCommand as the cloud received them. */
  parameterBytes: Stats;
  /** Payload bytes / parameter bytes over all upload commands (base64 alone allows 75 %). */
  efficiency: number;
  sendCommands: number;
  /** From the first upload SendCommand to the last one (cloud's call record). */
  sendSpreadMs: number;
  /** Most upload commands in flight at once: asked for and not yet ended on the instance
   * (cloud's command and invocation records). */
  maxCommandsRunning: number;
  /** First upload SendCommand -> last upload result read. */
  uploadMs: number;
  /** Upload commands x command latency, if they had run one after another. */
  serialSimulatedMs: number;
}

export function deliveryRow(r: ScenarioResult, lat: Latencies): DeliveryRow {
  const uploadSteps = r.plan.steps.filter((s) => s.kind === 'upload');
  const carry = uploadSteps.filter((s) => s.payloadBytes > 0);
  const isUpload = (steps: string[]) => uploadSteps.some((s) => steps.includes(s.id));
  const sends = r.deploy.calls.filter(
    (c) => c.operation === 'SendCommand' && isUpload(sentSteps(c)),
  );
  const ids = new Set(r.commands.filter((c) => isUpload(c.steps)).map((c) => c.id));
  const follows = r.deploy.calls.filter(
    (c: CallRecord) =>
      c.operation === 'ListCommandInvocations' &&
      ids.has(String((c.params as { CommandId?: unknown }).CommandId)),
  );
  const paramBytes = sends.map(parameterBytes);
  const payload = carry.reduce((n, s) => n + s.payloadBytes, 0);
  const start = Math.min(...sends.map((c) => callSpan(c).start));
  const end = Math.max(...follows.map((c) => callSpan(c).end));
  return {
    payloadBytes: r.payload?.bytes ?? 0,
    files: r.payload?.files ?? 0,
    largestFile: r.payload?.largest ?? 0,
    ok: r.deploy.ok,
    ...(r.deploy.error !== undefined ? { error: r.deploy.error } : {}),
    carryCommands: carry.length,
    assembleCommands: uploadSteps.length - carry.length,
    payloadPerCommand: stats(carry.map((s) => s.payloadBytes)),
    parameterBytes: stats(paramBytes),
    efficiency:
      payload /
      Math.max(
        1,
        paramBytes.reduce((n, b) => n + b, 0),
      ),
    sendCommands: sends.length,
    sendSpreadMs:
      Math.max(...sends.map((c) => callSpan(c).start)) -
      Math.min(...sends.map((c) => callSpan(c).start)),
    maxCommandsRunning: maxOverlap(
      r.commands
        .filter((c) => ids.has(c.id))
        .map((c) => ({ start: c.requestedAt, end: c.endedAt })),
    ),
    uploadMs: Math.round(end - start),
    serialSimulatedMs: uploadSteps.length * lat.commandMs,
  };
}

/** The RunInstances calls of one capacity pool (market, type, zone if given), in call order. */
export interface PoolCalls {
  pool: string;
  calls: number;
  /** Error code of the pool's last call, or `ok`. */
  result: string;
  /** Summed durations of the pool's calls. */
  durationMs: number;
}

export interface CapacityRun {
  pools: PoolCalls[];
  /** 3rd pool's first RunInstances start − 1st RunInstances start − the first two pools' call
   * durations: what the action spends between the calls (backoff, bookkeeping). */
  beyondMs: number;
}

function poolOf(c: CallRecord): string {
  const p = c.params as {
    InstanceType?: unknown;
    InstanceMarketOptions?: { MarketType?: unknown };
    Placement?: { AvailabilityZone?: unknown };
  };
  const market = p.InstanceMarketOptions?.MarketType === 'spot' ? 'spot' : 'on-demand';
  const zone = p.Placement?.AvailabilityZone;
  return `${String(p.InstanceType)} (${market})${zone ? ` in ${String(zone)}` : ''}`;
}

export function capacityOf(r: ScenarioResult): CapacityRun {
  const launches = r.deploy.calls
    .filter((c) => c.operation === 'RunInstances')
    .map((c) => ({ c, pool: poolOf(c), ...callSpan(c) }))
    .sort((a, b) => a.start - b.start);
  const pools: PoolCalls[] = [];
  for (const l of launches) {
    let p = pools.find((x) => x.pool === l.pool);
    if (!p) pools.push((p = { pool: l.pool, calls: 0, result: 'ok', durationMs: 0 }));
    p.calls++;
    p.result = l.c.error ?? 'ok';
    p.durationMs += l.end - l.start;
  }
  const third = launches.find((l) => l.pool === pools[2]?.pool);
  const first = launches[0];
  const beyondMs =
    third && first
      ? third.start - first.start - (pools[0]?.durationMs ?? 0) - (pools[1]?.durationMs ?? 0)
      : NaN;
  return { pools, beyondMs };
}

export interface CapacityRow {
  runs: CapacityRun[];
  beyondMs: Stats;
  /** The run with the median figure, for its calls per pool. */
  median: CapacityRun;
  failures: string[];
}

export function capacityRow(results: ScenarioResult[]): CapacityRow {
  // A deploy that failed after the third pool launched still measures the launch.
  const runs = results.map(capacityOf).filter((r) => Number.isFinite(r.beyondMs));
  const sorted = [...runs].sort((a, b) => a.beyondMs - b.beyondMs);
  return {
    runs,
    beyondMs: stats(runs.map((r) => r.beyondMs)),
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? { pools: [], beyondMs: NaN },
    failures: results.filter((r) => !r.deploy.ok).map((r) => r.deploy.error ?? 'failed'),
  };
}
