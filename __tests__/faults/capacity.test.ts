// Fault: not enough spot capacity, on the local cloud's simulated backend (capacity caps per
// market, type and region). The first pool empty → the next pool; every spot pool empty →
// a failure naming every pool tried, or on-demand with the fallback on; a partial fleet →
// a failure (min-healthy all) or a smaller healthy set (min-healthy 2). Each asserts what is
// left in the cloud: exactly the healthy set, or nothing of the run.
// (__tests__/deploy/e2e-capacity.test.ts runs the first three on real containers; this adds
// the inventory checks and the partial fleet.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import type { AppOptions } from '../../__fixtures__/app.ts';
import type { ActionRun } from '../../__fixtures__/action.ts';
import { explain, instancesOfRun } from '../../__fixtures__/e2e.ts';
import {
  assertExactlyAlive,
  assertNothingOfRun,
  deployApp,
  postStep,
  simulated,
  type Deployed,
} from './support.ts';

function deploy(
  capacity: Record<string, number>,
  app: AppOptions,
  inputs: Record<string, string> = {},
): Promise<Deployed> {
  return deployApp(simulated({ capacity }), app, inputs);
}

const records = (r: ActionRun) => JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];

test('the first pool has no spot capacity: the next pool serves, nothing else is left', async () => {
  const d = await deploy(
    { 'spot:t3.micro@us-west-2': 0 },
    { instanceTypes: ['t3.micro', 't3a.micro'], total: 2 },
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'ok'],
    ]);
    assert.match(
      d.r.summary,
      /t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3a\.micro in any zone \(spot\): 2\/2/,
    );
    const recs = records(d.r);
    assert.deepEqual(
      recs.map((x) => [x.type, x.lifecycle, x.health]),
      [
        ['t3a.micro', 'spot', 'healthy'],
        ['t3a.micro', 'spot', 'healthy'],
      ],
    );
    await assertExactlyAlive(
      d.cloud,
      d.deploymentId,
      recs.map((x) => x.id),
    );
    assert.ok(d.cloud.instances().every((i) => i.type === 't3a.micro' && i.lifecycle === 'spot'));
  } finally {
    await d.cloud.close();
  }
});

test('capacity errors are HTTP 500 on EC2: each empty pool costs one RunInstances, the third pool launches', async () => {
  const d = await deploy(
    { 'spot:t3.micro@us-west-2': 0, 'spot:t3a.micro@us-west-2': 0 },
    { instanceTypes: ['t3.micro', 't3a.micro', 't2.micro'], total: 1 },
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    const refused = d.cloud.calls().filter((c) => c.error === 'InsufficientInstanceCapacity');
    assert.deepEqual(
      refused.map((c) => c.status),
      [500, 500],
      'the local cloud answers capacity errors as EC2 does (server errors)',
    );
    // Not retried by the SDK: one call per empty pool, then the next pool at once.
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t2.micro', 'spot', 'ok'],
    ]);
  } finally {
    await d.cloud.close();
  }
});

test('every spot pool empty, no fallback: the deploy fails naming each pool, nothing is launched', async () => {
  const d = await deploy(
    { 'spot:*@eu-west-1': 0 },
    { region: 'eu-west-1', instanceTypes: ['t3.micro', 't3a.micro'], total: 2 },
  );
  try {
    assert.equal(d.r.code, 1, explain(d.r));
    assert.equal(d.r.errors.length, 1);
    assert.match(
      d.r.errors[0] ?? '',
      /^deploy failed: not enough capacity: launched 0 of 2, 2 needed\neu-west-1: launched 0 of 2; tried t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3a\.micro in any zone \(spot\): InsufficientInstanceCapacity\n\(on-demand fallback is off\)$/,
    );
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
    ]);
    assert.deepEqual(JSON.parse(d.r.outputs['instance-ids'] ?? ''), []);
    const post = await postStep(d.cloud, d.runId, d.r);
    assert.match(post.stdout, /no instance of run \d+-1 is left in eu-west-1/);
    assert.deepEqual(d.cloud.instances(), []);
  } finally {
    await d.cloud.close();
  }
});

test('every spot pool empty, on-demand fallback on: on-demand serves, the user is told, nothing else is left', async () => {
  const d = await deploy(
    { 'spot:*@eu-west-1': 0 },
    { region: 'eu-west-1', instanceTypes: ['t3.micro', 't3a.micro'], total: 2 },
    { 'on-demand-fallback': 'true' },
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3.micro', 'on-demand', 'ok'],
    ]);
    assert.match(
      d.r.stdout,
      /::warning::eu-west-1: spot capacity ran out; launched 2 on-demand \(on-demand fallback\)/,
    );
    const recs = records(d.r);
    assert.deepEqual(
      recs.map((x) => [x.lifecycle, x.health]),
      [
        ['on-demand', 'healthy'],
        ['on-demand', 'healthy'],
      ],
    );
    await assertExactlyAlive(
      d.cloud,
      d.deploymentId,
      recs.map((x) => x.id),
    );
    assert.ok(d.cloud.instances().every((i) => i.lifecycle === 'on-demand'));
  } finally {
    await d.cloud.close();
  }
});

test('a partial fleet (2 of 3) with min-healthy all: the deploy fails and terminates the two', async () => {
  const d = await deploy(
    { 'spot:*@us-west-2': 2 },
    { instanceTypes: ['t3.micro', 't3a.micro'], total: 3 },
  );
  try {
    assert.equal(d.r.code, 1, explain(d.r));
    assert.match(
      d.r.errors.join('\n'),
      /^deploy failed: not enough capacity: launched 2 of 3, 3 needed\nus-west-2: launched 2 of 3; tried t3\.micro in any zone \(spot\): 2\/3; t3a\.micro in any zone \(spot\): InsufficientInstanceCapacity\n\(on-demand fallback is off\)$/,
    );
    assert.deepEqual(d.launches, [
      ['t3.micro', 'spot', 'ok'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
    ]);
    const launched = instancesOfRun(d.cloud, d.runId);
    assert.equal(launched.length, 2);
    // The main step itself terminates what it launched, before the post step runs.
    assert.match(d.r.stdout, /terminated 2 instances of this run/);
    await assertNothingOfRun(d.cloud, d.runId);
    const post = await postStep(d.cloud, d.runId, d.r);
    assert.match(post.stdout, /no instance of run \d+-1 is left in us-west-2/);
    await assertNothingOfRun(d.cloud, d.runId);
  } finally {
    await d.cloud.close();
  }
});

test('a partial fleet (2 of 3) with min-healthy 2: the deploy succeeds with two, says what is missing', async () => {
  const d = await deploy(
    { 'spot:*@us-west-2': 2 },
    { instanceTypes: ['t3.micro', 't3a.micro'], total: 3 },
    { 'min-healthy': '2' },
  );
  try {
    assert.equal(d.r.code, 0, explain(d.r));
    assert.match(
      d.r.stdout,
      /::warning::us-west-2: launched 2 of 3; tried t3\.micro in any zone \(spot\): 2\/3; t3a\.micro in any zone \(spot\): InsufficientInstanceCapacity/,
    );
    const recs = records(d.r);
    assert.deepEqual(
      recs.map((x) => x.health),
      ['healthy', 'healthy'],
    );
    assert.match(d.r.summary, /: succeeded/);
    await assertExactlyAlive(
      d.cloud,
      d.deploymentId,
      recs.map((x) => x.id),
    );
  } finally {
    await d.cloud.close();
  }
});
