// The host the action runs on: the runner's workflow commands (runner.ts), AWS clients from
// the standard environment, the Actions cache for the deployment record, GitHub's API for
// the preview comment and the runs' status. main.ts builds one per command.

import { Clients } from './aws/clients.ts';
import { COMMAND_POLL, POLL, realClock } from './aws/poll.ts';
import { annotate } from './annotate.ts';
import { updatePreview } from './github/preview.ts';
import { restoreRecord, saveRecord } from './github/record.ts';
import { endedRuns } from './github/runs.ts';
import type { Host } from './host.ts';
import type { Log } from './log.ts';
import * as core from './runner.ts';

export const coreLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (title, fn) => core.group(title, fn),
};

/** Appends Markdown to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is skipped. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.appendSummary(markdown);
  } catch (err) {
    core.warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The action's host; `close()` releases the AWS clients' connections so the process can exit. */
export function actionHost(signal?: AbortSignal): Host & { close(): void } {
  const clients = new Clients();
  return {
    clientsFor: (region) => clients.for(region),
    clock: realClock,
    poll: { instances: POLL, commands: COMMAND_POLL },
    log: coreLog,
    annotate,
    output: (name, value) => core.setOutput(name, value),
    mask: (value) => core.setSecret(value),
    saveState: (name, value) => core.saveState(name, value),
    summary: writeSummary,
    preview: (token, content, opts) =>
      updatePreview(token, content, coreLog, { ...opts, env: process.env }),
    records: {
      restore: (id) => restoreRecord(id, { env: process.env }),
      save: (r) => saveRecord(r, { env: process.env }),
    },
    endedRuns: (token, runs) => endedRuns(token, runs, { apiUrl: process.env.GITHUB_API_URL }),
    // The runner shows the log's groups; there is no live view to feed. The phases' times go
    // to the debug log (shown when the workflow's step debug logging is on).
    progress: (e) => {
      if (e.kind === 'phase')
        core.debug(`phase ${e.name}: ${e.state} at ${new Date().toISOString()}`);
    },
    ...(signal ? { signal } : {}),
    env: process.env,
    close: () => clients.close(),
  };
}
