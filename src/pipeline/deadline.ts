// One deadline for the whole deploy (input `timeout`): every wait draws from it, because
// every wait takes the signal it aborts. When it runs out, the deploy cleans up like any
// failure (with the normal cleanup time: the job is not being killed) and fails naming what
// it was waiting for, before GitHub's job timeout can kill it mid-launch.

import { DeployError, isAbortError } from '../aws/errors.ts';

export interface Deadline {
  /** Aborts when the time runs out, or when `outer` does (cancellation). */
  signal: AbortSignal;
  ms: number;
  /** The time ran out (and the run was not cancelled first). */
  expired(): boolean;
  /** `err` as the user should see it: an abort caused by the deadline becomes a DeployError
   * naming what was going on; anything else is returned as it is. */
  explain(err: unknown, what: string): unknown;
}

export function startDeadline(ms: number, outer?: AbortSignal): Deadline {
  const timer = AbortSignal.timeout(ms);
  const signal = outer ? AbortSignal.any([outer, timer]) : timer;
  const expired = () => timer.aborted && outer?.aborted !== true;
  return {
    signal,
    ms,
    expired,
    explain: (err, what) =>
      expired() && (isAbortError(err) || signal.aborted)
        ? new DeployError(timeoutMessage(ms, what))
        : err,
  };
}

export function timeoutMessage(ms: number, what: string): string {
  return (
    `timed out after ${formatDuration(ms)} (input timeout) while ${what}; ` +
    'raise timeout (and the job’s timeout-minutes above it) if the deploy needs longer'
  );
}

/** 2700000 → 45m, 5400000 → 1h30m, 4000 → 4s. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts: string[] = [];
  if (s >= 3600) parts.push(`${Math.floor(s / 3600)}h`);
  if (s % 3600 >= 60) parts.push(`${Math.floor((s % 3600) / 60)}m`);
  if (s % 60 > 0 || parts.length === 0) parts.push(`${s % 60}s`);
  return parts.join('');
}
