// The terminal's deploy, destroy and status: the action's own commands (deployCommand,
// destroyCommand, statusCommand) on the terminal host, with the action's inputs as flags.
// On a terminal the live view shows the phases and each instance, then a final table;
// plain lines otherwise; with --json, one document of the action's outputs. Each returns
// the exit status (a failure throws, for cli.ts to report).

import { inPhase, type Host } from '../host.ts';
import type { Inputs } from '../inputs.ts';
import { inputsOf, type Args } from './args.ts';
import { hostEnv, targetId } from './commands.ts';
import { onTerminalHost, outputsDocument, type TerminalHost } from './host.ts';
import { LiveView, outputMode, type Io } from './output.ts';
import type { ViewInstance } from './view.ts';

type Run = (inputs: Inputs, host: Host) => Promise<unknown>;

/** The command on a terminal host: the view as it ends (also after a failure), then the
 * outputs for --json. */
async function hosted(verb: string, args: Args, io: Io, run: Run): Promise<number> {
  const id = await targetId(args);
  const inputs = await inputsOf(args, id, io.env);
  const live = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const options = {
    io,
    live,
    title: `spot-deployer ${verb} ${id}`,
    env: await hostEnv(args.dir),
    ...(args.flags.summary ? { summaryFile: args.flags.summary } : {}),
  };
  return onTerminalHost(options, async (host) => {
    // As the action masks them: no secret value in any line the host writes.
    for (const value of Object.values(inputs.secrets)) host.mask(value);
    try {
      await run(inputs, host);
    } finally {
      live.finish(finalView(host));
      // Also after a failure: the outputs the command set before it failed, as the action's.
      if (live.mode === 'json')
        io.out.write(JSON.stringify(outputsDocument(host.outputs), null, 2) + '\n');
    }
    return 0;
  });
}

/** The view's last state, with the instances as the outputs report them (health included). */
function finalView(host: TerminalHost) {
  const state = host.view();
  const reported = host.outputs.get('instances');
  const instances = reported ? (JSON.parse(reported) as ViewInstance[]) : state.instances;
  return { ...state, instances };
}

export async function deployMain(args: Args, io: Io): Promise<number> {
  const { deployCommand } = await import('../commands/deploy.ts');
  return hosted('deploy', args, io, deployCommand);
}

export async function statusMain(args: Args, io: Io): Promise<number> {
  const { statusCommand } = await import('../commands/status.ts');
  return hosted('status', args, io, (inputs, host) =>
    inPhase(host, 'find instances and check services', () => statusCommand(inputs, host)),
  );
}

export async function destroyMain(args: Args, io: Io): Promise<number> {
  const { destroyCommand } = await import('../commands/destroy.ts');
  return hosted('destroy', args, io, (inputs, host) =>
    inPhase(host, 'find and terminate instances', () => destroyCommand(inputs, host)),
  );
}
