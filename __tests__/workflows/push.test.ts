// The deploy-on-push workflow against the local cloud of real containers: a first push
// deploys; a push that changes a file replaces the instances (the new container serves the
// new file, the old instance is terminated only after); `update` changes the file in place on
// the same instance; a push that changes nothing does nothing (no launch, no command).
// Two containers in all. The cloud's containers get a loopback-only network, so the old and
// the new instance can serve the same port during the replacement, as two machines would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { TAG } from '../../src/plan/types.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import {
  action,
  containerAlive,
  eventually,
  explain,
  inContainer,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';
import { callLog, count, editSpot } from './support.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({ privateNetwork: true });
});
after(async () => {
  await cloud?.close();
});

const page = (version: string) =>
  `<!doctype html>\n<title>spot deployer e2e</title>\n<p>version ${version}</p>\n`;

test(
  'push: deploy, replace on a changed file, update in place, nothing on an unchanged push',
  { timeout: 400_000 },
  async () => {
    const app = await makeApp();
    const deploymentId = `e2e/push-${process.pid}`;
    const inputs = {
      command: 'deploy',
      path: app.dir,
      'deployment-id': deploymentId,
      'online-timeout': '120s',
    };
    const serve = (id: string) => {
      const inst = cloud.instances().find((i) => i.id === id);
      assert.ok(inst, id);
      return {
        file: inContainer(inst, 'cat /var/www/site/index.html'),
        http: inContainer(inst, `curl -fsS http://127.0.0.1:${app.port}/index.html`),
      };
    };
    const ids = (r: { outputs: Record<string, string> }) =>
      JSON.parse(r.outputs['instance-ids'] ?? '[]') as string[];

    // 1. The first push deploys.
    editSpot(app.dir, 'www/index.html', () => page('1'));
    const first = await action(cloud, { runId: newRunId(), inputs });
    assert.equal(first.code, 0, explain(first));
    const [a] = ids(first);
    assert.ok(a);
    assert.equal(first.outputs.changed, 'true');
    assert.match(serve(a).http, /version 1/);
    const tagsA = cloud.instances().find((i) => i.id === a)?.tags ?? {};
    assert.equal(tagsA[TAG.phase], 'ready', 'healthy instances are tagged ready');
    assert.equal(tagsA[TAG.digest], first.outputs['manifest-digest']);

    // 2. A push that changes a file: replace launches a new instance, then retires the old.
    editSpot(app.dir, 'www/index.html', () => page('2'));
    const replaced = callLog(cloud);
    const second = await action(cloud, { runId: newRunId(), inputs });
    assert.equal(second.code, 0, explain(second));
    const [b] = ids(second);
    assert.ok(b && b !== a, `a new instance (${b}) replaces ${a}`);
    assert.notEqual(second.outputs['manifest-digest'], first.outputs['manifest-digest']);
    assert.match(serve(b).file, /version 2/);
    assert.match(serve(b).http, /version 2/);
    const calls = replaced.since();
    const launchedAt = calls.findIndex((c) => c.operation === 'RunInstances');
    const terminatedAt = calls.findIndex(
      (c) => c.operation === 'TerminateInstances' && JSON.stringify(c.params).includes(a),
    );
    const lastCommand = calls.findLastIndex((c) => c.operation === 'SendCommand');
    assert.ok(
      launchedAt >= 0 && lastCommand > launchedAt && terminatedAt > lastCommand,
      'the old instance is terminated only after the new one was delivered and checked',
    );
    // replace goes on once the old instance is shutting-down (no longer billed): it is that
    // or already terminated now, and terminated soon after.
    assert.match(
      instancesOfDeployment(cloud, deploymentId).find((i) => i.id === a)?.state ?? '',
      /^(shutting-down|terminated)$/,
    );
    await eventually(
      () =>
        instancesOfDeployment(cloud, deploymentId).find((i) => i.id === a)?.state === 'terminated',
    );
    assert.deepEqual(
      instancesOfDeployment(cloud, deploymentId).map((i) => [i.id, i.state]),
      [
        [a, 'terminated'],
        [b, 'running'],
      ],
    );
    const old = cloud.instances().find((i) => i.id === a);
    assert.ok(old && (await eventually(() => !containerAlive(old))), 'the old container stopped');
    assert.match(second.summary, /replace: terminated the previous 1 instance: /);

    // 3. strategy update: the same instance takes the change in place.
    editSpot(app.dir, 'www/index.html', () => page('3'));
    const updated = callLog(cloud);
    const third = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, strategy: 'update' },
    });
    assert.equal(third.code, 0, explain(third));
    assert.deepEqual(ids(third), [b]);
    assert.equal(count(updated.since(), 'RunInstances'), 0);
    assert.equal(count(updated.since(), 'TerminateInstances'), 0);
    assert.ok(count(updated.since(), 'SendCommand') > 0);
    assert.match(serve(b).file, /version 3/);
    assert.match(serve(b).http, /version 3/);
    const tagsB = cloud.instances().find((i) => i.id === b)?.tags ?? {};
    assert.equal(tagsB[TAG.digest], third.outputs['manifest-digest'], 'the digest tag follows');
    assert.deepEqual(
      Object.keys(tagsB).filter((k) => k.startsWith('spot-deployer:updating:')),
      [],
      'the update mark is removed',
    );
    const records = JSON.parse(third.outputs.instances ?? '[]') as InstanceRecord[];
    assert.deepEqual(
      records.map((r) => [r.id, r.health]),
      [[b, 'healthy']],
    );

    // 4. A push that changes nothing: no launch, no command, the outputs still list it.
    const quiet = callLog(cloud);
    const fourth = await action(cloud, { runId: newRunId(), inputs });
    assert.equal(fourth.code, 0, explain(fourth));
    assert.equal(fourth.outputs.changed, 'false');
    assert.deepEqual(ids(fourth), [b]);
    assert.equal(fourth.outputs['manifest-digest'], third.outputs['manifest-digest']);
    assert.match(fourth.stdout, /nothing to deploy: the 1 instance of .* already run manifest/);
    assert.match(fourth.summary, /: unchanged/);
    const writes = quiet
      .since()
      .filter((c) => !/^(Describe|List|Get)/.test(c.operation))
      .map((c) => c.operation);
    assert.deepEqual(writes, [], 'an unchanged push only reads');
    assert.equal(count(quiet.since(), 'RunInstances'), 0);
    assert.equal(count(quiet.since(), 'SendCommand'), 0);
    assert.equal(instancesOfDeployment(cloud, deploymentId).at(-1)?.state, 'running');
  },
);
