// Launch: the RunInstances request shape, the capacity pool fallback, on-demand fallback,
// image resolution and the registry, against mocked EC2 and SSM clients.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { Clients } from '../../src/aws/clients.ts';
import { formatAttempts, launchAll, launchRegion } from '../../src/launch/launch.ts';
import { InstanceRegistry } from '../../src/launch/registry.ts';
import { IMAGE_PARAMETERS } from '../../src/plan/regions.ts';
import { TAG } from '../../src/plan/types.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { makePlan, regionPlan, RUN_ID } from '../../__fixtures__/plan.ts';

const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const ubuntu = IMAGE_PARAMETERS['ubuntu-24.04'];

function awsError(code: string, message = `${code} happened`) {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: {}, message });
}

let nextId = 0;
function instances(n: number, zone = 'us-east-1a') {
  return {
    Instances: Array.from({ length: n }, () => ({
      InstanceId: `i-${(++nextId).toString(16).padStart(17, '0')}`,
      Placement: { AvailabilityZone: zone },
    })),
  };
}

beforeEach(() => {
  ec2.reset();
  ssm.reset();
  ec2.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: [
      { InstanceType: 't3.micro', ProcessorInfo: { SupportedArchitectures: ['x86_64'] } },
      { InstanceType: 't3.small', ProcessorInfo: { SupportedArchitectures: ['x86_64'] } },
      { InstanceType: 't4g.micro', ProcessorInfo: { SupportedArchitectures: ['arm64'] } },
    ],
  });
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: ubuntu.x86_64, Value: 'ami-0x86' },
      { Name: ubuntu.arm64, Value: 'ami-0arm' },
    ],
  });
  ec2.on(DescribeImagesCommand).resolves({
    Images: [
      { ImageId: 'ami-0x86', RootDeviceName: '/dev/sda1', Architecture: 'x86_64' },
      { ImageId: 'ami-0arm', RootDeviceName: '/dev/sda1', Architecture: 'arm64' },
    ],
  });
});

function ctx(registry = new InstanceRegistry(), tokens?: string[]) {
  const clients = new Clients();
  let n = 0;
  return {
    clientsFor: (r: string) => clients.for(r),
    registry,
    log: memoryLog(),
    profileWaitMs: 0,
    ...(tokens ? { newToken: () => tokens[n++] ?? `token-${n}` } : {}),
  };
}

const runInputs = () => ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input);

test('RunInstances: spot one-time, IMDSv2, encrypted gp3 root, profile, no key pair, tags on create', async () => {
  ec2.on(RunInstancesCommand).resolves(instances(2));
  const rp = regionPlan('us-east-1', {
    count: 2,
    market: { maxPrice: '0.02', onDemandFallback: false },
  });
  const res = await launchRegion(ctx(), rp, 'I2Nsb3VkLWNvbmZpZwo=');
  assert.equal(res.instances.length, 2);
  const [input] = runInputs() as [RunInstancesCommandInput];
  assert.equal(input.ImageId, 'ami-0x86');
  assert.equal(input.InstanceType, 't3.micro');
  assert.equal(input.MinCount, 1);
  assert.equal(input.MaxCount, 2);
  assert.deepEqual(input.InstanceMarketOptions, {
    MarketType: 'spot',
    SpotOptions: {
      SpotInstanceType: 'one-time',
      InstanceInterruptionBehavior: 'terminate',
      MaxPrice: '0.02',
    },
  });
  assert.deepEqual(input.MetadataOptions, { HttpTokens: 'required', HttpEndpoint: 'enabled' });
  assert.deepEqual(input.BlockDeviceMappings, [
    {
      DeviceName: '/dev/sda1',
      Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
    },
  ]);
  assert.deepEqual(input.IamInstanceProfile, { Name: 'spot-ssm' });
  assert.equal(input.InstanceInitiatedShutdownBehavior, 'terminate');
  assert.equal(input.KeyName, undefined);
  assert.equal(input.SecurityGroupIds, undefined);
  assert.equal(input.NetworkInterfaces, undefined);
  assert.equal(input.UserData, 'I2Nsb3VkLWNvbmZpZwo=');
  assert.match(input.ClientToken ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    input.TagSpecifications?.map((t) => t.ResourceType),
    ['instance', 'volume', 'spot-instances-request'],
  );
  for (const spec of input.TagSpecifications ?? []) {
    const tags = Object.fromEntries((spec.Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.deepEqual(tags, rp.tags, `${spec.ResourceType} tags`);
    assert.equal(tags[TAG.run], RUN_ID);
  }
});

test('a subnet or a public IP goes through the primary network interface', async () => {
  ec2.on(RunInstancesCommand).resolves(instances(1));
  const rp = regionPlan('us-east-1', {
    pools: [{ instanceType: 't3.micro', subnetId: 'subnet-1' }],
    instance: { ...regionPlan('x').instance, associatePublicIp: true },
  });
  await launchRegion(ctx(), rp, 'eA==');
  const [input] = runInputs() as [RunInstancesCommandInput];
  assert.deepEqual(input.NetworkInterfaces, [
    {
      DeviceIndex: 0,
      AssociatePublicIpAddress: true,
      DeleteOnTermination: true,
      SubnetId: 'subnet-1',
    },
  ]);
  assert.equal(input.SubnetId, undefined);
});

test('capacity errors move to the next pool in order, each request with a fresh client token', async () => {
  ec2
    .on(RunInstancesCommand)
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .rejectsOnce(awsError('SpotMaxPriceTooLow'))
    .resolves(instances(1));
  const rp = regionPlan('us-east-1', {
    pools: [
      { instanceType: 't3.micro', subnetId: 'subnet-a' },
      { instanceType: 't3.micro', subnetId: 'subnet-b' },
      { instanceType: 't3.small', subnetId: 'subnet-a' },
    ],
  });
  const res = await launchRegion(ctx(), rp, 'eA==');
  const inputs = runInputs();
  assert.deepEqual(
    inputs.map((i) => [i.InstanceType, i.NetworkInterfaces?.[0]?.SubnetId]),
    [
      ['t3.micro', 'subnet-a'],
      ['t3.micro', 'subnet-b'],
      ['t3.small', 'subnet-a'],
    ],
  );
  const tokens = inputs.map((i) => i.ClientToken);
  assert.equal(new Set(tokens).size, 3, 'every request has its own token');
  assert.equal(res.instances.length, 1);
  assert.equal(res.instances[0]?.instanceType, 't3.small');
  assert.deepEqual(
    res.attempts.map((a) => a.code ?? 'ok'),
    ['InsufficientInstanceCapacity', 'SpotMaxPriceTooLow', 'ok'],
  );
});

test('a partial fill asks the next pool for the remainder only', async () => {
  ec2.on(RunInstancesCommand).resolvesOnce(instances(2)).resolves(instances(1));
  const rp = regionPlan('us-east-1', {
    count: 3,
    pools: [{ instanceType: 't3.micro' }, { instanceType: 't3.small' }],
  });
  const res = await launchRegion(ctx(), rp, 'eA==');
  assert.deepEqual(
    runInputs().map((i) => [i.InstanceType, i.MinCount, i.MaxCount]),
    [
      ['t3.micro', 1, 3],
      ['t3.small', 1, 1],
    ],
  );
  assert.equal(res.instances.length, 3);
});

test('every spot pool empty without fallback: a shortfall that lists every pool and code tried', async () => {
  ec2
    .on(RunInstancesCommand)
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .rejectsOnce(awsError('MaxSpotInstanceCountExceeded'));
  const rp = regionPlan('us-east-1', {
    pools: [{ instanceType: 't3.micro' }, { instanceType: 't3.small' }],
  });
  const res = await launchRegion(ctx(), rp, 'eA==');
  assert.equal(res.instances.length, 0);
  assert.equal(runInputs().length, 2);
  assert.equal(
    formatAttempts(res.attempts),
    't3.micro in any zone (spot): InsufficientInstanceCapacity; t3.small in any zone (spot): MaxSpotInstanceCountExceeded',
  );
});

test('on-demand fallback: the same pools on-demand for what spot left, no spot options or spot-request tags', async () => {
  ec2
    .on(RunInstancesCommand)
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .resolves(instances(2));
  const rp = regionPlan('us-east-1', {
    count: 2,
    pools: [{ instanceType: 't3.micro' }, { instanceType: 't3.small' }],
    market: { onDemandFallback: true },
  });
  const res = await launchRegion(ctx(), rp, 'eA==');
  const inputs = runInputs();
  assert.deepEqual(
    inputs.map((i) => [i.InstanceType, i.InstanceMarketOptions?.MarketType ?? 'on-demand']),
    [
      ['t3.micro', 'spot'],
      ['t3.small', 'spot'],
      ['t3.micro', 'on-demand'],
      ['t3.small', 'on-demand'],
    ],
  );
  const last = inputs[3] as RunInstancesCommandInput;
  assert.deepEqual(
    last.TagSpecifications?.map((t) => t.ResourceType),
    ['instance', 'volume'],
  );
  assert.equal(res.onDemand, 2);
  assert.deepEqual(
    res.instances.map((i) => i.lifecycle),
    ['on-demand', 'on-demand'],
  );
  assert.equal(new Set(inputs.map((i) => i.ClientToken)).size, 4);
});

test('any other error stops the launch with the AWS code, what was tried and the policy the profile needs', async () => {
  ec2
    .on(RunInstancesCommand)
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .rejectsOnce(
      awsError(
        'InvalidParameterValue',
        'Value (spot-ssm) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
      ),
    );
  const rp = regionPlan('us-east-1', {
    pools: [
      { instanceType: 't3.micro' },
      { instanceType: 't3.small' },
      { instanceType: 't4g.micro' },
    ],
  });
  await assert.rejects(launchRegion(ctx(), rp, 'eA=='), (err: Error) => {
    assert.equal(err.name, 'DeployError');
    assert.match(
      err.message,
      /us-east-1: RunInstances failed for t3\.small in any zone \(spot\): InvalidParameterValue/,
    );
    assert.match(err.message, /AmazonSSMManagedInstanceCore/);
    assert.match(
      err.message,
      /Tried: t3\.micro in any zone \(spot\): InsufficientInstanceCapacity; t3\.small/,
    );
    return true;
  });
  assert.equal(runInputs().length, 2, 'no pool tried after a non-capacity error');
});

test('auto images: one GetParameters (both architectures) and one DescribeInstanceTypes per region; arm64 types get the arm64 image', async () => {
  ec2
    .on(RunInstancesCommand)
    .rejectsOnce(awsError('InsufficientInstanceCapacity'))
    .resolves(instances(1));
  const rp = regionPlan('us-east-1', {
    pools: [{ instanceType: 't3.micro' }, { instanceType: 't4g.micro' }],
  });
  await launchRegion(ctx(), rp, 'eA==');
  const gp = ssm.commandCalls(GetParametersCommand);
  assert.equal(gp.length, 1);
  assert.deepEqual(gp[0]?.args[0].input.Names, [ubuntu.x86_64, ubuntu.arm64]);
  const dit = ec2.commandCalls(DescribeInstanceTypesCommand);
  assert.equal(dit.length, 1);
  assert.deepEqual(dit[0]?.args[0].input.InstanceTypes, ['t3.micro', 't4g.micro']);
  assert.equal(ec2.commandCalls(DescribeImagesCommand).length, 1);
  assert.deepEqual(
    runInputs().map((i) => [i.InstanceType, i.ImageId]),
    [
      ['t3.micro', 'ami-0x86'],
      ['t4g.micro', 'ami-0arm'],
    ],
  );
});

test('an explicit AMI skips the pools of another architecture, and says so', async () => {
  ec2.on(DescribeImagesCommand).resolves({
    Images: [{ ImageId: 'ami-mine', RootDeviceName: '/dev/xvda', Architecture: 'arm64' }],
  });
  ec2.on(RunInstancesCommand).resolves(instances(1));
  const rp = regionPlan('us-east-1', {
    image: { kind: 'ami', id: 'ami-mine' },
    pools: [{ instanceType: 't3.micro' }, { instanceType: 't4g.micro' }],
  });
  const res = await launchRegion(ctx(), rp, 'eA==');
  assert.equal(ssm.commandCalls(GetParametersCommand).length, 0);
  assert.deepEqual(
    runInputs().map((i) => [i.InstanceType, i.ImageId, i.BlockDeviceMappings?.[0]?.DeviceName]),
    [['t4g.micro', 'ami-mine', '/dev/xvda']],
  );
  assert.match(
    formatAttempts(res.attempts),
    /t3\.micro in any zone \(spot\): skipped, t3\.micro is x86_64, image ami-mine is arm64/,
  );
});

test('launchAll: regions in parallel; ids are in the registry (and state) even when another region fails', async () => {
  const saved: string[] = [];
  const registry = new InstanceRegistry((s) => saved.push(JSON.stringify(s)));
  ec2.on(RunInstancesCommand).callsFake(async (input: RunInstancesCommandInput) => {
    if (input.InstanceType === 't3.small')
      throw awsError('UnauthorizedOperation', 'You are not authorized');
    return instances(2);
  });
  const plan = makePlan({
    regions: [
      regionPlan('us-east-1', { count: 2 }),
      regionPlan('eu-west-1', { count: 1, pools: [{ instanceType: 't3.small' }] }),
    ],
  });
  await assert.rejects(
    launchAll(ctx(registry), plan),
    /eu-west-1: RunInstances failed .*UnauthorizedOperation/,
  );
  const snap = registry.snapshot();
  assert.deepEqual(Object.keys(snap), ['us-east-1']);
  assert.equal(snap['us-east-1']?.length, 2);
  assert.deepEqual(JSON.parse(saved.at(-1) ?? '{}'), snap);
});
