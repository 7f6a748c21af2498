// Acceptance: Debian's `aws` client (an independent implementation of the protocols) against
// `npm run cloud`'s server, which on SIGTERM stops every container and exits cleanly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { processesOf, until } from './support.ts';

const run = promisify(execFile);
const poll = <T>(what: string, fn: () => Promise<T | undefined>) => until(what, fn, 120_000, 300);
const AWS = '/usr/bin/aws'; // Debian's awscli; another `aws` may come first on PATH

test('the Debian aws client drives the endpoint; SIGTERM stops every container', async (t) => {
  const server = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '../../cloud/main.ts'),
      '--quiet',
      '--pending-ms',
      '50',
      '--terminate-ms',
      '50',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });
  const lines = createInterface({ input: server.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  assert.match(first, /^http:\/\/127\.0\.0\.1:\d+$/);
  const url = first;

  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALCLOUD',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_DEFAULT_REGION: 'ap-northeast-1',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_PAGER: '',
  };
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(AWS, ['--endpoint-url', url, '--output', 'json', ...args], {
      env,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  const param = (await aws(
    'ssm',
    'get-parameter',
    '--name',
    '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  )) as {
    Parameter: { Value: string };
  };
  const ami = param.Parameter.Value;
  assert.match(ami, /^ami-0[0-9a-f]{16}$/);

  const userData =
    '#cloud-config\nlocale: C.UTF-8\nwrite_files:\n  - path: /etc/from-cli\n    content: hello-cli\n';
  const launched = (await aws(
    'ec2',
    'run-instances',
    '--image-id',
    ami,
    '--instance-type',
    't3.micro',
    '--count',
    '2',
    '--iam-instance-profile',
    'Name=spot-deployer-ssm',
    '--instance-market-options',
    'MarketType=spot,SpotOptions={SpotInstanceType=one-time,InstanceInterruptionBehavior=terminate}',
    '--tag-specifications',
    'ResourceType=instance,Tags=[{Key=spot-deployer:deployment,Value=cli-test}]',
    '--user-data',
    userData,
  )) as {
    Instances: Array<{ InstanceId: string; State: { Name: string }; InstanceLifecycle: string }>;
  };
  assert.equal(launched.Instances.length, 2);
  assert.deepEqual(
    launched.Instances.map((i) => [i.State.Name, i.InstanceLifecycle]),
    [
      ['pending', 'spot'],
      ['pending', 'spot'],
    ],
  );
  const ids = launched.Instances.map((i) => i.InstanceId);

  const running = await poll('running', async () => {
    const d = (await aws(
      'ec2',
      'describe-instances',
      '--filters',
      'Name=tag:spot-deployer:deployment,Values=cli-test',
      'Name=instance-state-name,Values=running',
    )) as {
      Reservations: Array<{
        Instances: Array<{ InstanceId: string; Tags: Array<{ Key: string; Value: string }> }>;
      }>;
    };
    const found = d.Reservations.flatMap((r) => r.Instances);
    return found.length === 2 ? found : undefined;
  });
  assert.deepEqual(running.map((i) => i.InstanceId).sort(), [...ids].sort());
  assert.deepEqual(running[0]!.Tags, [{ Key: 'spot-deployer:deployment', Value: 'cli-test' }]);

  await poll('Online', async () => {
    const info = (await aws(
      'ssm',
      'describe-instance-information',
      '--filters',
      `Key=InstanceIds,Values=${ids.join(',')}`,
    )) as {
      InstanceInformationList: Array<{ PingStatus: string }>;
    };
    return info.InstanceInformationList.filter((i) => i.PingStatus === 'Online').length === 2
      ? true
      : undefined;
  });

  const sent = (await aws(
    'ssm',
    'send-command',
    '--document-name',
    'AWS-RunShellScript',
    '--instance-ids',
    ids[0]!,
    '--parameters',
    JSON.stringify({ commands: ['cat /etc/from-cli', 'id -un'] }),
  )) as { Command: { CommandId: string; Status: string } };
  assert.equal(sent.Command.Status, 'Pending');
  const invocation = await poll('command done', async () => {
    try {
      const r = (await aws(
        'ssm',
        'get-command-invocation',
        '--command-id',
        sent.Command.CommandId,
        '--instance-id',
        ids[0]!,
      )) as {
        Status: string;
        ResponseCode: number;
        StandardOutputContent: string;
      };
      return ['Pending', 'InProgress'].includes(r.Status) ? undefined : r;
    } catch {
      return undefined; // InvocationDoesNotExist, as AWS may answer at first
    }
  });
  assert.deepEqual(
    [invocation.Status, invocation.ResponseCode, invocation.StandardOutputContent],
    ['Success', 0, 'hello-cliroot\n'],
  );

  const terminated = (await aws('ec2', 'terminate-instances', '--instance-ids', ids[1]!)) as {
    TerminatingInstances: Array<{
      InstanceId: string;
      CurrentState: { Name: string };
      PreviousState: { Name: string };
    }>;
  };
  assert.deepEqual(terminated.TerminatingInstances, [
    {
      InstanceId: ids[1],
      CurrentState: { Code: 32, Name: 'shutting-down' },
      PreviousState: { Code: 16, Name: 'running' },
    },
  ]);

  // the admin API names the containers; SIGTERM with one still running stops it and exits 0
  const inventory = (await (await fetch(`${url}/_cloud/instances`)).json()) as Array<{
    id: string;
    machine?: { container?: string };
  }>;
  const containers = inventory.map((i) => String(i.machine?.container));
  assert.equal(containers.length, 2);
  const calls = (await (await fetch(`${url}/_cloud/calls`)).json()) as Array<{
    operation: string;
    region: string;
  }>;
  assert.ok(calls.some((c) => c.operation === 'RunInstances' && c.region === 'ap-northeast-1'));
  server.kill('SIGTERM');
  const [code] = (await once(server, 'exit')) as [number | null];
  assert.equal(code, 0);
  for (const name of containers) {
    assert.deepEqual(processesOf(name), [], `no process left in ${name}`);
    assert.ok(
      !readdirSync('/tmp').some((f) => f.startsWith(`spot-cloud-${name}-`)),
      `no work dir left for ${name}`,
    );
  }
});
