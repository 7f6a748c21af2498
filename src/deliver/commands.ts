// One shell script run on many instances with SSM Run Command (AWS-RunShellScript):
// one SendCommand per 50 instances, results followed with ListCommandInvocations per command
// (all instances of it at once), and the output of failed instances read afterwards.

import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { EC2Client } from '@aws-sdk/client-ec2';
import pLimit, { type LimitFunction } from 'p-limit';
import { abortable } from '../aws/clients.ts';
import {
  awsErrorCode,
  describeAwsError,
  DeployError,
  isAbortError,
  isThrottlingError,
} from '../aws/errors.ts';
import { backoff, chunk, type BackoffOptions, type Clock } from '../aws/poll.ts';
import { describeInstances, GONE } from './wait.ts';

/** SendCommand takes at most 50 instance ids. */
export const SEND_BATCH = 50;
/** How long SSM may take to deliver a command to an instance (its TimeoutSeconds). */
export const DELIVERY_TIMEOUT_SECONDS = 120;
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);
/** SendCommand requests in flight per SSM client (region): a burst of uploads is queued
 * rather than throttled (SSM's rate limits are not published; the SDK's adaptive retry
 * handles what throttling remains). */
export const SENDS_IN_FLIGHT = 8;
/** How long an instance SSM just reported Online may still be refused by SendCommand
 * (InvalidInstanceId while its registration settles) before it counts as undeliverable. */
export const REGISTRATION_GRACE_MS = 20_000;
/** How often a refused batch of several instances is sent again whole before it is halved. */
const WHOLE_BATCH_RETRIES = 2;
/** How often, while a command runs, the instances still without a result are looked up in
 * EC2: SSM keeps an invocation InProgress until its timeout when the instance goes away. */
export const INSTANCE_CHECK_MS = 10_000;

export interface CommandContext {
  ssm: SSMClient;
  /** EC2 of the same region: when given, instances that leave while a command runs are
   * noticed (DescribeInstances every INSTANCE_CHECK_MS) instead of waited for. */
  ec2?: EC2Client;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

export interface CommandSpec {
  script: string;
  timeoutSeconds: number;
  /** Shown in the SSM console (at most 100 characters). */
  comment: string;
}

export interface InvocationResult {
  instanceId: string;
  commandId?: string;
  /** Success, Failed, TimedOut, Cancelled, or Undeliverable when SSM refused the instance. */
  status: string;
  statusDetails?: string;
  /** The script's exit code; -1 when it did not run to an end. */
  responseCode?: number;
  /** The start of standard output (ListCommandInvocations gives up to 2,500 characters). */
  output?: string;
}

const limiters = new WeakMap<SSMClient, LimitFunction>();

function sendLimit(ssm: SSMClient): LimitFunction {
  let limit = limiters.get(ssm);
  if (!limit) {
    limit = pLimit(SENDS_IN_FLIGHT);
    limiters.set(ssm, limit);
  }
  return limit;
}

export async function sendCommand(
  ctx: CommandContext,
  instanceIds: readonly string[],
  spec: CommandSpec,
): Promise<string> {
  const res = await sendLimit(ctx.ssm)(() => sendCommandNow(ctx, instanceIds, spec));
  const id = res.Command?.CommandId;
  if (!id) throw new DeployError('SendCommand returned no command id');
  return id;
}

function sendCommandNow(ctx: CommandContext, instanceIds: readonly string[], spec: CommandSpec) {
  return ctx.ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [...instanceIds],
      Parameters: {
        commands: [spec.script],
        executionTimeout: [String(spec.timeoutSeconds)],
      },
      TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
      Comment: spec.comment.slice(0, 100),
    }),
    abortable(ctx.signal),
  );
}

/** Instances of `ids` EC2 reports gone (shutting-down, terminated, stopped), with why. */
async function goneInstances(
  ec2: EC2Client,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    for (const i of await describeInstances(ec2, ids, signal)) {
      const state = i.State?.Name ?? '';
      if (i.InstanceId && GONE.has(state)) {
        const reason = i.StateReason?.Code ? `, ${i.StateReason.Code}` : '';
        out.set(i.InstanceId, `${state}${reason}`);
      }
    }
  } catch (err) {
    if (isAbortError(err)) throw err;
    // Not known yet, or throttled: the command's own status (or the next check) tells.
  }
  return out;
}

/** Follows one command until every instance of it has a final status or the deadline passes. */
export async function followCommand(
  ctx: CommandContext,
  commandId: string,
  instanceIds: readonly string[],
  timeoutSeconds: number,
): Promise<Map<string, InvocationResult>> {
  const results = new Map<string, InvocationResult>();
  const deadline = ctx.clock.now() + (timeoutSeconds + DELIVERY_TIMEOUT_SECONDS + 60) * 1000;
  const delays = backoff(ctx.poll);
  let nextCheck = ctx.clock.now() + INSTANCE_CHECK_MS;
  for (;;) {
    let NextToken: string | undefined;
    do {
      let page;
      try {
        page = await ctx.ssm.send(
          new ListCommandInvocationsCommand({
            CommandId: commandId,
            Details: true,
            MaxResults: 50,
            ...(NextToken ? { NextToken } : {}),
          }),
          abortable(ctx.signal),
        );
      } catch (err) {
        // Throttled past the SDK's retries: ask again at the next poll (the deadline bounds it).
        if (isThrottlingError(err)) break;
        throw err;
      }
      for (const inv of page.CommandInvocations ?? []) {
        if (!inv.InstanceId || !inv.Status || !TERMINAL.has(inv.Status)) continue;
        const plugin = inv.CommandPlugins?.[0];
        results.set(inv.InstanceId, {
          instanceId: inv.InstanceId,
          commandId,
          status: inv.Status,
          ...(inv.StatusDetails ? { statusDetails: inv.StatusDetails } : {}),
          ...(plugin?.ResponseCode !== undefined ? { responseCode: plugin.ResponseCode } : {}),
          ...(plugin?.Output !== undefined ? { output: plugin.Output } : {}),
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    if (ctx.ec2 && ctx.clock.now() >= nextCheck) {
      nextCheck = ctx.clock.now() + INSTANCE_CHECK_MS;
      const waiting = instanceIds.filter((id) => !results.has(id));
      for (const [id, state] of await goneInstances(ctx.ec2, waiting, ctx.signal)) {
        results.set(id, {
          instanceId: id,
          commandId,
          status: 'Failed',
          statusDetails: `the instance left while the command ran (${state}); SSM would show it InProgress until its timeout`,
        });
      }
    }
    if (instanceIds.every((id) => results.has(id))) return results;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  const late = instanceIds.filter((id) => !results.has(id));
  try {
    await ctx.ssm.send(
      new CancelCommandCommand({ CommandId: commandId, InstanceIds: late }),
      abortable(ctx.signal),
    );
  } catch {
    // Best effort: the instance is reported as timed out either way.
  }
  for (const id of late) {
    results.set(id, {
      instanceId: id,
      commandId,
      status: 'TimedOut',
      statusDetails: `no result within ${timeoutSeconds + DELIVERY_TIMEOUT_SECONDS + 60} s`,
    });
  }
  return results;
}

/** Runs a script on instances of one region: one SendCommand per 50, followed together. */
export async function runCommand(
  ctx: CommandContext,
  instanceIds: readonly string[],
  spec: CommandSpec,
): Promise<Map<string, InvocationResult>> {
  const deadline = ctx.clock.now() + REGISTRATION_GRACE_MS;
  const parts = await Promise.all(
    chunk(instanceIds, SEND_BATCH).map((batch) => runBatch(ctx, batch, spec, deadline)),
  );
  const out = new Map<string, InvocationResult>();
  for (const p of parts) for (const [k, v] of p) out.set(k, v);
  return out;
}

/**
 * One SendCommand for a batch, followed. SSM refuses the whole batch (InvalidInstanceId) when
 * any instance is not reachable: no longer managed (e.g. reclaimed since the last step), or
 * registered so recently that SSM does not route to it yet. The batch is asked again whole
 * (twice, backing off from 0.5 s: the race settles for all at once), then halved until the
 * refused ones are alone, so that the others get the command at once; one refused alone is
 * asked again with backoff until `deadline` (unless EC2 says it is gone), then undeliverable.
 */
async function runBatch(
  ctx: CommandContext,
  batch: readonly string[],
  spec: CommandSpec,
  deadline: number,
): Promise<Map<string, InvocationResult>> {
  const delays = backoff({ initialMs: 500, maxMs: 4000, factor: 1.5 });
  let wholeRetries = 0;
  for (;;) {
    let commandId: string;
    try {
      commandId = await sendCommand(ctx, batch, spec);
    } catch (err) {
      if (awsErrorCode(err) !== 'InvalidInstanceId') {
        throw new DeployError(`SendCommand failed: ${describeAwsError(err)}`);
      }
      // Most refusals are the registration race, which settles within a second or two for
      // the whole batch: ask again as one before cutting it up (a cut costs a call per part).
      if (batch.length > 1 && wholeRetries < WHOLE_BATCH_RETRIES && ctx.clock.now() < deadline) {
        wholeRetries++;
        await ctx.clock.sleep(delays.next().value, ctx.signal);
        continue;
      }
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        const halves = await Promise.all([
          runBatch(ctx, batch.slice(0, half), spec, deadline),
          runBatch(ctx, batch.slice(half), spec, deadline),
        ]);
        return new Map(halves.flatMap((h) => [...h]));
      }
      const gone = ctx.ec2 ? await goneInstances(ctx.ec2, batch, ctx.signal) : new Map();
      if (ctx.clock.now() < deadline && gone.size === 0) {
        await ctx.clock.sleep(delays.next().value, ctx.signal);
        continue;
      }
      const id = batch[0] ?? '';
      const left = gone.get(id);
      return new Map([
        [
          id,
          {
            instanceId: id,
            status: 'Undeliverable',
            statusDetails:
              `SendCommand refused: ${describeAwsError(err)}` +
              (left ? ` (the instance is ${left})` : ''),
          },
        ],
      ]);
    }
    return followCommand(ctx, commandId, batch, spec.timeoutSeconds);
  }
}

/**
 * What a Run Command status or status detail means, for the log (Systems Manager user guide,
 * "Understanding command statuses"). Details come as words or as one word (DeliveryTimedOut).
 */
const MEANINGS: Record<string, string> = {
  pending: 'the SSM agent has not taken the command yet',
  inprogress: 'the command is still running',
  delayed: 'the agent could not take the command yet and will try again',
  success: 'the command ran and exited 0',
  failed: 'the command ran and exited with an error (or its instance went away)',
  cancelling: 'the command is being cancelled',
  cancelled: 'the command was cancelled before it ended',
  canceled: 'the command was cancelled before it ended',
  timedout: 'the command did not end in time',
  deliverytimedout: 'the agent did not take the command before its delivery timeout',
  executiontimedout: 'the command ran past its execution timeout and was stopped',
  undeliverable:
    'SSM could not deliver the command: the instance is not (or no longer) managed, or its agent is unreachable',
  terminated: 'SSM stopped the command because it reached its error limit on other instances',
  invalidplatform: 'the document does not run on this operating system',
  accessdenied: "the instance's role may not run this document",
};

export function statusMeaning(statusOrDetails: string): string | undefined {
  return MEANINGS[statusOrDetails.replace(/[^a-z]/gi, '').toLowerCase()];
}

export interface FailureDetail {
  stdoutTail: string;
  stderrTail: string;
  responseCode?: number;
  statusDetails?: string;
}

/** The last `lines` lines of a text (GetCommandInvocation keeps up to 24,000 characters). */
export function tail(text: string, lines = 40): string {
  const all = text.replace(/\n+$/, '').split('\n');
  return all.length <= lines ? all.join('\n') : ['…', ...all.slice(-lines)].join('\n');
}

/** The output of one failed invocation, for the log. */
export async function failureDetail(
  ctx: CommandContext,
  r: InvocationResult,
  lines = 40,
): Promise<FailureDetail> {
  if (!r.commandId) {
    return {
      stdoutTail: '',
      stderrTail: '',
      ...(r.statusDetails ? { statusDetails: r.statusDetails } : {}),
    };
  }
  try {
    const inv = await ctx.ssm.send(
      new GetCommandInvocationCommand({ CommandId: r.commandId, InstanceId: r.instanceId }),
      abortable(ctx.signal),
    );
    return {
      stdoutTail: tail(inv.StandardOutputContent ?? '', lines),
      stderrTail: tail(inv.StandardErrorContent ?? '', lines),
      ...(inv.ResponseCode !== undefined ? { responseCode: inv.ResponseCode } : {}),
      ...((inv.StatusDetails ?? r.statusDetails)
        ? { statusDetails: inv.StatusDetails ?? r.statusDetails ?? '' }
        : {}),
    };
  } catch (err) {
    return {
      stdoutTail: tail(r.output ?? '', lines),
      stderrTail: `(GetCommandInvocation failed: ${describeAwsError(err)})`,
    };
  }
}
