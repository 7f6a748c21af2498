// A host for in-process runs of the commands (src/host.ts): AWS clients as the test gives
// them, a fake clock, a recording log, and everything the command gives back (outputs,
// saved state, summary, preview comments, records) kept for assertions.

import { Clients } from '../src/aws/clients.ts';
import type { Clock } from '../src/aws/poll.ts';
import type { Diagnostic } from '../src/diagnostics.ts';
import type { PreviewContent } from '../src/github/preview.ts';
import type { DeploymentRecord } from '../src/github/record.ts';
import type { Host } from '../src/host.ts';
import { memoryLog, type MemoryLog } from './log.ts';
import { FAST_POLL, fakeClock } from './plan.ts';

export interface FakeHost extends Host {
  log: MemoryLog;
  outputs: Map<string, string>;
  state: Map<string, string>;
  summaries: string[];
  previews: PreviewContent[];
  saved: DeploymentRecord[];
  annotations: Diagnostic[];
  close(): void;
}

export interface FakeHostOptions {
  /** The run (GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT); default 4242-1. */
  runId?: string;
  clock?: Clock;
  signal?: AbortSignal;
  /** The record a restore answers with. */
  record?: DeploymentRecord;
  env?: Record<string, string>;
  /** Clients of the test's own (e.g. for the local cloud); default: the SDK's from the environment. */
  clientsFor?: Host['clientsFor'];
  poll?: Host['poll'];
}

export function fakeHost(o: FakeHostOptions = {}): FakeHost {
  const clients = new Clients();
  const [run, attempt] = (o.runId ?? '4242-1').split('-');
  const host: FakeHost = {
    clientsFor: o.clientsFor ?? ((region) => clients.for(region)),
    clock: o.clock ?? fakeClock(),
    poll: o.poll ?? { instances: FAST_POLL, commands: FAST_POLL },
    log: memoryLog(),
    annotate: (d) => void host.annotations.push(d),
    output: (name, value) => void host.outputs.set(name, value),
    mask: () => undefined,
    saveState: (name, value) => void host.state.set(name, value),
    summary: async (md) => void host.summaries.push(md),
    preview: async (_token, content) => void host.previews.push(content),
    records: {
      restore: async () =>
        o.record ? { record: o.record } : { warning: 'no deployment record (fake host)' },
      save: async (record) => {
        host.saved.push(record);
        return {};
      },
    },
    endedRuns: async () => ({ ended: new Set(), notes: [] }),
    ...(o.signal ? { signal: o.signal } : {}),
    env: {
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'abc',
      GITHUB_RUN_ID: run,
      GITHUB_RUN_ATTEMPT: attempt,
      ...o.env,
    },
    outputs: new Map(),
    state: new Map(),
    summaries: [],
    previews: [],
    saved: [],
    annotations: [],
    close: () => clients.close(),
  };
  return host;
}
