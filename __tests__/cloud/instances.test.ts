// The local cloud with its default backend: every instance a systemd-nspawn container booted
// from the user data through cloud-init, commands run inside it as the SSM agent runs them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  ListCommandInvocationsCommand,
  SSMClient,
  SendCommandCommand,
  type GetCommandInvocationCommandOutput,
} from '@aws-sdk/client-ssm';
import { startCloud } from '../../cloud/server.ts';
import { processesOf, until } from './support.ts';

const credentials = { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'not-a-secret' };
const region = 'us-east-2';

const userData = (marker: string) => `#cloud-config
locale: C.UTF-8
write_files:
  - path: /opt/app/marker.txt
    content: ${marker}
runcmd:
  - [sh, -c, 'echo "runcmd $(hostname)" > /opt/app/runcmd.txt']
`;

test('instances are containers: user data runs, commands run inside, terminate leaves nothing behind', async (t) => {
  // Commands right after Online: without the registration window (aws-timing.test.ts has it).
  const cloud = await startCloud({
    latency: { pendingToRunningMs: 50, terminateMs: 50 },
    fidelity: { registrationLagMs: 0 },
  });
  const ec2 = new EC2Client({ region, endpoint: cloud.url, credentials });
  const ssm = new SSMClient({ region, endpoint: cloud.url, credentials });
  t.after(async () => {
    ec2.destroy();
    ssm.destroy();
    await cloud.close();
  });

  const ami = (
    await ssm.send(
      new GetParameterCommand({
        Name: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      }),
    )
  ).Parameter!.Value!;
  const common = {
    ImageId: ami,
    InstanceType: 't3.small' as const,
    MinCount: 1,
    MaxCount: 1,
    IamInstanceProfile: { Name: 'spot-deployer-ssm' },
    InstanceInitiatedShutdownBehavior: 'terminate' as const,
  };
  // one plain user data, one gzip-compressed (cloud-init sniffs the gzip magic)
  const [plain, gz] = await Promise.all([
    ec2.send(
      new RunInstancesCommand({
        ...common,
        UserData: Buffer.from(userData('plain')).toString('base64'),
      }),
    ),
    ec2.send(
      new RunInstancesCommand({
        ...common,
        UserData: gzipSync(userData('gzip')).toString('base64'),
      }),
    ),
  ]);
  const a = plain.Instances![0]!.InstanceId!;
  const b = gz.Instances![0]!.InstanceId!;

  await until('both Online', async () => {
    const info = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [a, b] }] }),
    );
    return info.InstanceInformationList?.filter((i) => i.PingStatus === 'Online').length === 2
      ? true
      : undefined;
  });
  const inventory = Object.fromEntries(cloud.instances().map((i) => [i.id, i]));
  const containerA = String(inventory[a]!.machine!.container);
  const containerB = String(inventory[b]!.machine!.container);
  assert.ok(processesOf(containerA).length > 0, 'the instance is a running container');

  // the user data's file exists inside the container
  const leader = Number(inventory[a]!.machine!.leaderPid);
  assert.equal(readFileSync(`/proc/${leader}/root/opt/app/marker.txt`, 'utf8'), 'plain');

  const run = async (ids: string[], commands: string[], executionTimeout?: string) => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ids,
        Parameters: {
          commands,
          ...(executionTimeout ? { executionTimeout: [executionTimeout] } : {}),
        },
      }),
    );
    return sent.Command!.CommandId!;
  };
  const result = (commandId: string, instanceId: string) =>
    until<GetCommandInvocationCommandOutput>(`${commandId} on ${instanceId}`, async () => {
      const r = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      return ['Pending', 'InProgress', 'Delayed'].includes(r.Status!) ? undefined : r;
    });

  // output, error output and exit code come back, for both instances of one command
  const cat = await run(
    [a, b],
    ['cat /opt/app/marker.txt /opt/app/runcmd.txt', 'echo to-stderr >&2', 'exit 4'],
  );
  const [ra, rb] = await Promise.all([result(cat, a), result(cat, b)]);
  assert.equal(ra.Status, 'Failed');
  assert.equal(ra.ResponseCode, 4);
  assert.match(ra.StandardOutputContent!, /^plainruncmd ip-172-31-\d+-\d+\n$/);
  assert.equal(ra.StandardErrorContent, 'to-stderr\n');
  assert.match(rb.StandardOutputContent!, /^gzipruncmd /);

  // a #!/bin/bash script runs under bash; several commands run at once on one instance
  const waiter = await run(
    [a],
    [
      '#!/bin/bash',
      'for i in {1..200}; do [[ -f /tmp/flag ]] && echo seen && exit 0; sleep 0.1; done',
      'exit 1',
    ],
  );
  const setter = await run([a], ['touch /tmp/flag']);
  assert.equal((await result(setter, a)).Status, 'Success');
  const waited = await result(waiter, a);
  assert.deepEqual([waited.Status, waited.StandardOutputContent], ['Success', 'seen\n']);

  // output is cut where SSM cuts it: 24,000 characters here, 2,500 in ListCommandInvocations
  const big = await run([a], ['head -c 30000 /dev/zero | tr "\\0" x']);
  const bigResult = await result(big, a);
  assert.equal(bigResult.StandardOutputContent!.length, 24_000);
  assert.ok(bigResult.StandardOutputContent!.endsWith('--output truncated--'));
  const listed = await ssm.send(
    new ListCommandInvocationsCommand({ CommandId: big, Details: true }),
  );
  assert.ok(listed.CommandInvocations![0]!.CommandPlugins![0]!.Output!.length <= 2500);

  // executionTimeout stops a command that runs too long, with the agent's exit code
  const slow = await run([a], ['sleep 60'], '1');
  const slowResult = await result(slow, a);
  assert.deepEqual(
    [slowResult.Status, slowResult.StatusDetails, slowResult.ResponseCode],
    ['TimedOut', 'ExecutionTimedOut', 137],
  );

  // an OS shutdown (say, a time-to-live timer) terminates an instance launched with
  // InstanceInitiatedShutdownBehavior=terminate
  await run([b], ['systemctl poweroff --no-block']);
  const selfStopped = await until('b terminated', async () => {
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [b] }));
    const i = d.Reservations![0]!.Instances![0]!;
    return i.State?.Name === 'terminated' ? i : undefined;
  });
  assert.equal(selfStopped.StateReason?.Code, 'Client.InstanceInitiatedShutdown');

  // terminate: the container, its processes, mounts and files are gone
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a] }));
  await until('a terminated', async () => {
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [a] }));
    return d.Reservations![0]!.Instances![0]!.State?.Name === 'terminated' ? true : undefined;
  });
  for (const name of [containerA, containerB]) {
    assert.deepEqual(processesOf(name), [], `no process left in ${name}`);
    assert.ok(
      !readdirSync('/tmp').some((f) => f.startsWith(`spot-cloud-${name}-`)),
      `no work dir left for ${name}`,
    );
    assert.ok(
      !readFileSync('/proc/self/mountinfo', 'utf8').includes(name),
      `no mount left for ${name}`,
    );
  }
  assert.equal(existsSync(`/proc/${leader}/root/opt/app`), false);
});
