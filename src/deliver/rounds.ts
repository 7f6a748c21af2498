// Command rounds: consecutive steps travel in one SSM command when nothing between them needs
// the runner. Each step still runs as its own script (as the plan renders it) under its own
// `timeout`, framed by marker lines that carry its id, exit code and times; a step that
// succeeds prints nothing else (unless its output is wanted, like the secrets key), the first
// one that fails prints the end of its output and the command stops there. The action reads
// the markers to learn what each step did (readMerged).

import { randomBytes } from 'node:crypto';
import { COMMAND_BUDGET } from '../plan/render/upload.ts';
import { heredocDelimiter, jsonBytes, sh } from '../plan/shell.ts';
import type { RemoteStep } from '../plan/types.ts';
import {
  failureDetail,
  tail,
  type CommandContext,
  type FailureDetail,
  type InvocationResult,
} from './commands.ts';

/** One step's script in a merged command. */
export interface Part {
  step: RemoteStep;
  script: string;
  timeoutSeconds: number;
  /** Print the step's standard output even when it succeeds (the secrets key step). */
  show?: boolean;
}

/** Seconds `timeout` waits after TERM before it KILLs a step. */
export const KILL_AFTER = 10;
/** Seconds SSM's executionTimeout adds to the steps' own: theirs fire first. */
export const MERGE_MARGIN = 60;
/** Bytes of a failing step's output the command prints (SSM keeps 24,000 of stdout and
 * 8,000 of stderr; the markers of the steps before it come first). */
export const SHOWN = { stdout: 16_000, stderr: 7_000 };

const RUNNER = (nonce: string) => `#!/bin/bash
# spot-deployer: several steps in one command; each runs as its own script, with its own timeout
set -u
umask 022
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
_spot_dir=$(mktemp -d) || exit 1
trap 'rm -rf -- "$_spot_dir"' EXIT
# _spot_show FILE BYTES: the last BYTES of FILE, ending with a newline
_spot_show() {
  tail -c "$2" -- "$1"
  [ ! -s "$1" ] || [ -z "$(tail -c 1 -- "$1")" ] || echo
}
# _spot_kept DIR KIND: the output a step stopped by its timeout kept in DIR (its own copy, see
# the step's prelude), or nothing
_spot_kept() {
  local f
  for f in "$1"/spot-"$2".*; do
    if [ -s "$f" ]; then cat -- "$f"; fi
  done
}
# _spot_step ID TIMEOUT SHOW: runs $_spot_dir/ID, framed by marker lines; prints its output when
# it fails (its end: the start is in the file) or when SHOW is 1
_spot_step() {
  local rc=0 t0 t1 tmp="$_spot_dir/$1.tmp"
  mkdir -p -- "$tmp"
  t0=$(date +%s%3N)
  echo "[spot-deployer ${nonce}] start $1 $t0"
  TMPDIR="$tmp" timeout -k ${KILL_AFTER} "$2" /bin/bash "$_spot_dir/$1" >"$_spot_dir/$1.out" 2>"$_spot_dir/$1.err" </dev/null || rc=$?
  t1=$(date +%s%3N)
  if [ "$rc" -ne 0 ]; then
    if [ ! -s "$_spot_dir/$1.out" ]; then _spot_kept "$tmp" out >"$_spot_dir/$1.out"; fi
    if [ ! -s "$_spot_dir/$1.err" ]; then _spot_kept "$tmp" err >"$_spot_dir/$1.err"; fi
    _spot_show "$_spot_dir/$1.out" ${SHOWN.stdout}
    _spot_show "$_spot_dir/$1.err" ${SHOWN.stderr} >&2
  elif [ "$3" = 1 ]; then
    _spot_show "$_spot_dir/$1.out" ${SHOWN.stdout}
  fi
  echo "[spot-deployer ${nonce}] end $1 $rc $t0 $t1"
  return "$rc"
}
`;

/** A fresh nonce per command: a step's own output cannot pass for a marker. */
export function newNonce(): string {
  return randomBytes(6).toString('hex');
}

/** The merged command: every step's script written to a file first, then run in order. */
export function mergedScript(parts: readonly Part[], nonce: string): string {
  const lines = [RUNNER(nonce)];
  for (const p of parts) {
    const delim = heredocDelimiter(p.script, 'SPOT_STEP_EOF');
    lines.push(
      `cat >"$_spot_dir/"${sh(p.step.id)} <<'${delim}'\n${p.script.replace(/\n?$/, '\n')}${delim}`,
    );
  }
  for (const p of parts) {
    lines.push(`_spot_step ${sh(p.step.id)} ${p.timeoutSeconds} ${p.show ? 1 : 0} || exit $?`);
  }
  return lines.join('\n') + '\n';
}

/** SSM's executionTimeout for the merged command: the steps' own, their kill grace, a margin. */
export function mergedTimeout(parts: readonly Part[]): number {
  return parts.reduce((n, p) => n + p.timeoutSeconds + KILL_AFTER, MERGE_MARGIN);
}

/** Whether these parts fit in one command (COMMAND_BUDGET bytes as sent). */
export function fits(parts: readonly Part[], budget = COMMAND_BUDGET): boolean {
  return jsonBytes(mergedScript(parts, '0'.repeat(12))) <= budget;
}

/** What the markers say about one step on one instance. */
export interface StepReport {
  id: string;
  /** Exit code; absent when the step started but its end was not seen (killed, cut off). */
  exitCode?: number;
  startMs?: number;
  endMs?: number;
  /** What the step printed between its markers (its output's end when it failed). */
  output: string;
}

/** Reads the marker lines of a merged command's output, in order. */
export function parseMarkers(stdout: string, nonce: string): StepReport[] {
  const tag = `[spot-deployer ${nonce}] `;
  const out: StepReport[] = [];
  let open: { report: StepReport; lines: string[] } | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(tag)) {
      open?.lines.push(line);
      continue;
    }
    const [what, id = '', ...rest] = line.slice(tag.length).trim().split(' ');
    if (what === 'start') {
      open = { report: { id, output: '', startMs: Number(rest[0]) }, lines: [] };
      out.push(open.report);
    } else if (what === 'end') {
      const report = open?.report.id === id ? open.report : { id, output: '' };
      if (report !== open?.report) out.push(report);
      report.exitCode = Number(rest[0]);
      report.startMs = Number(rest[1]);
      report.endMs = Number(rest[2]);
      if (open?.report === report) report.output = open.lines.join('\n');
      open = undefined;
    }
  }
  if (open) open.report.output = open.lines.join('\n');
  return out;
}

/** The marker of a merged command's nonce, as written in its script. */
export function nonceOf(script: string): string | undefined {
  return /\[spot-deployer ([0-9a-f]{12})\] start/.exec(script)?.[1];
}

/** A step that failed on an instance. */
export interface StepFailure {
  instanceId: string;
  region: string;
  result: InvocationResult;
  /** What the step printed, when its command's output was read already (a merged command). */
  detail?: FailureDetail;
}

/** What one part of a command did on one instance. */
export interface PartResult {
  ran: boolean;
  ok: boolean;
  ms?: number;
  /** Its standard output (the whole of it for a command of its own; between its markers). */
  output?: string;
  failure?: StepFailure;
}

export const ALL_LINES = Number.MAX_SAFE_INTEGER;
/** Exit codes of `timeout` when it stopped the step (TERM, then KILL after KILL_AFTER s). */
const TIMED_OUT = new Set([124, 137]);

/** A command of its own: its status is the step's. */
export function readPlain(r: InvocationResult, region: string): PartResult[] {
  return r.status === 'Success'
    ? [{ ran: true, ok: true, ...(r.output !== undefined ? { output: r.output } : {}) }]
    : [{ ran: true, ok: false, failure: { instanceId: r.instanceId, region, result: r } }];
}

function reportMs(rep: StepReport | undefined): number | undefined {
  if (rep?.startMs === undefined || rep.endMs === undefined) return undefined;
  const ms = rep.endMs - rep.startMs;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The failing part of a merged command: its own exit code, output and why. */
function partFailure(
  part: Part,
  rep: StepReport | undefined,
  r: InvocationResult,
  full: FailureDetail,
  region: string,
): StepFailure {
  const code = rep?.exitCode ?? full.responseCode ?? r.responseCode;
  const ms = reportMs(rep);
  const timedOut =
    rep?.exitCode !== undefined &&
    TIMED_OUT.has(rep.exitCode) &&
    (rep.exitCode === 124 || (ms ?? 0) >= part.timeoutSeconds * 1000);
  const statusDetails = timedOut
    ? `the step ran past its ${part.timeoutSeconds} s timeout and was stopped`
    : (full.statusDetails ?? r.statusDetails);
  const result: InvocationResult = {
    ...r,
    ...(code !== undefined ? { responseCode: code } : {}),
    ...(statusDetails ? { statusDetails } : {}),
  };
  return {
    instanceId: r.instanceId,
    region,
    result,
    detail: {
      stdoutTail: tail(rep ? rep.output : full.stdoutTail),
      stderrTail: tail(full.stderrTail),
      ...(code !== undefined ? { responseCode: code } : {}),
      ...(statusDetails ? { statusDetails } : {}),
    },
  };
}

/** A merged command, read from its markers: the parts before the first failure succeeded,
 * that one failed (the first without a successful end marker; the first of all when there is
 * no marker), the later ones did not run. */
export async function readMerged(
  cctx: CommandContext,
  r: InvocationResult,
  parts: readonly Part[],
  nonce: string,
  region: string,
): Promise<PartResult[]> {
  let reports = parseMarkers(r.output ?? '', nonce);
  const shown = (reps: StepReport[]) =>
    parts.every((p) => !p.show || reps.some((x) => x.id === p.step.id && x.exitCode === 0));
  let full: FailureDetail | undefined;
  if (r.status !== 'Success' || !shown(reports)) {
    // The listing holds only the start of the output; read all of it.
    full = await failureDetail(cctx, r, ALL_LINES);
    reports = parseMarkers(full.stdoutTail || (r.output ?? ''), nonce);
  }
  const out: PartResult[] = [];
  let failed = false;
  for (const part of parts) {
    const rep = reports.find((x) => x.id === part.step.id);
    const ms = reportMs(rep);
    const base = { ...(ms !== undefined ? { ms } : {}), ...(rep ? { output: rep.output } : {}) };
    if (failed) out.push({ ran: false, ok: false });
    else if (r.status === 'Success' || rep?.exitCode === 0)
      out.push({ ran: true, ok: true, ...base });
    else {
      failed = true;
      const detail = full ?? { stdoutTail: r.output ?? '', stderrTail: '' };
      out.push({
        ran: true,
        ok: false,
        ...base,
        failure: partFailure(part, rep, r, detail, region),
      });
    }
  }
  return out;
}
