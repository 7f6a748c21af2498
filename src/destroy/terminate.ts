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

/** Asks EC2 to terminate; ids EC2 does not know (already long gone) are skipped. */
export async function requestTermination(
  ctx: TerminateContext,
  ids: readonly string[],
): Promise<void> {
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
      if (batch.length === 1) continue;
      // One unknown id fails the whole call: split until it is isolated.
      const half = Math.ceil(batch.length / 2);
      await requestTermination(ctx, batch.slice(0, half));
      await requestTermination(ctx, batch.slice(half));
    }
  }
}

/** Current state per id; ids EC2 no longer knows are left out. */
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

/** Polls (one DescribeInstances for all ids per poll) until every instance is terminated or
 * the deadline. A poll still throttled after the SDK's retries is skipped, not fatal: the
 * termination was already requested, so the next poll (or the deadline) tells. */
export async function waitTerminated(
  ctx: TerminateContext,
  ids: readonly string[],
  timeoutMs: number,
): Promise<{ terminated: string[]; remaining: Array<{ id: string; state: string }> }> {
  const deadline = ctx.clock.now() + timeoutMs;
  const delays = backoff(ctx.poll);
  const remaining = new Map(ids.map((id) => [id, 'unknown']));
  for (;;) {
    let states: Map<string, string> | undefined;
    try {
      states = await describeStates(ctx, [...remaining.keys()]);
    } catch (err) {
      if (!isThrottlingError(err)) throw err;
    }
    for (const id of states ? [...remaining.keys()] : []) {
      const st = states?.get(id);
      if (st === undefined || st === 'terminated') remaining.delete(id);
      else remaining.set(id, st);
    }
    if (remaining.size === 0 || ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  return {
    terminated: ids.filter((id) => !remaining.has(id)),
    remaining: [...remaining].map(([id, state]) => ({ id, state })),
  };
}
