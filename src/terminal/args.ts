// The command line's arguments: node:util parseArgs over one table of options, the action's
// inputs as flags of the same names, everything after `--` kept as the command of `exec`.
// The inputs are then read by inputs.ts's own parser (same checks, same messages).

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readInputs, type Inputs } from '../inputs.ts';

/** Wrong usage: exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** Flags named as the action's inputs (read back through readInputs). */
const INPUT_FLAGS = {
  'deployment-id': text,
  'instance-profile': text,
  ttl: text,
  regions: text,
  'min-healthy': text,
  'keep-failed': flag,
  'wait-terminated': flag,
  'online-timeout': text,
  timeout: text,
  'max-price': text,
  'on-demand-fallback': flag,
  strategy: text,
  force: flag,
  'prefer-spot': flag,
  'fail-on-degraded': flag,
  service: text,
  since: text,
  lines: text,
} as const;

export const OPTIONS = {
  ...INPUT_FLAGS,
  out: { type: 'string', short: 'o' },
  'plan-out': text,
  json: flag,
  profile: text,
  region: text,
  'secrets-file': text,
  summary: text,
  grep: text,
  instance: text,
  help: { type: 'boolean', short: 'h' },
} as const;

export type Flags = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

export interface Args {
  command: string;
  dir: string;
  flags: Flags;
  /** After `--`: the command of exec. */
  rest: string[];
}

export function parseCommandLine(argv: readonly string[]): Args {
  const dash = argv.indexOf('--');
  const head = dash >= 0 ? argv.slice(0, dash) : [...argv];
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  if (head.some((a) => a === '--secrets' || a.startsWith('--secrets='))) {
    throw new UsageError(
      'secrets are never taken from a flag value: use --secrets-file FILE (NAME=value lines) or SPOT_DEPLOYER_SECRETS',
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: head,
      allowPositionals: true,
      allowNegative: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new UsageError(parseArgsProblem(e));
  }
  const [command = '', dir = '.', ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  return { command, dir, flags: parsed.values as Flags, rest };
}

/** node:util parseArgs's complaint, in one short sentence. */
function parseArgsProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown) return `unknown flag '${unknown[1]}'`;
  return message.split(/\.\s/)[0] ?? message;
}

/** A --secrets-file value that is no file but looks like NAME=value: a secret typed as the
 * flag's value. Refused without showing it. */
function secretAsValue(value: string): string | undefined {
  const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(value)?.[1];
  return name
    ? `--secrets-file takes a file of NAME=value lines, not a secret: '${name}=…' is no file (secrets are never taken from a flag value)`
    : undefined;
}

/** The action's Inputs from the flags; secrets from --secrets-file or SPOT_DEPLOYER_SECRETS. */
export async function inputsOf(
  args: Args,
  deploymentId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Inputs> {
  const f = args.flags;
  const secrets = f['secrets-file']
    ? await readFile(f['secrets-file'], 'utf8').catch((e: NodeJS.ErrnoException) => {
        const file = f['secrets-file'] ?? '';
        throw new UsageError(
          (e.code === 'ENOENT' ? secretAsValue(file) : undefined) ??
            `cannot read --secrets-file ${file}: ${e.code ?? e.message}`,
        );
      })
    : (env.SPOT_DEPLOYER_SECRETS ?? '');
  const read = (name: string): string => {
    if (name === 'path') return args.dir;
    if (name === 'deployment-id') return deploymentId;
    if (name === 'secrets') return secrets;
    if (name === 'plan-out') return f['plan-out'] ?? f.out ?? '';
    const v = (f as Record<string, string | boolean | undefined>)[name];
    return v === undefined ? '' : String(v);
  };
  return readInputs(read);
}

/** --profile and --region reach the SDK's standard chain as AWS_PROFILE and AWS_REGION. */
export function applyAwsFlags(args: Args, env: Record<string, string | undefined>): void {
  if (args.flags.profile) env.AWS_PROFILE = args.flags.profile;
  if (args.flags.region) env.AWS_REGION = args.flags.region;
}
