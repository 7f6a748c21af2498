// The bundled command line (dist/cli.js) against the local cloud's simulated backend
// (instances that boot in 300 ms, whose commands answer at once), with credentials from
// AWS_PROFILE and the region from --region: logs and exec on a fleet wider than one SSM
// command (one SendCommand per 50 instances, each instance's lines prefixed with its id),
// list --regions, and deploy --json / status --json with the fields of the action's outputs;
// and credentials from an SSO profile (a cached SSO token, the role's credentials from a
// stand-in of the SSO portal at AWS_ENDPOINT_URL_SSO).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { simulated } from '../faults/support.ts';
import { profileEnv, run } from './operate-support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FLEET = 60;

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud(
    simulated({
      simulated: {
        // What the instance's journal and the command print: a line naming the instance.
        stdout: (script, id) =>
          script.includes('journalctl')
            ? `2026-01-01T00:00:00+00:00 host site[7]: served by ${id}\n`
            : script.includes('mapfile')
              ? `ran on ${id}\n`
              : '',
      },
    }),
  );
});
after(async () => {
  await cloud?.close();
});

/** Credentials only in a profile named by AWS_PROFILE; no region anywhere but --region. */
const fleetEnv = () => ({ ...profileEnv(cloud.url, 'fleet'), AWS_PROFILE: 'fleet' });

const cli = (args: string[], env: Record<string, string> = fleetEnv()) =>
  run(process.execPath, [CLI, ...args, '--region', 'us-west-2'], env);

/** The SendCommands since call `from` whose script contains `marker`, as the number of
 * instances each named. */
function sends(marker: string, from: number): number[] {
  return cloud
    .calls()
    .slice(from)
    .filter((c) => c.operation === 'SendCommand')
    .map((c) => c.params as { InstanceIds?: string[]; Parameters?: { commands?: string[] } })
    .filter((p) => (p.Parameters?.commands ?? []).join('\n').includes(marker))
    .map((p) => p.InstanceIds?.length ?? 0)
    .sort((a, b) => b - a);
}

test(
  `logs and exec on ${FLEET} instances: one SSM command per 50, every line prefixed with its instance`,
  { timeout: 240_000 },
  async () => {
    const app = await makeApp({ total: FLEET });
    const deploymentId = `octo/fleet/main-${process.pid}`;
    const deployed = await action(cloud, {
      runId: newRunId(),
      inputs: {
        command: 'deploy',
        path: app.dir,
        'deployment-id': deploymentId,
        'online-timeout': '60s',
      },
    });
    assert.equal(deployed.code, 0, explain(deployed));
    const ids = JSON.parse(deployed.outputs['instance-ids'] ?? '[]') as string[];
    assert.equal(ids.length, FLEET);
    const target = [app.dir, '--deployment-id', deploymentId];

    const beforeLogs = cloud.calls().length;
    const logs = await cli(['logs', ...target, '--lines', '20']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.deepEqual(sends('journalctl', beforeLogs), [50, FLEET - 50]);
    const lines = logs.stdout.trimEnd().split('\n');
    assert.equal(lines.length, FLEET, logs.stdout);
    for (const id of ids) {
      assert.ok(
        lines.includes(`${id} 2026-01-01T00:00:00+00:00 host site[7]: served by ${id}`),
        id,
      );
    }

    const beforeExec = cloud.calls().length;
    const exec = await cli(['exec', ...target, '--', 'uname', '-a']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.deepEqual(sends('mapfile', beforeExec), [50, FLEET - 50]);
    for (const id of ids) {
      assert.match(exec.stdout, new RegExp(`^== ${id} \\(us-west-2\\): Success, exit 0$`, 'm'));
      assert.match(exec.stdout, new RegExp(`^${id} ran on ${id}$`, 'm'));
    }
  },
);

test(
  'list --regions, deploy --json and status --json: the fields of the action outputs',
  { timeout: 240_000 },
  async () => {
    const app = await makeApp({ total: 2 });
    const viaAction = `octo/fleet/action-${process.pid}`;
    const viaCli = `octo/fleet/cli-${process.pid}`;
    const inputs = { path: app.dir, 'online-timeout': '60s' };
    const deployed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy', 'deployment-id': viaAction },
    });
    assert.equal(deployed.code, 0, explain(deployed));
    const cliDeploy = await cli([
      'deploy',
      app.dir,
      '--deployment-id',
      viaCli,
      '--online-timeout',
      '60s',
      '--json',
    ]);
    assert.equal(cliDeploy.code, 0, cliDeploy.stderr);
    const doc = JSON.parse(cliDeploy.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(deployed.outputs).sort());
    assert.equal(doc['deployment-id'], viaCli);
    assert.equal(doc['manifest-digest'], deployed.outputs['manifest-digest']);
    assert.equal((doc['instance-ids'] as string[]).length, 2);
    assert.equal(doc.changed, 'true');

    const status = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'status', 'deployment-id': viaCli },
    });
    assert.equal(status.code, 0, explain(status));
    const cliStatus = await cli(['status', app.dir, '--deployment-id', viaCli, '--json']);
    assert.equal(cliStatus.code, 0, cliStatus.stderr);
    const sdoc = JSON.parse(cliStatus.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sdoc).sort(), Object.keys(status.outputs).sort());
    for (const [name, value] of Object.entries(status.outputs)) {
      assert.deepEqual(sdoc[name], /^[[{]/.test(value) ? JSON.parse(value) : value, name);
    }

    const before = cloud.calls().length;
    const listed = await cli(['list', '--regions', 'us-west-2,eu-west-1', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout) as {
      regions: string[];
      deployments: Array<Record<string, unknown>>;
    };
    assert.deepEqual(list.regions, ['us-west-2', 'eu-west-1']);
    for (const id of [viaAction, viaCli]) {
      const d = list.deployments.find((x) => x.deploymentId === id);
      assert.ok(d, listed.stdout);
      assert.deepEqual([d.instances, d.spot, d.onDemand, d.regions], [2, 2, 0, ['us-west-2']]);
    }
    const describes = cloud
      .calls()
      .slice(before)
      .filter((c) => c.operation === 'DescribeInstances');
    assert.deepEqual(describes.map((c) => c.region).sort(), ['eu-west-1', 'us-west-2']);
  },
);

test('credentials from an SSO profile: the cached token buys the role credentials the commands sign with', async () => {
  const asked: Array<{ url: string; token: string }> = [];
  const portal = createServer((req, res) => {
    asked.push({ url: req.url ?? '', token: String(req.headers['x-amz-sso_bearer_token'] ?? '') });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        roleCredentials: {
          accessKeyId: 'ASIASSOFLEET',
          secretAccessKey: 'sso-secret',
          sessionToken: 'sso-session-token',
          expiration: Date.now() + 3_600_000,
        },
      }),
    );
  });
  await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
  try {
    const home = mkdtempSync(join(tmpdir(), 'aws-sso-'));
    const startUrl = 'https://octo.awsapps.com/start';
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(
        home,
        '.aws',
        'sso',
        'cache',
        `${createHash('sha1').update(startUrl).digest('hex')}.json`,
      ),
      JSON.stringify({
        startUrl,
        region: 'us-east-1',
        accessToken: 'sso-access-token',
        expiresAt: '2099-01-01T00:00:00Z',
      }),
    );
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile operator-sso]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Operator\n`,
    );
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_EC2: cloud.url,
      AWS_ENDPOINT_URL_SSM: cloud.url,
      AWS_ENDPOINT_URL_SSO: `http://127.0.0.1:${(portal.address() as AddressInfo).port}`,
    };
    const before = cloud.calls().length;
    const listed = await cli(['list', '--profile', 'operator-sso', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(Array.isArray((JSON.parse(listed.stdout) as { deployments: unknown[] }).deployments));
    assert.equal(asked.length, 1, JSON.stringify(asked));
    assert.match(asked[0]?.url ?? '', /^\/federation\/credentials\?.*account_id=123456789012/);
    assert.match(asked[0]?.url ?? '', /role_name=Operator/);
    assert.equal(asked[0]?.token, 'sso-access-token');
    assert.ok(
      cloud
        .calls()
        .slice(before)
        .some((c) => c.operation === 'DescribeInstances'),
    );
  } finally {
    await new Promise((r) => portal.close(r));
  }
});

test('a manifest without cloud settings runs in the region the SDK resolves (here --region), as the action runs it in AWS_REGION', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'convention-'));
  cpSync(join(ROOT, 'examples', 'convention', 'deployment'), join(dir, 'deployment'), {
    recursive: true,
  });
  const id = `octo/fleet/convention-${process.pid}`;
  const target = [dir, '--deployment-id', id];
  const deployed = await cli([
    'deploy',
    ...target,
    '--instance-profile',
    'spot-deployer-ssm',
    '--online-timeout',
    '60s',
    '--json',
  ]);
  assert.equal(deployed.code, 0, deployed.stderr);
  const doc = JSON.parse(deployed.stdout) as Record<string, unknown>;
  assert.deepEqual(doc.regions, ['us-west-2']);
  const status = await cli(['status', ...target, '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(
    (JSON.parse(status.stdout) as Record<string, unknown>)['instance-ids'],
    doc['instance-ids'],
  );
  const destroyed = await cli(['destroy', ...target, '--json']);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  assert.deepEqual(
    (JSON.parse(destroyed.stdout) as Record<string, unknown>)['instance-ids'],
    doc['instance-ids'],
  );
});
