// AWS's timing, as the local cloud now models it by default, against the action's stage
// modules over real HTTP (simulated backend): ids EC2 does not know yet right after
// RunInstances, an agent SendCommand refuses just after it registered, an invocation that
// stays InProgress when its instance is reclaimed, and SendCommand's limited rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import { Clients } from '../../src/aws/clients.ts';
import { COMMAND_POLL, realClock } from '../../src/aws/poll.ts';
import { runCommand, type CommandContext } from '../../src/deliver/commands.ts';
import { onlineIds } from '../../src/deliver/wait.ts';
import { terminateInstances } from '../../src/destroy/destroy.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { until } from '../cloud/support.ts';
import { simulated } from './support.ts';

const REGION = 'us-west-2';
const UBUNTU = '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';

async function withCloud(
  options: StartOptions,
  fn: (c: RunningCloud, clients: Clients) => Promise<void>,
): Promise<void> {
  const c = await startCloud(simulated(options));
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EC2: c.url,
    AWS_ENDPOINT_URL_SSM: c.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: REGION,
  });
  const clients = new Clients();
  try {
    await fn(c, clients);
  } finally {
    clients.close();
    process.env = saved;
    await c.close();
  }
}

async function launch(clients: Clients, count = 1): Promise<string[]> {
  const { ec2, ssm } = clients.for(REGION);
  const image = await ssm.send(new GetParameterCommand({ Name: UBUNTU }));
  const res = await ec2.send(
    new RunInstancesCommand({
      ImageId: image.Parameter?.Value,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      IamInstanceProfile: { Name: 'spot-deployer-ssm' },
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time' } },
    }),
  );
  return (res.Instances ?? []).map((i) => i.InstanceId ?? '');
}

/** Polls DescribeInstanceInformation (as the action's wait does) until all are Online. */
async function online(clients: Clients, ids: string[]): Promise<void> {
  await until(
    'Online',
    async () =>
      (await onlineIds(clients.for(REGION).ssm, ids)).size === ids.length ? true : undefined,
    20_000,
    50,
  );
}

function commandContext(clients: Clients): CommandContext {
  const { ssm, ec2 } = clients.for(REGION);
  return { ssm, ec2, clock: realClock, poll: COMMAND_POLL };
}

const errorsOf = (c: RunningCloud, operation: string) =>
  c
    .calls()
    .filter((r) => r.operation === operation)
    .map((r) => r.error ?? 'ok');

test('terminating ids RunInstances just returned: NotFound is no proof, the ids are asked again until terminated', async () => {
  await withCloud({ fidelity: { consistencyMs: 1500 } }, async (c, clients) => {
    const ids = await launch(clients, 2);
    const res = await terminateInstances(
      {
        clientsFor: (r) => clients.for(r),
        log: memoryLog(),
        clock: realClock,
        poll: { initialMs: 200, maxMs: 1000, factor: 1.5 },
        timeoutMs: 30_000,
      },
      ids.map((id) => ({ id, region: REGION })),
    );
    assert.equal(
      errorsOf(c, 'TerminateInstances')[0],
      'InvalidInstanceID.NotFound',
      'EC2 did not know the ids yet',
    );
    assert.deepEqual(res.remaining, []);
    assert.deepEqual(res.terminated.sort(), [...ids].sort());
    assert.deepEqual(
      c
        .instances()
        .map((i) => i.state)
        .sort(),
      ['terminated', 'terminated'],
      'reported terminated only once EC2 says so',
    );
  });
});

test('SendCommand refuses an agent that registered a moment ago: the command is sent again, not dropped', async () => {
  await withCloud({ fidelity: { registrationLagMs: 1500 } }, async (c, clients) => {
    const [id] = await launch(clients);
    await online(clients, [id!]);
    const res = await runCommand(commandContext(clients), [id!], {
      script: 'true',
      timeoutSeconds: 60,
      comment: 'registration race',
    });
    assert.equal(errorsOf(c, 'SendCommand')[0], 'InvalidInstanceId', 'refused at first');
    assert.equal(res.get(id!)?.status, 'Success', JSON.stringify(res.get(id!)));
  });
});

test(
  'an instance reclaimed while its command runs: SSM keeps the invocation InProgress, the action drops it from its EC2 look-ups',
  { timeout: 60_000 },
  async () => {
    await withCloud({ hangCommands: /hang-here/ }, async (c, clients) => {
      const [id] = await launch(clients);
      await online(clients, [id!]);
      const ctx = commandContext(clients);
      const running = runCommand(ctx, [id!], {
        script: 'echo hang-here',
        timeoutSeconds: 3600,
        comment: 'reclaimed',
      });
      await until('InProgress', async () => (c.cloud.commands.size > 0 ? true : undefined));
      await c.cloud.interrupt(c.cloud.instances.get(id!)!);
      const res = await running;
      const r = res.get(id!);
      assert.equal(r?.status, 'Failed');
      assert.match(
        r?.statusDetails ?? '',
        /the instance left while the command ran \((shutting-down|terminated), Server\.SpotInstanceTermination\)/,
      );
      const inv = await ctx.ssm.send(
        new GetCommandInvocationCommand({ CommandId: r?.commandId, InstanceId: id }),
      );
      assert.equal(inv.Status, 'InProgress', 'as on AWS, until its execution timeout');
    });
  },
);

test('a burst of commands: SendCommands in flight stay under what SSM serves at once, none is throttled', async () => {
  await withCloud({ fidelity: { registrationLagMs: 0 } }, async (c, clients) => {
    const [id] = await launch(clients);
    await online(clients, [id!]);
    const ctx = commandContext(clients);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        runCommand(ctx, [id!], { script: `echo ${i}`, timeoutSeconds: 60, comment: `burst ${i}` }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.get(id!)?.status),
      Array.from({ length: 60 }, () => 'Success'),
    );
    const sends = errorsOf(c, 'SendCommand');
    assert.equal(sends.filter((e) => e === 'ThrottlingException').length, 0, 'throttled sends');
    assert.equal(sends.length, 60);
  });
});
