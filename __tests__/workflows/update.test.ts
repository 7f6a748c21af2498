// strategy update when the new version fails on the instances (simulated backend): the
// deploy fails naming the step, nothing is launched or terminated, the instances keep their
// previous digest (so the next deploy delivers again) and the update mark is removed; a
// fixed push then updates the same instances. The pipeline's in-place mode is also checked
// on its own (in-memory EC2/SSM): an instance failing a step is reported, never terminated.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Clients } from '../../src/aws/clients.ts';
import { executeDeploy } from '../../src/commands/deploy.ts';
import { InstanceRegistry } from '../../src/launch/registry.ts';
import { TAG } from '../../src/plan/types.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { simulatedAgent } from '../../__fixtures__/agent.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { fakeAws } from '../../__fixtures__/fake-aws.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { FAST_POLL, fakeClock, makePlan, regionPlan, step } from '../../__fixtures__/plan.ts';
import { callLog, count, editSpot, simulatedCloud } from './support.ts';

test(
  'a failing update leaves the instances, their digest and no mark; the fixed push updates them',
  { timeout: 180_000 },
  async () => {
    const cloud = await simulatedCloud({
      simulated: { answer: simulatedAgent({ fail: /name=broken-setup/ }) },
    });
    try {
      const app = await makeApp({ total: 2 });
      const inputs = {
        command: 'deploy',
        path: app.dir,
        'deployment-id': `e2e/update-${process.pid}`,
        'online-timeout': '60s',
        strategy: 'update',
      };
      const first = await action(cloud, { runId: newRunId(), inputs });
      assert.equal(first.code, 0, explain(first));
      const ids = (JSON.parse(first.outputs['instance-ids'] ?? '[]') as string[]).sort();
      const digest = first.outputs['manifest-digest'];
      const tags = () =>
        cloud
          .instances()
          .filter((i) => ids.includes(i.id))
          .map((i) => [
            i.state,
            i.tags[TAG.digest],
            i.tags[TAG.phase],
            Object.keys(i.tags).filter((k) => k.startsWith('spot-deployer:updating:')).length,
          ]);

      editSpot(app.dir, 'deployment.yaml', (t) => t.replace('name: setup', 'name: broken-setup'));
      const calls = callLog(cloud);
      const broken = await action(cloud, { runId: newRunId(), inputs });
      assert.equal(broken.code, 1, explain(broken));
      assert.match(broken.errors[0] ?? '', /deploy failed: delivery: 0 of 2 instances healthy/);
      assert.match(broken.errors[0] ?? '', /script-broken-setup: Failed/);
      assert.match(
        broken.summary,
        /update in place: nothing was terminated; 2 instances did not take the update/,
      );
      assert.equal(count(calls.since(), 'RunInstances'), 0);
      assert.equal(count(calls.since(), 'TerminateInstances'), 0);
      assert.deepEqual(tags(), [
        ['running', digest, 'ready', 0],
        ['running', digest, 'ready', 0],
      ]);
      const reported = JSON.parse(broken.outputs.instances ?? '[]') as InstanceRecord[];
      assert.deepEqual(
        reported.map((r) => r.health),
        ['unhealthy', 'unhealthy'],
      );
      // Nothing of this run for the post step to clean up.
      assert.equal(broken.state['spot-deployer-run'], undefined);

      editSpot(app.dir, 'deployment.yaml', (t) =>
        t.replace('name: broken-setup', 'name: setup-again'),
      );
      const fixed = await action(cloud, { runId: newRunId(), inputs });
      assert.equal(fixed.code, 0, explain(fixed));
      assert.deepEqual((JSON.parse(fixed.outputs['instance-ids'] ?? '[]') as string[]).sort(), ids);
      const next = fixed.outputs['manifest-digest'];
      assert.notEqual(next, digest);
      assert.deepEqual(tags(), [
        ['running', next, 'ready', 0],
        ['running', next, 'ready', 0],
      ]);
    } finally {
      await cloud.close();
    }
  },
);

async function inPlace(t: TestContext, failOn: string | undefined) {
  const fake = fakeAws({
    exit: (id, script) => (failOn && id === failOn && script.includes('02-b') ? 1 : 0),
  });
  t.after(() => fake.restore());
  // Two instances that exist already (launched by an earlier deploy).
  const { RunInstancesCommand, EC2Client } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const res = await ec2.send(
    new RunInstancesCommand({ MinCount: 1, MaxCount: 2, InstanceType: 't3.micro' }),
  );
  const existing = (res.Instances ?? []).map((i) => ({
    id: i.InstanceId as string,
    region: 'us-east-1',
    instanceType: 't3.micro',
    lifecycle: 'spot' as const,
  }));
  fake.calls.length = 0;
  const clients = new Clients();
  const healthy: string[] = [];
  const order: string[] = [];
  const outcome = await executeDeploy(
    makePlan({
      regions: [regionPlan('us-east-1', { count: 2 })],
      steps: [step('01-a'), step('02-b')],
    }),
    {
      minHealthy: { kind: 'all' },
      keepFailed: false,
      onlineTimeoutSeconds: 60,
      secrets: {},
      inPlace: existing,
    },
    {
      clientsFor: (r) => clients.for(r),
      log: memoryLog(),
      registry: new InstanceRegistry(),
      saveState: (k) => order.push(`state ${k}`),
      clock: fakeClock(),
      poll: FAST_POLL,
      hooks: {
        afterLaunch: async () => void order.push('afterLaunch'),
        beforeDeliver: async () => void order.push('beforeDeliver'),
        onHealthy: async (members) => void healthy.push(...members.map((m) => m.id)),
      },
    },
  );
  return { outcome, fake, existing, healthy, order };
}

test('in place: hooks in order, no launch, no saved run; success tags the healthy', async (t) => {
  const { outcome, fake, existing, healthy, order } = await inPlace(t, undefined);
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(order, ['afterLaunch', 'beforeDeliver']);
  assert.equal(fake.calls.includes('RunInstances'), false);
  assert.deepEqual(
    healthy,
    existing.map((e) => e.id),
  );
  assert.deepEqual(
    outcome.records.map((r) => r.health),
    ['healthy', 'healthy'],
  );
});

test('in place: an instance failing a step is reported, never terminated', async (t) => {
  const { outcome, fake, existing, healthy } = await inPlace(t, 'i-00000000000000001');
  assert.equal(existing[0]?.id, 'i-00000000000000001');
  assert.equal(outcome.ok, false);
  assert.equal(fake.calls.includes('TerminateInstances'), false);
  assert.deepEqual(healthy, []);
  assert.deepEqual(
    outcome.records.map((r) => [r.id, r.health]),
    [
      ['i-00000000000000001', 'unhealthy'],
      ['i-00000000000000002', 'unknown'],
    ],
  );
  assert.equal(fake.live().length, 2);
});
