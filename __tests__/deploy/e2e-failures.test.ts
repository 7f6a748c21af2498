// Acceptance, failures: a failing script, a service that does not start, an instance that
// never comes online, and a cancelled run each fail the deploy naming the cause, and after
// the post step no instance of that run is left.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import type { ActionRun } from '../../__fixtures__/action.ts';
import { action, eventually, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({});
});
after(async () => {
  await cloud?.close();
});

/** A deploy of `path` as `e2e/<name>-<pid>`, with the run's other options. */
function deploy(
  c: RunningCloud,
  runId: string,
  path: string,
  name: string,
  more: Omit<Parameters<typeof action>[1], 'runId' | 'inputs'> & { onlineTimeout?: string } = {},
): Promise<ActionRun> {
  const { onlineTimeout = '120s', ...rest } = more;
  return action(c, {
    ...rest,
    runId,
    inputs: {
      command: 'deploy',
      path,
      'deployment-id': `e2e/${name}-${process.pid}`,
      'online-timeout': onlineTimeout,
    },
  });
}

/** The post step runs after the failed main step; afterwards nothing of the run is alive. */
async function assertNothingLeft(c: RunningCloud, runId: string, main: ActionRun): Promise<void> {
  assert.ok(instancesOfRun(c, runId).length > 0, 'the run did launch');
  const post = await action(c, { runId, entry: 'post', state: main.state, inputs: {} });
  assert.equal(post.code, 0, explain(post));
  assert.ok(
    await eventually(() => instancesOfRun(c, runId).every((i) => i.state === 'terminated')),
    `left behind: ${JSON.stringify(instancesOfRun(c, runId).map((i) => [i.id, i.state]))}`,
  );
}

test(
  'a failing script fails the deploy with the step, exit code and the output tail',
  { timeout: 180_000 },
  async () => {
    const app = await makeApp({
      setupScript:
        '#!/bin/bash\necho "checking the widgets"\necho "widget 7 is missing" >&2\nexit 3\n',
    });
    const runId = newRunId();
    const r = await deploy(cloud, runId, app.dir, 'bad-script');
    assert.equal(r.code, 1, explain(r));
    assert.match(
      r.errors.join('\n'),
      /deploy failed: delivery: 0 of 1 instance healthy[\s\S]*step \d+-script-setup: Failed, exit code 1/,
    );
    assert.match(
      r.stdout,
      /::group::✗ \d+-script-setup failed on i-[0-9a-f]+ \(us-west-2\): Failed, exit code 1/,
    );
    assert.match(r.stdout, /script setup failed with exit code 3/);
    assert.match(r.stdout, /checking the widgets/);
    assert.match(r.stdout, /widget 7 is missing/);
    assert.match(r.summary, /: failed/);
    assert.deepEqual(JSON.parse(r.outputs['instance-ids'] ?? ''), []);
    await assertNothingLeft(cloud, runId, r);
  },
);

test(
  'a failing service with a long report: the message shows its real end, past the 24,000 characters SSM keeps',
  { timeout: 180_000 },
  async () => {
    // Lines of 8,000 characters: the unit's status and journal (the services step's report)
    // run far past what GetCommandInvocation keeps; the service's last words are at the end.
    const app = await makeApp({
      execStart:
        '/bin/sh -c \'for i in $$(seq 1 12); do printf "noise %%s %%08000d\\n" $$i 0; done; ' +
        'echo "site: the real error is widget $$((6 + 7))"; exit 1\'',
    });
    const runId = newRunId();
    const r = await deploy(cloud, runId, app.dir, 'long-report');
    assert.equal(r.code, 1, explain(r));
    assert.match(r.errors.join('\n'), /step \d+-services: Failed, exit code 1/);
    assert.match(r.stdout, /site: the real error is widget 13/);
    assert.match(r.stdout, /bytes of output not shown; its last \d+ bytes follow/);
    await assertNothingLeft(cloud, runId, r);
  },
);

test(
  'a service that does not start fails the deploy naming the service',
  { timeout: 180_000 },
  async () => {
    const app = await makeApp({ execStart: '/bin/false' });
    const runId = newRunId();
    const r = await deploy(cloud, runId, app.dir, 'bad-service');
    assert.equal(r.code, 1, explain(r));
    assert.match(r.errors.join('\n'), /deploy failed: .*0 of 1 instance healthy/);
    assert.match(r.stdout, /site/);
    assert.match(r.errors.join('\n'), /step \d+-services: Failed, exit code 1/);
    await assertNothingLeft(cloud, runId, r);
  },
);

test(
  'an instance that never comes online fails the deploy naming it and the likely causes',
  { timeout: 120_000 },
  async () => {
    const offline = await startCloud({ neverOnline: [1] });
    try {
      const app = await makeApp();
      const runId = newRunId();
      const r = await deploy(offline, runId, app.dir, 'offline', { onlineTimeout: '20s' });
      assert.equal(r.code, 1, explain(r));
      const [inst] = instancesOfRun(offline, runId);
      assert.ok(inst);
      const err = r.errors.join('\n');
      assert.match(err, /waiting for SSM Online: 0 of 1 instance healthy/);
      assert.ok(
        err.includes(`${inst.id} (us-west-2, t3.micro): ssm-online: not Online in SSM after 20 s`),
        err,
      );
      assert.match(err, /AmazonSSMManagedInstanceCore/);
      assert.match(err, /outbound HTTPS/);
      assert.equal(offline.calls().filter((c) => c.operation === 'SendCommand').length, 0);
      await assertNothingLeft(offline, runId, r);
    } finally {
      await offline.close();
    }
  },
);

test(
  'cancelled (SIGINT) while delivering: the run terminates its instances before it exits',
  { timeout: 120_000 },
  async () => {
    const app = await makeApp({ setupScript: '#!/bin/bash\nsleep 600\n' });
    const runId = newRunId();
    let sent = false;
    const from = cloud.calls().length;
    const r = await deploy(cloud, runId, app.dir, 'cancel', {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          // Cancel once the command that carries the long script is on its way to the instance.
          const started = cloud
            .calls()
            .slice(from)
            .some(
              (c) =>
                c.operation === 'SendCommand' &&
                !c.error &&
                /_spot_step \d+-script-setup /.test(JSON.stringify(c.params)),
            );
          if (started && !sent) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 500);
          }
        }, 100);
        child.on('close', () => clearInterval(timer));
      },
    });
    assert.ok(sent, 'the run was cancelled mid-delivery');
    assert.equal(r.code, 1, explain(r));
    assert.match(r.stdout, /received SIGINT: cancelling/);
    assert.match(r.errors.join('\n'), /deploy cancelled: cancelled during deliver/);
    assert.match(r.stdout, /us-west-2: terminating 1 instance: i-[0-9a-f]+\n/);
    assert.match(r.stdout, /(terminated|termination requested for) 1 instance of this run/);
    // Terminated by the main step itself, before the post step runs.
    const states = instancesOfRun(cloud, runId).map((i) => i.state);
    assert.ok(
      states.length > 0 && states.every((s) => s === 'terminated' || s === 'shutting-down'),
      states.join(),
    );
    await assertNothingLeft(cloud, runId, r);
  },
);
