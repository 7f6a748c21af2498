// The pure parts of redeploys: who holds a deployment (deploying or updating, within the
// window, earlier attempts and other states ignored), the tie-break every run computes the
// same way, the comparison that makes a deploy a no-op, what an update cannot change, and
// the strategy and force inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FoundInstance } from '../../src/aws/instances.ts';
import { readInputs, parseStrategy } from '../../src/inputs.ts';
import {
  busyMessage,
  decide,
  holders,
  isEarlierAttempt,
  LOCK_WINDOW_MS,
  others,
  runUrl,
  UPDATING_PREFIX,
} from '../../src/launch/concurrency.ts';
import { differences, updateCaveats } from '../../src/launch/existing.ts';
import { TAG } from '../../src/plan/types.ts';
import { makePlan, regionPlan } from '../../__fixtures__/plan.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const DIGEST = 'f'.repeat(64);

function inst(id: string, over: Partial<FoundInstance> = {}, tags: Record<string, string> = {}) {
  return {
    id,
    region: 'us-east-1',
    state: 'running',
    instanceType: 't3.micro',
    lifecycle: 'spot',
    launchTime: ago(60_000),
    ...over,
    tags: {
      [TAG.deployment]: 'acme/web/main',
      [TAG.repository]: 'acme/web',
      [TAG.digest]: DIGEST,
      ...tags,
    },
  } satisfies FoundInstance;
}

test('holders: runs deploying (by launch time) or updating (by mark) within the window', () => {
  const found = [
    inst('i-ready', {}, { [TAG.run]: '10-1', [TAG.phase]: 'ready' }),
    inst('i-old', {}, { [TAG.run]: '10-1' }),
    inst('i-a1', { launchTime: ago(30_000) }, { [TAG.run]: '20-1', [TAG.phase]: 'deploying' }),
    inst('i-a2', { launchTime: ago(40_000) }, { [TAG.run]: '20-1', [TAG.phase]: 'deploying' }),
    // Crashed an hour ago: no longer counts.
    inst(
      'i-stale',
      { launchTime: ago(LOCK_WINDOW_MS) },
      { [TAG.run]: '5-1', [TAG.phase]: 'deploying' },
    ),
    // Shutting down: not at work any more.
    inst('i-down', { state: 'shutting-down' }, { [TAG.run]: '6-1', [TAG.phase]: 'deploying' }),
    inst('i-kept', {}, { [TAG.run]: '7-1', [TAG.phase]: 'failed' }),
    inst('i-upd', {}, { [TAG.run]: '10-1', [`${UPDATING_PREFIX}30-2`]: ago(5_000) }),
  ];
  const h = holders(found, NOW);
  assert.deepEqual(
    h.map((x) => [x.runId, x.what, NOW - x.since, x.instances.map((i) => i.id)]),
    [
      ['20-1', 'deploying', 40_000, ['i-a1', 'i-a2']],
      ['30-2', 'updating', 5_000, ['i-upd']],
    ],
  );
  assert.deepEqual(
    others(h, '30-2').map((x) => x.runId),
    ['20-1'],
  );
  assert.deepEqual(holders([], NOW), []);
});

test('an earlier attempt of the same workflow run is over; other runs and local ids are not', () => {
  assert.equal(isEarlierAttempt('100-1', '100-2'), true);
  assert.equal(isEarlierAttempt('100-2', '100-1'), false);
  assert.equal(isEarlierAttempt('99-1', '100-2'), false);
  assert.equal(isEarlierAttempt('local-abc', 'local-abd'), false);
  const found = [inst('i-1', {}, { [TAG.run]: '100-1', [TAG.phase]: 'deploying' })];
  assert.deepEqual(others(holders(found, NOW), '100-2'), []);
  assert.equal(others(holders(found, NOW), '101-1').length, 1);
});

test('tie-break: the earliest start goes on, then the lower run id, the same for every run', () => {
  const deploying = (id: string, run: string, msAgo: number) =>
    inst(id, { launchTime: ago(msAgo) }, { [TAG.run]: run, [TAG.phase]: 'deploying' });
  const seen = holders([deploying('i-1', '200-1', 3_000), deploying('i-2', '150-1', 2_000)], NOW);
  assert.deepEqual(decide(seen, '200-1'), { proceed: true });
  const loser = decide(seen, '150-1');
  assert.equal(loser.proceed, false);
  assert.equal(!loser.proceed && loser.winner.runId, '200-1');
  // Same launch time: run ids compare as numbers (9 before 10).
  const tie = holders([deploying('i-1', '10-1', 1_000), deploying('i-2', '9-1', 1_000)], NOW);
  assert.deepEqual(decide(tie, '9-1'), { proceed: true });
  assert.equal(decide(tie, '10-1').proceed, false);
  // A run that cannot see its own instances yet yields to any rival it sees.
  assert.equal(decide(holders([deploying('i-2', '150-1', 1_000)], NOW), '999-1').proceed, false);
  assert.deepEqual(decide([], '1-1'), { proceed: true });
});

test('messages name the run with its link and the concurrency group', () => {
  const h = holders([inst('i-1', {}, { [TAG.run]: '4242-3', [TAG.phase]: 'deploying' })], NOW);
  assert.equal(
    runUrl(h[0] as (typeof h)[0], 'https://github.com/'),
    'https://github.com/acme/web/actions/runs/4242/attempts/3',
  );
  assert.equal(runUrl({ runId: 'local-x', repository: 'acme/web' }, 'https://github.com'), '');
  const m = busyMessage('acme/web/main', h, 'https://github.com');
  assert.match(
    m,
    /run 4242-3 \(https:\/\/github.com\/acme\/web\/actions\/runs\/4242\/attempts\/3\)/,
  );
  assert.match(m, /i-1 \(us-east-1\)/);
  assert.match(m, /concurrency: \{ group: spot-deploy-/);
  assert.match(m, /stop counting at 2025-06-01T12:59:00.000Z/);
});

test('differences: a deploy is a no-op only when every instance runs the plan, ready, where the plan says', () => {
  const plan = makePlan({ regions: [regionPlan('us-east-1', { count: 2 })] });
  const ready = (id: string, over: Partial<FoundInstance> = {}, tags = {}) =>
    inst(id, over, { [TAG.phase]: 'ready', ...tags });
  assert.equal(differences([ready('i-1'), ready('i-2')], plan), undefined);
  // Instances from before the phase tag existed count as ready.
  assert.equal(differences([inst('i-1'), inst('i-2')], plan), undefined);
  assert.match(differences([], plan) ?? '', /no instances/);
  assert.match(
    differences([ready('i-1'), ready('i-2', {}, { [TAG.digest]: 'a'.repeat(64) })], plan) ?? '',
    /the plan changed: manifest digest ffffffffffff, the instances have aaaaaaaaaaaa/,
  );
  assert.match(
    differences([ready('i-1')], plan) ?? '',
    /us-east-1 has 1 instance, the plan asks for 2/,
  );
  assert.match(
    differences([ready('i-1'), ready('i-2', { state: 'pending' })], plan) ?? '',
    /not every instance is running: i-2 pending/,
  );
  assert.match(
    differences([ready('i-1'), inst('i-2', {}, { [TAG.phase]: 'failed' })], plan) ?? '',
    /never finished a deploy: i-2 \(failed\)/,
  );
  assert.match(
    differences([ready('i-1'), ready('i-2'), ready('i-3', { region: 'eu-west-1' })], plan) ?? '',
    /1 instance in eu-west-1, which the plan no longer uses/,
  );
});

test('update caveats: regions, counts and instance types only a launch changes', () => {
  const plan = makePlan({
    regions: [regionPlan('us-east-1', { count: 2 }), regionPlan('eu-west-1', { count: 1 })],
  });
  assert.deepEqual(
    updateCaveats(
      [
        inst('i-1'),
        inst('i-2', { instanceType: 'm5.large' }),
        inst('i-3', { region: 'ap-south-1' }),
      ],
      plan,
    ),
    [
      'us-east-1: i-2 is m5.large; the plan launches t3.micro',
      '1 instance in ap-south-1, which the plan no longer uses',
      'eu-west-1: no instance, the plan asks for 1',
    ],
  );
  assert.deepEqual(
    updateCaveats(
      [inst('i-1'), inst('i-2')],
      makePlan({ regions: [regionPlan('us-east-1', { count: 2 })] }),
    ),
    [],
  );
});

test('inputs: strategy (default replace), force, github-token', () => {
  const none = readInputs(() => '');
  assert.deepEqual([none.strategy, none.force, none.githubToken], ['replace', false, '']);
  const set = readInputs(
    (n) => ({ strategy: 'update', force: 'true', 'github-token': ' ghs_x ' })[n] ?? '',
  );
  assert.deepEqual([set.strategy, set.force, set.githubToken], ['update', true, 'ghs_x']);
  assert.equal(parseStrategy('recreate'), 'recreate');
  assert.throws(
    () => parseStrategy('blue-green'),
    /input 'strategy' must be one of replace, update, recreate; got 'blue-green'/,
  );
  assert.throws(
    () => readInputs((n) => (n === 'force' ? 'yes' : '')),
    /input 'force' must be true or false/,
  );
});
