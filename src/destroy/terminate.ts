// Terminating instances in batches and waiting, with batched polls, until they are gone.

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
 * Asks EC2 to terminate; returns the ids EC2 answered InvalidInstanceID.NotFound for. That is
 * no proof they are gone: right after RunInstances EC2 may not know an id yet (eventual
 * consistency), so the wait asks again for those.
 */
export async function requestTermination(
  ctx: TerminateContext,
  ids: readonly string[],
): Promise<string[]> {
  const notFound: string[] = [];
  for (const batch of chunk(ids, TERMINATE_BATCH)) {
    try {
      await ctx.ec2.send(
        new TerminateInstancesCommand({ InstanceIds: batch }),
        abortable(ctx.signal),
      );
    } catch (err) {
      if (awsErrorCode(err) !== 'InvalidInstanceID.NotFound') {
        throw new DeployError(`TerminateInstances failed: ${describeAwsError(err)}`);
      }
      if (batch.length === 1) {
        notFound.push(...batch);
        continue;
      }
      // One unknown id fails the whole call: split until it is isolated.
      const half = Math.ceil(batch.length / 2);
      notFound.push(...(await requestTermination(ctx, batch.slice(0, half))));
      notFound.push(...(await requestTermination(ctx, batch.slice(half))));
    }
  }
  return notFound;
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

/**
 * Polls (one DescribeInstances for all ids per poll) until every instance is seen terminated
 * or the deadline. An id EC2 does not know is kept, and its termination asked again, until it
 * is seen: NotFound right after a launch only means EC2 has not caught up. A poll still
 * throttled after the SDK's retries is skipped, not fatal: the next poll (or the deadline)
 * tells. `refused` are ids whose termination request was answered NotFound.
 */
export async function waitTerminated(
  ctx: TerminateContext,
  ids: readonly string[],
  timeoutMs: number,
  refused: readonly string[] = [],
): Promise<{ terminated: string[]; remaining: Array<{ id: string; state: string }> }> {
  const deadline = ctx.clock.now() + timeoutMs;
  const delays = backoff(ctx.poll);
  const remaining = new Map(ids.map((id) => [id, NOT_FOUND_STATE]));
  let unrequested = new Set(refused);
  for (;;) {
    let states: Map<string, string> | undefined;
    try {
      states = await describeStates(ctx, [...remaining.keys()]);
    } catch (err) {
      if (!isThrottlingError(err)) throw err;
    }
    for (const [id, st] of states ?? []) {
      if (st === 'terminated') remaining.delete(id);
      else remaining.set(id, st);
    }
    if (remaining.size === 0 || ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
    const again = [...unrequested].filter((id) => remaining.has(id));
    if (again.length > 0) unrequested = new Set(await requestTermination(ctx, again));
  }
  return {
    terminated: ids.filter((id) => !remaining.has(id)),
    remaining: [...remaining].map(([id, state]) => ({ id, state })),
  };
}
