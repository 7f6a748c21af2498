// The local cloud's API through the unchanged AWS SDK, on the simulated backend (no containers):
// shapes, limits, error codes and the fault knobs. The container backend has its own tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type RunInstancesCommandInput,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  GetParametersCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SSMClient,
  SendCommandCommand,
  paginateDescribeInstanceInformation,
} from '@aws-sdk/client-ssm';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import { pluginOutput, truncatePrefix } from '../../cloud/util.ts';
import { until as waitFor } from './support.ts';

const credentials = { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'not-a-secret' };
const UBUNTU_AMD64 =
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';
const UBUNTU_ARM64 =
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id';
const AL2023_ARM64 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

// Shapes, limits and knobs: without the windows of AWS's eventual consistency and agent
// registration, which __tests__/cloud/fidelity.test.ts covers.
const fast: StartOptions = {
  backend: 'simulated',
  fidelity: { consistencyMs: 0, registrationLagMs: 0, sendCommandLatencyMs: 0 },
  latency: { pendingToRunningMs: 20, runningToOnlineMs: 0, terminateMs: 20 },
  simulated: { bootMs: 40, commandMs: 10 },
};

async function withCloud(
  opts: StartOptions,
  fn: (
    c: RunningCloud,
    ec2: (region?: string) => EC2Client,
    ssm: (region?: string) => SSMClient,
  ) => Promise<void>,
): Promise<void> {
  const cloud = await startCloud(opts);
  const clients: Array<EC2Client | SSMClient> = [];
  const ec2 = (region = 'us-west-2') => {
    const c = new EC2Client({ region, endpoint: cloud.url, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const ssm = (region = 'us-west-2') => {
    const c = new SSMClient({ region, endpoint: cloud.url, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  try {
    await fn(cloud, ec2, ssm);
  } finally {
    for (const c of clients) c.destroy();
    await cloud.close();
  }
}

async function amiFor(ssm: SSMClient, name = UBUNTU_AMD64): Promise<string> {
  const r = await ssm.send(new GetParameterCommand({ Name: name }));
  return r.Parameter!.Value!;
}

/** Polls every 20 ms for at most `timeoutMs` (the simulated backend answers fast). */
const until = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000) =>
  waitFor(what, fn, timeoutMs, 20);

async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.equal(
      (err as Error).name,
      name,
      `expected ${name}, got ${(err as Error).name}: ${(err as Error).message}`,
    );
    if (message) assert.match((err as Error).message, message);
    return err as Error;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

function launch(ami: string, extra: Partial<RunInstancesCommandInput> = {}): RunInstancesCommand {
  return new RunInstancesCommand({
    ImageId: ami,
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    IamInstanceProfile: { Name: 'spot-deployer-ssm' },
    ...extra,
  });
}

async function online(ssm: SSMClient, ids: string[]): Promise<void> {
  await until('SSM online', async () => {
    const r = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }] }),
    );
    const up = (r.InstanceInformationList ?? []).filter((i) => i.PingStatus === 'Online');
    return up.length === ids.length ? true : undefined;
  });
}

test('public AMI parameters resolve in every region to images the cloud publishes, with the right architecture', async () => {
  await withCloud(fast, async (_c, ec2, ssm) => {
    for (const region of ['us-east-1', 'eu-central-1', 'ap-southeast-2', 'xx-test-9']) {
      const r = await ssm(region).send(
        new GetParametersCommand({ Names: [UBUNTU_AMD64, UBUNTU_ARM64, AL2023_ARM64, '/no/such'] }),
      );
      assert.deepEqual(r.InvalidParameters, ['/no/such']);
      assert.equal(r.Parameters?.length, 3);
      const ids = r.Parameters!.map((p) => p.Value!);
      for (const id of ids) assert.match(id, /^ami-0[0-9a-f]{16}$/);
      const images = await ec2(region).send(new DescribeImagesCommand({ ImageIds: ids }));
      const arch = Object.fromEntries(images.Images!.map((i) => [i.ImageId, i.Architecture]));
      assert.deepEqual(
        ids.map((id) => arch[id]),
        ['x86_64', 'arm64', 'arm64'],
      );
      const root = Object.fromEntries(images.Images!.map((i) => [i.ImageId, i.RootDeviceName]));
      assert.equal(root[ids[0]!], '/dev/sda1');
      assert.equal(root[ids[2]!], '/dev/xvda');
    }
    await rejectsWith(
      ssm().send(new GetParameterCommand({ Name: '/aws/service/nope' })),
      'ParameterNotFound',
    );
    await rejectsWith(
      ec2().send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
      'InvalidAMIID.NotFound',
    );
  });
});

test('instance types, regions, zones, subnets and spot prices answer as EC2 does', async () => {
  await withCloud(fast, async (_c, ec2) => {
    const types = await ec2().send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: ['t4g.small', 'm7g.large', 'c7g.xlarge', 't3.medium'],
      }),
    );
    const arch = Object.fromEntries(
      types.InstanceTypes!.map((t) => [t.InstanceType, t.ProcessorInfo?.SupportedArchitectures]),
    );
    assert.deepEqual(arch, {
      't4g.small': ['arm64'],
      'm7g.large': ['arm64'],
      'c7g.xlarge': ['arm64'],
      't3.medium': ['x86_64'],
    });
    await rejectsWith(
      ec2().send(
        new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.bogus' as _InstanceType] }),
      ),
      'InvalidInstanceType',
    );
    const regions = await ec2().send(new DescribeRegionsCommand({}));
    assert.ok(regions.Regions!.some((r) => r.RegionName === 'eu-west-1'));
    const zones = await ec2('eu-west-1').send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(
      zones.AvailabilityZones!.map((z) => z.ZoneName),
      ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    );
    const subnets = await ec2('eu-west-1').send(
      new DescribeSubnetsCommand({
        Filters: [{ Name: 'availability-zone', Values: ['eu-west-1b'] }],
      }),
    );
    assert.equal(subnets.Subnets?.length, 1);
    assert.equal(subnets.Subnets![0]!.DefaultForAz, true);
    const prices = await ec2().send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ['t3.micro'],
        ProductDescriptions: ['Linux/UNIX'],
        StartTime: new Date(),
      }),
    );
    assert.equal(prices.SpotPriceHistory?.length, 3);
    for (const p of prices.SpotPriceHistory!) {
      assert.ok(Number(p.SpotPrice) > 0 && Number(p.SpotPrice) < 0.0104, p.SpotPrice);
      assert.ok(p.Timestamp instanceof Date);
    }
  });
});

test('RunInstances: spot market, tags on create, user data, reservation shape; DescribeInstances sees it move to running', async () => {
  await withCloud(fast, async (c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const userData = gzipSync(Buffer.from('#cloud-config\nlocale: C.UTF-8\n'));
    const r = await ec2().send(
      launch(ami, {
        MinCount: 2,
        MaxCount: 3,
        InstanceMarketOptions: {
          MarketType: 'spot',
          SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
        },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'spot-deployer:deployment', Value: 'd-1' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'spot-deployer:deployment', Value: 'd-1' }] },
          {
            ResourceType: 'spot-instances-request',
            Tags: [{ Key: 'spot-deployer:deployment', Value: 'd-1' }],
          },
        ],
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
        InstanceInitiatedShutdownBehavior: 'terminate',
        UserData: userData.toString('base64'),
      }),
    );
    assert.match(r.ReservationId!, /^r-0[0-9a-f]{16}$/);
    assert.equal(r.Instances?.length, 3);
    for (const [n, i] of r.Instances!.entries()) {
      assert.match(i.InstanceId!, /^i-0[0-9a-f]{16}$/);
      assert.equal(i.State?.Name, 'pending');
      assert.equal(i.InstanceLifecycle, 'spot');
      assert.match(i.SpotInstanceRequestId!, /^sir-/);
      assert.equal(i.AmiLaunchIndex, n);
      assert.deepEqual(i.Tags, [{ Key: 'spot-deployer:deployment', Value: 'd-1' }]);
      assert.equal(i.MetadataOptions?.HttpTokens, 'required');
      assert.ok(i.LaunchTime instanceof Date);
      assert.equal(i.Placement?.AvailabilityZone, 'us-west-2a');
    }
    // the user data reaches the instance byte for byte (gzip included)
    const id = r.Instances![0]!.InstanceId!;
    assert.deepEqual(c.cloud.instances.get(id)!.userData, userData);
    const running = await until('running', async () => {
      const d = await ec2().send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:spot-deployer:deployment', Values: ['d-1'] },
            { Name: 'instance-state-name', Values: ['running'] },
          ],
        }),
      );
      const all = d.Reservations!.flatMap((x) => x.Instances!);
      return all.length === 3 ? all : undefined;
    });
    assert.ok(running.every((i) => i.PublicIpAddress && i.PrivateIpAddress));
    // the call was recorded with its region and parameters
    const call = c.calls().find((x) => x.operation === 'RunInstances')!;
    assert.equal(call.region, 'us-west-2');
    assert.equal((call.params as { UserData: string }).UserData, userData.toString('base64'));
  });
});

test('RunInstances refuses what EC2 refuses', async () => {
  await withCloud({ ...fast, instanceProfiles: ['spot-deployer-ssm'] }, async (_c, ec2, ssm) => {
    const amd = await amiFor(ssm());
    const arm = await amiFor(ssm(), UBUNTU_ARM64);
    await rejectsWith(
      ec2().send(launch(amd, { InstanceType: 't4g.small' })),
      'InvalidParameterValue',
      /architecture 'arm64'/,
    );
    await ec2().send(launch(arm, { InstanceType: 't4g.small' }));
    await rejectsWith(ec2().send(launch('ami-0123456789abcdef0')), 'InvalidAMIID.NotFound');
    await rejectsWith(
      ec2().send(launch(amd, { IamInstanceProfile: { Name: 'nope' } })),
      'InvalidParameterValue',
      /iamInstanceProfile\.name/,
    );
    await rejectsWith(
      ec2().send(launch(amd, { UserData: Buffer.alloc(16 * 1024 + 1).toString('base64') })),
      'InvalidParameterValue',
      /User data is limited to 16384 bytes/,
    );
    await rejectsWith(
      ec2().send(
        launch(amd, {
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'aws:x', Value: '1' }] }],
        }),
      ),
      'InvalidParameterValue',
    );
    await rejectsWith(
      ec2().send(
        launch(amd, {
          InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.0001' } },
        }),
      ),
      'SpotMaxPriceTooLow',
    );
    await rejectsWith(
      ec2().send(launch(amd, { SubnetId: 'subnet-0000000000000000a' })),
      'InvalidSubnetID.NotFound',
    );
    await rejectsWith(ec2().send(launch(amd, { DryRun: true })), 'DryRunOperation');
    await rejectsWith(
      ec2().send(launch(amd, { MinCount: 3, MaxCount: 2 })),
      'InvalidParameterValue',
    );
  });
});

test('ClientToken makes RunInstances idempotent; the same token with other parameters is a mismatch', async () => {
  await withCloud(fast, async (c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const first = await ec2().send(launch(ami, { ClientToken: 'token-1' }));
    const again = await ec2().send(launch(ami, { ClientToken: 'token-1' }));
    assert.equal(again.Instances![0]!.InstanceId, first.Instances![0]!.InstanceId);
    assert.equal(c.instances().length, 1);
    await rejectsWith(
      ec2().send(launch(ami, { ClientToken: 'token-1', InstanceType: 't3.small' })),
      'IdempotentParameterMismatch',
    );
    // the same token in another region is another request
    const other = await ec2('eu-west-1').send(
      launch(await amiFor(ssm('eu-west-1')), { ClientToken: 'token-1' }),
    );
    assert.notEqual(other.Instances![0]!.InstanceId, first.Instances![0]!.InstanceId);
  });
});

test('capacity knob: InsufficientInstanceCapacity, partial launches between MinCount and MaxCount, other zones', async () => {
  const capacity = {
    'spot:t3.micro@us-west-2a': 2,
    'spot:t3.micro@us-west-2b': 0,
    'spot:t3.micro@us-west-2c': 0,
    't3.small': 0,
  };
  await withCloud({ ...fast, capacity }, async (_c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const spot = { InstanceMarketOptions: { MarketType: 'spot' as const } };
    const partial = await ec2().send(launch(ami, { ...spot, MinCount: 1, MaxCount: 5 }));
    assert.equal(partial.Instances?.length, 2);
    await rejectsWith(
      ec2().send(launch(ami, { ...spot, Placement: { AvailabilityZone: 'us-west-2a' } })),
      'InsufficientInstanceCapacity',
      /t3\.micro capacity in the Availability Zone you requested \(us-west-2a\)/,
    );
    await rejectsWith(
      ec2().send(launch(ami, { InstanceType: 't3.small' })),
      'InsufficientInstanceCapacity',
    );
    // on-demand is another pool: not capped by the spot rules
    const od = await ec2().send(launch(ami, { MinCount: 3, MaxCount: 3 }));
    assert.equal(od.Instances?.length, 3);
    // terminating frees the capacity
    await ec2().send(
      new TerminateInstancesCommand({ InstanceIds: [partial.Instances![0]!.InstanceId!] }),
    );
    const after = await ec2().send(launch(ami, { ...spot, MinCount: 1, MaxCount: 5 }));
    assert.equal(after.Instances?.length, 1);
  });
});

test('CreateFleet instant: pools in priority order, Errors[] for the pools without capacity, a partial fleet', async () => {
  await withCloud(
    { ...fast, capacity: { 'spot:t3.micro': 0, 'spot:t3a.micro': 1 } },
    async (_c, ec2, ssm) => {
      const ami = await amiFor(ssm());
      const lt = await ec2().send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'fleet-test',
          LaunchTemplateData: { ImageId: ami, IamInstanceProfile: { Name: 'p' } },
        }),
      );
      const fleet = await ec2().send(
        new CreateFleetCommand({
          Type: 'instant',
          TargetCapacitySpecification: {
            TotalTargetCapacity: 3,
            DefaultTargetCapacityType: 'spot',
          },
          LaunchTemplateConfigs: [
            {
              LaunchTemplateSpecification: {
                LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!,
                Version: '$Latest',
              },
              Overrides: [
                { InstanceType: 't3.micro', Priority: 1 },
                { InstanceType: 't3a.micro', Priority: 2 },
              ],
            },
          ],
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'fleet', Value: 'yes' }] }],
        }),
      );
      assert.match(fleet.FleetId!, /^fleet-/);
      assert.deepEqual(
        fleet.Instances!.map((i) => [i.InstanceType, i.InstanceIds?.length, i.Lifecycle]),
        [['t3a.micro', 1, 'spot']],
      );
      assert.deepEqual(
        fleet.Errors!.map((e) => [
          e.LaunchTemplateAndOverrides?.Overrides?.InstanceType,
          e.ErrorCode,
          e.Lifecycle,
        ]),
        [['t3.micro', 'InsufficientInstanceCapacity', 'spot']],
      );
      const d = await ec2().send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'tag:fleet', Values: ['yes'] }] }),
      );
      assert.equal(d.Reservations!.flatMap((r) => r.Instances!).length, 1);
    },
  );
});

test('DescribeInstances: filters by tag, tag-key, state and id, pagination with NextToken, regions apart', async () => {
  await withCloud(fast, async (_c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const a = await ec2().send(
      launch(ami, {
        MinCount: 7,
        MaxCount: 7,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'blue' }] }],
      }),
    );
    await ec2().send(
      launch(ami, {
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'red' }] }],
      }),
    );
    await ec2('eu-west-1').send(launch(await amiFor(ssm('eu-west-1'))));
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2(), pageSize: 5 },
      { Filters: [{ Name: 'tag:team', Values: ['blue'] }] },
    )) {
      pages++;
      ids.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    assert.equal(pages, 2);
    assert.deepEqual(ids.sort(), a.Instances!.map((i) => i.InstanceId!).sort());
    const byKey = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['team'] }] }),
    );
    assert.equal(byKey.Reservations!.flatMap((r) => r.Instances!).length, 8);
    const wild = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:team', Values: ['r*'] }] }),
    );
    assert.equal(wild.Reservations!.flatMap((r) => r.Instances!).length, 1);
    const one = a.Instances![3]!.InstanceId!;
    const byId = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [one] }));
    assert.deepEqual(
      byId.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)),
      [one],
    );
    const byFilterId = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [one] }] }),
    );
    assert.equal(byFilterId.Reservations!.length, 1);
    // the other region's instance is not visible here, and an id from there is not found
    const all = await ec2().send(new DescribeInstancesCommand({}));
    assert.equal(all.Reservations!.flatMap((r) => r.Instances!).length, 8);
    await rejectsWith(
      ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      'InvalidInstanceID.NotFound',
    );
    await rejectsWith(
      ec2().send(new DescribeInstancesCommand({ InstanceIds: ['bogus'] })),
      'InvalidInstanceID.Malformed',
    );
    await rejectsWith(
      ec2().send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] }),
      ),
      'InvalidParameterValue',
    );
    // CreateTags adds tags that filters then see
    await ec2().send(
      new CreateTagsCommand({ Resources: [one], Tags: [{ Key: 'extra', Value: '1' }] }),
    );
    const tagged = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:extra', Values: ['1'] }] }),
    );
    assert.equal(tagged.Reservations!.flatMap((r) => r.Instances!)[0]?.InstanceId, one);
  });
});

test('TerminateInstances: shutting-down then terminated; a terminated instance stays visible with its reason', async () => {
  await withCloud(fast, async (_c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const r = await ec2().send(launch(ami));
    const id = r.Instances![0]!.InstanceId!;
    await until('running', async () => {
      const d = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return d.Reservations![0]!.Instances![0]!.State?.Name === 'running' ? true : undefined;
    });
    const t = await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(t.TerminatingInstances, [
      {
        InstanceId: id,
        PreviousState: { Code: 16, Name: 'running' },
        CurrentState: { Code: 32, Name: 'shutting-down' },
      },
    ]);
    const gone = await until('terminated', async () => {
      const d = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      const i = d.Reservations![0]!.Instances![0]!;
      return i.State?.Name === 'terminated' ? i : undefined;
    });
    assert.equal(gone.StateReason?.Code, 'Client.UserInitiatedShutdown');
    const twice = await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.equal(twice.TerminatingInstances![0]!.CurrentState?.Name, 'terminated');
  });
});

test('spot interruption knob: the instance is reclaimed with Server.SpotInstanceTermination', async () => {
  // noticeMs 0: reclaimed as soon as the notice is posted (the notice has its own test)
  const opts = { ...fast, interruptions: [{ nth: 2, afterMs: 50 }], noticeMs: 0 };
  await withCloud(opts, async (_c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const r = await ec2().send(
      launch(ami, { MinCount: 2, MaxCount: 2, InstanceMarketOptions: { MarketType: 'spot' } }),
    );
    const [first, second] = r.Instances!.map((i) => i.InstanceId!);
    const reclaimed = await until('interrupted', async () => {
      const d = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [second!] }));
      const i = d.Reservations![0]!.Instances![0]!;
      return i.State?.Name === 'terminated' ? i : undefined;
    });
    assert.deepEqual(reclaimed.StateReason, {
      Code: 'Server.SpotInstanceTermination',
      Message: 'Server.SpotInstanceTermination: Spot instance termination',
    });
    const d = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [first!] }));
    assert.equal(d.Reservations![0]!.Instances![0]!.State?.Name, 'running');
  });
});

test('throttling knob: RequestLimitExceeded from EC2 and ThrottlingException from SSM, the same calls for the same seed', async () => {
  const run = async () => {
    const outcome: string[] = [];
    await withCloud({ ...fast, seed: 7, throttle: { rate: 0.5 } }, async (_c, ec2, ssm) => {
      for (let i = 0; i < 12; i++) {
        try {
          await ec2().send(new DescribeRegionsCommand({}));
          outcome.push('ok');
        } catch (err) {
          outcome.push((err as Error).name);
        }
        try {
          await ssm().send(new GetParametersCommand({ Names: [UBUNTU_AMD64] }));
          outcome.push('ok');
        } catch (err) {
          outcome.push((err as Error).name);
        }
      }
    });
    return outcome;
  };
  const first = await run();
  assert.ok(first.includes('RequestLimitExceeded'), first.join());
  assert.ok(first.includes('ThrottlingException'), first.join());
  assert.ok(first.includes('ok'));
  assert.deepEqual(await run(), first);
  // the SDK's own retries ride over throttling
  await withCloud(
    { ...fast, seed: 7, throttle: { rate: 0.5, operations: ['DescribeRegions'] } },
    async (c) => {
      const client = new EC2Client({
        region: 'us-west-2',
        endpoint: c.url,
        credentials,
        maxAttempts: 10,
        retryMode: 'standard',
      });
      try {
        for (let i = 0; i < 3; i++) await client.send(new DescribeRegionsCommand({}));
      } finally {
        client.destroy();
      }
      const calls = c.calls().filter((x) => x.operation === 'DescribeRegions');
      assert.ok(calls.some((x) => x.error === 'RequestLimitExceeded' && x.status === 503));
      assert.equal(calls.filter((x) => !x.error).length, 3);
    },
  );
});

test('SSM: Online only once booted, never without an instance profile or with the never-online knob; paginated', async () => {
  await withCloud(
    { ...fast, neverOnline: [2], simulated: { bootMs: 300, commandMs: 10 } },
    async (_c, ec2, ssm) => {
      const ami = await amiFor(ssm());
      const r = await ec2().send(launch(ami, { MinCount: 8, MaxCount: 8 }));
      const bare = await ec2().send(launch(ami, { IamInstanceProfile: undefined }));
      const ids = r.Instances!.map((i) => i.InstanceId!);
      const early = await ssm().send(new DescribeInstanceInformationCommand({}));
      assert.deepEqual(early.InstanceInformationList, []);
      const expected = ids.filter((_, n) => n !== 1);
      await online(ssm(), expected);
      const listed: string[] = [];
      let pages = 0;
      for await (const page of paginateDescribeInstanceInformation(
        { client: ssm(), pageSize: 5 },
        {},
      )) {
        pages++;
        listed.push(...page.InstanceInformationList!.map((i) => i.InstanceId!));
      }
      assert.equal(pages, 2);
      assert.deepEqual(listed.sort(), [...expected].sort());
      assert.ok(!listed.includes(bare.Instances![0]!.InstanceId!));
      await rejectsWith(
        ssm().send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: [ids[1]!],
            Parameters: { commands: ['true'] },
          }),
        ),
        'InvalidInstanceId',
        /not in a valid state/,
      );
      const filtered = await ssm().send(
        new DescribeInstanceInformationCommand({
          InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: [ids[0]!] }],
        }),
      );
      assert.deepEqual(
        filtered.InstanceInformationList!.map((i) => [i.InstanceId, i.PingStatus]),
        [[ids[0], 'Online']],
      );
      await rejectsWith(
        ssm().send(new DescribeInstanceInformationCommand({ MaxResults: 2 })),
        'ValidationException',
      );
    },
  );
});

test('SendCommand limits: 50 instances, 64 KB of document and parameters, AWS-RunShellScript only', async () => {
  await withCloud(fast, async (_c, ec2, ssm) => {
    const ami = await amiFor(ssm());
    const r = await ec2().send(launch(ami));
    const id = r.Instances![0]!.InstanceId!;
    await online(ssm(), [id]);
    const fiftyOne = Array.from({ length: 51 }, (_, n) => `i-0${n.toString(16).padStart(16, '0')}`);
    await rejectsWith(
      ssm().send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: fiftyOne,
          Parameters: { commands: ['true'] },
        }),
      ),
      'ValidationException',
      /less than or equal to 50/,
    );
    await rejectsWith(
      ssm().send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [id],
          Parameters: { commands: ['x'.repeat(64 * 1024)] },
        }),
      ),
      'MaxDocumentSizeExceeded',
    );
    const fits = await ssm().send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [id],
        Parameters: { commands: [`: ${'x'.repeat(60 * 1024)}`] },
      }),
    );
    assert.equal(fits.Command?.Status, 'Pending');
    await rejectsWith(
      ssm().send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunPowerShellScript',
          InstanceIds: [id],
          Parameters: { commands: ['x'] },
        }),
      ),
      'InvalidDocument',
    );
    await rejectsWith(
      ssm().send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [id],
          Parameters: {},
        }),
      ),
      'InvalidParameters',
    );
    await rejectsWith(
      ssm().send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: ['i-0123456789abcdef0'],
          Parameters: { commands: ['x'] },
        }),
      ),
      'InvalidInstanceId',
    );
  });
});

test('Run Command lifecycle: invocations, ListCommands, hang knob with executionTimeout, CancelCommand, delayed visibility', async () => {
  await withCloud(
    {
      ...fast,
      hangCommands: 'sleep forever',
      invocationDelayMs: 150,
      simulated: { bootMs: 40, commandMs: 10, failCommands: /exit 3/ },
    },
    async (_c, ec2, ssm) => {
      const ami = await amiFor(ssm());
      const r = await ec2().send(launch(ami, { MinCount: 2, MaxCount: 2 }));
      const ids = r.Instances!.map((i) => i.InstanceId!);
      await online(ssm(), ids);
      const send = (commands: string[], extra: Record<string, string[]> = {}) =>
        ssm().send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: ids,
            Parameters: { commands, ...extra },
            TimeoutSeconds: 60,
          }),
        );
      const ok = await send(['echo ok']);
      const cmdId = ok.Command!.CommandId!;
      await rejectsWith(
        ssm().send(new GetCommandInvocationCommand({ CommandId: cmdId, InstanceId: ids[0]! })),
        'InvocationDoesNotExist',
      );
      const inv = await until('invocation', async () => {
        try {
          const g = await ssm().send(
            new GetCommandInvocationCommand({ CommandId: cmdId, InstanceId: ids[0]! }),
          );
          return g.Status === 'Success' ? g : undefined;
        } catch {
          return undefined;
        }
      });
      assert.equal(inv.ResponseCode, 0);
      assert.match(inv.ExecutionElapsedTime!, /^PT\d+\.\d{3}S$/);

      const failing = await send(['exit 3']);
      const hung = await send(['sleep forever'], { executionTimeout: ['1'] });
      const cancelled = await send(['sleep forever']);
      await until('visible', async () => {
        const l = await ssm().send(
          new ListCommandInvocationsCommand({ CommandId: cancelled.Command!.CommandId! }),
        );
        return l.CommandInvocations!.length === 2 ? true : undefined;
      });
      await ssm().send(new CancelCommandCommand({ CommandId: cancelled.Command!.CommandId! }));
      const final = async (id: string) =>
        until(
          `command ${id}`,
          async () => {
            const l = await ssm().send(
              new ListCommandInvocationsCommand({ CommandId: id, Details: true }),
            );
            const all = l.CommandInvocations!;
            return all.length === 2 &&
              all.every((i) => !['Pending', 'InProgress', 'Cancelling'].includes(i.Status!))
              ? all
              : undefined;
          },
          5_000,
        );
      assert.deepEqual(
        (await final(failing.Command!.CommandId!)).map((i) => [
          i.Status,
          i.CommandPlugins![0]!.ResponseCode,
        ]),
        [
          ['Failed', 1],
          ['Failed', 1],
        ],
      );
      assert.deepEqual(
        (await final(hung.Command!.CommandId!)).map((i) => [i.Status, i.StatusDetails]),
        [
          ['TimedOut', 'ExecutionTimedOut'],
          ['TimedOut', 'ExecutionTimedOut'],
        ],
      );
      assert.deepEqual(
        (await final(cancelled.Command!.CommandId!)).map((i) => i.Status),
        ['Cancelled', 'Cancelled'],
      );
      const listed = await ssm().send(new ListCommandsCommand({}));
      assert.deepEqual(
        listed.Commands!.map((c) => [c.CommandId, c.Status]),
        [
          [cancelled.Command!.CommandId, 'Cancelled'],
          [hung.Command!.CommandId, 'TimedOut'],
          [failing.Command!.CommandId, 'Failed'],
          [cmdId, 'Success'],
        ],
      );
    },
  );
});

test('several regions are separate namespaces', async () => {
  await withCloud(fast, async (_c, ec2, ssm) => {
    const east = await ec2('us-east-1').send(launch(await amiFor(ssm('us-east-1'))));
    const eastId = east.Instances![0]!.InstanceId!;
    await rejectsWith(
      ec2('us-west-2').send(new TerminateInstancesCommand({ InstanceIds: [eastId] })),
      'InvalidInstanceID.NotFound',
    );
    // an AMI published in one region does not exist in another
    await rejectsWith(
      ec2('us-west-2').send(launch(await amiFor(ssm('us-east-1')))),
      'InvalidAMIID.NotFound',
    );
  });
});

test('output truncation follows the SSM agent: a head with a marker, stdout and stderr sharing 2500 characters', () => {
  assert.equal(truncatePrefix('short', 24_000), 'short');
  const long = 'a'.repeat(30_000);
  const cut = truncatePrefix(long, 24_000);
  assert.equal(cut.length, 24_000);
  assert.ok(cut.endsWith('--output truncated--'));
  assert.equal(pluginOutput('out', ''), 'out');
  assert.equal(pluginOutput('out', 'err'), 'out\n----------ERROR-------\nerr');
  const both = pluginOutput('o'.repeat(5000), 'e'.repeat(5000));
  assert.ok(both.length <= 2500, String(both.length));
  assert.ok(both.includes('---Output truncated---') && both.endsWith('---Error truncated----'));
  const outOnly = pluginOutput('o'.repeat(5000), '');
  assert.ok(outOnly.length <= 2500 && outOnly.endsWith('---Output truncated---'));
});
