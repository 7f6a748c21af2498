// The deploy against the local cloud's API faults, on its simulated backend (instances
// without containers: only the API traffic matters here): throttling absorbed by the SDK's
// retries, and spot interruptions named, with min-healthy deciding the outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud } from '../../cloud/server.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, eventually, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';
import { simulated } from '../faults/support.ts';

test(
  'throttled API calls are retried by the SDK and the deploy succeeds',
  { timeout: 120_000 },
  async () => {
    const cloud = await startCloud(simulated({ throttle: { rate: 0.1 }, seed: 7 }));
    try {
      const app = await makeApp({ total: 3 });
      const r = await action(cloud, {
        runId: newRunId(),
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': 'e2e/throttled',
          'online-timeout': '60s',
        },
      });
      assert.equal(r.code, 0, explain(r));
      const throttled = cloud
        .calls()
        .filter((c) => c.error === 'RequestLimitExceeded' || c.error === 'ThrottlingException');
      assert.ok(throttled.length > 0, 'some calls were throttled');
      assert.equal(JSON.parse(r.outputs['instance-ids'] ?? '[]').length, 3);
      // Retries of RunInstances reuse their client token: no extra instances.
      assert.equal(cloud.instances().length, 3);
    } finally {
      await cloud.close();
    }
  },
);

test(
  'an instance reclaimed before SSM Online fails the deploy naming the spot interruption',
  { timeout: 120_000 },
  async () => {
    const cloud = await startCloud(
      simulated({
        simulated: { bootMs: 3000 },
        interruptions: [{ nth: 1, afterMs: 100 }],
        noticeMs: 0, // reclaimed at once: this test is about the reclaim, not the notice
      }),
    );
    try {
      const app = await makeApp();
      const runId = newRunId();
      const r = await action(cloud, {
        runId,
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': 'e2e/reclaimed',
          'online-timeout': '60s',
        },
      });
      assert.equal(r.code, 1, explain(r));
      assert.match(
        r.errors.join('\n'),
        /0 of 1 instance healthy[\s\S]*spot interruption: EC2 reclaimed the instance \([^)]*Server\.SpotInstanceTermination/,
      );
      const post = await action(cloud, { runId, entry: 'post', state: r.state, inputs: {} });
      assert.equal(post.code, 0, explain(post));
      assert.ok(
        await eventually(() => instancesOfRun(cloud, runId).every((i) => i.state === 'terminated')),
      );
    } finally {
      await cloud.close();
    }
  },
);

test(
  'min-healthy 50%: one of two reclaimed, the deploy succeeds with the other and reports both',
  { timeout: 120_000 },
  async () => {
    const cloud = await startCloud(
      simulated({
        simulated: { bootMs: 3000 },
        interruptions: [{ nth: 2, afterMs: 100 }],
        noticeMs: 0, // reclaimed at once: this test is about the reclaim, not the notice
      }),
    );
    try {
      const app = await makeApp({ total: 2 });
      const r = await action(cloud, {
        runId: newRunId(),
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': 'e2e/half',
          'online-timeout': '60s',
          'min-healthy': '50%',
        },
      });
      assert.equal(r.code, 0, explain(r));
      const records = JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];
      assert.deepEqual(
        records.map((x) => x.health),
        ['healthy'],
      );
      assert.match(r.summary, /1 of 2 instances healthy/);
      assert.match(
        r.summary,
        /unhealthy: (launch|ssm-online): spot interruption: EC2 reclaimed the instance/,
      );
    } finally {
      await cloud.close();
    }
  },
);

test(
  'secrets too large for one command fail the deploy before anything is launched, naming the limit',
  { timeout: 60_000 },
  async () => {
    const cloud = await startCloud(simulated());
    try {
      const app = await makeApp();
      const value = `huge-${process.pid}-${'s'.repeat(60_000)}`;
      const r = await action(cloud, {
        runId: newRunId(),
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': 'e2e/huge-secret',
          secrets: `BIG=${value}\n`,
        },
      });
      assert.equal(r.code, 1, explain(r));
      assert.match(
        r.errors.join('\n'),
        /input 'secrets': the secrets are too large to deliver in one command \(\d+ bytes, limit 62000\); nothing was launched/,
      );
      assert.deepEqual(
        cloud
          .calls()
          .filter((c) => c.operation === 'RunInstances' || c.operation === 'SendCommand'),
        [],
      );
      const seen = r.stdout.replace(`::add-mask::${value}\n`, '') + r.stderr + r.summary;
      assert.equal(seen.includes(value.slice(0, 40)), false, 'the value is not in the log');
    } finally {
      await cloud.close();
    }
  },
);
