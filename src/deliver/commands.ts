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
import { abortable } from '../aws/clients.ts';
import { awsErrorCode, describeAwsError, DeployError, isThrottlingError } from '../aws/errors.ts';
import { backoff, chunk, type BackoffOptions, type Clock } from '../aws/poll.ts';

/** SendCommand takes at most 50 instance ids. */
export const SEND_BATCH = 50;
/** How long SSM may take to deliver a command to an instance (its TimeoutSeconds). */
export const DELIVERY_TIMEOUT_SECONDS = 120;
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

export interface CommandContext {
  ssm: SSMClient;
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

export async function sendCommand(
  ctx: CommandContext,
  instanceIds: readonly string[],
  spec: CommandSpec,
): Promise<string> {
  const res = await ctx.ssm.send(
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
  const id = res.Command?.CommandId;
  if (!id) throw new DeployError('SendCommand returned no command id');
  return id;
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
  const parts = await Promise.all(
    chunk(instanceIds, SEND_BATCH).map(async (batch) => {
      let commandId: string;
      try {
        commandId = await sendCommand(ctx, batch, spec);
      } catch (err) {
        // SSM refuses the whole batch when any instance is not (or no longer) managed, e.g.
        // reclaimed since the last step: halve the batch until the refused ones are alone,
        // so that the others still get the command.
        if (awsErrorCode(err) === 'InvalidInstanceId') {
          if (batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            const halves = await Promise.all([
              runCommand(ctx, batch.slice(0, half), spec),
              runCommand(ctx, batch.slice(half), spec),
            ]);
            return new Map(halves.flatMap((h) => [...h]));
          }
          return new Map(
            batch.map((id) => [
              id,
              {
                instanceId: id,
                status: 'Undeliverable',
                statusDetails: `SendCommand refused: ${describeAwsError(err)}`,
              },
            ]),
          );
        }
        throw new DeployError(`SendCommand failed: ${describeAwsError(err)}`);
      }
      return followCommand(ctx, commandId, batch, spec.timeoutSeconds);
    }),
  );
  const out = new Map<string, InvocationResult>();
  for (const p of parts) for (const [k, v] of p) out.set(k, v);
  return out;
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
