// What a deploy ends with: its outcome and report, built by a pure function from what the
// phases produced and what the cleanup did (and the price of what is left running); then,
// for the command, the outcome with its own phases around it and the preview comment.

import type { EC2Client } from '@aws-sdk/client-ec2';
import { describeAwsError } from '../aws/errors.ts';
import type { Fleet, Member } from '../deliver/fleet.ts';
import { errorMessage } from '../diagnostics.ts';
import { formatAttempts } from '../launch/launch.ts';
import { estimateHourlyCost } from '../report/cost.ts';
import { instanceRecord, type InstanceRecord } from '../report/outputs.ts';
import { previewInstances, type PreviewContent } from '../github/preview.ts';
import type { DeploymentRecord } from '../github/record.ts';
import type { Plan } from '../plan/types.ts';
import type { DeployReport, Phase } from '../report/summary.ts';
import type { CleanupResult } from './cleanup.ts';
import { timeoutMessage } from './deadline.ts';
import type { DeployOutcome, PhasesResult, Run } from './types.ts';

type Cost = Awaited<ReturnType<typeof estimateHourlyCost>>;

/** The deployment as the action's outputs describe it. */
export function toRecord(m: Member, health: string): InstanceRecord & { cause?: string } {
  return {
    ...instanceRecord(m, health),
    ...(m.failure ? { cause: `${m.failure.phase}: ${m.failure.cause}` } : {}),
  };
}

/** The hourly price of what is left running; never throws (no price is a note). */
export async function priceLive(
  clientsFor: (region: string) => { ec2: EC2Client },
  live: readonly Member[],
  signal: AbortSignal | undefined,
): Promise<Cost> {
  if (live.length === 0) return { priced: 0, notes: [] };
  return estimateHourlyCost(
    clientsFor,
    live.map((m) => ({
      region: m.region,
      type: m.instanceType,
      lifecycle: m.lifecycle,
      ...(m.zone ? { zone: m.zone } : {}),
    })),
    signal?.aborted ? undefined : signal,
  ).catch((err: unknown): Cost => ({
    priced: 0,
    notes: [`no cost estimate: ${describeAwsError(err)}`],
  }));
}

/** What a phase waits for, in words, with the instances it still waits on. */
const WAITING: Record<string, string> = {
  planning: 'planning',
  launch: 'launching the instances',
  'concurrency check': 'checking for another run of this deployment',
  running: 'waiting for the instances to be running',
  'ssm online': 'waiting for the instances to be Online in SSM',
  deliver: 'delivering the steps',
  verify: 'verifying the services',
  tag: 'tagging the healthy instances',
};

export function waitingFor(phase: string, fleet: Fleet): string {
  const ids = fleet.healthy().map((m) => m.id);
  const on = ids.length > 0 && phase !== 'planning' && phase !== 'launch';
  return `${WAITING[phase] ?? phase}${on ? ` (${ids.join(', ')})` : ''}`;
}

export function buildOutcome(o: {
  run: Run;
  result: PhasesResult;
  cleanup: CleanupResult;
  cost: Cost;
  cancelled: boolean;
  timedOut: boolean;
}): DeployOutcome {
  const { run, result, cleanup, cost } = o;
  const { fleet, launch, outcomes } = result.progress;
  const failure = result.failure;
  const error =
    failure === undefined
      ? undefined
      : o.timedOut
        ? timeoutMessage(run.deps.deadline?.ms ?? 0, waitingFor(failure.phase, fleet))
        : o.cancelled
          ? `cancelled during ${failure.phase}`
          : errorMessage(failure.error);
  const report: DeployReport = {
    deploymentId: run.plan.deploymentId,
    outcome: failure === undefined ? 'succeeded' : o.cancelled ? 'cancelled' : 'failed',
    ...(error !== undefined ? { reason: error.split('\n')[0] ?? error } : {}),
    requested: run.requested,
    instances: fleet.members.map((m) =>
      toRecord(m, m.failure ? 'unhealthy' : failure === undefined ? 'healthy' : 'unknown'),
    ),
    steps: outcomes.map((s) => ({
      id: s.step.id,
      description: s.step.description,
      bytes: s.step.payloadBytes,
      instances: s.instances,
      failed: s.failed.length,
      ms: s.ms,
    })),
    phases: cleanup.timing ? [...result.timings, cleanup.timing] : result.timings,
    launch: launch
      ? launch.regions.map(
          (r) =>
            `${r.region}: ${r.instances.length}/${r.requested} — ${formatAttempts(r.attempts)}`,
        )
      : [],
    ...(cost.perHour !== undefined ? { costPerHour: cost.perHour } : {}),
    costNotes: cost.notes,
    cleanup: cleanup.notes,
  };
  const inPlaceFailed = run.opts.inPlace !== undefined && failure !== undefined;
  const records = cleanup.live.map((m) => {
    const health = m.failure ? 'unhealthy' : inPlaceFailed ? 'unknown' : 'healthy';
    const { cause: _cause, ...r } = toRecord(m, health);
    return r;
  });
  return {
    ok: failure === undefined,
    ...(error !== undefined ? { error } : {}),
    report,
    records,
    regions: [...new Set(cleanup.live.map((m) => m.region))],
  };
}

/** Where the deployment runs now, for the record store (the next run's first place to look). */
export function deploymentRecord(
  plan: Plan,
  outcome: Pick<DeployOutcome, 'records' | 'regions'>,
  now: number,
): DeploymentRecord {
  return {
    version: 1,
    deploymentId: plan.deploymentId,
    instances: outcome.records.map((r) => ({ id: r.id, region: r.region })),
    regions: [...new Set([...plan.regions.map((r) => r.region), ...outcome.regions])],
    manifestDigest: plan.manifestDigest,
    savedAt: new Date(now).toISOString(),
    runId: plan.identity.runId,
  };
}

/** What the strategy's launch (or in-place delivery), deliver and verify came to. */
export interface Executed {
  outcome: DeployOutcome;
  /** Every id this deploy launched, also those terminated since (replace retires the rest). */
  launched: ReadonlySet<string>;
  /** The phases before the deploy's own (recreate's retire), and the strategy's notes. */
  before: Phase[];
  notes: string[];
}

/** What retiring the previous set did: lines for the report, its time, its failure. */
export interface Retired {
  notes: string[];
  phase?: Phase;
  error?: string;
}

/** The outcome with the command's own phases and notes around the deploy's. Pure. */
export function finalOutcome(run: Executed, planning: Phase, retired: Retired): DeployOutcome {
  const { outcome } = run;
  const phases = [planning, ...run.before, ...outcome.report.phases];
  if (retired.phase) phases.push(retired.phase);
  const cleanup = [...outcome.report.cleanup, ...run.notes, ...retired.notes];
  return { ...outcome, report: { ...outcome.report, phases, cleanup } };
}

/** The preview comment: the instances deployed, or on a failure what serves now (the
 * previous set for replace and update, nothing for recreate). Pure. */
export function previewOf(
  plan: Plan,
  outcome: DeployOutcome,
  serving: readonly InstanceRecord[],
): PreviewContent {
  const { deploymentId, manifestDigest } = plan;
  const { sha } = plan.identity;
  if (outcome.ok)
    return {
      status: 'deployed',
      deploymentId,
      instances: previewInstances(outcome.records),
      sha,
      manifestDigest,
    };
  return {
    status: 'failed',
    deploymentId,
    reason: outcome.error?.split('\n')[0] ?? 'unknown error',
    instances: previewInstances(serving),
    sha,
  };
}
