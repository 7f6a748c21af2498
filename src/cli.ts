#!/usr/bin/env node
// spot-deployer: the command line. Offline: validate, plan, generate, bundle. Against AWS
// (credentials and region through the SDK's standard chain, --profile, --region), on the
// terminal host (terminal/host.ts): deploy, destroy, status, list, logs, exec. See the
// README's "Command line" section.
// Exit status: 0 ok, 1 failure (what the user must act on: an ActionError of any kind),
// 2 usage, 3 internal error.

import { ActionError, formatDiagnostic, errorMessage, type Diagnostic } from './diagnostics.ts';
import {
  applyAwsFlags,
  parseCommandLine,
  UsageError,
  inputsOf,
  type Args,
} from './terminal/args.ts';
import type { Io } from './terminal/commands.ts';
import { checkFlags, commandUsage, mainUsage, usageHint } from './terminal/usage.ts';
import { describeAwsError } from './aws/errors.ts';

/** An error of the AWS SDK (a service's answer, or no credentials found): the account or the
 * set-up, for the user to act on, not a bug. */
function fromAws(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  return '$metadata' in e || name === 'CredentialsProviderError' || name === 'TokenProviderError';
}

/** `--help`, `-h`, `help [COMMAND]`: the help asked for, else undefined. */
function helpText(args: Args): string | undefined {
  if (args.command === 'help') return args.dir === '.' ? mainUsage() : commandUsage(args.dir);
  if (args.flags.help) return args.command ? commandUsage(args.command) : mainUsage();
  return undefined;
}

async function runCommand(args: Args, io: Io): Promise<number> {
  const reporter = {
    annotate: (d: Diagnostic) => io.err.write(formatDiagnostic(d) + '\n'),
    info: (m: string) => io.out.write(m + '\n'),
  };
  const terminal = () => import('./terminal/commands.ts');
  const lifecycle = () => import('./terminal/lifecycle.ts');
  switch (args.command) {
    case 'validate': {
      const { validateCommand } = await import('./commands/validate.ts');
      await validateCommand({ path: args.dir }, reporter, io.env);
      return 0;
    }
    case 'plan': {
      if (!args.flags.out) throw new UsageError('plan needs --out PLAN_DIR');
      const { deploymentIdFromGit } = await import('./terminal/git.ts');
      const id = args.flags['deployment-id'] ?? (await deploymentIdFromGit(args.dir)) ?? '';
      const inputs = await inputsOf(args, id, io.env);
      const { planCommand } = await import('./commands/plan.ts');
      const quiet = { ...reporter, info: () => undefined };
      const res = await planCommand(inputs, args.flags.json ? quiet : reporter, io.env);
      if (args.flags.json) {
        const { deploymentId, manifestDigest } = res.plan;
        io.out.write(
          JSON.stringify({ dir: res.dir, deploymentId, manifestDigest }, null, 2) + '\n',
        );
      }
      return 0;
    }
    case 'generate': {
      const { generateCommand } = await import('./commands/generate.ts');
      await generateCommand({ path: args.dir, force: args.flags.force === true }, reporter);
      return 0;
    }
    case 'bundle':
      return (await terminal()).bundleMain(args, io);
    case 'deploy':
      return (await lifecycle()).deployMain(args, io);
    case 'status':
      return (await lifecycle()).statusMain(args, io);
    case 'destroy':
      return (await lifecycle()).destroyMain(args, io);
    case 'list':
      return (await terminal()).listMain(args, io);
    case 'logs':
      return (await terminal()).logsMain(args, io);
    case 'exec':
      return (await terminal()).execMain(args, io);
    default:
      throw new UsageError(`unknown command '${args.command}'`);
  }
}

export async function cli(
  argv: string[],
  out: Io['out'] = process.stdout,
  err: Io['err'] = process.stderr,
  env: Io['env'] = process.env,
): Promise<number> {
  const io: Io = { out, err, env };
  let command = argv[0] ?? '';
  try {
    const args = parseCommandLine(argv);
    command = args.command;
    const help = helpText(args);
    if (help !== undefined) {
      out.write(help + '\n');
      return 0;
    }
    checkFlags(args);
    applyAwsFlags(args, env);
    return await runCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      // One line: what is wrong, and where the right usage is.
      err.write(`error: ${e.message} (${usageHint(command)})\n`);
      return 2;
    }
    if (e instanceof ActionError) {
      for (const d of e.diagnostics) err.write(formatDiagnostic(d) + '\n');
      err.write(`error: ${e.message}\n`);
      return 1;
    }
    if (fromAws(e)) {
      err.write(`error: AWS: ${describeAwsError(e)}\n`);
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
