// heal: the deployment already runs this plan (same manifest digest) but lost instances
// (EC2 reclaimed them), has unhealthy ones (not running, not Online in SSM, never finished a
// deploy) or ones EC2 recommends rebalancing (marked by status): launch only what is
// missing, with the plan's pools and fallback, deliver to the new instances alone, verify
// them, and only then terminate the unhealthy or flagged ones. The healthy ones get no
// command and keep serving. With nothing else to heal and prefer-spot, one instance that
// on-demand fallback launched is replaced by a spot one (spot only; while spot is short the
// on-demand one stays and the deploy succeeds). No input names it: it claims a deploy itself
// (decide.ts asks it before the input's strategy, unless force). All of it is in this file.

import type { FoundInstance } from '../../aws/instances.ts';
import { minHealthyCount } from '../../deliver/fleet.ts';
import type { MinHealthy } from '../../inputs.ts';
import type { Log } from '../../log.ts';
import { PHASE } from '../../launch/concurrency.ts';
import { TAG, type Plan } from '../../plan/types.ts';
import { instanceRecord } from '../../report/outputs.ts';
import type { DeployOutcome } from '../types.ts';
import { retire } from './retire.ts';
import { launchHooks, plural, type ClaimingStrategy, type RedeployStrategy } from './strategy.ts';

/** What a heal launches and retires, as its claim found it. */
export interface HealNeed {
  /** How many to launch, by region. */
  launch: Record<string, number>;
  /** The healthy instances that stay as they are. */
  keep: FoundInstance[];
  /** Terminated once the new instances are healthy. */
  retire: FoundInstance[];
  /** Launching spot only, to replace the on-demand instance in `retire`. */
  backToSpot: boolean;
  /** Why, one line each, for the log and the summary. */
  reasons: string[];
}

/** Why an instance of this plan cannot be counted as healthy, or undefined. */
function unhealthy(f: FoundInstance, offline: ReadonlySet<string>): string | undefined {
  if (f.state !== 'running') return `${f.id} is ${f.state}`;
  const phase = f.tags[TAG.phase] ?? PHASE.ready;
  if (phase === PHASE.rebalance) return `${f.id}: EC2 recommends rebalancing (status marked it)`;
  if (phase !== PHASE.ready) return `${f.id} never finished a deploy (${phase})`;
  if (offline.has(f.id)) return `${f.id} is not Online in SSM`;
  return undefined;
}

/**
 * What a heal does, or undefined when it does not apply: no instance, another plan, a
 * region the plan no longer uses, more healthy instances than planned (a strategy's work),
 * or nothing to heal. `offline`: the found ids not Online in SSM. Pure.
 */
export function healNeed(
  found: readonly FoundInstance[],
  plan: Plan,
  offline: ReadonlySet<string>,
  preferSpot: boolean,
): HealNeed | undefined {
  if (found.length === 0) return undefined;
  if (found.some((f) => f.tags[TAG.digest] !== plan.manifestDigest)) return undefined;
  const wanted = new Map(plan.regions.map((r) => [r.region, r.count]));
  if (found.some((f) => !wanted.has(f.region))) return undefined;
  const reasons: string[] = [];
  const keep: FoundInstance[] = [];
  const bad: FoundInstance[] = [];
  for (const f of found) {
    const why = unhealthy(f, offline);
    if (why) reasons.push(why);
    (why ? bad : keep).push(f);
  }
  const launch: Record<string, number> = {};
  for (const [region, count] of wanted) {
    const healthy = keep.filter((k) => k.region === region).length;
    if (healthy > count) return undefined;
    if (healthy < count) {
      launch[region] = count - healthy;
      reasons.unshift(`${region}: ${healthy} of ${plural(count)} healthy`);
    }
  }
  if (Object.keys(launch).length > 0)
    return { launch, keep, retire: bad, backToSpot: false, reasons };
  if (bad.length > 0 || !preferSpot) return undefined;
  const onDemand = keep.find((k) => k.lifecycle === 'on-demand');
  if (!onDemand) return undefined;
  return {
    launch: { [onDemand.region]: 1 },
    keep: keep.filter((k) => k !== onDemand),
    retire: [onDemand],
    backToSpot: true,
    reasons: [
      `${onDemand.id} is on-demand (on-demand fallback launched it); trying spot (prefer-spot)`,
    ],
  };
}

/** The plan of a heal: the missing count per region, spot only when back to spot. */
export function healPlan(plan: Plan, need: HealNeed): Plan {
  const regions = plan.regions
    .filter((r) => (need.launch[r.region] ?? 0) > 0)
    .map((r) => ({
      ...r,
      count: need.launch[r.region] ?? 0,
      ...(need.backToSpot ? { market: { ...r.market, onDemandFallback: false } } : {}),
    }));
  return { ...plan, regions };
}

/** min-healthy of a heal: what the whole deployment needs, less the instances that stay
 * (at least one new instance, at most all of them). */
export function healMinHealthy(spec: MinHealthy, plan: Plan, need: HealNeed): MinHealthy {
  const planned = plan.regions.reduce((n, r) => n + r.count, 0);
  const launching = Object.values(need.launch).reduce((a, b) => a + b, 0);
  const n = minHealthyCount(spec, planned) - need.keep.length;
  return { kind: 'count', n: Math.min(launching, Math.max(1, n)) };
}

/** Spot still not to be had when going back to spot (no capacity, a quota, the price):
 * the launch got none, nothing else was done; the deploy stands. */
function spotStillShort(need: HealNeed, outcome: DeployOutcome): boolean {
  return (
    need.backToSpot &&
    !outcome.ok &&
    outcome.records.length === 0 &&
    outcome.report.steps.length === 0 &&
    /^[^\n]*: launched 0 of /.test(outcome.error ?? '')
  );
}

/** The outcome of the deployment as a whole: the new instances and those that stayed. */
function withKept(outcome: DeployOutcome, kept: readonly FoundInstance[]): DeployOutcome {
  const records = [...kept.map((k) => instanceRecord(k, 'healthy')), ...outcome.records];
  return {
    ...outcome,
    records,
    regions: [...new Set([...kept.map((k) => k.region), ...outcome.regions])],
    report: { ...outcome.report, instances: [...records] },
  };
}

/** The heal of `need`: the strategy its claim answers with. */
function healing(need: HealNeed): RedeployStrategy {
  return {
    name: 'heal',
    deployed: 'healed',
    async prepare(s) {
      const n = Object.values(need.launch).reduce((a, b) => a + b, 0);
      const what = need.backToSpot ? 'a spot instance' : plural(n);
      const line = `heal: ${need.reasons.join('; ')}; launching ${what}, then retiring ${need.retire.map((r) => r.id).join(', ') || 'nothing'}`;
      s.ctx.log.info(line);
      return { plan: healPlan(s.plan, need), notes: [line] };
    },
    minHealthy: (s, asked) => healMinHealthy(asked, s.plan, need),
    hooks: launchHooks,
    healed: (outcome, launched) => outcome.records.filter((r) => launched.has(r.id)).length,
    around: (s, deploy) => aroundHeal(s.ctx.log, need, deploy),
    async retire(s, launched) {
      // Nothing launched (spot still short): nothing is retired.
      if (launched.size === 0 || need.retire.length === 0) return [];
      return [
        await s.ctx.log.group('Terminate the instances the heal replaced', () =>
          retire(s.ctx, need.retire, 'heal', 'shutting-down'),
        ),
      ];
    },
    serving: () => {
      const all = [...need.keep, ...need.retire];
      return {
        records: all.map((f) => instanceRecord(f, 'unknown')),
        notes: [`heal: the ${plural(all.length)} running before keep serving`],
      };
    },
  };
}

/** The deploy of the missing instances, and the deployment as a whole after it. */
async function aroundHeal(
  log: Log,
  need: HealNeed,
  deploy: () => Promise<DeployOutcome>,
): Promise<DeployOutcome> {
  const outcome = await deploy();
  if (spotStillShort(need, outcome)) {
    const why = (outcome.error ?? '').split('\n')[0]?.replace(/: launched 0 of .*/, '');
    const line = `prefer-spot: spot is still short (${why}); ${need.retire.map((r) => r.id).join(', ')} stays on-demand`;
    log.info(line);
    const { error: _e, ...rest } = outcome;
    const ok = { ...rest, ok: true };
    ok.report = { ...ok.report, outcome: 'succeeded', cleanup: [...ok.report.cleanup, line] };
    delete ok.report.reason;
    return withKept(ok, [...need.keep, ...need.retire]);
  }
  return outcome.ok ? withKept(outcome, need.keep) : outcome;
}

export const heal: ClaimingStrategy = {
  name: 'heal',
  claim(s, health) {
    const need = healNeed(s.found, s.plan, health.offline, health.preferSpot);
    return need ? healing(need) : undefined;
  },
};
