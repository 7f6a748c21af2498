// The action's main entry: read inputs, run the command, set outputs. One try/catch that
// ends in reportFailure: what the user must act on (ActionError) becomes annotations,
// never a stack trace.
// Start-up stays light: the workflow commands come from ./runner.ts, and each command's
// module (with the AWS SDK where it needs it) is imported on demand.

import * as core from './runner.ts';
import { annotate } from './annotate.ts';
import { ActionError, formatDiagnostic, errorMessage } from './diagnostics.ts';
import { readInputs } from './inputs.ts';
import type { Host } from './host.ts';
import { withCancellation } from './cancellation.ts';

export { annotate };

/** Runs a command that works on AWS on the action's host (loaded with the AWS SDK, on
 * demand), cancelled by SIGINT/SIGTERM; the host's clients are closed afterwards. */
async function onActionHost<T>(fn: (host: Host) => Promise<T>): Promise<T> {
  const { actionHost, coreLog } = await import('./action-host.ts');
  return withCancellation(coreLog, async (signal) => {
    const host = actionHost(signal);
    try {
      return await fn(host);
    } finally {
      host.close();
    }
  });
}

/** The one place an error becomes what the user sees: what they must act on as
 * annotations (every located problem, then the message); anything else as a bug. */
export function reportFailure(err: unknown): void {
  if (err instanceof ActionError) {
    for (const d of err.diagnostics) {
      annotate(d);
      core.info(formatDiagnostic(d));
    }
    core.setFailed(err.message);
    return;
  }
  core.setFailed(`unexpected error: ${errorMessage(err)}`);
  if (err instanceof Error && err.stack) core.debug(err.stack);
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    for (const value of Object.values(inputs.secrets)) {
      if (value !== '') core.setSecret(value);
    }
    switch (inputs.command) {
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.ts');
        await validateCommand(inputs, { annotate, info: core.info }, process.env);
        break;
      }
      case 'plan': {
        const { planCommand } = await import('./commands/plan.ts');
        const result = await planCommand(inputs, { annotate, info: core.info }, process.env);
        core.setOutput('plan-dir', result.dir);
        core.setOutput('deployment-id', result.plan.deploymentId);
        core.setOutput('manifest-digest', result.plan.manifestDigest);
        break;
      }
      case 'deploy': {
        const { deployCommand } = await import('./commands/deploy.ts');
        await onActionHost((host) => deployCommand(inputs, host));
        break;
      }
      case 'destroy': {
        const { destroyCommand } = await import('./commands/destroy.ts');
        await onActionHost((host) => destroyCommand(inputs, host));
        break;
      }
      case 'status': {
        const { statusCommand } = await import('./commands/status.ts');
        await onActionHost((host) => statusCommand(inputs, host));
        break;
      }
      case 'logs': {
        const { logsAction } = await import('./commands/logs.ts');
        await onActionHost((host) => logsAction(inputs, host));
        break;
      }
      case 'exec': {
        const { execAction } = await import('./commands/exec.ts');
        await onActionHost((host) => execAction(inputs, host));
        break;
      }
      case 'reap': {
        const { reapCommand } = await import('./commands/reap.ts');
        await onActionHost((host) => reapCommand(inputs, host));
        break;
      }
    }
  } catch (err) {
    reportFailure(err);
  }
}
