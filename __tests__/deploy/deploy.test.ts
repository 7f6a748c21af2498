// The deploy pipeline (executeDeploy) against an in-memory EC2/SSM: success, failures that
// leave no instance behind, min-healthy, keep-failed, capacity, cancellation.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Clients } from '../../src/aws/clients.ts';
import { executeDeploy, type DeployDeps, type DeployOptions } from '../../src/commands/deploy.ts';
import { InstanceRegistry } from '../../src/launch/registry.ts';
import { STATE } from '../../src/launch/state.ts';
import { renderDeploySummary } from '../../src/report/summary.ts';
import type { Plan } from '../../src/plan/types.ts';
import { fakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { FAST_POLL, fakeClock, makePlan, regionPlan, step } from '../../__fixtures__/plan.ts';

const OPTS: DeployOptions = {
  minHealthy: { kind: 'all' },
  keepFailed: false,
  onlineTimeoutSeconds: 60,
  secrets: {},
  terminateTimeoutSeconds: 30,
};

async function deploy(
  t: TestContext,
  plan: Plan,
  aws: FakeAwsOptions = {},
  opts: Partial<DeployOptions> = {},
  signal?: AbortSignal,
) {
  const fake = fakeAws(aws);
  t.after(() => fake.restore());
  const clients = new Clients();
  const state: Array<[string, string]> = [];
  const log = memoryLog();
  const deps: DeployDeps = {
    clientsFor: (r) => clients.for(r),
    log,
    registry: new InstanceRegistry((s) => state.push([STATE.launched, JSON.stringify(s)])),
    saveState: (k, v) => state.push([k, v]),
    clock: fakeClock(),
    poll: FAST_POLL,
    ...(signal ? { signal } : {}),
  };
  const outcome = await executeDeploy(plan, { ...OPTS, ...opts }, deps);
  return { outcome, fake, state, log };
}

const twoInstances = () =>
  makePlan({
    regions: [regionPlan('us-east-1', { count: 2 })],
    steps: [step('01-a'), step('02-b')],
  });

test('success: every instance healthy, reported, priced; the run is saved before the first launch', async (t) => {
  const { outcome, fake, state } = await deploy(t, twoInstances());
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.records.length, 2);
  assert.deepEqual(
    outcome.records.map((r) => [r.health, r.lifecycle, r.state, r.zone]),
    [
      ['healthy', 'spot', 'running', 'us-east-1a'],
      ['healthy', 'spot', 'running', 'us-east-1a'],
    ],
  );
  assert.deepEqual(outcome.regions, ['us-east-1']);
  assert.equal(fake.live().length, 2);
  assert.ok(!fake.calls.includes('TerminateInstances'));
  assert.equal(state[0]?.[0], STATE.run);
  assert.deepEqual(JSON.parse(state[0]?.[1] ?? '{}'), {
    runId: '4242-1',
    deploymentId: 'acme/web/main',
    regions: ['us-east-1'],
    keepFailed: false,
  });
  assert.equal(state[1]?.[0], STATE.launched);
  assert.equal(outcome.report.costPerHour, 0.007);
  assert.deepEqual(
    outcome.report.steps.map((s) => [s.id, s.instances, s.failed]),
    [
      ['01-a', 2, 0],
      ['02-b', 2, 0],
    ],
  );
  assert.deepEqual(
    outcome.report.phases.map((p) => p.name),
    ['launch', 'running', 'ssm online', 'deliver', 'verify'],
  );
  const md = renderDeploySummary(outcome.report);
  assert.match(md, /: succeeded/);
  assert.match(md, /2 of 2 instances healthy/);
  assert.match(md, /\$0\.0070 per hour/);
});

test('a failing step fails the deploy naming instance, step and exit code; no instance of the run is left', async (t) => {
  const { outcome, fake } = await deploy(t, twoInstances(), {
    exit: (id, script) => (script === 'echo 02-b' && id.endsWith('2') ? 7 : 0),
  });
  assert.equal(outcome.ok, false);
  assert.match(outcome.error ?? '', /delivery: 1 of 2 instances healthy, 2 needed/);
  assert.match(
    outcome.error ?? '',
    /i-0+2 \(us-east-1, t3\.micro\): step 02-b: Failed, exit code 7/,
  );
  assert.equal(fake.live().length, 0);
  assert.deepEqual(outcome.records, []);
  assert.equal(outcome.report.outcome, 'failed');
  assert.match(outcome.report.cleanup.join('\n'), /terminated 2 instances of this run/);
  assert.deepEqual(
    outcome.report.instances.map((i) => i.state),
    ['terminated', 'terminated'],
  );
});

test('min-healthy 50%: the failed instance drops out and is terminated; the deploy succeeds with the rest', async (t) => {
  const { outcome, fake } = await deploy(
    t,
    twoInstances(),
    { exit: (id, script) => (script === 'echo 01-a' && id.endsWith('1') ? 1 : 0) },
    { minHealthy: { kind: 'percent', p: 50 } },
  );
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(
    outcome.records.map((r) => r.id),
    [...fake.instances.keys()].slice(1),
  );
  assert.equal(fake.live().length, 1);
  assert.equal(
    outcome.report.steps[1]?.instances,
    1,
    'the second step ran on the healthy one only',
  );
  const failed = outcome.report.instances.find((i) => i.health === 'unhealthy');
  assert.match(failed?.cause ?? '', /step 01-a: Failed, exit code 1/);
  assert.equal(failed?.state, 'terminated', 'the report says what became of it');
  assert.deepEqual(
    outcome.report.instances.filter((i) => i.health === 'healthy').map((i) => i.state),
    ['running'],
  );
  assert.match(renderDeploySummary(outcome.report), /terminated/);
});

test('keep-failed: a failed deploy leaves its instances running and says how to remove them', async (t) => {
  const { outcome, fake } = await deploy(
    t,
    twoInstances(),
    { exit: () => 2 },
    { keepFailed: true },
  );
  assert.equal(outcome.ok, false);
  assert.equal(fake.live().length, 2);
  assert.ok(!fake.calls.includes('TerminateInstances'));
  assert.match(
    outcome.report.cleanup[0] ?? '',
    /keep-failed: left 2 instances running .*command: destroy/,
  );
  assert.deepEqual(
    outcome.records.map((r) => r.health),
    ['unhealthy', 'unhealthy'],
  );
});

test('no capacity in any spot pool: fails with the codes tried and nothing launched', async (t) => {
  const plan = makePlan({
    regions: [
      regionPlan('us-east-1', {
        pools: [{ instanceType: 't3.micro' }, { instanceType: 't3.small' }],
      }),
    ],
  });
  const { outcome, fake } = await deploy(t, plan, {
    capacity: () => 'InsufficientInstanceCapacity',
  });
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.error ?? '',
    /not enough capacity: launched 0 of 1.*\n.*t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3\.small in any zone \(spot\): InsufficientInstanceCapacity/,
  );
  assert.match(outcome.error ?? '', /on-demand fallback is off/);
  assert.equal(fake.instances.size, 0);
});

test('spot empty with on-demand fallback: succeeds on-demand, and the report says so', async (t) => {
  const plan = makePlan({
    regions: [regionPlan('us-east-1', { market: { onDemandFallback: true } })],
  });
  const { outcome, log } = await deploy(t, plan, {
    capacity: (_type, market) => (market === 'spot' ? 'InsufficientInstanceCapacity' : undefined),
  });
  assert.equal(outcome.ok, true, outcome.error);
  assert.equal(outcome.records[0]?.lifecycle, 'on-demand');
  assert.match(log.text(), /launched 1 on-demand \(on-demand fallback\)/);
  assert.match(
    outcome.report.launch[0] ?? '',
    /\(spot\): InsufficientInstanceCapacity; t3\.micro in any zone \(on-demand\): 1\/1/,
  );
  assert.match(outcome.report.costNotes.join(), /1 on-demand instance not included/);
});

test('an instance that never comes online fails the deploy with the likely causes; nothing is left', async (t) => {
  const { outcome, fake } = await deploy(t, twoInstances(), {
    neverOnline: (id) => id.endsWith('1'),
  });
  assert.equal(outcome.ok, false);
  assert.match(outcome.error ?? '', /waiting for SSM Online: 1 of 2/);
  assert.match(
    outcome.error ?? '',
    /ssm-online: not Online in SSM after 60 s; likely causes: .*AmazonSSMManagedInstanceCore/,
  );
  assert.equal(fake.live().length, 0);
  assert.ok(!fake.calls.includes('SendCommand'), 'no step is sent');
});

test('a service that is not active fails verification', async (t) => {
  const plan = makePlan({ services: ['web', 'worker'] });
  const { outcome, fake } = await deploy(t, plan, {
    output: (_id, script) =>
      script.includes('systemctl is-active') ? 'web=active\nworker=failed\n' : '',
  });
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.error ?? '',
    /verify: 0 of 1 instance healthy.*\n.*verify: service worker is failed/,
  );
  assert.equal(fake.live().length, 0);
});

test("a services step that checked every service's health is their verification: no separate check is sent", async (t) => {
  const plan = makePlan({
    regions: [regionPlan('us-east-1', { count: 2 })],
    services: ['web', 'worker'],
    steps: [
      step('01-script', { kind: 'script' }),
      step('02-services', { kind: 'services', services: ['web', 'worker'] }),
    ],
  });
  const { outcome, fake, log } = await deploy(
    t,
    plan,
    {
      exit: (id, script) => (script === 'echo 02-services' && id.endsWith('2') ? 1 : 0),
    },
    { minHealthy: { kind: 'count', n: 1 } },
  );
  assert.equal(outcome.ok, true, outcome.error);
  assert.deepEqual(
    outcome.records.map((r) => r.health),
    ['healthy'],
  );
  assert.equal(fake.live().length, 1, 'the instance that failed its services step is terminated');
  assert.equal(
    fake.calls.filter((c) => c === 'SendCommand').length,
    1,
    'both steps in one command, and no service-check command',
  );
  assert.match(log.text(), /i-\w+ \(us-east-1\): web active, worker active \(step 02-services\)/);

  // a services step that did not check every service leaves the separate check to run
  const partial = makePlan({
    services: ['web', 'worker'],
    steps: [step('01-services', { kind: 'services', services: ['web'] })],
  });
  const second = await deploy(t, partial, {
    output: (_id, script) =>
      script.includes('systemctl is-active') ? 'web=active\nworker=failed\n' : '',
  });
  assert.equal(second.outcome.ok, false);
  assert.match(second.outcome.error ?? '', /verify: service worker is failed/);
});

test('no instance profile: fails before launching anything, naming the policy', async (t) => {
  const rp = regionPlan('us-east-1');
  const plan = makePlan({
    regions: [
      {
        ...rp,
        instance: {
          associatePublicIp: false,
          rootVolumeGb: 8,
          httpTokens: 'required',
          shutdownBehavior: 'terminate',
        },
      },
    ],
  });
  const { outcome, fake } = await deploy(t, plan);
  assert.equal(outcome.ok, false);
  assert.match(outcome.error ?? '', /instance-profile.*AmazonSSMManagedInstanceCore/);
  assert.deepEqual(fake.calls, []);
});

test("cancelled while waiting for SSM: in-flight work stops and the run's instances are terminated", async (t) => {
  const controller = new AbortController();
  const { outcome, fake } = await deploy(
    t,
    twoInstances(),
    {
      neverOnline: () => true,
      onCall: (name) => {
        if (name === 'DescribeInstanceInformation') controller.abort();
      },
    },
    {},
    controller.signal,
  );
  assert.equal(outcome.ok, false);
  assert.equal(outcome.report.outcome, 'cancelled');
  assert.equal(fake.live().length, 0);
  assert.ok(fake.calls.includes('TerminateInstances'));
});

test('a launch error in one region terminates what other regions already launched', async (t) => {
  const plan = makePlan({
    regions: [
      regionPlan('us-east-1', { count: 2 }),
      regionPlan('eu-west-1', { pools: [{ instanceType: 't3.small' }] }),
    ],
  });
  const { outcome, fake } = await deploy(t, plan, {
    capacity: (type) => (type === 't3.small' ? 'UnauthorizedOperation' : undefined),
  });
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.error ?? '',
    /eu-west-1: RunInstances failed for t3\.small .*UnauthorizedOperation/,
  );
  assert.equal(fake.instances.size, 2);
  assert.equal(fake.live().length, 0);
});

test('only the services the manifest starts must be active', async (t) => {
  const plan = makePlan({ services: ['web', 'batch'] });
  const { outcome, fake } = await deploy(
    t,
    plan,
    { output: (_id, script) => (script.includes('systemctl is-active') ? 'web=active\n' : '') },
    { services: ['web'] },
  );
  assert.equal(outcome.ok, true, outcome.error);
  const checks = [...fake.commands.values()]
    .map((c) => c.Parameters?.commands?.[0] ?? '')
    .filter((s) => s.includes('systemctl is-active'));
  assert.equal(checks.length, 1);
  assert.match(checks[0] ?? '', /for s in 'web'; do/);
});
