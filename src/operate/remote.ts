// Runs one script on a deployment's instances, region by region (deliver/commands.ts: one
// SendCommand per 50 instances), and reads each instance's whole output back with
// GetCommandInvocation (up to 24,000 characters of standard output; the scripts of
// operate/scripts.ts keep their own output under that, from its end).

import { GetCommandInvocationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { abortable } from '../aws/clients.ts';
import { describeAwsError } from '../aws/errors.ts';
import { byRegion } from '../aws/poll.ts';
import { runCommand, type InvocationResult } from '../deliver/commands.ts';
import type { Host } from '../host.ts';

export interface RemoteResult {
  instanceId: string;
  region: string;
  /** Success, Failed, TimedOut, Cancelled or Undeliverable. */
  status: string;
  /** The script's exit code; -1 or absent when it did not run to an end. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  detail?: string;
}

/** What running a script needs from the host. */
export type RemoteContext = Pick<Host, 'clientsFor' | 'clock' | 'poll' | 'signal'>;

async function readOutput(
  ssm: SSMClient,
  region: string,
  r: InvocationResult,
  signal?: AbortSignal,
): Promise<RemoteResult> {
  const base = {
    instanceId: r.instanceId,
    region,
    status: r.status,
    ...(r.responseCode !== undefined ? { exitCode: r.responseCode } : {}),
    ...(r.statusDetails ? { detail: r.statusDetails } : {}),
  };
  if (!r.commandId) return { ...base, stdout: '', stderr: '' };
  try {
    const inv = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: r.commandId, InstanceId: r.instanceId }),
      abortable(signal),
    );
    return {
      ...base,
      ...(inv.ResponseCode !== undefined ? { exitCode: inv.ResponseCode } : {}),
      stdout: inv.StandardOutputContent ?? '',
      stderr: inv.StandardErrorContent ?? '',
    };
  } catch (err) {
    // The start of the output is still known from the invocation list.
    return {
      ...base,
      stdout: r.output ?? '',
      stderr: `(GetCommandInvocation failed: ${describeAwsError(err)})`,
    };
  }
}

export async function runRemote(
  ctx: RemoteContext,
  instances: ReadonlyArray<{ id: string; region: string }>,
  spec: { script: string; timeoutSeconds: number; comment: string },
): Promise<RemoteResult[]> {
  const perRegion = await Promise.all(
    [...byRegion(instances)].map(async ([region, ids]) => {
      const ssm = ctx.clientsFor(region).ssm;
      const cmd = {
        ssm,
        clock: ctx.clock,
        poll: ctx.poll.commands,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      };
      const results = await runCommand(cmd, ids, spec);
      return Promise.all(
        ids.map((id) =>
          readOutput(
            ssm,
            region,
            results.get(id) ?? { instanceId: id, status: 'TimedOut' },
            ctx.signal,
          ),
        ),
      );
    }),
  );
  return perRegion.flat();
}
