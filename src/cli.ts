#!/usr/bin/env node
// spot-deployer: the original tool's local commands.
//   spot-deployer validate [DIR]
//   spot-deployer plan [DIR] --out PLAN_DIR
//   spot-deployer generate [DIR] [--force]
// Exit status: 0 ok, 1 the manifest (or the command's input) is wrong, 2 usage, 3 internal error.

import { parseArgs } from 'node:util';
import { ActionError, formatDiagnostic, errorMessage, type Diagnostic } from './diagnostics.ts';

const USAGE = `usage:
  spot-deployer validate [DIR]
  spot-deployer plan [DIR] --out PLAN_DIR
  spot-deployer generate [DIR] [--force]`;

export async function cli(
  argv: string[],
  out = process.stdout,
  err = process.stderr,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean', short: 'f', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err.write(`${errorMessage(e)}\n${USAGE}\n`);
    return 2;
  }
  const [command, dir = '.', ...rest] = parsed.positionals;
  if (parsed.values.help) {
    out.write(USAGE + '\n');
    return 0;
  }
  if (!command || rest.length > 0) {
    err.write(USAGE + '\n');
    return 2;
  }
  const reporter = {
    annotate: (d: Diagnostic) => err.write(formatDiagnostic(d) + '\n'),
    info: (m: string) => out.write(m + '\n'),
  };
  try {
    switch (command) {
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.ts');
        await validateCommand({ path: dir }, reporter);
        return 0;
      }
      case 'plan': {
        if (!parsed.values.out) {
          err.write(`plan needs --out PLAN_DIR\n${USAGE}\n`);
          return 2;
        }
        const { planCommand } = await import('./commands/plan.ts');
        await planCommand(
          { path: dir, planOut: parsed.values.out, deploymentId: '', secrets: {} },
          reporter,
        );
        return 0;
      }
      case 'generate': {
        const { generateCommand } = await import('./commands/generate.ts');
        await generateCommand({ path: dir, force: parsed.values.force }, reporter);
        return 0;
      }
      default:
        err.write(`unknown command '${command}'\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ActionError) {
      for (const d of e.diagnostics) err.write(formatDiagnostic(d) + '\n');
      err.write(`error: ${e.message}\n`);
      return 1;
    }
    err.write(`internal error: ${errorMessage(e)}\n`);
    return 3;
  }
}

// Run when executed directly (bundled as dist/cli.js, or `node src/cli.ts`).
const invoked = process.argv[1] ?? '';
if (
  import.meta.url === `file://${invoked}` ||
  /(?:^|\/)(?:cli\.[jt]s|spot-deployer)$/.test(invoked)
) {
  process.exitCode = await cli(process.argv.slice(2));
}
