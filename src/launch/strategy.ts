// The pieces of a redeploy around the deploy pipeline that only touch tags: the concurrency
// checks it runs as hooks and the tags it moves (deploying → ready, the digest an update
// delivered). The strategies themselves are in src/pipeline/strategies/.

import type { EC2Client } from '@aws-sdk/client-ec2';
import { DeployError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import { survey } from '../aws/locate.ts';
import { byRegion, type BackoffOptions, type Clock } from '../aws/poll.ts';
import { TAG, type Plan } from '../plan/types.ts';
import type { Log } from '../log.ts';
import { decide, holders, lostMessage } from './concurrency.ts';
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
export function liveHolders(ctx: StrategyContext, found: readonly FoundInstance[]) {
  return holders(found, ctx.clock.now()).filter((h) => !ctx.endedRuns?.has(h.runId));
}

/**
 * The check a deploy runs right after it launched (or marked the instances it updates), and
 * again before it delivers: when another run is at it too, the one that started first goes
 * on and this one throws (so its own instances are terminated by the deploy's failure path).
 */
export function concurrencyCheck(ctx: StrategyContext): () => Promise<void> {
  return async () => {
    const found = await survey(ctx, ctx.regions, { deploymentId: ctx.deploymentId });
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
