// The scripts `logs` and `exec` run on the instances (AWS-RunShellScript, as root). What the
// user typed reaches them only as data: service names and the grep pattern as quoted words
// (plan/shell.ts `sh`), the command of `exec` as base64 of its NUL-joined argv, decoded on
// the instance into a bash array and run as an argv, never parsed as shell.
// SSM keeps at most 24,000 characters of standard output (and reads from the start): each
// script keeps its output in a file and prints only its last OUTPUT_TAIL_BYTES, whole lines,
// so the real end of a long output is what comes back.

import { sh } from '../plan/shell.ts';

/** What a script prints at most; under SSM's 24,000 characters, with room for the marker. */
export const OUTPUT_TAIL_BYTES = 23_000;

/** Prints file "$1" whole, or its last OUTPUT_TAIL_BYTES bytes from a line start. */
const EMIT = [
  'emit() {',
  '  local size',
  '  size=$(wc -c <"$1")',
  `  if [ "$size" -le ${OUTPUT_TAIL_BYTES} ]; then cat -- "$1"; return; fi`,
  `  echo "[spot-deployer: $((size - ${OUTPUT_TAIL_BYTES})) earlier bytes cut]"`,
  `  tail -c ${OUTPUT_TAIL_BYTES} -- "$1" | tail -n +2`,
  '}',
];

export interface LogsQuery {
  /** systemd service names, without .service. */
  services: readonly string[];
  /** Only entries newer than this many seconds. */
  sinceSeconds?: number;
  /** The last this many lines (after grep). */
  lines: number;
  /** An extended regular expression (grep -E) the lines must match. */
  grep?: string;
}

export function logsScript(q: LogsQuery): string {
  if (!Number.isSafeInteger(q.lines) || q.lines < 1) throw new Error('lines must be 1 or more');
  const since = q.sinceSeconds !== undefined ? ` --since=-${Math.floor(q.sinceSeconds)}s` : '';
  const journal = `journalctl --no-pager --quiet -o short-iso "\${units[@]}"${since}`;
  return [
    '#!/bin/bash',
    'set -o pipefail',
    ...EMIT,
    `units=(${q.services.map((s) => `-u ${sh(`${s}.service`)}`).join(' ')})`,
    'out=$(mktemp)',
    q.grep !== undefined
      ? `re=${sh(q.grep)}\n${journal} | { grep -E -e "$re" || true; } | tail -n ${q.lines} >"$out" 2>&1`
      : `${journal} -n ${q.lines} >"$out" 2>&1`,
    'rc=$?',
    'emit "$out"',
    'rm -f -- "$out"',
    'exit "$rc"',
  ].join('\n');
}

/** The argv as the script carries it: base64 of each word followed by a NUL. */
export function encodeArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('no command to run');
  if (argv.some((a) => a.includes('\0'))) throw new Error('a command word cannot contain NUL');
  return Buffer.from(argv.map((a) => `${a}\0`).join(''), 'utf8').toString('base64');
}

export function execScript(argv: readonly string[]): string {
  return [
    '#!/bin/bash',
    ...EMIT,
    `mapfile -d '' -t argv < <(printf %s ${encodeArgv(argv)} | base64 -d)`,
    'out=$(mktemp)',
    '"${argv[@]}" >"$out" 2>&1 </dev/null',
    'rc=$?',
    'emit "$out"',
    'rm -f -- "$out"',
    'exit "$rc"',
  ].join('\n');
}
