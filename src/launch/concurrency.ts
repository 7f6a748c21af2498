// Two runs of one deployment at once must not both launch (the fleet would double) nor both
// deliver. The workflow's `concurrency:` group is the first line of defence; this module is
// the second, by tags alone:
//
//   - every instance is created with `spot-deployer:phase=deploying` and its run's tag, and
//     the deploy sets `ready` once the instance is healthy;
//   - an in-place update marks the instances it works on with a key of its own,
//     `spot-deployer:updating:<run id>` = the time it started, and removes it when done.
//
// A run that holds instances in one of those states, and started less than LOCK_WINDOW_MS
// ago (so a crashed run cannot block a deployment forever), is deploying right now. A deploy
// that finds one before it launches fails at once. Both runs may check before either has
// launched, so each checks again right after launching: the run that started first goes
// on, the other terminates its own instances and fails. Pure functions, tested directly.

import type { FoundInstance } from '../aws/instances.ts';
import { TAG } from '../plan/types.ts';

export const PHASE = {
  deploying: 'deploying',
  ready: 'ready',
  /** Kept by keep-failed after a failed deploy: not in progress any more, never healthy. */
  failed: 'failed',
  /** Marked by status: EC2 recommends rebalancing it; the next deploy replaces it. */
  rebalance: 'rebalance',
} as const;

/** Prefix of the tag key an in-place update puts on the instances it works on. */
export const UPDATING_PREFIX = 'spot-deployer:updating:';

/** After this long, a run's marks no longer count: it is taken as crashed. */
export const LOCK_WINDOW_MS = 60 * 60 * 1000;

/** A run deploying or updating the deployment right now, as its tags tell. */
export interface Holder {
  runId: string;
  what: 'deploying' | 'updating';
  /** When it started (ms since the epoch): its first launch, or the start of its update. */
  since: number;
  instances: Array<{ id: string; region: string }>;
  /** The repository tag of its instances, to link the run. */
  repository: string;
}

const ACTIVE_STATES = new Set(['pending', 'running']);

/** `12345-2` → run 12345, attempt 2; anything else (local ids) has no attempt. */
function runParts(runId: string): { run: string; attempt?: number } {
  const m = /^(\d+)-(\d+)$/.exec(runId);
  return m ? { run: m[1] as string, attempt: Number(m[2]) } : { run: runId };
}

/**
 * Whether `other`'s marks are stale because of `mine`: an earlier attempt of the same
 * workflow run has finished for sure (GitHub starts a re-run only after the run ended).
 */
export function isEarlierAttempt(other: string, mine: string): boolean {
  const a = runParts(other);
  const b = runParts(mine);
  return (
    a.attempt !== undefined && b.attempt !== undefined && a.run === b.run && a.attempt < b.attempt
  );
}

/** Every run that holds instances of the deployment (deploying or updating), oldest first. */
export function holders(
  found: readonly FoundInstance[],
  now: number,
  windowMs = LOCK_WINDOW_MS,
): Holder[] {
  const byRun = new Map<string, Holder>();
  const add = (
    runId: string,
    what: Holder['what'],
    since: number,
    f: FoundInstance,
    repository: string,
  ) => {
    if (!Number.isFinite(since) || now - since >= windowMs) return;
    const h = byRun.get(runId);
    if (!h) {
      byRun.set(runId, {
        runId,
        what,
        since,
        instances: [{ id: f.id, region: f.region }],
        repository,
      });
      return;
    }
    h.since = Math.min(h.since, since);
    if (!h.instances.some((i) => i.id === f.id)) h.instances.push({ id: f.id, region: f.region });
  };
  for (const f of found) {
    if (!ACTIVE_STATES.has(f.state)) continue;
    const repository = f.tags[TAG.repository] ?? '';
    const run = f.tags[TAG.run];
    if (f.tags[TAG.phase] === PHASE.deploying && run && f.launchTime) {
      add(run, 'deploying', Date.parse(f.launchTime), f, repository);
    }
    for (const [key, value] of Object.entries(f.tags)) {
      if (key.startsWith(UPDATING_PREFIX) && key.length > UPDATING_PREFIX.length) {
        add(key.slice(UPDATING_PREFIX.length), 'updating', Date.parse(value), f, repository);
      }
    }
  }
  return order([...byRun.values()]);
}

/** Oldest first; ties broken by run id (numerically where they are numbers), so every run
 * that sees the same holders picks the same winner. */
export function order(list: readonly Holder[]): Holder[] {
  return [...list].sort(
    (a, b) => a.since - b.since || a.runId.localeCompare(b.runId, 'en', { numeric: true }) || 0,
  );
}

/** The holders other than this run (and other than earlier attempts of it). */
export function others(list: readonly Holder[], myRunId: string): Holder[] {
  return list.filter((h) => h.runId !== myRunId && !isEarlierAttempt(h.runId, myRunId));
}

/**
 * After this run marked (launched or tagged) its instances: who goes on. `mine` is this
 * run's own holder as the tags show it (undefined when the search does not list it yet, in
 * which case it started after every holder it can see, and loses to them).
 */
export function decide(
  list: readonly Holder[],
  myRunId: string,
): { proceed: true } | { proceed: false; winner: Holder } {
  const rivals = others(list, myRunId);
  if (rivals.length === 0) return { proceed: true };
  const mine = list.find((h) => h.runId === myRunId);
  const first = order(mine ? [...rivals, mine] : rivals)[0] as Holder;
  return first.runId === myRunId ? { proceed: true } : { proceed: false, winner: first };
}

/** The link to a run, when the instance tags name its repository and the id is GitHub's. */
export function runUrl(h: Pick<Holder, 'runId' | 'repository'>, serverUrl: string): string {
  const { run, attempt } = runParts(h.runId);
  if (!h.repository || attempt === undefined) return '';
  return `${serverUrl.replace(/\/+$/, '')}/${h.repository}/actions/runs/${run}${attempt > 1 ? `/attempts/${attempt}` : ''}`;
}

export const CONCURRENCY_HINT =
  'Serialize the deploys of one deployment in the workflow: ' +
  '`concurrency: { group: spot-deploy-${{ github.repository }}-${{ github.ref }}, cancel-in-progress: false }` ' +
  '(for pull request previews: `spot-preview-${{ github.repository }}-${{ github.event.pull_request.number }}`).';

function describeHolder(h: Holder, serverUrl: string): string {
  const url = runUrl(h, serverUrl);
  const ids = h.instances.map((i) => `${i.id} (${i.region})`);
  const shown = ids.length > 5 ? [...ids.slice(0, 5), `… ${ids.length - 5} more`] : ids;
  return (
    `run ${h.runId}${url ? ` (${url})` : ''}, ${h.what} since ${new Date(h.since).toISOString()}: ` +
    shown.join(', ')
  );
}

/** The message of a deploy that found another run at work before launching anything. */
export function busyMessage(
  deploymentId: string,
  rivals: readonly Holder[],
  serverUrl: string,
  windowMs = LOCK_WINDOW_MS,
): string {
  const first = rivals[0] as Holder;
  const until = new Date(first.since + windowMs).toISOString();
  return (
    `another run is deploying '${deploymentId}' right now: ${rivals.map((h) => describeHolder(h, serverUrl)).join('; ')}. ` +
    `This run stopped before launching or changing anything, so the fleet is not doubled. ${CONCURRENCY_HINT} ` +
    `If that run is no longer running (it crashed), its marks stop counting at ${until}, or at once for a github-token that may read the repository's runs (\`permissions: actions: read\`); or remove its instances with command: destroy.`
  );
}

/** The message of the run that lost the tie-break after both had started. */
export function lostMessage(
  deploymentId: string,
  winner: Holder,
  myRunId: string,
  serverUrl: string,
): string {
  return (
    `run ${winner.runId} started deploying '${deploymentId}' at the same time as this run (${myRunId}); ` +
    `both checked before either had started, and the earlier one goes on: ${describeHolder(winner, serverUrl)}. ` +
    `This run withdraws: it terminates the instances it launched and changes nothing else. ${CONCURRENCY_HINT}`
  );
}
