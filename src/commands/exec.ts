// command: exec — one command, run as root on the deployment's running instances over SSM;
// its argv travels as data (operate/scripts.ts execScript). A failure on any instance fails.

import { DeployError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import type { Host } from '../host.ts';
import { runRemote, type RemoteResult } from '../operate/remote.ts';
import { execScript } from '../operate/scripts.ts';
import { findTargets, type TargetInputs } from '../operate/target.ts';
import { reportRemote } from '../operate/report.ts';

/** How long the command may run on an instance. */
export const EXEC_TIMEOUT_SECONDS = 3600;

export interface ExecResult {
  deploymentId: string;
  instances: FoundInstance[];
  results: RemoteResult[];
  failed: RemoteResult[];
}

export async function execCommand(
  inputs: TargetInputs & { argv: string[] },
  host: Host,
  onTargets?: (found: FoundInstance[]) => void,
): Promise<ExecResult> {
  const script = execScript(inputs.argv);
  const { deploymentId, instances } = await findTargets(inputs, host);
  onTargets?.(instances);
  const results = await runRemote(host, instances, {
    script,
    timeoutSeconds: EXEC_TIMEOUT_SECONDS,
    comment: `spot-deployer exec ${deploymentId}`,
  });
  const failed = results.filter((r) => r.status !== 'Success' || (r.exitCode ?? -1) !== 0);
  return { deploymentId, instances, results, failed };
}

export function describeResult(r: RemoteResult): string {
  return `${r.instanceId} (${r.region}): ${r.status}, exit ${r.exitCode ?? '-'}${r.detail ? ` (${r.detail})` : ''}`;
}

/** The action: `run` through bash on every instance, each output in a group. */
export async function execAction(
  inputs: TargetInputs & { run: string },
  host: Host,
): Promise<void> {
  if (inputs.run.trim() === '') throw new DeployError("command 'exec' needs the input 'run'");
  const res = await execCommand({ ...inputs, argv: ['bash', '-c', inputs.run] }, host);
  await reportRemote(host, 'exec', res.deploymentId, res.results, {
    title: describeResult,
    header: ['status', 'exit'],
    row: (r) => [r.status, String(r.exitCode ?? '-')],
  });
  if (res.failed.length > 0) {
    throw new DeployError(
      `the command failed on ${res.failed.length} of ${res.results.length} instances: ` +
        res.failed.map(describeResult).join('; '),
    );
  }
  host.log.info(
    `the command succeeded on ${res.results.length} instance${res.results.length === 1 ? '' : 's'}`,
  );
}
