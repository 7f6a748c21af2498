// The rules for names and small values of a manifest, in one place: validation reports
// what breaks them (located, for the user), and rendering asserts them again before a name
// reaches a script (src/plan/render/services.ts, src/plan/shell.ts). The schemas check the
// form of what they can; these cover the rest, also for the convention layout, whose names
// come from file names rather than YAML.

/** A systemd unit name without the .service suffix: [A-Za-z0-9:_.-], optional @instance. */
export const UNIT_NAME = /^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?$/;
/** Debian/Ubuntu package names (Debian policy 5.6.7): lower case, digits, + - . ; 2+ chars. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** A file owner as rendering takes it: user or user:group, each a name (a trailing $ for
 * machine accounts) or a numeric id. The schema's pattern for `owner` is stricter. */
export const OWNER =
  /^(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|[0-9]+))?$/;
/** A file mode as rendering takes it: 3 or 4 octal digits, optionally after a 0. */
export const FILE_MODE = /^0?[0-7]{3,4}$/;
/** Script names become file names of the plan's commands. */
export const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a unit name (without .service) is not usable, or undefined when it is. */
export function unitNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  // Within systemd's 255 characters with .service, and no leading '-' that a command would
  // take for an option.
  if (name.length > 240) return 'is longer than 240 characters';
  if (name.startsWith('-')) return "starts with '-', which commands would take for an option";
  if (name.endsWith('@')) return 'is a template unit without an instance (write name@instance)';
  if (!UNIT_NAME.test(name)) {
    return 'is not a valid systemd unit name (letters, digits and : _ . -, optionally @instance)';
  }
  return undefined;
}

/**
 * A file mode from the manifest: "644", "0644", "0o644", or a plain YAML number written
 * the same way (pass its source text). Returns "0644", or undefined when not octal.
 */
export function octalMode(text: string): string | undefined {
  const m = /^(?:0o)?([0-7]{3,4})$/.exec(text.trim());
  return m ? m[1]!.padStart(4, '0') : undefined;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90", 90, "90s", "10m", "8h", "2d" → seconds; undefined when not a duration. */
export function durationSeconds(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  const m = /^([0-9]+)([smhd]?)$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1);
}

/** The text of a scalar for a string-valued setting: numbers as written, booleans as true/false. */
export function scalarString(v: string | number | boolean, source?: string): string {
  if (typeof v === 'number' && source !== undefined && /^[-+.0-9a-fA-FxXoOeE_]+$/.test(source)) {
    return source;
  }
  return String(v);
}

/** A value for a message, quoted and cut short. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? value.slice(0, 77) + '...' : value);
}

/** Names of environment variables: what both bash and systemd accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names bash will not take from a sourced file as they are (read-only or computed). */
const BASH_RESERVED = new Set([
  '_',
  'UID',
  'EUID',
  'PPID',
  'BASHOPTS',
  'SHELLOPTS',
  'BASHPID',
  'RANDOM',
  'SRANDOM',
  'SECONDS',
  'LINENO',
  'EPOCHSECONDS',
  'EPOCHREALTIME',
  'HISTCMD',
  'GROUPS',
  'FUNCNAME',
]);

/** Why `name` cannot be an environment variable bash and systemd both pass on, or undefined. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME.test(name)) return `not a valid environment variable name: ${quoted(name)}`;
  if (BASH_RESERVED.has(name) || name.startsWith('BASH_')) {
    return `environment variable ${name} is reserved by bash`;
  }
  return undefined;
}
