// Destroy by tag and the post-step cleanup: only instances with the deployment (and run)
// tag are touched, terminations and polls are batched, nothing found is a success.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  EC2Client,
  TerminateInstancesCommand,
  type DescribeInstancesCommandInput,
  type TerminateInstancesCommandInput,
  type Instance,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { Clients } from '../../src/aws/clients.ts';
import { destroyTagged } from '../../src/destroy/destroy.ts';
import { requestTermination, waitTerminated } from '../../src/destroy/terminate.ts';
import { STATE } from '../../src/launch/state.ts';
import { runCleanup } from '../../src/post.ts';
import { TAG } from '../../src/plan/types.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { FAST_POLL, fakeClock } from '../../__fixtures__/plan.ts';

const ec2 = mockClient(EC2Client);

interface Vm {
  id: string;
  state: string;
  tags: Record<string, string>;
}

/** EC2 that ignores filters when `sloppy` (to prove the client-side check), else honours tag filters. */
function world(vms: Vm[], sloppy = false) {
  const byId = new Map(vms.map((v) => [v.id, v]));
  const view = (v: Vm): Instance => ({
    InstanceId: v.id,
    State: { Name: v.state as NonNullable<Instance['State']>['Name'] },
    Tags: Object.entries(v.tags).map(([Key, Value]) => ({ Key, Value })),
  });
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => {
    if (input.InstanceIds) {
      return {
        Reservations: [
          {
            Instances: input.InstanceIds.flatMap((id) =>
              byId.has(id) ? [view(byId.get(id) as Vm)] : [],
            ),
          },
        ],
      };
    }
    const match = (v: Vm) =>
      sloppy ||
      (input.Filters ?? []).every((f) =>
        f.Name?.startsWith('tag:')
          ? (f.Values ?? []).includes(v.tags[f.Name.slice(4)] ?? '\0')
          : f.Name === 'instance-state-name'
            ? (f.Values ?? []).includes(v.state)
            : true,
      );
    return { Reservations: [{ Instances: vms.filter(match).map(view) }] };
  });
  ec2.on(TerminateInstancesCommand).callsFake(async (input) => {
    for (const id of input.InstanceIds ?? []) {
      const v = byId.get(id);
      if (v) v.state = 'terminated';
    }
    return {};
  });
  return vms;
}

const vm = (id: string, deployment: string, run = 'r1', state = 'running'): Vm => ({
  id,
  state,
  tags: { [TAG.deployment]: deployment, [TAG.run]: run },
});

const ctx = () => {
  const clients = new Clients();
  return {
    clientsFor: (r: string) => clients.for(r),
    log: memoryLog(),
    clock: fakeClock(),
    poll: FAST_POLL,
    timeoutMs: 60_000,
  };
};

beforeEach(() => ec2.reset());

test('destroy terminates the tagged instances of every region given and waits for them', async () => {
  const vms = world([
    vm('i-1', 'app/main'),
    vm('i-2', 'app/main', 'r2'),
    vm('i-3', 'app/other'),
    vm('i-4', 'app/main', 'r1', 'terminated'),
  ]);
  const res = await destroyTagged(ctx(), ['us-east-1', 'eu-west-1'], { deploymentId: 'app/main' });
  const describe = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input;
  assert.deepEqual(describe?.Filters?.slice(0, 1), [
    { Name: `tag:${TAG.deployment}`, Values: ['app/main'] },
  ]);
  assert.ok(!describe?.Filters?.[1]?.Values?.includes('terminated'));
  assert.deepEqual(res.found.map((f) => f.id).sort(), ['i-1', 'i-1', 'i-2', 'i-2']);
  assert.deepEqual(
    vms.map((v) => v.state),
    ['terminated', 'terminated', 'running', 'terminated'],
  );
  assert.deepEqual(res.remaining, []);
});

test('waiting for termination: a poll still throttled after the SDK retries is skipped, not fatal', async () => {
  const vms = world([vm('i-1', 'app/main'), vm('i-2', 'app/main')]);
  let polls = 0;
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => {
    polls++;
    // throttled 12 polls running (more than the SDK's 10 attempts of one call), then answers
    if (polls <= 12)
      throw Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' });
    if (polls === 13) for (const v of vms) v.state = 'terminated';
    return {
      Reservations: [
        {
          Instances: vms
            .filter((v) => input.InstanceIds?.includes(v.id))
            .map((v) => ({ InstanceId: v.id, State: { Name: v.state as 'terminated' } })),
        },
      ],
    };
  });
  // one attempt per call here, so each throttled answer is a whole poll
  const client = new EC2Client({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const res = await waitTerminated(
    { ec2: client, clock: fakeClock(), poll: FAST_POLL },
    ['i-1', 'i-2'],
    600_000,
  );
  assert.equal(polls, 13);
  assert.deepEqual(res, { terminated: ['i-1', 'i-2'], remaining: [] });

  // any other error still stops the wait
  ec2
    .on(DescribeInstancesCommand)
    .rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' }));
  await assert.rejects(
    waitTerminated({ ec2: client, clock: fakeClock(), poll: FAST_POLL }, ['i-1'], 600_000),
    /not allowed/,
  );
});

test('never touches an instance without the deployment tag, even if the endpoint ignores the filter', async () => {
  const vms = world(
    [vm('i-1', 'app/main'), vm('i-2', 'someone/else'), { id: 'i-3', state: 'running', tags: {} }],
    true,
  );
  await destroyTagged(ctx(), ['us-east-1'], { deploymentId: 'app/main' });
  const terminated = ec2
    .commandCalls(TerminateInstancesCommand)
    .flatMap((c) => c.args[0].input.InstanceIds ?? []);
  assert.deepEqual(terminated, ['i-1']);
  assert.deepEqual(
    vms.map((v) => v.state),
    ['terminated', 'running', 'running'],
  );
});

test('nothing to destroy: no terminate call, nothing remaining', async () => {
  world([vm('i-9', 'other')]);
  const res = await destroyTagged(ctx(), ['us-east-1'], { deploymentId: 'app/main' });
  assert.deepEqual(res.found, []);
  assert.equal(ec2.commandCalls(TerminateInstancesCommand).length, 0);
});

test('terminations go in batches of 500 and each poll is one describe per 1000 ids', async () => {
  world(Array.from({ length: 1200 }, (_, i) => vm(`i-${i}`, 'big')));
  const res = await destroyTagged(ctx(), ['us-east-1'], { deploymentId: 'big' });
  assert.deepEqual(
    ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds?.length),
    [500, 500, 200],
  );
  const polls = ec2
    .commandCalls(DescribeInstancesCommand)
    .filter((c) => c.args[0].input.InstanceIds);
  assert.deepEqual(
    polls.map((c) => c.args[0].input.InstanceIds?.length),
    [1000, 200],
  );
  assert.equal(res.terminated.length, 1200);
});

/** TerminateInstances answering as EC2 does: each id's CurrentState (shutting-down). */
function answersShuttingDown(vms: Vm[], unknownFirst = new Set<string>()) {
  ec2.on(TerminateInstancesCommand).callsFake(async (input: TerminateInstancesCommandInput) => {
    const ids = input.InstanceIds ?? [];
    const unknown = ids.find((id) => unknownFirst.delete(id));
    if (unknown) {
      throw Object.assign(new Error(`The instance ID '${unknown}' does not exist`), {
        name: 'InvalidInstanceID.NotFound',
      });
    }
    return {
      TerminatingInstances: ids.map((id) => {
        const v = vms.find((x) => x.id === id) as Vm;
        v.state = 'shutting-down';
        return { InstanceId: id, CurrentState: { Name: 'shutting-down' as const, Code: 32 } };
      }),
    };
  });
}

test('goal shutting-down: the answer of TerminateInstances is enough, no describe', async () => {
  const vms = world([vm('i-1', 'app/main'), vm('i-2', 'app/main')]);
  answersShuttingDown(vms);
  const client = new Clients().for('us-east-1').ec2;
  const tctx = { ec2: client, clock: fakeClock(), poll: FAST_POLL };
  const requested = await requestTermination(tctx, ['i-1', 'i-2']);
  const before = ec2.commandCalls(DescribeInstancesCommand).length;
  const res = await waitTerminated(tctx, ['i-1', 'i-2'], 60_000, requested, 'shutting-down');
  assert.equal(ec2.commandCalls(DescribeInstancesCommand).length, before, 'no poll');
  assert.deepEqual(res, {
    terminated: ['i-1', 'i-2'],
    shuttingDown: ['i-1', 'i-2'],
    remaining: [],
  });
  // The default goal still waits for terminated: shutting-down is not the end of it.
  const waited = await waitTerminated(tctx, ['i-1'], 0, requested);
  assert.deepEqual(waited, { terminated: [], remaining: [{ id: 'i-1', state: 'shutting-down' }] });
});

test('goal shutting-down: an id TerminateInstances answered NotFound for is asked again until seen', async () => {
  const vms = world([vm('i-1', 'app/main')]);
  answersShuttingDown(vms, new Set(['i-1']));
  const res = await destroyTagged(
    { ...ctx(), goal: 'shutting-down' },
    ['us-east-1'],
    {
      deploymentId: 'nothing-by-tag',
    },
    { 'us-east-1': ['i-1'] },
  );
  assert.equal(ec2.commandCalls(TerminateInstancesCommand).length, 2, 'asked again');
  assert.deepEqual(res.terminated, ['i-1']);
  assert.deepEqual(res.shuttingDown, ['i-1']);
  assert.deepEqual(
    vms.map((v) => v.state),
    ['shutting-down'],
  );
});

const stateKeys = Object.values(STATE).map((k) => `STATE_${k}`);
afterEach(() => {
  for (const k of stateKeys) delete process.env[k];
});

function setState(run: object, launched: object, result = '') {
  process.env[`STATE_${STATE.run}`] = JSON.stringify(run);
  process.env[`STATE_${STATE.launched}`] = JSON.stringify(launched);
  process.env[`STATE_${STATE.result}`] = result;
}

test('post step: after a failed deploy, terminates the instances tagged with this run only', async () => {
  const vms = world([
    vm('i-1', 'app/main', 'run-7'),
    vm('i-2', 'app/main', 'run-6'),
    vm('i-3', 'app/main', 'run-7'),
  ]);
  setState(
    { runId: 'run-7', deploymentId: 'app/main', regions: ['us-east-1'], keepFailed: false },
    { 'us-east-1': ['i-1'] },
  );
  await runCleanup();
  assert.deepEqual(
    vms.map((v) => v.state),
    ['terminated', 'running', 'terminated'],
  );
  const filters = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters;
  assert.deepEqual(filters?.slice(0, 2), [
    { Name: `tag:${TAG.deployment}`, Values: ['app/main'] },
    { Name: `tag:${TAG.run}`, Values: ['run-7'] },
  ]);
});

test('post step: after a healthy deploy, or with keep-failed, nothing is touched', async () => {
  const vms = world([vm('i-1', 'app/main', 'run-7')]);
  setState(
    { runId: 'run-7', deploymentId: 'app/main', regions: ['us-east-1'], keepFailed: false },
    {},
    'success',
  );
  await runCleanup();
  setState(
    { runId: 'run-7', deploymentId: 'app/main', regions: ['us-east-1'], keepFailed: true },
    {},
  );
  await runCleanup();
  assert.equal(vms[0]?.state, 'running');
  assert.equal(ec2.commandCalls(TerminateInstancesCommand).length, 0);
  assert.equal(ec2.commandCalls(DescribeInstancesCommand).length, 0);
});
