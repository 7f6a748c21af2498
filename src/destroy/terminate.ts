// Terminating instances in batches and waiting, with batched polls, until they are gone (or,
// when that is enough, until EC2 has them shutting-down: billing stops there).

import { TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { abortable } from '../aws/clients.ts';
import { awsErrorCode, describeAwsError, DeployError, isThrottlingError } from '../aws/errors.ts';
import { backoff, chunk, type BackoffOptions, type Clock } from '../aws/poll.ts';
import { describeInstances } from '../deliver/wait.ts';

/** Instance ids per TerminateInstances call. */
export const TERMINATE_BATCH = 500;

export interface TerminateContext {
  ec2: EC2Client;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

/**
 * What a wait for termination waits for: `terminated`, or `shutting-down` (EC2 stops billing
 * an instance when it enters shutting-down: EC2 user guide, "Amazon EC2 instance state
 * changes"; the rest is EC2's own work, tens of seconds on AWS).
 */
export type TerminationGoal = 'terminated' | 'shutting-down';

/** Whether `state` is as far as `goal` needs. */
export const reached = (state: string, goal: TerminationGoal): boolean =>
  state === 'terminated' || (goal === 'shutting-down' && state === 'shutting-down');

export interface TerminationRequest {
  /** Ids EC2 answered InvalidInstanceID.NotFound for. */
  notFound: string[];
  /** The state each known id is in after the call (TerminateInstances' CurrentState). */
  states: Map<string, string>;
}

/**
 * Asks EC2 to terminate; returns the states EC2 answered with and the ids it answered
 * InvalidInstanceID.NotFound for. NotFound is no proof they are gone: right after
 * RunInstances EC2 may not know an id yet (eventual consistency), so the wait asks again.
 */
export async function requestTermination(
  ctx: TerminateContext,
  ids: readonly string[],
): Promise<TerminationRequest> {
  const out: TerminationRequest = { notFound: [], states: new Map() };
  for (const batch of chunk(ids, TERMINATE_BATCH)) {
    try {
      const answer = await ctx.ec2.send(
        new TerminateInstancesCommand({ InstanceIds: batch }),
        abortable(ctx.signal),
      );
      for (const t of answer?.TerminatingInstances ?? []) {
        if (t.InstanceId && t.CurrentState?.Name) out.states.set(t.InstanceId, t.CurrentState.Name);
      }
    } catch (err) {
      if (awsErrorCode(err) !== 'InvalidInstanceID.NotFound') {
        throw new DeployError(`TerminateInstances failed: ${describeAwsError(err)}`);
      }
      if (batch.length === 1) {
        out.notFound.push(...batch);
        continue;
      }
      // One unknown id fails the whole call: split until it is isolated.
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) {
        const r = await requestTermination(ctx, part);
        out.notFound.push(...r.notFound);
        for (const [k, v] of r.states) out.states.set(k, v);
      }
    }
  }
  return out;
}

/** Current state per id; ids EC2 does not know (yet, or any more) are left out. */
async function describeStates(
  ctx: TerminateContext,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  try {
    for (const i of await describeInstances(ctx.ec2, ids, ctx.signal)) {
      if (i.InstanceId) out.set(i.InstanceId, i.State?.Name ?? 'unknown');
    }
  } catch (err) {
    if (awsErrorCode(err) !== 'InvalidInstanceID.NotFound') throw err;
    // One unknown id fails the whole call: split until it is isolated.
    if (ids.length === 1) return out;
    const half = Math.ceil(ids.length / 2);
    for (const part of [ids.slice(0, half), ids.slice(half)]) {
      for (const [k, v] of await describeStates(ctx, part)) out.set(k, v);
    }
  }
  return out;
}

/** Shown for an id EC2 never listed during the wait. */
export const NOT_FOUND_STATE = 'not found by EC2';

export interface TerminationWait {
  /** Seen terminated; with goal shutting-down, also those seen shutting-down. */
  terminated: string[];
  /** Of `terminated`, those last seen shutting-down (goal shutting-down only; absent when none). */
  shuttingDown?: string[];
  remaining: Array<{ id: string; state: string }>;
}

/**
 * Polls (one DescribeInstances for all ids per poll) until every instance is seen at `goal`
 * (default terminated) or the deadline. `requested` is what TerminateInstances answered: ids
 * it already shows at the goal need no poll, so with goal shutting-down a termination EC2
 * accepted costs no describe at all. An id EC2 does not know is kept, and its termination
 * asked again, until it is seen: NotFound right after a launch only means EC2 has not caught
 * up. A poll still throttled after the SDK's retries is skipped, not fatal: the next poll (or
 * the deadline) tells.
 */
export async function waitTerminated(
  ctx: TerminateContext,
  ids: readonly string[],
  timeoutMs: number,
  requested: Partial<TerminationRequest> = {},
  goal: TerminationGoal = 'terminated',
): Promise<TerminationWait> {
  const deadline = ctx.clock.now() + timeoutMs;
  const delays = backoff(ctx.poll);
  const remaining = new Map(ids.map((id) => [id, NOT_FOUND_STATE]));
  const seen = new Map<string, string>();
  const note = (states: Iterable<[string, string]>) => {
    for (const [id, st] of states) {
      if (!remaining.has(id)) continue;
      if (reached(st, goal)) {
        remaining.delete(id);
        seen.set(id, st);
      } else remaining.set(id, st);
    }
  };
  note(requested.states ?? []);
  let unrequested = new Set(requested.notFound ?? []);
  while (remaining.size > 0) {
    let states: Map<string, string> | undefined;
    try {
      states = await describeStates(ctx, [...remaining.keys()]);
    } catch (err) {
      if (!isThrottlingError(err)) throw err;
    }
    note(states ?? []);
    if (remaining.size === 0 || ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
    const again = [...unrequested].filter((id) => remaining.has(id));
    if (again.length > 0) {
      const r = await requestTermination(ctx, again);
      unrequested = new Set(r.notFound);
      note(r.states);
    }
  }
  const shuttingDown = ids.filter((id) => seen.get(id) === 'shutting-down');
  return {
    terminated: ids.filter((id) => !remaining.has(id)),
    ...(shuttingDown.length > 0 ? { shuttingDown } : {}),
    remaining: [...remaining].map(([id, state]) => ({ id, state })),
  };
}
