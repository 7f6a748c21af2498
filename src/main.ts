// The action's main entry: read inputs, run the command, set outputs. One try/catch that
// ends in setFailed; user errors become annotations, never stack traces.
// Start-up stays light: the workflow commands come from ./runner.ts, and each command's
// module (with the AWS SDK where it needs it) is imported on demand.

import * as core from './runner.ts';
import { formatDiagnostic, UserError, errorMessage, type Diagnostic } from './diagnostics.ts';
import { InputError, readInputs } from './inputs.ts';
import { DeployError } from './aws/errors.ts';

/**
 * Runs `fn` with a signal that aborts on SIGINT or SIGTERM. The runner cancels a job with
 * SIGINT, then SIGTERM 7.5 s later, then kills 2.5 s after that: the command stops what is
 * in flight and terminates this run's instances inside that window.
 */
export async function withCancellation<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      core.info(`received ${sig} again; still cleaning up`);
      return;
    }
    core.warning(`received ${sig}: cancelling, and terminating the instances this run launched`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function annotate(d: Diagnostic): void {
  const props = {
    file: d.file,
    ...(d.line > 0 ? { startLine: d.line } : {}),
    ...(d.col > 0 ? { startColumn: d.col } : {}),
  };
  if (d.severity === 'error') core.error(d.message, props);
  else core.warning(d.message, props);
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
        await validateCommand(inputs, { annotate, info: core.info });
        break;
      }
      case 'plan': {
        const { planCommand } = await import('./commands/plan.ts');
        const result = await planCommand(inputs, { annotate, info: core.info });
        core.setOutput('plan-dir', result.dir);
        core.setOutput('deployment-id', result.plan.deploymentId);
        core.setOutput('manifest-digest', result.plan.manifestDigest);
        break;
      }
      case 'deploy': {
        const { deployCommand } = await import('./commands/deploy.ts');
        await withCancellation((signal) =>
          deployCommand(inputs, { annotate, info: core.info }, { signal }),
        );
        break;
      }
      case 'destroy': {
        const { destroyCommand } = await import('./commands/destroy.ts');
        await withCancellation((signal) => destroyCommand(inputs, { signal }));
        break;
      }
      case 'status': {
        const { statusCommand } = await import('./commands/status.ts');
        await withCancellation((signal) => statusCommand(inputs, { signal }));
        break;
      }
      case 'logs': {
        const { logsAction } = await import('./commands/logs.ts');
        await withCancellation((signal) => logsAction(inputs, signal));
        break;
      }
      case 'exec': {
        const { execAction } = await import('./commands/exec.ts');
        await withCancellation((signal) => execAction(inputs, signal));
        break;
      }
      case 'reap': {
        const { reapCommand } = await import('./commands/reap.ts');
        await withCancellation((signal) => reapCommand(inputs, { signal }));
        break;
      }
    }
  } catch (err) {
    if (err instanceof UserError) {
      for (const d of err.diagnostics) {
        annotate(d);
        core.info(formatDiagnostic(d));
      }
      core.setFailed(err.message);
    } else if (err instanceof InputError || err instanceof DeployError) {
      core.setFailed(err.message);
    } else {
      core.setFailed(`unexpected error: ${errorMessage(err)}`);
      if (err instanceof Error && err.stack) core.debug(err.stack);
    }
  }
}
