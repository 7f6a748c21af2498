// After the phases: what of this run's instances stays. The decision is pure
// (decideCleanup); applyCleanup carries it out, in this one place, and says what it did.

import type { EC2Client } from '@aws-sdk/client-ec2';
import { describeAwsError, isAbortError } from '../aws/errors.ts';
import { byRegion, type BackoffOptions, type Clock } from '../aws/poll.ts';
import type { Fleet, Member } from '../deliver/fleet.ts';
import { destroyTagged, terminateInstances } from '../destroy/destroy.ts';
import { errorMessage } from '../diagnostics.ts';
import type { InstanceRegistry } from '../launch/registry.ts';
import type { Log } from '../log.ts';
import type { Plan } from '../plan/types.ts';
import type { Phase } from '../report/summary.ts';
import type { PhasesResult, Run } from './types.ts';

/**
 * - `none`: nothing to terminate (a healthy deploy, a failure before the launch, or an
 *   update in place, which never terminates: its instances were serving before it began);
 * - `keep`: keep-failed leaves the failed instances (all of the run's, on a failure) running;
 * - `terminate-failed`: the deploy succeeded; the instances that dropped out go;
 * - `terminate-all`: the deploy failed after its launch started; everything of this run goes.
 */
export type CleanupDecision = 'none' | 'keep' | 'terminate-failed' | 'terminate-all';

export interface CleanupFacts {
  failed: boolean;
  inPlace: boolean;
  keepFailed: boolean;
  /** The run record was saved: a launch may have started (even if no answer came back). */
  launchStarted: boolean;
  /** Instances that dropped out of the fleet. */
  failedInstances: number;
}

export function decideCleanup(f: CleanupFacts): CleanupDecision {
  if (f.inPlace) return 'none';
  const doomed = f.failed ? f.launchStarted : f.failedInstances > 0;
  if (!doomed) return 'none';
  if (f.keepFailed) return 'keep';
  return f.failed ? 'terminate-all' : 'terminate-failed';
}

export interface CleanupResult {
  decision: CleanupDecision;
  /** Lines for the report. */
  notes: string[];
  /** The fleet's members left running. */
  live: Member[];
  /** The cleanup's own time, when it terminated anything. */
  timing?: Phase;
}

const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/** The fleet's members left running once the decision is carried out. Pure. */
export function survivors(
  decision: CleanupDecision,
  members: readonly Member[],
  inPlace: boolean,
): Member[] {
  if (decision === 'terminate-all') return [];
  // keep-failed keeps them all; in place nothing is ever terminated.
  if (decision === 'keep' || inPlace) return [...members];
  return members.filter((m) => !m.failure);
}

/** Carries out the decision; never throws (what it could not do is a note). `cancelled`:
 * the deploy was cancelled, so the cleanup has seconds, not minutes. */
export async function applyCleanup(
  run: Run,
  decision: CleanupDecision,
  result: PhasesResult,
  cancelled: boolean,
): Promise<CleanupResult> {
  const { fleet } = result.progress;
  const failed = result.failure !== undefined;
  const { log } = run.deps;
  const live = survivors(decision, fleet.members, run.opts.inPlace !== undefined);
  const doomed = failed ? fleet.members : fleet.failed();
  if (decision === 'none') {
    if (!run.opts.inPlace || doomed.length === 0) return { decision, notes: [], live };
    const note =
      `update in place: nothing was terminated; ${plural(doomed.length)} ` +
      `did not take the update (${doomed.map((m) => m.id).join(', ')}); the next deploy delivers again`;
    log.warning(note);
    return { decision, notes: [note], live };
  }
  if (decision === 'keep') return { decision, notes: await keep(run, failed, doomed), live };
  const t0 = run.clock.now();
  const notes = await log.group(
    failed ? "Terminate this run's instances" : 'Terminate failed instances',
    () =>
      terminate(
        {
          clientsFor: run.deps.clientsFor,
          log,
          clock: run.clock,
          poll: run.poll,
          registry: run.deps.registry,
          cancelled,
          timeoutSeconds: run.opts.terminateTimeoutSeconds ?? 600,
          fleet,
        },
        decision === 'terminate-all'
          ? { everything: true, plan: run.plan }
          : { everything: false, members: doomed },
      ),
  );
  return { decision, notes, live, timing: { name: 'cleanup', ms: run.clock.now() - t0 } };
}

/** The deploy failed because its deadline (input timeout) ran out. */
export function isTimedOut(run: Run, result: PhasesResult): boolean {
  return result.failure !== undefined && run.deps.deadline?.expired() === true;
}

/** The deploy failed because it was cancelled (its signal aborted, not by the deadline). */
export function isCancelled(run: Run, result: PhasesResult): boolean {
  return (
    result.failure !== undefined &&
    !isTimedOut(run, result) &&
    (isAbortError(result.failure.error) || run.deps.signal?.aborted === true)
  );
}

async function keep(run: Run, failed: boolean, doomed: readonly Member[]): Promise<string[]> {
  const kept = failed ? run.deps.registry.snapshot() : Object.fromEntries(byRegion(doomed));
  const ids = Object.values(kept).flat();
  if (ids.length === 0) return [];
  const note = `keep-failed: left ${plural(ids.length)} running for debugging: ${ids.join(', ')}; destroy them with command: destroy`;
  run.deps.log.warning(note);
  await run.deps.hooks
    ?.onKept?.(kept)
    .catch((err: unknown) =>
      run.deps.log.warning(`could not tag the kept instances: ${describeAwsError(err)}`),
    );
  return [note];
}

/** The states a termination saw, so the report does not call a terminated instance running. */
function markStates(
  fleet: Fleet,
  res: { terminated: readonly string[]; remaining: ReadonlyArray<{ id: string; state: string }> },
): void {
  for (const id of res.terminated) {
    const m = fleet.get(id);
    if (m) m.state = 'terminated';
  }
  for (const r of res.remaining) {
    const m = fleet.get(r.id);
    if (m) m.state = r.state;
  }
}

interface TerminateContext {
  clientsFor(region: string): { ec2: EC2Client };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  registry: InstanceRegistry;
  cancelled: boolean;
  timeoutSeconds: number;
  /** Its members' states are set to what the termination saw (for the report). */
  fleet: Fleet;
}

/** Terminates either every instance of this run (failure) or the given failed members. */
async function terminate(
  ctx: TerminateContext,
  what: { everything: true; plan: Plan } | { everything: false; members: readonly Member[] },
): Promise<string[]> {
  // The deploy's own signal may be aborted (cancellation): cleanup runs on a fresh one,
  // short enough to finish inside the runner's grace period when cancelled.
  const budgetMs = ctx.cancelled ? 6000 : (ctx.timeoutSeconds + 60) * 1000;
  const base = {
    log: ctx.log,
    clock: ctx.clock,
    poll: ctx.poll,
    signal: AbortSignal.timeout(budgetMs),
    timeoutMs: ctx.cancelled ? 4000 : ctx.timeoutSeconds * 1000,
    clientsFor: ctx.clientsFor,
  };
  try {
    const lines = what.everything
      ? await terminateRun(ctx, base, what.plan)
      : await terminateFailed(ctx, base, what.members);
    for (const l of lines) ctx.log.info(l);
    return lines;
  } catch (err) {
    const line = `could not terminate every instance (${errorMessage(err)}); the post step will try again`;
    ctx.log.warning(line);
    return [line];
  }
}

type Base = Parameters<typeof terminateInstances>[0];

async function terminateRun(ctx: TerminateContext, base: Base, plan: Plan): Promise<string[]> {
  const known = ctx.registry.snapshot();
  const regions = [...new Set([...plan.regions.map((r) => r.region), ...Object.keys(known)])];
  const res = await destroyTagged(
    base,
    regions,
    { deploymentId: plan.deploymentId, runId: plan.identity.runId },
    known,
  );
  markStates(ctx.fleet, res);
  for (const [region, ids] of Object.entries(known))
    ctx.registry.remove(
      region,
      ids.filter((id) => res.terminated.includes(id)),
    );
  const total = res.terminated.length + res.remaining.length;
  return res.remaining.length === 0
    ? [`terminated ${plural(total)} of this run`]
    : [
        `termination requested for ${plural(total)} of this run: ${res.terminated.length} terminated, ` +
          `still shutting down: ${res.remaining.map((r) => `${r.id} (${r.state})`).join(', ')}`,
      ];
}

async function terminateFailed(
  ctx: TerminateContext,
  base: Base,
  members: readonly Member[],
): Promise<string[]> {
  const res = await terminateInstances(base, members);
  markStates(ctx.fleet, res);
  const lines: string[] = [];
  for (const [region, ids] of byRegion(members)) {
    ctx.registry.remove(
      region,
      ids.filter((id) => res.terminated.includes(id)),
    );
    lines.push(
      `${region}: terminated failed instance${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`,
    );
    const left = res.remaining.filter((r) => r.region === region);
    if (left.length > 0)
      lines.push(`${region}: still shutting down: ${left.map((r) => r.id).join(', ')}`);
  }
  return lines;
}
