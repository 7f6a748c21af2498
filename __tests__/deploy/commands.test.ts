// SSM Run Command: batching per 50 instances, following results per command, failure tails,
// steps in order and in parallel groups, instances dropping out, secrets sealed per instance.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  SSMServiceException,
  type ListCommandInvocationsCommandInput,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import {
  DescribeInstancesCommand,
  EC2Client,
  type DescribeInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { Clients } from '../../src/aws/clients.ts';
import { runCommand, tail } from '../../src/deliver/commands.ts';
import { deliverSteps, stepBatches, type SecretsSealer } from '../../src/deliver/deliver.ts';
import { Fleet } from '../../src/deliver/fleet.ts';
import { answerMerged } from '../../__fixtures__/agent.ts';
import { memoryLog } from '../../__fixtures__/log.ts';
import { FAST_POLL, fakeClock, step } from '../../__fixtures__/plan.ts';

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
/** Instance states, for failures explained by EC2 (running unless set). */
const states = new Map<string, string>();

const FAILED_OUTPUT = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

/** A fake Run Command: every command finishes at once; `exit` decides each instance's code,
 * for each step of a command that carries several (framed by markers, as on an instance). */
function fakeRunCommand(
  exit: (instanceId: string, input: SendCommandCommandInput) => number = () => 0,
) {
  const commands = new Map<string, SendCommandCommandInput>();
  const order: string[] = [];
  const answer = (InstanceId: string, cmd: SendCommandCommandInput) => {
    const script = cmd.Parameters?.commands?.[0] ?? '';
    const one = (body: string) => {
      const exitCode = exit(InstanceId, { ...cmd, Parameters: { commands: [body] } });
      return exitCode === 0
        ? { exitCode, stdout: `out of ${InstanceId}`, stderr: '' }
        : { exitCode, stdout: FAILED_OUTPUT, stderr: `boom on ${InstanceId}\n` };
    };
    return answerMerged(script, one) ?? one(script);
  };
  ssm.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    const id = `cmd-${commands.size + 1}`;
    commands.set(id, input);
    order.push(`send ${id}`);
    return { Command: { CommandId: id } };
  });
  ssm
    .on(ListCommandInvocationsCommand)
    .callsFake(async (input: ListCommandInvocationsCommandInput) => {
      order.push(`list ${input.CommandId}`);
      const cmd = commands.get(input.CommandId ?? '');
      const ids = cmd?.InstanceIds ?? [];
      // Two pages when there are more than 30, to exercise NextToken.
      const start = input.NextToken ? 30 : 0;
      const page = ids.slice(start, start + 30);
      return {
        CommandInvocations: page.map((InstanceId) => {
          const r = answer(InstanceId, cmd as SendCommandCommandInput);
          return {
            InstanceId,
            Status: r.exitCode === 0 ? 'Success' : 'Failed',
            CommandPlugins: [{ ResponseCode: r.exitCode, Output: r.stdout.slice(0, 2500) }],
          };
        }),
        ...(start + 30 < ids.length ? { NextToken: 'more' } : {}),
      };
    });
  ssm.on(GetCommandInvocationCommand).callsFake(async (input) => {
    const cmd = commands.get(input.CommandId ?? '') as SendCommandCommandInput;
    const r = answer(input.InstanceId ?? '', cmd);
    return {
      Status: r.exitCode === 0 ? 'Success' : 'Failed',
      ResponseCode: r.exitCode,
      StandardOutputContent: r.stdout,
      StandardErrorContent: r.stderr,
    };
  });
  return { commands, order };
}

beforeEach(() => {
  ssm.reset();
  ec2.reset();
  states.clear();
  ec2.on(DescribeInstancesCommand).callsFake(async (input: DescribeInstancesCommandInput) => ({
    Reservations: [
      {
        Instances: (input.InstanceIds ?? []).map((InstanceId) => ({
          InstanceId,
          State: { Name: states.get(InstanceId) ?? 'running' },
          ...(states.get(InstanceId) === 'terminated'
            ? {
                StateReason: {
                  Code: 'Server.SpotInstanceTermination',
                  Message: 'Spot instance termination',
                },
              }
            : {}),
        })),
      },
    ],
  }));
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${String(i).padStart(8, '0')}`);
const cctx = () => ({
  ssm: new SSMClient({ region: 'us-east-1' }),
  clock: fakeClock(),
  poll: FAST_POLL,
});

test('one SendCommand per 50 instances with the script, execution timeout and delivery timeout', async () => {
  const { commands } = fakeRunCommand();
  const res = await runCommand(cctx(), ids(120), {
    script: 'echo hi',
    timeoutSeconds: 90,
    comment: 'spot-deployer 01',
  });
  const sent = [...commands.values()];
  assert.deepEqual(
    sent.map((c) => c.InstanceIds?.length),
    [50, 50, 20],
  );
  for (const c of sent) {
    assert.equal(c.DocumentName, 'AWS-RunShellScript');
    assert.deepEqual(c.Parameters, { commands: ['echo hi'], executionTimeout: ['90'] });
    assert.ok((c.TimeoutSeconds ?? 0) >= 30);
  }
  assert.equal(res.size, 120);
  assert.ok([...res.values()].every((r) => r.status === 'Success'));
  // Results are listed per command (two pages for 50), never per instance.
  const lists = ssm.commandCalls(ListCommandInvocationsCommand).map((c) => c.args[0].input);
  assert.equal(lists.length, 5);
  assert.ok(lists.every((l) => l.Details === true && l.InstanceId === undefined));
  assert.equal(ssm.commandCalls(GetCommandInvocationCommand).length, 0);
});

test('SSM refusing the instances (InvalidInstanceId) marks them undeliverable, not a crash', async () => {
  ssm.on(SendCommandCommand).rejects(
    new SSMServiceException({
      name: 'InvalidInstanceId',
      $fault: 'client',
      $metadata: {},
      message: 'Instances not in a valid state',
    }),
  );
  const res = await runCommand(cctx(), ids(2), { script: 'x', timeoutSeconds: 60, comment: 'c' });
  assert.deepEqual(
    [...res.values()].map((r) => r.status),
    ['Undeliverable', 'Undeliverable'],
  );
  assert.match(res.get('i-00000000')?.statusDetails ?? '', /InvalidInstanceId/);
});

/** SSM's answer for an instance it cannot reach at that moment. */
const REFUSED = new SSMServiceException({
  name: 'InvalidInstanceId',
  $fault: 'client',
  $metadata: {},
  message: 'Instances not in a valid state',
});

test('a batch refused just after registration is sent again whole, not cut into parts', async () => {
  const { commands } = fakeRunCommand();
  let refusals = 0;
  const sends: string[][] = [];
  ssm.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    sends.push(input.InstanceIds ?? []);
    if (refusals++ < 1) throw REFUSED;
    const id = `cmd-${commands.size + 1}`;
    commands.set(id, input);
    return { Command: { CommandId: id } };
  });
  const res = await runCommand(cctx(), ids(3), { script: 'x', timeoutSeconds: 60, comment: 'c' });
  assert.deepEqual(sends, [ids(3), ids(3)], 'refused once, then the same batch again');
  assert.deepEqual(
    [...res.values()].map((r) => r.status),
    ['Success', 'Success', 'Success'],
  );
});

test('an instance refused for good is cut out of its batch: the others get the command', async () => {
  const { commands } = fakeRunCommand();
  const sends: string[][] = [];
  ssm.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    sends.push(input.InstanceIds ?? []);
    if (input.InstanceIds?.includes('i-00000002')) throw REFUSED;
    const id = `cmd-${commands.size + 1}`;
    commands.set(id, input);
    return { Command: { CommandId: id } };
  });
  const res = await runCommand(cctx(), ids(3), { script: 'x', timeoutSeconds: 60, comment: 'c' });
  assert.deepEqual(sends.slice(0, 3), [ids(3), ids(3), ids(3)], 'whole, then twice again');
  assert.equal(res.get('i-00000000')?.status, 'Success');
  assert.equal(res.get('i-00000001')?.status, 'Success');
  assert.equal(res.get('i-00000002')?.status, 'Undeliverable');
});

test('a command that never finishes is cancelled at its deadline and reported as timed out', async () => {
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
  ssm.on(ListCommandInvocationsCommand).resolves({
    CommandInvocations: [{ InstanceId: 'i-00000000', Status: 'InProgress' }],
  });
  ssm.on(CancelCommandCommand).resolves({});
  const c = cctx();
  const res = await runCommand(c, ids(1), {
    script: 'sleep 1000',
    timeoutSeconds: 60,
    comment: 'c',
  });
  assert.equal(res.get('i-00000000')?.status, 'TimedOut');
  assert.deepEqual(ssm.commandCalls(CancelCommandCommand)[0]?.args[0].input, {
    CommandId: 'cmd-1',
    InstanceIds: ['i-00000000'],
  });
  assert.ok(c.clock.slept.every((ms) => ms <= FAST_POLL.maxMs));
});

test('tail keeps the last lines', () => {
  assert.equal(tail('a\nb\nc\n', 2), '…\nb\nc');
  assert.equal(tail('a\nb', 5), 'a\nb');
});

function dctx(log = memoryLog(), sealer?: SecretsSealer, secrets: Record<string, string> = {}) {
  const clients = new Clients();
  return {
    clientsFor: (r: string) => clients.for(r),
    log,
    clock: fakeClock(),
    poll: FAST_POLL,
    deploymentId: 'acme/web/main',
    secrets,
    ...(sealer ? { sealer } : {}),
  };
}

function fleetOf(n: number, region = 'us-east-1') {
  return new Fleet(
    ids(n).map((id) => ({ id, region, instanceType: 't3.micro', lifecycle: 'spot' as const })),
  );
}

test('steps sharing a parallelGroup form one batch; others stay alone and in order', () => {
  const batches = stepBatches([
    step('01'),
    step('02', { parallelGroup: 'up' }),
    step('03', { parallelGroup: 'up' }),
    step('04'),
    step('05', { parallelGroup: 'x' }),
  ]);
  assert.deepEqual(
    batches.map((b) => b.map((s) => s.id)),
    [['01'], ['02', '03'], ['04'], ['05']],
  );
});

test('a parallel batch sends all its commands before following any; sequential steps wait', async () => {
  const { order } = fakeRunCommand();
  await deliverSteps(
    dctx(),
    fleetOf(1),
    [step('01'), step('02', { parallelGroup: 'g' }), step('03', { parallelGroup: 'g' })],
    1,
  );
  assert.deepEqual(order, [
    'send cmd-1',
    'list cmd-1',
    'send cmd-2',
    'send cmd-3',
    'list cmd-2',
    'list cmd-3',
  ]);
});

test('a failing instance drops out with step, status, exit code and output tail in a log group', async () => {
  fakeRunCommand((id, cmd) =>
    id === 'i-00000001' && cmd.Parameters?.commands?.[0] === 'echo 02-setup' ? 3 : 0,
  );
  const log = memoryLog();
  const fleet = fleetOf(3);
  const outcomes = await deliverSteps(
    dctx(log),
    fleet,
    [step('01'), step('02-setup'), step('03')],
    2,
  );
  assert.deepEqual(
    fleet.failed().map((m) => [m.id, m.failure?.phase, m.failure?.cause]),
    [['i-00000001', 'step 02-setup', 'Failed, exit code 3']],
  );
  assert.deepEqual(
    outcomes.map((o) => [o.step.id, o.instances, o.failed.length]),
    [
      ['01', 3, 0],
      ['02-setup', 3, 1],
      ['03', 2, 0],
    ],
  );
  // Only the failed instance's output is fetched.
  assert.deepEqual(
    ssm.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input.InstanceId),
    ['i-00000001'],
  );
  const text = log.text();
  assert.match(text, /::group::✗ 02-setup failed on i-00000001 \(us-east-1\): Failed, exit code 3/);
  assert.match(text, /line 100/);
  assert.match(text, /line 61\n/);
  assert.doesNotMatch(text, /line 60\n/);
  assert.match(text, /boom on i-00000001/);
});

test('fewer healthy instances than min-healthy: no further step is sent', async () => {
  const { commands } = fakeRunCommand((id) => (id === 'i-00000000' ? 1 : 0));
  const fleet = fleetOf(2);
  // 02a and 02b run in parallel, so they would be commands of their own after 01's.
  await deliverSteps(
    dctx(),
    fleet,
    [step('01'), step('02a', { parallelGroup: 'g' }), step('02b', { parallelGroup: 'g' })],
    2,
  );
  assert.equal(commands.size, 1);
  assert.equal(fleet.healthy().length, 1);
});

const pem = (id: string) => `-----BEGIN PUBLIC KEY-----\nKEY${id}\n-----END PUBLIC KEY-----`;

/** SendCommand recorded; every invocation succeeds, printing `output(instance, command)`. */
function fakeListedCommands(
  output: (instanceId: string, cmd: SendCommandCommandInput | undefined) => string,
): SendCommandCommandInput[] {
  const commands: SendCommandCommandInput[] = [];
  ssm.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    commands.push(input);
    return { Command: { CommandId: `cmd-${commands.length}` } };
  });
  ssm
    .on(ListCommandInvocationsCommand)
    .callsFake(async (input: ListCommandInvocationsCommandInput) => {
      const cmd = commands[Number(input.CommandId?.slice(4)) - 1];
      return {
        CommandInvocations: (cmd?.InstanceIds ?? []).map((InstanceId) => ({
          InstanceId,
          Status: 'Success',
          CommandPlugins: [{ ResponseCode: 0, Output: output(InstanceId, cmd) }],
        })),
      };
    });
  return commands;
}

test('secrets: key and install commands batched by 50 whatever N; sealed once; no value in any command', async () => {
  // one instance's key command prints no key: it gets no secrets and drops out
  const commands = fakeListedCommands((id, cmd) =>
    cmd?.Parameters?.commands?.[0] === 'print-key' && id !== 'i-00000007' ? `${pem(id)}\n` : '',
  );
  ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', StandardOutputContent: '' });
  const seals: Array<{ keys: readonly string[]; names: string[]; maxKeys: number }> = [];
  const sealer: SecretsSealer = {
    keyScript: () => 'print-key',
    seal: (keys, s, maxKeys) => {
      seals.push({ keys, names: Object.keys(s), maxKeys });
      const out: Array<{ script: string; keys: number[] }> = [];
      // the instance whose key is "unreadable" is reported back, and left out
      const unreadable = keys.flatMap((k, i) => (k.includes('KEYi-00000009') ? [i] : []));
      for (let i = 0; i < keys.length; i += maxKeys) {
        const idx = keys
          .slice(i, i + maxKeys)
          .map((_, j) => i + j)
          .filter((k) => !unreadable.includes(k));
        out.push({
          script: `install ${idx.map((k) => keys[k]?.split('\n')[1]).join(',')}`,
          keys: idx,
        });
      }
      return { commands: out, unreadable };
    },
  };
  const fleet = fleetOf(120);
  await deliverSteps(
    dctx(memoryLog(), sealer, { DB_PASSWORD: 'hunter2-very-secret' }),
    fleet,
    [step('04-secrets', { kind: 'secrets', script: '' })],
    100,
  );
  assert.equal(seals.length, 1, 'sealed once for the whole region');
  assert.equal(seals[0]?.keys.length, 119);
  assert.deepEqual(seals[0]?.names, ['DB_PASSWORD']);
  assert.equal(seals[0]?.maxKeys, 50);
  const keyCmds = commands.filter((c) => c.Parameters?.commands?.[0] === 'print-key');
  const installs = commands.filter((c) => c.Parameters?.commands?.[0] !== 'print-key');
  assert.deepEqual(
    keyCmds.map((c) => c.InstanceIds?.length),
    [50, 50, 20],
  );
  assert.deepEqual(
    installs.map((c) => c.InstanceIds?.length),
    [49, 50, 19],
  );
  // each install command goes to exactly the instances whose keys it carries
  for (const c of installs) {
    assert.equal(
      c.Parameters?.commands?.[0],
      `install ${c.InstanceIds?.map((id) => `KEY${id}`).join(',')}`,
    );
  }
  assert.equal(fleet.healthy().length, 118);
  assert.match(fleet.get('i-00000007')?.failure?.cause ?? '', /printed no public key/);
  assert.match(fleet.get('i-00000009')?.failure?.cause ?? '', /public key that cannot be read/);
  assert.ok(!JSON.stringify(commands).includes('hunter2'));
});

test('a command failing because the instance was reclaimed is reported as a spot interruption', async () => {
  fakeRunCommand((id) => (id === 'i-00000001' ? -1 : 0));
  states.set('i-00000001', 'terminated');
  const fleet = fleetOf(2);
  await deliverSteps(dctx(), fleet, [step('01')], 1);
  const failure = fleet.get('i-00000001')?.failure;
  assert.equal(failure?.phase, 'step 01');
  assert.match(
    failure?.cause ?? '',
    /^spot interruption: EC2 reclaimed the instance \(terminated, Server\.SpotInstanceTermination: Spot instance termination\); the command: Failed/,
  );
  assert.deepEqual(
    ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.InstanceIds),
    [['i-00000001']],
  );
});

test('with secrets, two rounds: the keys after the steps before and the uploads, then the sealed secrets with the rest', async () => {
  const answer = (id: string, cmd: SendCommandCommandInput | undefined) =>
    answerMerged(cmd?.Parameters?.commands?.[0] ?? '', (body) => ({
      exitCode: 0,
      stdout: body === 'print-key' ? pem(id) : 'noise',
      stderr: '',
    }));
  const commands = fakeListedCommands((id, cmd) => answer(id, cmd)?.stdout ?? '');
  const sealer: SecretsSealer = {
    keyScript: () => 'print-key',
    seal: (keys) => ({
      commands: [
        { script: `install ${keys.map((k) => k.split('\n')[1]).join(',')}`, keys: [0, 1] },
      ],
      unreadable: [],
    }),
  };
  const steps = [
    step('01-prepare', { kind: 'prepare' }),
    step('02-secrets', { kind: 'secrets', script: '' }),
    step('03-upload', { kind: 'upload', parallelGroup: '03-upload' }),
    step('04-script'),
    step('05-services', { kind: 'services' }),
  ];
  const outcomes = await deliverSteps(dctx(memoryLog(), sealer, { A: 'b' }), fleetOf(2), steps, 2);
  const runs = (c: SendCommandCommandInput | undefined) =>
    [...(c?.Parameters?.commands?.[0] ?? '').matchAll(/^_spot_step (\S+) /gm)].map((m) => m[1]);
  assert.equal(commands.length, 2, 'one command per round for both instances');
  assert.deepEqual(runs(commands[0]), ['01-prepare', '03-upload', '02-secrets']);
  assert.deepEqual(runs(commands[1]), ['02-secrets', '04-script', '05-services']);
  assert.match(
    commands[1]?.Parameters?.commands?.[0] ?? '',
    /^install KEYi-00000000,KEYi-00000001$/m,
  );
  // no step was repeated, and the report lists them in the plan's order
  assert.deepEqual(
    outcomes.map((o) => [o.step.id, o.instances, o.failed.length]),
    steps.map((s) => [s.id, 2, 0]),
  );
  assert.equal(ssm.commandCalls(GetCommandInvocationCommand).length, 0, 'the keys were listed');
});
