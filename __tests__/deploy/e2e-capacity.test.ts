// Acceptance, capacity: the local cloud has no spot t3.micro in us-west-2 and no spot at all
// in eu-west-1. The first pool empty → the next pool; all spot empty → a failure naming every
// code tried, or on-demand when the fallback is on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({ capacity: { 'spot:t3.micro@us-west-2': 0, 'spot:*@eu-west-1': 0 } });
});
after(async () => {
  await cloud?.close();
});

const runInstances = (runStart: number) =>
  cloud
    .calls()
    .slice(runStart)
    .filter((c) => c.operation === 'RunInstances')
    .map((c) => {
      const p = c.params as {
        InstanceType?: string;
        InstanceMarketOptions?: { MarketType?: string };
      };
      return [p.InstanceType, p.InstanceMarketOptions?.MarketType ?? 'on-demand', c.error ?? 'ok'];
    });

test(
  'the first pool out of spot capacity: the deploy succeeds from the next pool',
  { timeout: 180_000 },
  async () => {
    const app = await makeApp({ instanceTypes: ['t3.micro', 't3a.micro'] });
    const inputs = {
      path: app.dir,
      'deployment-id': `e2e/next-pool-${process.pid}`,
      'online-timeout': '120s',
    };
    const start = cloud.calls().length;
    const r = await action(cloud, { runId: newRunId(), inputs: { ...inputs, command: 'deploy' } });
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(runInstances(start), [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'ok'],
    ]);
    const [rec] = JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];
    assert.deepEqual([rec?.type, rec?.lifecycle, rec?.health], ['t3a.micro', 'spot', 'healthy']);
    assert.match(
      r.summary,
      /t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3a\.micro in any zone \(spot\): 1\/1/,
    );
    const d = await action(cloud, { runId: newRunId(), inputs: { ...inputs, command: 'destroy' } });
    assert.equal(d.code, 0, explain(d));
  },
);

test(
  'every spot pool empty: the deploy fails with the codes tried, and nothing is left',
  { timeout: 120_000 },
  async () => {
    const app = await makeApp({ region: 'eu-west-1', instanceTypes: ['t3.micro', 't3a.micro'] });
    const runId = newRunId();
    const start = cloud.calls().length;
    const r = await action(cloud, {
      runId,
      inputs: { command: 'deploy', path: app.dir, 'deployment-id': `e2e/no-spot-${process.pid}` },
    });
    assert.equal(r.code, 1, explain(r));
    assert.match(
      r.errors.join('\n'),
      /not enough capacity: launched 0 of 1[\s\S]*eu-west-1: launched 0 of 1; tried t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3a\.micro in any zone \(spot\): InsufficientInstanceCapacity[\s\S]*on-demand fallback is off/,
    );
    assert.deepEqual(runInstances(start), [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
    ]);
    const post = await action(cloud, { runId, entry: 'post', state: r.state, inputs: {} });
    assert.equal(post.code, 0, explain(post));
    assert.match(post.stdout, /no instance of run \d+-1 is left in eu-west-1/);
    assert.deepEqual(instancesOfRun(cloud, runId), []);
  },
);

test(
  'every spot pool empty with on-demand fallback: the deploy succeeds on-demand and says so',
  { timeout: 180_000 },
  async () => {
    const app = await makeApp({ region: 'eu-west-1', instanceTypes: ['t3.micro', 't3a.micro'] });
    const inputs = {
      path: app.dir,
      'deployment-id': `e2e/on-demand-${process.pid}`,
      'online-timeout': '120s',
    };
    const start = cloud.calls().length;
    const r = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy', 'on-demand-fallback': 'true' },
    });
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(runInstances(start), [
      ['t3.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3a.micro', 'spot', 'InsufficientInstanceCapacity'],
      ['t3.micro', 'on-demand', 'ok'],
    ]);
    const [rec] = JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];
    assert.deepEqual([rec?.lifecycle, rec?.health], ['on-demand', 'healthy']);
    assert.match(
      r.stdout,
      /::warning::eu-west-1: spot capacity ran out; launched 1 on-demand \(on-demand fallback\)/,
    );
    const d = await action(cloud, { runId: newRunId(), inputs: { ...inputs, command: 'destroy' } });
    assert.equal(d.code, 0, explain(d));
  },
);
