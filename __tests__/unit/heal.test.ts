// The heal decision (pure): when a deployment of this plan lost or holds unhealthy or flagged
// instances, launch the missing count and retire the bad ones; back to spot one at a time
// with prefer-spot; anything else is a strategy's work (undefined). And status's assessment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FoundInstance } from '../../src/aws/instances.ts';
import { TAG } from '../../src/plan/types.ts';
import { healMinHealthy, healNeed, healPlan } from '../../src/pipeline/strategies/heal.ts';
import { claimedStrategy, STRATEGY_MODULES } from '../../src/pipeline/strategies/index.ts';
import type { StrategyInput } from '../../src/pipeline/strategies/strategy.ts';
import { assess, lostInstances, type StatusRecord } from '../../src/report/degraded.ts';
import { instanceRecord } from '../../src/report/outputs.ts';
import { makePlan, regionPlan } from '../../__fixtures__/plan.ts';

const plan = makePlan({
  regions: [regionPlan('us-east-1', { count: 3, market: { onDemandFallback: true } })],
});
const DIGEST = plan.manifestDigest;

let n = 0;
const inst = (over: Partial<FoundInstance> = {}, tags: Record<string, string> = {}) =>
  ({
    id: `i-${String(++n).padStart(4, '0')}`,
    region: 'us-east-1',
    state: 'running',
    instanceType: 't3.micro',
    lifecycle: 'spot',
    ...over,
    tags: { [TAG.digest]: DIGEST, [TAG.phase]: 'ready', ...tags },
  }) satisfies FoundInstance;

const none = new Set<string>();

test('a whole, healthy deployment of this plan: nothing to heal', () => {
  assert.equal(healNeed([inst(), inst(), inst()], plan, none, true), undefined);
});

test('2 of 3 left: launch 1, keep both, retire nothing', () => {
  const two = [inst(), inst()];
  const need = healNeed(two, plan, none, true);
  assert.ok(need);
  assert.deepEqual(need.launch, { 'us-east-1': 1 });
  assert.deepEqual(need.keep, two);
  assert.deepEqual(need.retire, []);
  assert.equal(need.backToSpot, false);
  assert.deepEqual(need.reasons, ['us-east-1: 2 of 3 instances healthy']);
  const healing = healPlan(plan, need);
  assert.equal(healing.regions[0]?.count, 1);
  assert.equal(healing.regions[0]?.market.onDemandFallback, true, 'the same fallback rules');
  assert.equal(healing.manifestDigest, DIGEST);
});

test('unhealthy or flagged instances are replaced: not Online, not running, not ready, rebalance', () => {
  const ok = inst();
  const offline = inst();
  const stopping = inst({ state: 'shutting-down' });
  const failed = inst({}, { [TAG.phase]: 'failed' });
  const flagged = inst({}, { [TAG.phase]: 'rebalance' });
  const need = healNeed(
    [ok, offline, stopping, failed, flagged],
    makePlan({ regions: [regionPlan('us-east-1', { count: 5 })] }),
    new Set([offline.id]),
    true,
  );
  assert.ok(need);
  assert.deepEqual(need.launch, { 'us-east-1': 4 });
  assert.deepEqual(need.keep, [ok]);
  assert.deepEqual(need.retire, [offline, stopping, failed, flagged]);
  assert.deepEqual(need.reasons, [
    'us-east-1: 1 of 5 instances healthy',
    `${offline.id} is not Online in SSM`,
    `${stopping.id} is shutting-down`,
    `${failed.id} never finished a deploy (failed)`,
    `${flagged.id}: EC2 recommends rebalancing (status marked it)`,
  ]);
});

test('not a heal: no instance, another digest, a region the plan left, more than planned', () => {
  assert.equal(healNeed([], plan, none, true), undefined);
  assert.equal(healNeed([inst({}, { [TAG.digest]: 'e'.repeat(64) })], plan, none, true), undefined);
  assert.equal(healNeed([inst({ region: 'eu-west-1' })], plan, none, true), undefined);
  assert.equal(healNeed([inst(), inst(), inst(), inst()], plan, none, true), undefined);
});

test('back to spot: one on-demand instance at a time, spot only; not with prefer-spot false', () => {
  const od1 = inst({ lifecycle: 'on-demand' });
  const od2 = inst({ lifecycle: 'on-demand' });
  const spot = inst();
  const need = healNeed([spot, od1, od2], plan, none, true);
  assert.ok(need);
  assert.equal(need.backToSpot, true);
  assert.deepEqual(need.launch, { 'us-east-1': 1 });
  assert.deepEqual(need.retire, [od1]);
  assert.deepEqual(need.keep, [spot, od2]);
  assert.equal(healPlan(plan, need).regions[0]?.market.onDemandFallback, false);
  assert.equal(healNeed([spot, od1, od2], plan, none, false), undefined);
  // Something lost first: the heal launches with the fallback, on-demand ones stay for later.
  const lost = healNeed([od1, od2], plan, none, true);
  assert.equal(lost?.backToSpot, false);
  assert.deepEqual(lost?.retire, []);
});

test("a heal's min-healthy is the deployment's, less what stays (at least 1, at most all new)", () => {
  const need = healNeed([inst()], plan, none, true);
  assert.ok(need);
  assert.deepEqual(healMinHealthy({ kind: 'all' }, plan, need), { kind: 'count', n: 2 });
  assert.deepEqual(healMinHealthy({ kind: 'count', n: 2 }, plan, need), { kind: 'count', n: 1 });
  assert.deepEqual(healMinHealthy({ kind: 'percent', p: 10 }, plan, need), { kind: 'count', n: 1 });
});

test('heal is a strategy module', () => {
  assert.equal(STRATEGY_MODULES.heal.name, 'heal');
});

test('heal claims a deploy itself, bound to what it found, only when there is something to heal', () => {
  const input = (found: FoundInstance[]) => ({ plan, found }) as unknown as StrategyInput;
  const health = { offline: none, preferSpot: true };
  assert.equal(claimedStrategy(input([inst(), inst(), inst()]), health), undefined);
  assert.equal(claimedStrategy(input([]), health), undefined);
  const claimed = claimedStrategy(input([inst(), inst()]), health);
  assert.equal(claimed?.name, 'heal');
  assert.deepEqual(claimed?.minHealthy?.(input([]), { kind: 'all' }), { kind: 'count', n: 1 });
  const flagged = inst();
  const offline = claimedStrategy(input([inst(), inst(), flagged]), {
    offline: new Set([flagged.id]),
    preferSpot: true,
  });
  // What serves if it fails: the three that ran before, the offline one too.
  assert.equal(offline?.serving(input([]), { ok: false } as never).records.length, 3);
});

const rec = (f: FoundInstance, health: string, more: Partial<StatusRecord> = {}): StatusRecord => ({
  ...instanceRecord(f, health),
  services: {},
  ...more,
});

test('status: degraded when fewer healthy than planned, unhealthy or flagged; lost listed', () => {
  const a = inst();
  const b = inst();
  const gone = inst({
    state: 'terminated',
    stateReason: 'Server.SpotInstanceTermination',
    stateTime: '2026-12-01T20:00:00Z',
  });
  const retired = inst({ state: 'terminated', stateReason: 'Client.UserInitiatedShutdown' });
  const lost = lostInstances([a, b, gone, retired]);
  assert.deepEqual(lost, [gone]);
  const r = assess(3, [rec(a, 'healthy'), rec(b, 'healthy')], lost);
  assert.equal(r.degraded, true);
  assert.equal(r.healthy, 2);
  assert.deepEqual(r.reasons, ['2 of 3 planned instances healthy']);
  assert.deepEqual(r.lost, [
    `${gone.id} (us-east-1, spot) terminated: Server.SpotInstanceTermination at 2026-12-01T20:00:00Z`,
  ]);

  const whole = assess(2, [rec(a, 'healthy'), rec(b, 'healthy')], lost);
  assert.equal(whole.degraded, false, 'healed: the lost one is history');
  assert.equal(whole.lost.length, 1);

  const flagged = assess(
    2,
    [
      rec(a, 'healthy', { rebalance: 'T' }),
      rec(b, 'unhealthy', { cause: 'service web is failed' }),
    ],
    [],
  );
  assert.deepEqual(flagged.reasons, [
    '1 of 2 planned instances healthy',
    `${b.id} is unhealthy: service web is failed`,
    `${a.id}: EC2 recommends rebalancing (notice T)`,
  ]);

  const noManifest = assess(undefined, [rec(a, 'unknown')], []);
  assert.equal(noManifest.degraded, false, 'without the manifest, health is unknown, not bad');
});
