// A redeploy strategy: what a deploy does about the set that runs now. Each is one module
// behind this interface (replace.ts, update.ts, recreate.ts; heal.ts, which no input names,
// claims a deploy itself); a new one is one more file and one more entry in STRATEGY_MODULES.

import type { FoundInstance } from '../../aws/instances.ts';
import type { MinHealthy, Strategy } from '../../inputs.ts';
import type { LaunchedInstance } from '../../launch/launch.ts';
import { PHASE } from '../../launch/concurrency.ts';
import { concurrencyCheck, tagInstances, type StrategyContext } from '../../launch/strategy.ts';
import { TAG, type Plan } from '../../plan/types.ts';
import type { InstanceRecord } from '../../report/outputs.ts';
import type { DeployHooks, DeployOutcome } from '../types.ts';

/** What a strategy decides with: the world, the plan, and the deployment as it runs now. */
export interface StrategyInput {
  ctx: StrategyContext;
  plan: Plan;
  /** The deployment's live instances before this deploy. */
  found: readonly FoundInstance[];
}

/** What decide.ts knows of what runs now, beyond the instances (for a strategy's claim). */
export interface Health {
  /** The found instances not Online in SSM (asked only when they all run this plan). */
  offline: ReadonlySet<string>;
  /** The input prefer-spot. */
  preferSpot: boolean;
}

/**
 * A strategy no input names, which claims a deploy itself from what runs now (heal: the
 * deployment runs this plan but lost or holds unhealthy instances). decide.ts asks every
 * such module before the input's strategy, unless force; the claim is the strategy bound to
 * what it found, or undefined.
 */
export interface ClaimingStrategy {
  readonly name: string;
  claim(s: StrategyInput, health: Health): RedeployStrategy | undefined;
}

/** What a strategy's `prepare` decided: whom to deliver to, what to launch. */
export interface Prepared {
  /** Deliver to these instances instead of launching the plan's new set (update). */
  inPlace?: LaunchedInstance[];
  /** What to launch instead of the whole plan (a heal: the missing instances). */
  plan?: Plan;
  /** The previous set is retired already, before anything is launched (recreate): the
   * report's time table shows `prepare`'s time as the retire phase. */
  retiredFirst?: boolean;
  /** Lines for the report. */
  notes: string[];
}

export interface RedeployStrategy {
  readonly name: string;
  /** How the log's last line calls a successful deploy of it ("updated in place"). */
  readonly deployed?: string;
  /** Whether it can work on what runs now; when not, `fallback` names the one that does. */
  applies?(s: StrategyInput): boolean;
  fallback?: { strategy: Strategy; why: string };
  /** Before anything is launched or delivered: what to launch, or whom to deliver to. */
  prepare(s: StrategyInput): Promise<Prepared>;
  /** The min-healthy of the deploy it runs, from the input's (default: the input's). */
  minHealthy?(s: StrategyInput, asked: MinHealthy): MinHealthy;
  /** The hooks of the deploy (concurrency checks, tags on success or on keep-failed). */
  hooks(s: StrategyInput): DeployHooks;
  /** Runs the deploy; a strategy may wrap it (update marks its instances while it works). */
  around?(s: StrategyInput, deploy: () => Promise<DeployOutcome>): Promise<DeployOutcome>;
  /** After a healthy deploy: what to retire, as report lines; `launched` is every id this
   * deploy launched. Throws a DeployError when the retirement failed. */
  retire(s: StrategyInput, launched: ReadonlySet<string>): Promise<string[]>;
  /** After a failed deploy: what serves now (for the preview comment) and report lines. */
  serving(s: StrategyInput, outcome: DeployOutcome): { records: InstanceRecord[]; notes: string[] };
  /** How many instances it healed, of those the deploy launched (`launched`) and left
   * running; when it has this, the deploy changed the deployment only when it healed any
   * (default: changed, none healed). */
  healed?(outcome: DeployOutcome, launched: ReadonlySet<string>): number;
}

/** The hooks of a deploy that launches a new set: the concurrency check after the launch
 * and before the first command; healthy instances tagged ready, kept ones failed. */
export function launchHooks(s: StrategyInput): DeployHooks {
  const check = concurrencyCheck(s.ctx);
  return {
    afterLaunch: check,
    beforeDeliver: check,
    onHealthy: (members) => tagInstances(s.ctx, members, { [TAG.phase]: PHASE.ready }),
    onKept: (kept) =>
      tagInstances(
        s.ctx,
        Object.entries(kept).flatMap(([region, ids]) => ids.map((id) => ({ id, region }))),
        { [TAG.phase]: PHASE.failed },
      ),
  };
}

export const plural = (n: number, what = 'instance') => `${n} ${what}${n === 1 ? '' : 's'}`;
