// The pieces of a redeploy around the deploy pipeline: the concurrency checks it runs as
// hooks, the tags it moves (deploying → ready, the digest an update delivered), and the
// retirement of the previous set once the new one is healthy (strategy replace) or before
// the launch (recreate).

import type { EC2Client } from '@aws-sdk/client-ec2';
import { DeployError, describeAwsError } from '../aws/errors.ts';
import { byRegion, type BackoffOptions, type Clock } from '../aws/poll.ts';
import { terminateInstances } from '../destroy/destroy.ts';
import type { FoundInstance } from '../destroy/find.ts';
import { TAG, type Plan } from '../plan/types.ts';
import type { Log } from '../report/log.ts';
import { decide, holders, lostMessage, others } from './concurrency.ts';
import { survey } from './existing.ts';
import { removeTags, setTags } from './phase.ts';

export interface StrategyContext {
  clientsFor(region: string): { ec2: EC2Client };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
  /** Regions where the deployment may have instances (plan, record, input). */
  regions: readonly string[];
  deploymentId: string;
  runId: string;
  /** For links to other runs: GITHUB_SERVER_URL. */
  serverUrl: string;
  /** Runs GitHub said have ended: their marks do not count (github/runs.ts). */
  endedRuns?: ReadonlySet<string>;
}

/** The runs at work on the deployment, as its tags tell, less those GitHub said have ended. */
function liveHolders(ctx: StrategyContext, found: readonly FoundInstance[]) {
  return holders(found, ctx.clock.now()).filter((h) => !ctx.endedRuns?.has(h.runId));
}

/**
 * The check a deploy runs right after it launched (or marked the instances it updates), and
 * again before it delivers: when another run is at it too, the one that started first goes
 * on and this one throws (so its own instances are terminated by the deploy's failure path).
 */
export function concurrencyCheck(ctx: StrategyContext): () => Promise<void> {
  return async () => {
    const found = await survey(ctx.clientsFor, ctx.regions, ctx.deploymentId, ctx.signal);
    const d = decide(liveHolders(ctx, found), ctx.runId);
    if (!d.proceed) {
      throw new DeployError(lostMessage(ctx.deploymentId, d.winner, ctx.runId, ctx.serverUrl));
    }
    ctx.log.info(`no other run is deploying ${ctx.deploymentId}`);
  };
}

/** Sets tags on instances, region by region. */
export async function tagInstances(
  ctx: Pick<StrategyContext, 'clientsFor' | 'signal'>,
  instances: ReadonlyArray<{ id: string; region: string }>,
  tags: Record<string, string>,
): Promise<void> {
  await Promise.all(
    [...byRegion(instances)].map(([region, ids]) =>
      setTags(ctx.clientsFor(region).ec2, ids, tags, ctx.signal),
    ),
  );
}

/** Removes tag keys from instances, region by region. */
export async function untagInstances(
  ctx: Pick<StrategyContext, 'clientsFor' | 'signal'>,
  instances: ReadonlyArray<{ id: string; region: string }>,
  keys: readonly string[],
): Promise<void> {
  await Promise.all(
    [...byRegion(instances)].map(([region, ids]) =>
      removeTags(ctx.clientsFor(region).ec2, ids, keys, ctx.signal),
    ),
  );
}

/** What an in-place update leaves on the instances it delivered to. */
export function updatedTags(plan: Plan): Record<string, string> {
  return {
    [TAG.phase]: 'ready',
    [TAG.digest]: plan.manifestDigest,
    [TAG.sha]: plan.identity.sha,
    [TAG.ref]: plan.identity.ref,
  };
}

const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/**
 * The previous set of the deployment as it is now: every live instance not of this run,
 * leaving out any other run's fresh deploy (which withdraws by itself; never touch it).
 */
export async function previousSet(ctx: StrategyContext): Promise<FoundInstance[]> {
  const found = await survey(ctx.clientsFor, ctx.regions, ctx.deploymentId, ctx.signal);
  const rivals = new Set(
    others(liveHolders(ctx, found), ctx.runId).flatMap((h) => h.instances.map((i) => i.id)),
  );
  for (const id of rivals) ctx.log.warning(`${id} belongs to another run's deploy; left alone`);
  return found.filter((f) => f.tags[TAG.run] !== ctx.runId && !rivals.has(f.id));
}

/**
 * Terminates `old` and waits up to `timeoutMs`. Returns one line for the report; throws a
 * DeployError naming what is left when termination failed or did not finish.
 */
export async function retire(
  ctx: StrategyContext,
  old: readonly FoundInstance[],
  why: string,
  timeoutMs: number,
): Promise<string> {
  if (old.length === 0) return `${why}: no previous instance to terminate`;
  let res: Awaited<ReturnType<typeof terminateInstances>>;
  try {
    res = await terminateInstances(
      {
        clientsFor: ctx.clientsFor,
        log: ctx.log,
        clock: ctx.clock,
        poll: ctx.poll,
        timeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      old,
    );
  } catch (err) {
    throw new DeployError(
      `${why}: could not terminate the previous ${plural(old.length)} (${old.map((o) => o.id).join(', ')}): ${describeAwsError(err)}`,
    );
  }
  if (res.remaining.length > 0) {
    throw new DeployError(
      `${why}: the previous ${plural(res.remaining.length)} did not terminate in ${Math.round(timeoutMs / 1000)} s: ` +
        res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(', '),
    );
  }
  const line = `${why}: terminated the previous ${plural(old.length)}: ${old.map((o) => o.id).join(', ')}`;
  ctx.log.info(line);
  return line;
}
