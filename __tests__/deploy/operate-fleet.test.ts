// logs and exec on a fleet wider than one SSM command, through the bundled command line
// (dist/cli.js) against the local cloud's simulated backend (60 instances that boot in
// 300 ms, whose commands answer at once): one SendCommand per 50 instances, and each
// instance's lines prefixed with its id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { simulated } from '../faults/support.ts';

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

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: ROOT,
        AWS_ACCESS_KEY_ID: 'AKIDFLEET',
        AWS_SECRET_ACCESS_KEY: 'fleet-secret',
        AWS_REGION: 'us-west-2',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_EC2: cloud.url,
        AWS_ENDPOINT_URL_SSM: cloud.url,
      },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

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
