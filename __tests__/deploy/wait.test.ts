// Waiting for running and for SSM Online: batched describes, backoff, spot interruptions,
// and the message for instances that never come online.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  EC2Client,
  type DescribeInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  SSMClient,
  type DescribeInstanceInformationCommandInput,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { Clients } from '../../src/aws/clients.ts';
import { Fleet } from '../../src/deliver/fleet.ts';
import { ONLINE_POLL_MAX_MS, waitOnline, waitRunning } from '../../src/deliver/wait.ts';
import type { LaunchedInstance } from '../../src/launch/launch.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { FAST_POLL, fakeClock } from '../../__fixtures__/plan.ts';

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
beforeEach(() => {
  ec2.reset();
  ssm.reset();
});

function launched(region: string, n: number, from = 0): LaunchedInstance[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `i-${region.replace(/-/g, '')}${String(from + i).padStart(4, '0')}`,
    region,
    instanceType: 't3.micro',
    lifecycle: 'spot' as const,
  }));
}

function ctx(clock = fakeClock()) {
  const clients = new Clients();
  return { clientsFor: (r: string) => clients.for(r), log: memoryLog(), clock, poll: FAST_POLL };
}

test('running: one DescribeInstances per region per poll for all its instances, polls backing off', async () => {
  const fleet = new Fleet([...launched('us-east-1', 3), ...launched('eu-west-1', 2)]);
  let polls = 0;
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => {
    polls++;
    const state = polls > 4 ? 'running' : 'pending';
    return {
      Reservations: [
        {
          Instances: (input.InstanceIds ?? []).map((id, i) => ({
            InstanceId: id,
            State: { Name: state },
            Placement: { AvailabilityZone: 'zone-a' },
            PrivateIpAddress: `10.0.0.${i + 1}`,
            ...(state === 'running' ? { PublicIpAddress: `203.0.113.${i + 1}` } : {}),
          })),
        },
      ],
    };
  });
  const c = ctx();
  await waitRunning(c, fleet, 60_000);
  const calls = ec2.commandCalls(DescribeInstancesCommand).map((x) => x.args[0].input.InstanceIds);
  assert.equal(calls.length, 6, 'three polls, two regions each');
  assert.deepEqual(
    calls.map((ids) => ids?.length),
    [3, 2, 3, 2, 3, 2],
  );
  assert.deepEqual(c.clock.slept, [1000, 1500]);
  assert.equal(fleet.healthy().length, 5);
  const m = fleet.get('i-useast10000');
  assert.equal(m?.state, 'running');
  assert.equal(m?.zone, 'zone-a');
  assert.equal(m?.publicIp, '203.0.113.1');
});

test('running: a spot interruption is named, the instance drops out, the others go on', async () => {
  const fleet = new Fleet(launched('us-east-1', 2));
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: 'i-useast10000', State: { Name: 'running' } },
          {
            InstanceId: 'i-useast10001',
            State: { Name: 'terminated' },
            InstanceLifecycle: 'spot',
            StateReason: {
              Code: 'Server.SpotInstanceTermination',
              Message: 'Server.SpotInstanceTermination: Spot instance termination',
            },
          },
        ],
      },
    ],
  });
  await waitRunning(ctx(), fleet, 60_000);
  assert.deepEqual(
    fleet.healthy().map((m) => m.id),
    ['i-useast10000'],
  );
  assert.match(
    fleet.get('i-useast10001')?.failure?.cause ?? '',
    /^spot interruption: .*Server\.SpotInstanceTermination/,
  );
});

test('running: ids EC2 does not list yet (just launched) are waited for, not failed', async () => {
  const fleet = new Fleet(launched('us-east-1', 1));
  const notFound = Object.assign(new Error('The instance ID does not exist'), {
    name: 'InvalidInstanceID.NotFound',
  });
  ec2
    .on(DescribeInstancesCommand)
    .rejectsOnce(notFound)
    .resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-useast10000', State: { Name: 'running' } }] }],
    });
  await waitRunning(ctx(), fleet, 60_000);
  assert.equal(fleet.healthy().length, 1);
});

test('online: DescribeInstanceInformation filtered by InstanceIds in batches of 50, per region per poll', async () => {
  const fleet = new Fleet(launched('us-east-1', 120));
  ssm
    .on(DescribeInstanceInformationCommand)
    .callsFake(async (input: DescribeInstanceInformationCommandInput) => ({
      InstanceInformationList: (input.Filters?.[0]?.Values ?? []).map((id) => ({
        InstanceId: id,
        PingStatus: 'Online',
      })),
    }));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  await waitOnline(ctx(), fleet, 60_000);
  const calls = ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
  assert.deepEqual(
    calls.map((c) => [c.Filters?.[0]?.Key, c.Filters?.[0]?.Values?.length]),
    [
      ['InstanceIds', 50],
      ['InstanceIds', 50],
      ['InstanceIds', 20],
    ],
  );
  assert.equal(fleet.healthy().length, 120);
});

test('online: at the deadline the instances not Online are named with the likely causes', async () => {
  const fleet = new Fleet(launched('us-east-1', 2));
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: [{ InstanceId: 'i-useast10000', PingStatus: 'Online' }],
  });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: 'i-useast10001', State: { Name: 'running' } }] }],
  });
  const clock = fakeClock();
  await waitOnline(ctx(clock), fleet, 20_000);
  assert.deepEqual(
    fleet.healthy().map((m) => m.id),
    ['i-useast10000'],
  );
  const cause = fleet.get('i-useast10001')?.failure?.cause ?? '';
  assert.match(cause, /not Online in SSM after 20 s/);
  assert.match(cause, /AmazonSSMManagedInstanceCore/);
  assert.match(cause, /outbound HTTPS/);
  // Later polls ask only about the instance still missing.
  const last = ssm.commandCalls(DescribeInstanceInformationCommand).at(-1)?.args[0].input;
  assert.deepEqual(last?.Filters?.[0]?.Values, ['i-useast10001']);
});

test('online: an instance reclaimed while waiting for SSM drops out at once, named', async () => {
  const fleet = new Fleet(launched('us-east-1', 2));
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: [{ InstanceId: 'i-useast10000', PingStatus: 'Online' }],
  });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: 'i-useast10000', State: { Name: 'running' } },
          {
            InstanceId: 'i-useast10001',
            State: { Name: 'shutting-down' },
            StateReason: {
              Code: 'Server.SpotInstanceTermination',
              Message: 'Spot instance termination',
            },
          },
        ],
      },
    ],
  });
  const clock = fakeClock();
  await waitOnline(ctx(clock), fleet, 600_000);
  assert.deepEqual(clock.slept, [], 'no waiting for the deadline');
  assert.match(
    fleet.get('i-useast10001')?.failure?.cause ?? '',
    /^spot interruption: .*shutting-down, Server\.SpotInstanceTermination/,
  );
  assert.equal(fleet.get('i-useast10001')?.failure?.phase, 'ssm-online');
  // One EC2 and one SSM call for the region's poll.
  assert.equal(ec2.commandCalls(DescribeInstancesCommand).length, 1);
  assert.equal(ssm.commandCalls(DescribeInstanceInformationCommand).length, 1);
});

test('online: polls grow to 2 s at most, though the instance polls may grow to 5 s', async () => {
  const fleet = new Fleet(launched('us-east-1', 1));
  ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: 'i-useast10000', State: { Name: 'running' } }] }],
  });
  const clock = fakeClock();
  assert.equal(FAST_POLL.maxMs, 5000);
  await waitOnline(ctx(clock), fleet, 30_000);
  assert.ok(clock.slept.length > 0);
  assert.equal(Math.max(...clock.slept), ONLINE_POLL_MAX_MS);
  assert.equal(ONLINE_POLL_MAX_MS, 2000);
  assert.equal(fleet.healthy().length, 0, 'never Online: failed at the deadline');
});
