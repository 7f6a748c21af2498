// The host of the command line (src/host.ts): AWS clients from the SDK's default chain
// (environment, shared config and credentials files, AWS_PROFILE/--profile, SSO,
// AWS_REGION/--region, the standard endpoint variables), the log and the progress drawn by
// the live view (or plain lines), the outputs kept for --json, the summary to nothing or a
// file (--summary), saved state in memory (there is no post step: a failure cleans up in
// the command itself), no preview comment, and no record store: a deployment is searched
// for in the manifest's regions and --regions.

import { appendFile } from 'node:fs/promises';
import { withCancellation } from '../cancellation.ts';
import { Clients } from '../aws/clients.ts';
import { COMMAND_POLL, POLL, realClock } from '../aws/poll.ts';
import { errorMessage, formatDiagnostic } from '../diagnostics.ts';
import type { Host, ProgressEvent } from '../host.ts';
import type { Log } from '../log.ts';
import type { Io, LiveView } from './output.ts';
import type { ViewPhase, ViewState } from './view.ts';

export interface TerminalHost extends Host {
  /** The step outputs the command set, by name (the --json document). */
  outputs: Map<string, string>;
  /** What the view shows now. */
  view(): ViewState;
  close(): void;
}

export interface TerminalHostOptions {
  io: Io;
  live: LiveView;
  /** The view's title, e.g. `spot-deployer deploy acme/web/main`. */
  title: string;
  /** GITHUB_* as a push of the checkout would have them, AWS_REGION (commands.ts hostEnv). */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** Where the job summary's Markdown goes; none: nowhere. */
  summaryFile?: string;
}

const NO_RECORD =
  "no deployment record on the command line: searched the manifest's regions and --regions";

export function terminalHost(o: TerminalHostOptions): TerminalHost {
  const clients = new Clients();
  const masks = new Set<string>();
  const hide = (m: string) => [...masks].reduce((t, v) => t.split(v).join('***'), m);
  const say = (m: string) => o.live.print(hide(m), o.io.err);
  const log: Log = {
    info: say,
    warning: (m) => say(`warning: ${m}`),
    group: (title, fn) => (say(`▸ ${title}`), fn()),
  };
  const state: ViewState = { title: o.title, phases: [], instances: [] };
  const progress = (e: ProgressEvent) => {
    if (e.kind === 'instances') state.instances = e.instances;
    else upsertPhase(state.phases, { name: e.name, state: e.state, ...detailOf(e) });
    o.live.update(state);
  };
  const summary = async (markdown: string) => {
    if (!o.summaryFile) return;
    await appendFile(o.summaryFile, markdown).catch((err: unknown) => {
      log.warning(`could not write the summary to ${o.summaryFile}: ${errorMessage(err)}`);
    });
  };
  const saved = new Map<string, string>();
  const outputs = new Map<string, string>();
  return {
    clientsFor: (region) => clients.for(region),
    clock: realClock,
    poll: { instances: POLL, commands: COMMAND_POLL },
    log,
    annotate: (d) => say(formatDiagnostic(d)),
    output: (name, value) => void outputs.set(name, value),
    mask: (value) => void (value !== '' && masks.add(value)),
    saveState: (name, value) => void saved.set(name, value),
    summary,
    preview: async () => undefined,
    records: { restore: async () => ({ warning: NO_RECORD }), save: async () => ({}) },
    endedRuns: async () => ({ ended: new Set(), notes: [] }),
    progress,
    ...(o.signal ? { signal: o.signal } : {}),
    env: o.env,
    outputs,
    view: () => state,
    close: () => clients.close(),
  };
}

function detailOf(e: Extract<ProgressEvent, { kind: 'phase' }>): { detail?: string } {
  return e.detail ? { detail: e.detail } : {};
}

/** The phase by its name: updated where it is, or added at the end. */
function upsertPhase(phases: ViewPhase[], p: ViewPhase): void {
  const i = phases.findIndex((x) => x.name === p.name);
  if (i >= 0) phases[i] = p;
  else phases.push(p);
}

/** The outputs as one JSON document: the JSON-valued ones (arrays, objects) parsed. */
export function outputsDocument(outputs: ReadonlyMap<string, string>): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [name, value] of outputs) {
    doc[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return doc;
}

/**
 * Runs a command on a terminal host, cancelled by SIGINT (Ctrl-C) or SIGTERM the way the
 * runner cancels a workflow: the command's signal aborts, and a deploy terminates what its
 * run launched before it fails. The host's clients are closed afterwards.
 */
export async function onTerminalHost<T>(
  o: Omit<TerminalHostOptions, 'signal'>,
  fn: (host: TerminalHost) => Promise<T>,
): Promise<T> {
  const say = (m: string) => o.live.print(m, o.io.err);
  return withCancellation({ info: say, warning: (m) => say(`warning: ${m}`) }, async (signal) => {
    const host = terminalHost({ ...o, signal });
    try {
      return await fn(host);
    } finally {
      host.close();
    }
  });
}
