// Where a deployment runs: its live instances, found by tag in every region it may span.
// Deploy, status, destroy and the post step all start here. The regions come from the
// caller (manifest, plan, input, a run's saved state) and, when a record store is given,
// from the last deployment record, which is fetched while the known regions are searched.

import type { EC2Client } from '@aws-sdk/client-ec2';
import { findTagged, type FoundInstance, type TagQuery } from './instances.ts';
import { regionsToSearch, type RegionHint } from './regions.ts';

export { regionsToSearch, type RegionHint } from './regions.ts';

export interface Located {
  /** Every region searched, in order: the given ones, then the record's. */
  regions: string[];
  instances: FoundInstance[];
  /** Sentences for the log (for example: no record, searched the given regions only). */
  warnings: string[];
}

export interface LocateContext {
  clientsFor(region: string): { ec2: EC2Client };
  signal?: AbortSignal;
}

/** Every live instance matching `q` in these regions (one search per region, in parallel). */
export async function survey(
  ctx: LocateContext,
  regions: readonly string[],
  q: TagQuery,
): Promise<FoundInstance[]> {
  const per = await Promise.all(
    regions.map((r) => findTagged(ctx.clientsFor(r).ec2, r, q, ctx.signal)),
  );
  return per.flat();
}

/**
 * Finds the deployment (or one run's part of it, with `q.runId`): in `where.regions`, and
 * in the regions of the record `where.record` restores (searched after, when it names more).
 */
export async function locateDeployment(
  ctx: LocateContext,
  q: TagQuery,
  where: {
    regions: readonly string[];
    record?: () => Promise<{ record?: RegionHint; warning?: string }>;
  },
): Promise<Located> {
  const first = regionsToSearch(where.regions);
  const none: { record?: RegionHint; warning?: string } = {};
  const [restored, found] = await Promise.all([
    where.record ? where.record() : Promise.resolve(none),
    survey(ctx, first, q),
  ]);
  const regions = regionsToSearch(first, restored.record);
  const more = regions.filter((r) => !first.includes(r));
  const instances = more.length === 0 ? found : [...found, ...(await survey(ctx, more, q))];
  return { regions, instances, warnings: restored.warning ? [restored.warning] : [] };
}
