// The action's inputs, read once and typed. Names match action.yml.

import { ActionError } from './diagnostics.ts';
import type { Deployment } from './manifest/model.ts';
import { ENV_NAME, envNameProblem, UNIT_NAME } from './manifest/names.ts';

export const COMMANDS = [
  'deploy',
  'destroy',
  'status',
  'plan',
  'validate',
  'logs',
  'exec',
  'reap',
] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * What a deploy does when the deployment already has instances: `replace` launches a new set
 * and terminates the old one only once the new set is healthy; `update` delivers to the
 * existing instances in place; `recreate` terminates the old set first, then launches.
 */
export const STRATEGIES = ['replace', 'update', 'recreate'] as const;
export type Strategy = (typeof STRATEGIES)[number];

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
  /** Extra regions where destroy and status look (beyond the manifest's). */
  regions: string[];
  /** How many instances must end healthy for the deploy to succeed. */
  minHealthy: MinHealthy;
  /** Leave failed instances running for debugging instead of terminating them. */
  keepFailed: boolean;
  /** destroy: wait until each instance is terminated, not just shutting-down (no longer billed). */
  waitTerminated: boolean;
  /** Seconds to wait for instances to be running and Online in SSM. */
  onlineTimeoutSeconds: number;
  /** Seconds the whole deploy may take; then it cleans up and fails (every wait draws from it). */
  timeoutSeconds: number;
  /** USD per hour; '' keeps the manifest's. */
  maxPrice: string;
  /** undefined keeps the manifest's choice. */
  onDemandFallback?: boolean;
  strategy: Strategy;
  /** Deploy even when the instances already run this exact plan (e.g. to rotate a secret). */
  force: boolean;
  /** A heal replaces instances on-demand fallback launched with spot ones, once spot has room. */
  preferSpot: boolean;
  /** command status: fail the step when the deployment is degraded. */
  failOnDegraded: boolean;
  /** Token for the pull request preview comment; '' writes none. Masked when read. */
  githubToken: string;
  /** command logs: the services to read (empty: those the manifest starts). */
  services: string[];
  /** command logs: a duration like 10m, or '' for the whole journal. */
  since: string;
  /** command logs: the last this many lines per instance. */
  lines: number;
  /** command exec: the command, run with bash -c as root on every instance. */
  run: string;
}

/** `min-healthy`: every instance, a count, or a percentage of the planned total. */
export type MinHealthy =
  { kind: 'all' } | { kind: 'count'; n: number } | { kind: 'percent'; p: number };

/** An input that cannot be used (an ActionError of kind `input`). */
export class InputError extends ActionError {
  constructor(message: string) {
    super('input', message);
    this.name = 'InputError';
  }
}

export function parseCommand(value: string): Command {
  const v = value.trim() || 'deploy';
  if ((COMMANDS as readonly string[]).includes(v)) return v as Command;
  throw new InputError(`input 'command' must be one of ${COMMANDS.join(', ')}; got '${v}'`);
}

export function parseStrategy(value: string): Strategy {
  const v = value.trim() || 'replace';
  if ((STRATEGIES as readonly string[]).includes(v)) return v as Strategy;
  throw new InputError(`input 'strategy' must be one of ${STRATEGIES.join(', ')}; got '${v}'`);
}

/** Parses `NAME=value` lines. Blank lines and lines starting with '#' are ignored. */
export function parseSecrets(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ENV_NAME.test(name)) {
      // Never echo the line: it may hold a secret.
      throw new InputError(
        `input 'secrets', line ${i + 1}: expected NAME=value with NAME like [A-Za-z_][A-Za-z0-9_]*`,
      );
    }
    // The name reaches bash and systemd on the instance: refuse what they would not pass on.
    const problem = envNameProblem(name);
    if (problem) throw new InputError(`input 'secrets', line ${i + 1}: ${problem}`);
    out[name] = line.slice(eq + 1);
  });
  return out;
}

/** A duration like 90, 90s, 15m, 8h or 2d, in seconds; a bare number is `bareUnit`. */
export function parseDuration(name: string, text: string, bareUnit: 's' | 'm' = 's'): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) {
    throw new InputError(
      `input '${name}' must be a duration like 90s, 15m, 8h or 2d; got '${text}'`,
    );
  }
  const unit = m[2] ?? bareUnit;
  return n * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'];
}

export function parseMinHealthy(text: string): MinHealthy {
  const v = text.trim();
  if (v === '' || v === 'all') return { kind: 'all' };
  if (/^\d+$/.test(v) && Number(v) >= 1) return { kind: 'count', n: Number(v) };
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100)
    return { kind: 'percent', p: Number(pct[1]) };
  throw new InputError(
    `input 'min-healthy' must be 'all', a count of 1 or more, or a percentage like 50%; got '${v}'`,
  );
}

export function parseBoolean(name: string, text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(`input '${name}' must be true or false; got '${text}'`);
}

/** Region names separated by commas, spaces or new lines. */
export function parseRegions(text: string): string[] {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  for (const n of names) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(n)) {
      throw new InputError(`input 'regions': '${n}' is not a region name like us-west-2`);
    }
  }
  return [...new Set(names)];
}

/** A count of 1 or more; '' is `fallback`. */
export function parseCount(name: string, text: string, fallback: number): number {
  const v = text.trim();
  if (v === '') return fallback;
  if (/^\d+$/.test(v) && Number(v) >= 1 && Number.isSafeInteger(Number(v))) return Number(v);
  throw new InputError(`input '${name}' must be a whole number of 1 or more; got '${v}'`);
}

/** Service names (systemd units without .service) separated by commas, spaces or new lines. */
export function parseServices(text: string): string[] {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  for (const n of names) {
    if (!UNIT_NAME.test(n)) {
      throw new InputError(`input 'service': '${n}' is not a systemd service name`);
    }
  }
  return [...new Set(names.map((n) => n.replace(/\.service$/, '')))];
}

export function parseMaxPrice(text: string): string {
  const v = text.trim();
  if (v !== '' && !/^\d+(\.\d+)?$/.test(v)) {
    throw new InputError(`input 'max-price' must be a price in USD per hour like 0.05; got '${v}'`);
  }
  return v;
}

/**
 * The manifest as the inputs amend it: `instance-profile`, `ttl`, `max-price` and
 * `on-demand-fallback` override the manifest's values when given. Plan and deploy both
 * apply it, so what `plan` shows is what `deploy` launches.
 */
export function applyInputOverrides(
  deployment: Deployment,
  inputs: Pick<Inputs, 'instanceProfile' | 'ttl' | 'maxPrice'> & { onDemandFallback?: boolean },
): Deployment {
  const cloud = { ...deployment.cloud };
  if (inputs.instanceProfile !== '') cloud.instanceProfile = inputs.instanceProfile;
  if (inputs.ttl === 'off') delete cloud.ttlSeconds;
  else if (inputs.ttl !== '') cloud.ttlSeconds = parseDuration('ttl', inputs.ttl, 'm');
  if (inputs.maxPrice !== '') cloud.maxPrice = inputs.maxPrice;
  if (inputs.onDemandFallback !== undefined) cloud.onDemandFallback = inputs.onDemandFallback;
  return { ...deployment, cloud };
}

function checkedSince(text: string): string {
  const v = text.trim();
  if (v !== '') parseDuration('since', v, 'm');
  return v;
}

export function readInputs(read: InputReader): Inputs {
  const ttl = read('ttl').trim();
  if (ttl !== '' && ttl !== 'off') parseDuration('ttl', ttl, 'm');
  const onDemandFallback = parseBoolean('on-demand-fallback', read('on-demand-fallback'));
  return {
    command: parseCommand(read('command')),
    path: read('path').trim() || '.',
    deploymentId: read('deployment-id').trim(),
    instanceProfile: read('instance-profile').trim(),
    secrets: parseSecrets(read('secrets')),
    ttl,
    planOut: read('plan-out').trim() || 'spot-plan',
    regions: parseRegions(read('regions')),
    minHealthy: parseMinHealthy(read('min-healthy')),
    keepFailed: parseBoolean('keep-failed', read('keep-failed')) ?? false,
    waitTerminated: parseBoolean('wait-terminated', read('wait-terminated')) ?? false,
    onlineTimeoutSeconds: parseDuration('online-timeout', read('online-timeout').trim() || '10m'),
    timeoutSeconds: parseDuration('timeout', read('timeout').trim() || '45m', 'm'),
    maxPrice: parseMaxPrice(read('max-price')),
    ...(onDemandFallback !== undefined ? { onDemandFallback } : {}),
    strategy: parseStrategy(read('strategy')),
    force: parseBoolean('force', read('force')) ?? false,
    preferSpot: parseBoolean('prefer-spot', read('prefer-spot')) ?? true,
    failOnDegraded: parseBoolean('fail-on-degraded', read('fail-on-degraded')) ?? false,
    githubToken: read('github-token').trim(),
    services: parseServices(read('service')),
    since: checkedSince(read('since')),
    lines: parseCount('lines', read('lines'), 200),
    run: read('run'),
  };
}
