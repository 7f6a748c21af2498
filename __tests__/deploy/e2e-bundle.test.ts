// What GitHub runs is the bundle: dist/index.js and dist/cleanup/index.js (`npm run bundle`).
// Deploy, the post step after a cancelled deploy, and destroy, through the bundle, against the
// local cloud's simulated backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, eventually, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';

test(
  'the bundled action deploys, its post step cleans up a cancelled run, and it destroys',
  { timeout: 120_000 },
  async () => {
    const cloud = await startCloud({
      backend: 'simulated',
      simulated: {
        bootMs: 200,
        stdout: (s) => (s.includes('systemctl is-active') ? 'site=active\n' : ''),
      },
    });
    try {
      const app = await makeApp();
      const inputs = { path: app.dir, 'deployment-id': 'e2e/bundle', 'online-timeout': '60s' };
      const deployed = await action(cloud, {
        bundle: true,
        runId: newRunId(),
        inputs: { ...inputs, command: 'deploy' },
      });
      assert.equal(deployed.code, 0, explain(deployed));
      assert.equal(JSON.parse(deployed.outputs['instance-ids'] ?? '[]').length, 1);

      // A second run (forced: the manifest is unchanged) killed outright, with no chance to
      // clean up, right after its launch: the post step finds its instance by the run tag.
      const runId = newRunId();
      const killed = await action(cloud, {
        bundle: true,
        runId,
        inputs: { ...inputs, command: 'deploy', force: 'true' },
        onSpawn: (child) => {
          const timer = setInterval(() => {
            if (instancesOfRun(cloud, runId).length > 0) {
              clearInterval(timer);
              child.kill('SIGKILL');
            }
          }, 20);
          child.on('close', () => clearInterval(timer));
        },
      });
      assert.equal(killed.signal, 'SIGKILL');
      assert.ok(
        instancesOfRun(cloud, runId).some((i) => i.state !== 'terminated'),
        'the killed run left an instance',
      );
      const post = await action(cloud, {
        bundle: true,
        runId,
        entry: 'post',
        state: killed.state,
        inputs: {},
      });
      assert.equal(post.code, 0, explain(post));
      assert.match(post.stdout, /the deploy did not finish; terminated 1 instance of run/);
      assert.ok(
        await eventually(() => instancesOfRun(cloud, runId).every((i) => i.state === 'terminated')),
      );

      // waiting for terminated (destroy goes on at shutting-down by default)
      const destroyed = await action(cloud, {
        bundle: true,
        runId: newRunId(),
        inputs: { ...inputs, command: 'destroy', 'wait-terminated': 'true' },
      });
      assert.equal(destroyed.code, 0, explain(destroyed));
      assert.ok(cloud.instances().every((i) => i.state === 'terminated'));
    } finally {
      await cloud.close();
    }
  },
);
