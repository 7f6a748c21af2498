// Shell quoting: the one way a value from the manifest (or the repository) reaches a
// generated script. Every interpolation in src/plan goes through `sh()` or `shPath()`;
// nothing is ever spliced in unquoted.
//
// Single quotes are used throughout: inside them bash treats every byte literally, so the
// only character needing care is the quote itself ('\''). NUL cannot be represented in a
// bash word at all, so it is refused; for paths, newlines and carriage returns are refused
// too (validation rejects them first; this is the last line of defence, and throwing beats
// emitting a script that means something else).

import { envNameProblem, quoted } from '../manifest/names.ts';

/** Thrown when a value cannot be placed in a script safely. */
export class UnsafeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeValueError';
  }
}

/** `value` as one bash word, byte for byte. Newlines are kept (inside quotes); NUL throws. */
export function sh(value: string): string {
  if (value.includes('\0')) {
    throw new UnsafeValueError(`cannot put a NUL byte into a shell script: ${quoted(value)}`);
  }
  if (/^[A-Za-z0-9_./:=@%^,+-]+$/.test(value) && !value.startsWith('-')) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Checks an absolute path on the instance: no NUL, no newline or CR, no '.'/'..' segments. */
export function assertInstancePath(path: string, what = 'path'): void {
  if (!path.startsWith('/')) {
    throw new UnsafeValueError(`${what} must be absolute on the instance: ${quoted(path)}`);
  }
  if (/[\0\n\r]/.test(path)) {
    throw new UnsafeValueError(`${what} contains a newline or NUL: ${quoted(path)}`);
  }
  const segments = path.split('/').slice(1);
  for (const seg of segments.slice(0, -1)) {
    if (seg === '' || seg === '.' || seg === '..') {
      throw new UnsafeValueError(`${what} is not a normalized absolute path: ${quoted(path)}`);
    }
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') {
    throw new UnsafeValueError(`${what} is not a normalized absolute path: ${quoted(path)}`);
  }
}

/** An absolute instance path as one bash word; throws on anything that is not one. */
export function shPath(path: string, what = 'path'): string {
  assertInstancePath(path, what);
  return sh(path);
}

/** Throws unless `name` can be an environment variable both bash and systemd pass on as set. */
export function assertEnvName(name: string): void {
  const problem = envNameProblem(name);
  if (problem) throw new UnsafeValueError(problem);
}

/**
 * One `KEY="value"` line that bash (`set -a; . file`) and systemd (`EnvironmentFile=`) both
 * read as exactly `value`. Double quotes with `\`, `"`, `` ` `` and `$` escaped are the one
 * syntax the two parsers agree on for every value: systemd's parser does not join quoted
 * segments, so the usual '\'' trick for single quotes yields a different string there.
 * Newlines are kept inside the quotes; both read them back.
 */
export function envLine(name: string, value: string): string {
  assertEnvName(name);
  if (value.includes('\0')) {
    throw new UnsafeValueError(`environment variable ${name} contains a NUL byte`);
  }
  return `${name}="${value.replace(/[\\"`$]/g, (c) => '\\' + c)}"`;
}

/** A whole environment file: a comment line, then one `envLine` per variable, sorted by name. */
export function envFile(vars: Record<string, string>, comment: string): string {
  const names = Object.keys(vars).sort();
  const lines = [`# ${comment.replace(/\n/g, ' ')}`];
  for (const name of names) lines.push(envLine(name, vars[name] ?? ''));
  return lines.join('\n') + '\n';
}

/**
 * A here-document delimiter that does not occur as a line of `body`. The bodies we embed are
 * base64 (no '_'), so the first candidate always fits; the loop is for anything else.
 */
export function heredocDelimiter(body: string, base = 'SPOT_EOF'): string {
  const lines = new Set(body.split('\n'));
  let n = 0;
  let d = base;
  while (lines.has(d)) d = `${base}_${++n}`;
  return d;
}

/** Bytes a script occupies inside the JSON of an SSM request (UTF-8, after JSON escaping). */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}
