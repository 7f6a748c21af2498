// Destroy by tag: in every region given, find the live instances carrying the deployment tag
// (and the run tag, for a run's cleanup), terminate them in batches, wait until terminated
// (or, with goal shutting-down, until EC2 has them shutting-down: no longer billed).

import type { EC2Client } from '@aws-sdk/client-ec2';
import { byRegion, type BackoffOptions, type Clock } from '../aws/poll.ts';
import type { Log } from '../log.ts';
import type { FoundInstance, TagQuery } from '../aws/instances.ts';
import { locateDeployment, type Located } from '../aws/locate.ts';
import {
  requestTermination,
  waitTerminated,
  type TerminationGoal,
  type TerminationWait,
} from './terminate.ts';

export interface DestroyContext {
  clientsFor(region: string): { ec2: EC2Client };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
  /** How long to wait for the goal. */
  timeoutMs: number;
  /** What to wait for (default `terminated`); `shutting-down` goes on once EC2 stops billing. */
  goal?: TerminationGoal;
}

export interface DestroyResult {
  regions: string[];
  /** Live instances found by tag (before termination). */
  found: FoundInstance[];
  /** Ids now terminated (or gone), including known ids the tag search did not list yet; with
   * goal shutting-down, also those seen shutting-down. */
  terminated: string[];
  /** Of `terminated`, those last seen shutting-down (goal shutting-down; absent when none). */
  shuttingDown?: string[];
  /** Still not at the goal at the deadline. */
  remaining: Array<{ id: string; region: string; state: string }>;
}

type Waited = Pick<DestroyResult, 'terminated' | 'shuttingDown' | 'remaining'>;

/** The per-region results as one (shuttingDown only when some are). */
function merge(per: readonly Waited[]): Waited {
  const shuttingDown = per.flatMap((p) => p.shuttingDown ?? []);
  return {
    terminated: per.flatMap((p) => p.terminated),
    ...(shuttingDown.length > 0 ? { shuttingDown } : {}),
    remaining: per.flatMap((p) => p.remaining),
  };
}

/** "2 terminated" or "2 terminated (1 still shutting-down: i-1)", for a log line. */
export function terminatedText(r: Waited): string {
  const down = r.shuttingDown ?? [];
  return (
    `${r.terminated.length} terminated` +
    (down.length > 0 ? ` (${down.length} still shutting-down: ${down.join(', ')})` : '')
  );
}

/**
 * Terminates everything matching `q` in `regions`, plus `knownIds` (ids this very run
 * launched with those tags, which a search right after launch may not list yet).
 */
export async function destroyTagged(
  ctx: DestroyContext,
  regions: readonly string[],
  q: TagQuery,
  knownIds: Record<string, readonly string[]> = {},
): Promise<DestroyResult> {
  return destroyLocated(ctx, await locateDeployment(ctx, q, { regions }), knownIds);
}

/** Terminates what locateDeployment found (plus `knownIds`), region by region, and waits. */
export async function destroyLocated(
  ctx: DestroyContext,
  located: Pick<Located, 'regions' | 'instances'>,
  knownIds: Record<string, readonly string[]> = {},
): Promise<DestroyResult> {
  const perRegion = await Promise.all(
    located.regions.map(async (region) => {
      const found = located.instances.filter((f) => f.region === region);
      const ids = [...new Set([...found.map((f) => f.id), ...(knownIds[region] ?? [])])];
      if (ids.length === 0) return { terminated: [] as string[], remaining: [] };
      const waited = await terminateIn(ctx, region, ids);
      ctx.log.info(
        `${region}: ${terminatedText(waited)}` +
          (waited.remaining.length > 0
            ? `, ${waited.remaining.length} not yet: ${waited.remaining.map((r) => `${r.id} (${r.state})`).join(', ')}`
            : ''),
      );
      return waited;
    }),
  );
  return { regions: [...located.regions], found: [...located.instances], ...merge(perRegion) };
}

/**
 * Terminates the given instances (found earlier, e.g. the previous set of a deployment) and
 * waits for them, region by region.
 */
export async function terminateInstances(
  ctx: DestroyContext,
  instances: ReadonlyArray<{ id: string; region: string }>,
): Promise<Waited> {
  return merge(
    await Promise.all(
      [...byRegion(instances)].map(([region, ids]) => terminateIn(ctx, region, ids)),
    ),
  );
}

/** Terminates `ids` of one region (logged) and waits for them until the context's deadline. */
async function terminateIn(
  ctx: DestroyContext,
  region: string,
  ids: readonly string[],
): Promise<Waited> {
  const tctx = {
    ec2: ctx.clientsFor(region).ec2,
    clock: ctx.clock,
    poll: ctx.poll,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  ctx.log.info(
    `${region}: terminating ${ids.length} instance${ids.length === 1 ? '' : 's'}: ${ids.join(', ')}`,
  );
  const requested = await requestTermination(tctx, ids);
  const waited: TerminationWait = await waitTerminated(
    tctx,
    ids,
    ctx.timeoutMs,
    requested,
    ctx.goal ?? 'terminated',
  );
  return { ...waited, remaining: waited.remaining.map((r) => ({ ...r, region })) };
}
