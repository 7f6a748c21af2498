// strategy update: deliver the new version to the running instances in place. Nothing is
// launched and nothing terminated: a failure leaves the instances as they are (the next
// deploy delivers again). The instances carry this run's `updating` mark while it works.
// With no running instance there is nothing to update: the deploy launches, as replace.

import { describeAwsError } from '../../aws/errors.ts';
import { LOCK_WINDOW_MS, UPDATING_PREFIX } from '../../launch/concurrency.ts';
import { asLaunched, updateCaveats } from '../../launch/existing.ts';
import {
  concurrencyCheck,
  tagInstances,
  untagInstances,
  updatedTags,
} from '../../launch/strategy.ts';
import type { RedeployStrategy, StrategyInput } from './strategy.ts';

const running = (s: StrategyInput) =>
  s.found.filter((f) => f.state === 'running' || f.state === 'pending');

export const update: RedeployStrategy = {
  name: 'update',
  deployed: 'updated in place',
  applies: (s) => running(s).length > 0,
  fallback: {
    strategy: 'replace',
    why: 'update: the deployment has no running instance to update; launching a new set',
  },
  async prepare(s) {
    const live = running(s);
    for (const c of updateCaveats(live, s.plan)) {
      s.ctx.log.warning(
        `update: ${c}; an update delivers to the existing instances as they are (strategy replace or recreate applies it)`,
      );
    }
    return { inPlace: live.map(asLaunched), notes: [] };
  },
  hooks(s) {
    const check = concurrencyCheck(s.ctx);
    return {
      afterLaunch: check,
      beforeDeliver: check,
      onHealthy: (members) => tagInstances(s.ctx, members, updatedTags(s.plan)),
    };
  },
  /** Marks the instances as being updated by this run (the concurrency check then sees it),
   * and removes the mark whatever happens. */
  async around(s, deploy) {
    const { ctx } = s;
    const live = running(s);
    const mark = `${UPDATING_PREFIX}${ctx.runId}`;
    await tagInstances(ctx, live, { [mark]: new Date(ctx.clock.now()).toISOString() });
    try {
      return await deploy();
    } finally {
      // On its own short deadline: the deploy's signal may be aborted (cancellation).
      await untagInstances(
        { clientsFor: ctx.clientsFor, signal: AbortSignal.timeout(10_000) },
        live,
        [mark],
      ).catch((err: unknown) =>
        ctx.log.warning(
          `could not remove the tag ${mark} from ${live.map((l) => l.id).join(', ')}: ${describeAwsError(err)}; ` +
            `other deploys of ${ctx.deploymentId} wait for it until ${new Date(ctx.clock.now() + LOCK_WINDOW_MS).toISOString()}`,
        ),
      );
    }
  },
  retire: async () => [],
  serving: (_s, outcome) => ({ records: outcome.records, notes: [] }),
};
