// What each command of the command line takes: its synopsis, its flags (of args.ts OPTIONS)
// and a line on each, read by `--help` and by checkFlags, which refuses a flag that the
// command does not use (wrong usage, not silently ignored).

import { UsageError, type Args, type Flags } from './args.ts';

type FlagName = keyof Flags;

/** A flag in the help: its value's placeholder ('' for a switch) and what it does. */
type FlagHelp = readonly [value: string, text: string];

const FLAG_HELP: Record<FlagName, FlagHelp> = {
  'deployment-id': [
    'ID',
    "the deployment (default: OWNER/REPO/BRANCH of the checkout's origin remote and branch, as a push workflow derives it)",
  ],
  'instance-profile': ['NAME', "IAM instance profile of the instances (overrides the manifest's)"],
  strategy: [
    'replace|update|recreate',
    'how a deploy treats a deployment that already has instances (default replace)',
  ],
  ttl: ['DURATION', "time to live, e.g. 8h; off disables (default: the manifest's)"],
  regions: ['R1,R2', "regions to search beyond the manifest's"],
  force: ['', 'deploy even when the instances already run the same plan'],
  'min-healthy': ['all|N|N%', 'how many instances must end healthy (default all)'],
  'on-demand-fallback': [
    '',
    "launch on-demand what spot cannot fill; --no-on-demand-fallback: fail instead (default: the manifest's)",
  ],
  'keep-failed': ['', 'leave failed instances running for debugging'],
  'prefer-spot': [
    '',
    'a heal replaces on-demand fallback instances with spot ones (default); --no-prefer-spot keeps them',
  ],
  timeout: ['DURATION', 'how long the whole deploy may take (default 45m)'],
  'online-timeout': [
    'DURATION',
    'how long to wait for the instances to be Online in SSM (default 10m)',
  ],
  'max-price': ['USD', 'maximum spot price per instance-hour'],
  'wait-terminated': ['', 'wait until every instance is terminated, not only shutting-down'],
  'fail-on-degraded': ['', 'exit 1 when the deployment is degraded'],
  service: ['NAME[,NAME]', 'the services to read (default: every service the manifest starts)'],
  since: ['DURATION', 'only entries newer than this, e.g. 10m'],
  lines: ['N', 'the last N lines of each instance (default 200)'],
  grep: ['RE', 'only the lines that match this extended regular expression'],
  instance: ['ID', 'only this instance'],
  'secrets-file': [
    'FILE',
    'secrets to deliver, NAME=value lines (else the SPOT_DEPLOYER_SECRETS variable); never a flag value',
  ],
  summary: ['FILE.md', "append the job summary's Markdown to FILE.md"],
  out: ['PATH', 'where to write'],
  'plan-out': ['PLAN_DIR', 'the same as --out (the name of the action input)'],
  json: ['', 'one JSON document on standard output (progress on standard error)'],
  profile: ['NAME', 'the AWS profile of the shared config and credentials files (AWS_PROFILE)'],
  region: ['REGION', 'the AWS region (AWS_REGION)'],
  help: ['', 'this help'],
};

interface CommandSpec {
  /** After `spot-deployer NAME`. */
  synopsis: string;
  summary: string;
  flags: readonly FlagName[];
  /** Help of a flag that reads differently for this command. */
  flagHelp?: Partial<Record<FlagName, FlagHelp>>;
}

const AWS: readonly FlagName[] = ['profile', 'region'];
const TARGET: readonly FlagName[] = ['deployment-id', 'regions', ...AWS];

export const COMMAND_SPECS: Record<string, CommandSpec> = {
  validate: { synopsis: '[DIR]', summary: 'check the manifest, offline', flags: [] },
  plan: {
    synopsis: '[DIR] --out PLAN_DIR [FLAGS]',
    summary: 'write the plan a deploy would execute (plan.json, user-data, commands/), offline',
    flags: [
      'out',
      'plan-out',
      'deployment-id',
      'instance-profile',
      'ttl',
      'max-price',
      'on-demand-fallback',
      'regions',
      'region',
      'secrets-file',
      'json',
    ],
    flagHelp: {
      out: ['PLAN_DIR', 'the directory to write the plan to'],
      json: ['', 'print the directory, the deployment id and the manifest digest as JSON'],
      regions: ['R1,R2', 'the region of a manifest that names none (the first)'],
      region: ['REGION', 'the region of a manifest that names none (AWS_REGION)'],
    },
  },
  generate: {
    synopsis: '[DIR] [--force]',
    summary: 'scaffold a commented .spot/ to start from',
    flags: ['force'],
    flagHelp: { force: ['', 'overwrite an existing manifest'] },
  },
  bundle: {
    synopsis: '[DIR] --out FILE.tar.gz [--json]',
    summary:
      'pack tarball_source as a deploy packs it (the same bytes) and print its sha256, for tarball_url',
    flags: ['out', 'json'],
    flagHelp: {
      out: ['FILE.tar.gz', 'the file to write'],
      json: ['', 'print the file, its sha256, its size and the source as JSON'],
    },
  },
  deploy: {
    synopsis: '[DIR] [FLAGS]',
    summary: 'deploy the manifest: launch, deliver, start and health-check, as the action does',
    flags: [
      'deployment-id',
      'instance-profile',
      'strategy',
      'ttl',
      'regions',
      'force',
      'min-healthy',
      'on-demand-fallback',
      'keep-failed',
      'prefer-spot',
      'timeout',
      'online-timeout',
      'max-price',
      'secrets-file',
      'summary',
      'json',
      ...AWS,
    ],
    flagHelp: {
      regions: ['R1,R2', "regions where the previous set may run, beyond the manifest's"],
      json: ['', "the action's outputs as one JSON document on standard output"],
    },
  },
  status: {
    synopsis: '[DIR] [FLAGS]',
    summary: "the deployment's instances, their health and what it lost",
    flags: [...TARGET, 'fail-on-degraded', 'summary', 'json'],
    flagHelp: { json: ['', "the action's outputs as one JSON document on standard output"] },
  },
  destroy: {
    synopsis: '[DIR] [FLAGS]',
    summary: "terminate the deployment's instances, found by tag",
    flags: [...TARGET, 'wait-terminated', 'summary', 'json'],
    flagHelp: { json: ['', "the action's outputs as one JSON document on standard output"] },
  },
  list: {
    synopsis: '[FLAGS]',
    summary:
      'every deployment this tool manages in the regions: id, repository, ref, instances, age, TTL left, cost',
    flags: ['regions', 'json', ...AWS],
    flagHelp: { regions: ['R1,R2', 'the regions to list (default: the region of --region)'] },
  },
  logs: {
    synopsis: '[DIR] [FLAGS]',
    summary:
      "the journal of the deployment's services on every running instance, each line prefixed with the instance",
    flags: [...TARGET, 'service', 'since', 'lines', 'grep', 'instance', 'json'],
  },
  exec: {
    synopsis: '[DIR] [FLAGS] -- COMMAND [ARG...]',
    summary:
      'run COMMAND as root on every running instance (passed as data, never through a shell); exit 1 if it failed on any',
    flags: [...TARGET, 'instance', 'json'],
  },
};

const EXIT = 'exit status: 0 success, 1 failure, 2 wrong usage, 3 internal error';

const AWS_NOTE =
  'AWS credentials and region: the SDK standard chain (AWS_* variables, ~/.aws/config and credentials, SSO, --profile, --region); endpoints from AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL_SSM.';

/** `spot-deployer --help`: every command with its synopsis and what it does. */
export function mainUsage(): string {
  const width = Math.max(
    ...Object.entries(COMMAND_SPECS).map(([n, s]) => n.length + s.synopsis.length + 1),
  );
  return [
    'usage: spot-deployer COMMAND [DIR] [FLAGS]   (DIR: where the manifest is, default .)',
    '',
    ...Object.entries(COMMAND_SPECS).flatMap(([name, s]) => [
      `  spot-deployer ${`${name} ${s.synopsis}`.padEnd(width)}  ${s.summary}`,
    ]),
    '',
    "'spot-deployer COMMAND --help' lists the flags of a command.",
    AWS_NOTE,
    EXIT,
  ].join('\n');
}

/** `spot-deployer COMMAND --help`: its synopsis and each of its flags. */
export function commandUsage(command: string): string {
  const spec = COMMAND_SPECS[command];
  if (!spec) return mainUsage();
  const rows = [...spec.flags, 'help' as const].map((f) => {
    const [value, text] = spec.flagHelp?.[f] ?? FLAG_HELP[f];
    const short = f === 'help' ? '-h, ' : f === 'out' ? '-o, ' : '';
    return [`${short}--${f}${value ? ` ${value}` : ''}`, text] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `usage: spot-deployer ${command} ${spec.synopsis}`,
    spec.summary,
    '',
    'flags:',
    ...rows.map(([l, t]) => `  ${l.padEnd(width)}  ${t}`),
    '',
    ...(spec.flags.includes('profile') ? [AWS_NOTE] : []),
    EXIT,
  ].join('\n');
}

/** The one line a usage error ends with: where to find the right usage. */
export function usageHint(command: string): string {
  return COMMAND_SPECS[command]
    ? `usage: spot-deployer ${command} ${COMMAND_SPECS[command].synopsis}; 'spot-deployer ${command} --help' lists its flags`
    : "usage: spot-deployer COMMAND [DIR] [FLAGS]; 'spot-deployer --help' lists the commands";
}

/** Refuses an unknown command, and a flag the command does not take. */
export function checkFlags(args: Args): void {
  const spec = COMMAND_SPECS[args.command];
  if (!spec) {
    throw new UsageError(args.command ? `unknown command '${args.command}'` : 'no command');
  }
  const allowed = new Set<string>([...spec.flags, 'help']);
  const wrong = Object.keys(args.flags).filter((f) => !allowed.has(f));
  if (wrong.length > 0) {
    throw new UsageError(`${args.command} does not take ${wrong.map((f) => `--${f}`).join(', ')}`);
  }
  if (args.rest.length > 0 && args.command !== 'exec') {
    throw new UsageError(`${args.command} takes no command after --`);
  }
}
