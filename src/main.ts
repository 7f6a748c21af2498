// The action's main entry: read inputs, run the command, set outputs. One try/catch that
// ends in core.setFailed; user errors become annotations, never stack traces.

import * as core from '@actions/core';
import { formatDiagnostic, UserError, errorMessage, type Diagnostic } from './diagnostics.ts';
import { InputError, readInputs } from './inputs.ts';

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
      case 'deploy':
      case 'destroy':
      case 'status':
        throw new UserError(`command '${inputs.command}' is not yet available in this version`);
    }
  } catch (err) {
    if (err instanceof UserError) {
      for (const d of err.diagnostics) {
        annotate(d);
        core.info(formatDiagnostic(d));
      }
      core.setFailed(err.message);
    } else if (err instanceof InputError) {
      core.setFailed(err.message);
    } else {
      core.setFailed(`unexpected error: ${errorMessage(err)}`);
      if (err instanceof Error && err.stack) core.debug(err.stack);
    }
  }
}
