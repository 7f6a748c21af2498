// Retiring a previous set: after the new one is healthy (replace) or before the launch
// (recreate). Terminates and waits (replace: until EC2 has each instance shutting-down, when
// billing stops; recreate: until terminated); what is left is a DeployError naming it.

import { DeployError, describeAwsError } from '../../aws/errors.ts';
import type { FoundInstance } from '../../aws/instances.ts';
import { survey } from '../../aws/locate.ts';
import { terminateInstances } from '../../destroy/destroy.ts';
import type { TerminationGoal } from '../../destroy/terminate.ts';
import { others } from '../../launch/concurrency.ts';
import { liveHolders, type StrategyContext } from '../../launch/strategy.ts';

/** How long a redeploy waits for the previous set to terminate. */
export const RETIRE_TIMEOUT_MS = 600_000;

const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/**
 * The previous set of the deployment as it is now: every live instance this deploy did not
 * launch itself (`launched`: every id it launched), leaving out any other run's fresh deploy
 * (which withdraws by itself; never touch it). Not "not tagged with this run": a second
 * deploy of the same id in one run must retire the first one's set.
 */
export async function previousSet(
  ctx: StrategyContext,
  launched: ReadonlySet<string>,
): Promise<FoundInstance[]> {
  const found = await survey(ctx, ctx.regions, { deploymentId: ctx.deploymentId });
  const rivals = new Set(
    others(liveHolders(ctx, found), ctx.runId).flatMap((h) => h.instances.map((i) => i.id)),
  );
  for (const id of rivals) ctx.log.warning(`${id} belongs to another run's deploy; left alone`);
  return found.filter((f) => !launched.has(f.id) && !rivals.has(f.id));
}

/**
 * Terminates `old` and waits up to `timeoutMs` for each to reach `goal`. Returns one line
 * for the report (naming those still shutting-down); throws a DeployError naming what is
 * left when termination failed or did not get that far.
 */
export async function retire(
  ctx: StrategyContext,
  old: readonly FoundInstance[],
  why: string,
  goal: TerminationGoal = 'terminated',
  timeoutMs = RETIRE_TIMEOUT_MS,
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
        goal,
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
      `${why}: the previous ${plural(res.remaining.length)} did not ${goal === 'terminated' ? 'terminate' : 'begin shutting down'} in ${Math.round(timeoutMs / 1000)} s: ` +
        res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(', '),
    );
  }
  const down = new Set(res.shuttingDown ?? []);
  const line =
    `${why}: terminated the previous ${plural(old.length)}: ` +
    old.map((o) => (down.has(o.id) ? `${o.id} (shutting-down)` : o.id)).join(', ');
  ctx.log.info(line);
  return line;
}
