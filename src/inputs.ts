// The action's inputs, read once and typed. Names match action.yml.

export const COMMANDS = ['deploy', 'destroy', 'status', 'plan', 'validate'] as const;
export type Command = (typeof COMMANDS)[number];

/** Reads one input; the runner passes INPUT_<NAME> with spaces as '_' and upper case. */
export type InputReader = (name: string) => string;

export interface Inputs {
  command: Command;
  path: string;
  deploymentId: string;
  instanceProfile: string;
  /** NAME=value lines; values are masked as soon as they are read. */
  secrets: Record<string, string>;
  ttl: string;
  planOut: string;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function parseCommand(value: string): Command {
  const v = value.trim() || 'deploy';
  if ((COMMANDS as readonly string[]).includes(v)) return v as Command;
  throw new InputError(`input 'command' must be one of ${COMMANDS.join(', ')}; got '${v}'`);
}

/** Parses `NAME=value` lines. Blank lines and lines starting with '#' are ignored. */
export function parseSecrets(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      // Never echo the line: it may hold a secret.
      throw new InputError(
        `input 'secrets', line ${i + 1}: expected NAME=value with NAME like [A-Za-z_][A-Za-z0-9_]*`,
      );
    }
    out[name] = line.slice(eq + 1);
  });
  return out;
}

export function readInputs(read: InputReader): Inputs {
  return {
    command: parseCommand(read('command')),
    path: read('path').trim() || '.',
    deploymentId: read('deployment-id').trim(),
    instanceProfile: read('instance-profile').trim(),
    secrets: parseSecrets(read('secrets')),
    ttl: read('ttl').trim(),
    planOut: read('plan-out').trim() || 'spot-plan',
  };
}
