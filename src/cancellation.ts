// Cancellation by signal, for every entry (the action's main, the command line): SIGINT or
// SIGTERM aborts the command's signal, and the command cleans up what its run launched.

import type { Log } from './log.ts';

/**
 * Runs `fn` with a signal that aborts on SIGINT or SIGTERM. The runner cancels a job with
 * SIGINT, then SIGTERM 7.5 s later, then kills 2.5 s after that: the command stops what is
 * in flight and terminates this run's instances inside that window. A terminal's Ctrl-C is
 * the same SIGINT.
 */
export async function withCancellation<T>(
  log: Pick<Log, 'info' | 'warning'>,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log.info(`received ${sig} again; still cleaning up`);
      return;
    }
    log.warning(`received ${sig}: cancelling, and terminating the instances this run launched`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
