// The redeploy strategies by name, and the choice of the one that applies: a strategy that
// claims the deploy itself (heal), else the one the input names, or the one it falls back to.

import type { Strategy } from '../../inputs.ts';
import type { Log } from '../../log.ts';
import { heal } from './heal.ts';
import { recreate } from './recreate.ts';
import { replace } from './replace.ts';
import type { ClaimingStrategy, Health, RedeployStrategy, StrategyInput } from './strategy.ts';
import { update } from './update.ts';

export type { Health, RedeployStrategy, StrategyInput } from './strategy.ts';

export const STRATEGY_MODULES = {
  replace,
  update,
  recreate,
  heal,
} as const satisfies Record<string, RedeployStrategy | ClaimingStrategy>;

/** The first strategy that claims this deploy from what runs now, bound to what it found. */
export function claimedStrategy(s: StrategyInput, health: Health): RedeployStrategy | undefined {
  for (const m of Object.values(STRATEGY_MODULES)) {
    const claimed = 'claim' in m ? m.claim(s, health) : undefined;
    if (claimed) return claimed;
  }
  return undefined;
}

/** The strategy asked for, or the one it falls back to when it cannot work on what runs. */
export function chooseStrategy(asked: Strategy, s: StrategyInput, log: Log): RedeployStrategy {
  const chosen: RedeployStrategy = STRATEGY_MODULES[asked];
  if (!chosen.applies || chosen.applies(s) || !chosen.fallback) return chosen;
  log.info(chosen.fallback.why);
  return STRATEGY_MODULES[chosen.fallback.strategy];
}
