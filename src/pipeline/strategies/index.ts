// The redeploy strategies by name, and the choice of the one that applies.

import type { Strategy } from '../../inputs.ts';
import type { Log } from '../../log.ts';
import { heal } from './heal.ts';
import { recreate } from './recreate.ts';
import { replace } from './replace.ts';
import type { RedeployStrategy, StrategyInput, StrategyName } from './strategy.ts';
import { update } from './update.ts';

export type { RedeployStrategy, StrategyInput, StrategyName } from './strategy.ts';
export { healMinHealthy, healNeed, type HealNeed } from './heal.ts';

export const STRATEGY_MODULES: Readonly<Record<StrategyName, RedeployStrategy>> = {
  replace,
  update,
  recreate,
  heal,
};

/** The strategy asked for, or the one it falls back to when it cannot work on what runs. */
export function chooseStrategy(asked: Strategy, s: StrategyInput, log: Log): RedeployStrategy {
  const chosen = STRATEGY_MODULES[asked];
  if (!chosen.applies || chosen.applies(s) || !chosen.fallback) return chosen;
  log.info(chosen.fallback.why);
  return STRATEGY_MODULES[chosen.fallback.strategy];
}
