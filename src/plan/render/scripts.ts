// A user script's command: run it once (per content), in its working directory, with the
// deployment's environment, its output kept in a log whose tail is the command's output.

import { ENV_FILE, SECRETS_FILE } from './prelude.ts';
import { sh, shPath } from '../shell.ts';

/** Bytes of a script's output echoed into the command's output (SSM keeps ~24,000 chars). */
export const OUTPUT_TAIL = 16_000;

export interface ScriptRun {
  name: string;
  /** Where the upload put the script body on the instance. */
  bodyPath: string;
  /** sha256 of the body: the run-once marker holds it. */
  digest: string;
  /** File-name-safe key of the marker (unique per script name). */
  key: string;
  workdir: string;
  timeoutSeconds: number;
  /** The log file name under $S/logs. */
  logName: string;
  body: Buffer;
}

/**
 * How to start the body: bash (strict mode) when it is a bash script or has no #! line,
 * sh -eu for #!/bin/sh, else its own interpreter (it is delivered executable).
 */
export function interpreter(body: Buffer): string[] {
  const first = body.subarray(0, 256).toString('utf8').split('\n')[0] ?? '';
  if (!first.startsWith('#!')) return ['bash', '-euo', 'pipefail'];
  const words = first.slice(2).trim().split(/\s+/);
  const prog = words[0]?.split('/').pop();
  const target =
    prog === 'env'
      ? words
          .find((w, i) => i > 0 && !w.startsWith('-'))
          ?.split('/')
          .pop()
      : prog;
  if (target === 'bash') return ['bash', '-euo', 'pipefail'];
  if (target === 'sh') return ['sh', '-eu'];
  return [];
}

export function scriptBody(run: ScriptRun): string {
  if (!Number.isInteger(run.timeoutSeconds) || run.timeoutSeconds < 1) {
    throw new Error(`script ${run.name}: timeout must be a positive whole number of seconds`);
  }
  const workdir = shPath(run.workdir, `workdir of script ${run.name}`);
  const body = shPath(run.bodyPath);
  const exec = [...interpreter(run.body), '"$body"'].join(' ');
  const secrets = SECRETS_FILE;
  return (
    [
      `name=${sh(run.name)}`,
      `body=${body}`,
      `marker="$S/state/script.${run.key}"`,
      `log="$S/logs/${run.logName}.log"`,
      `if [ "$(cat -- "$marker" 2>/dev/null || true)" = ${run.digest} ]; then`,
      '  echo "script $name already ran with this content; not running it again"',
      '  exit 0',
      'fi',
      '[ -f "$body" ] || fail "script $name is missing at $body (did the upload steps run?)"',
      'install -d -m 0700 -- "$S/logs" "$S/state"',
      `mkdir -p -- ${workdir}`,
      `echo "running script $name in "${workdir}`,
      'rc=0',
      '(',
      `  cd -- ${workdir}`,
      '  set -a',
      `  . ${ENV_FILE}`,
      `  if [ -f ${secrets} ]; then . ${secrets}; fi`,
      '  set +a',
      '  export HOME="${HOME:-/root}"',
      `  exec timeout --kill-after=10 ${run.timeoutSeconds} ${exec}`,
      ') >"$log" 2>&1 </dev/null || rc=$?',
      'size=$(stat -c %s -- "$log")',
      `if [ "$size" -gt ${OUTPUT_TAIL} ]; then echo "[... $((size - ${OUTPUT_TAIL})) earlier bytes in $log]"; fi`,
      `tail -c ${OUTPUT_TAIL} -- "$log"`,
      'if [ "$rc" -eq 124 ]; then',
      `  fail "script $name timed out after ${run.timeoutSeconds} s (its output is above; full log: $log)"`,
      'elif [ "$rc" -ne 0 ]; then',
      '  fail "script $name failed with exit code $rc (its output is above; full log: $log)"',
      'fi',
      `printf '%s\\n' ${run.digest} >"$marker.tmp"`,
      'mv -f -- "$marker.tmp" "$marker"',
      'echo "script $name finished"',
    ].join('\n') + '\n'
  );
}
