// The host: everything a command takes from, or gives to, the world outside it. The action
// builds one from the runner (action-host.ts); tests build a fake one and call the command
// in-process; a terminal front end builds another. Nothing inside a command reads
// process.env, writes a workflow command or creates an AWS client: it asks its host.

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from './aws/poll.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { PreviewContent, PreviewOptions } from './github/preview.ts';
import type { DeploymentRecord, RestoreResult, SaveResult } from './github/record.ts';
import type { EndedRuns, RunRef } from './github/runs.ts';
import type { Log } from './log.ts';
import { instanceOutputs, type InstanceRecord } from './report/outputs.ts';

export interface Host {
  /** The EC2 and SSM clients of a region (created on first use, closed by the host). */
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  clock: Clock;
  /** How often to look again: instance states, and command results. */
  poll: { instances: BackoffOptions; commands: BackoffOptions };
  log: Log;
  /** Shows a problem in the user's files where it is (a GitHub annotation). */
  annotate(d: Diagnostic): void;
  /** Sets a step output. */
  output(name: string, value: string): void;
  /** Hides a value in every later line of the log. */
  mask(value: string): void;
  /** Leaves a value for the post step (which cleans up after a failed deploy). */
  saveState(name: string, value: string): void;
  /** Appends Markdown to the job summary (never throws). */
  summary(markdown: string): Promise<void>;
  /** Writes or edits the pull request's preview comment, when there is one to write. */
  preview(
    token: string,
    content: PreviewContent,
    opts?: Omit<PreviewOptions, 'env'>,
  ): Promise<unknown>;
  /** The deployment record store (where the deployment ran last). Never throws. */
  records: {
    restore(deploymentId: string): Promise<RestoreResult>;
    save(record: DeploymentRecord): Promise<SaveResult>;
  };
  /** Which of these runs GitHub says have ended. */
  endedRuns(token: string, runs: readonly RunRef[]): Promise<EndedRuns>;
  /** What a front end shows as the command goes (the terminal's live view); optional, the
   * action shows its log groups instead. */
  progress?(event: ProgressEvent): void;
  /** Aborts everything in flight (cancellation). */
  signal?: AbortSignal;
  /** The run's environment (GITHUB_* variables: run id, ref, repository, server). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A phase started, ended or failed; or the instances as last seen. */
export type ProgressEvent =
  | { kind: 'phase'; name: string; state: 'running' | 'done' | 'failed'; detail?: string }
  | { kind: 'instances'; instances: ProgressInstance[] };

/** What a front end shows of an instance: the step outputs' record, without the addresses. */
export type ProgressInstance = Pick<
  InstanceRecord,
  'id' | 'region' | 'zone' | 'type' | 'lifecycle' | 'state' | 'health'
>;

/** Runs `fn` as the named phase of the host's progress: running, then done or failed. */
export async function inPhase<T>(
  host: Pick<Host, 'progress'>,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  host.progress?.({ kind: 'phase', name, state: 'running' });
  try {
    const value = await fn();
    host.progress?.({ kind: 'phase', name, state: 'done' });
    return value;
  } catch (err) {
    host.progress?.({ kind: 'phase', name, state: 'failed' });
    throw err;
  }
}

/** The deployment's instances as step outputs (deploy and status give the same ones). */
export function setInstanceOutputs(
  host: Pick<Host, 'output'>,
  deploymentId: string,
  records: readonly InstanceRecord[],
  regions: readonly string[],
): void {
  for (const [name, value] of instanceOutputs(deploymentId, records, regions)) {
    host.output(name, value);
  }
}
