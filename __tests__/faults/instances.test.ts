// Faults of one instance among several, on the local cloud's simulated backend: a spot
// interruption during delivery (between two steps, and while a command runs on it), and an
// instance that never comes online in SSM. Each asserts the outcome, what the user reads, and
// what is left in the cloud: exactly the healthy set, or nothing of the run.
// (__tests__/deploy/e2e-faults.test.ts covers a reclaim before SSM Online; e2e-failures
// covers the single instance that never comes online.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { generateKeyPairSync } from 'node:crypto';
import { simulatedAgent } from '../../__fixtures__/agent.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';
import { gatedProxy } from '../workflows/support.ts';
import { assertExactlyAlive, assertNothingOfRun, postStep, simulated, watch } from './support.ts';

const records = (json: string | undefined) => JSON.parse(json ?? '[]') as InstanceRecord[];

/** Reclaims the nth instance the cloud launched (as EC2 does: shutting-down, spot reason). */
async function reclaim(cloud: RunningCloud, nth: number): Promise<string> {
  const inst = [...cloud.cloud.instances.values()].find((i) => i.nth === nth);
  assert.ok(inst, `instance #${nth}`);
  await cloud.cloud.interrupt(inst, 0); // at once: these tests are about the reclaim itself
  return inst.id;
}

/** The SendCommand (request body) of the command that carries the script step. */
const isSetupCommand = (body: string) =>
  body.includes('"DocumentName":"AWS-RunShellScript"') && /_spot_step \d+-script-setup /.test(body);
/** The same, from the cloud's call log. */
const carriesSetup = (params: unknown) => isSetupCommand(JSON.stringify(params));

/** A public key the simulated instances print for the secrets key command. */
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

test(
  'one of three reclaimed between two command rounds: min-healthy 2 deploys the other two',
  { timeout: 120_000 },
  async () => {
    // With a secret, delivery takes two rounds: the instances' keys, then the sealed secrets
    // with the steps after them (the script step among them).
    const cloud = await startCloud(
      simulated({ simulated: { answer: simulatedAgent({ keyOf: () => PEM }) } }),
    );
    // Every SSM call goes through a proxy that holds the second round's SendCommand until the
    // second instance has been reclaimed: the command then names an instance EC2 took back.
    let reclaimed: string | undefined;
    const proxy = await gatedProxy(cloud.url, (body) => {
      if (reclaimed !== undefined || !isSetupCommand(body)) return undefined;
      return reclaim(cloud, 2).then((id) => {
        reclaimed = id;
      });
    });
    try {
      const app = await makeApp({ total: 3 });
      const runId = newRunId();
      const deploymentId = `faults/reclaimed-between-${runId}`;
      const r = await action(cloud, {
        runId,
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': deploymentId,
          'online-timeout': '60s',
          'min-healthy': '2',
          secrets: 'DB_PASSWORD=between-rounds\n',
        },
        env: { AWS_ENDPOINT_URL_SSM: proxy.url },
      });
      assert.ok(reclaimed, 'an instance was reclaimed during delivery');
      assert.equal(r.code, 0, explain(r));
      const healthy = records(r.outputs.instances);
      assert.equal(healthy.length, 2);
      assert.ok(!healthy.some((x) => x.id === reclaimed));
      assert.ok(healthy.every((x) => x.health === 'healthy'));
      assert.match(r.summary, /2 of 3 instances healthy/);
      assert.match(
        r.summary,
        new RegExp(
          // the first step of the command it could not get: the sealed secrets
          `${reclaimed}[^\\n]*step \\d+-secrets: spot interruption: EC2 reclaimed the instance \\([^)]*Server\\.SpotInstanceTermination`,
        ),
      );
      // The other two got the script step, from a command of their own.
      const setup = cloud
        .calls()
        .filter((c) => c.operation === 'SendCommand' && !c.error && carriesSetup(c.params))
        .flatMap((c) => (c.params as { InstanceIds: string[] }).InstanceIds);
      assert.deepEqual(setup.sort(), healthy.map((x) => x.id).sort());
      await assertExactlyAlive(
        cloud,
        deploymentId,
        healthy.map((x) => x.id),
      );
    } finally {
      await proxy.close();
      await cloud.close();
    }
  },
);

test(
  'one of two reclaimed while its command runs: the deploy fails naming the interruption, nothing is left',
  { timeout: 120_000 },
  async () => {
    // Commands take long enough to be caught running.
    const cloud = await startCloud(simulated({ simulated: { commandMs: 1500 } }));
    try {
      const app = await makeApp({ total: 2 });
      const runId = newRunId();
      let reclaimed: string | undefined;
      const r = await action(cloud, {
        runId,
        inputs: {
          command: 'deploy',
          path: app.dir,
          'deployment-id': `faults/reclaimed-running-${runId}`,
          'online-timeout': '60s',
        },
        onSpawn: (child) =>
          watch(child, () => {
            const sent = cloud
              .calls()
              .some((c) => c.operation === 'SendCommand' && !c.error && carriesSetup(c.params));
            if (sent) void reclaim(cloud, 2).then((id) => (reclaimed = id));
            return sent;
          }),
      });
      assert.ok(reclaimed, 'an instance was reclaimed while its command ran');
      assert.equal(r.code, 1, explain(r));
      const err = r.errors.join('\n');
      assert.match(err, /^deploy failed: delivery: 1 of 2 instances healthy, 2 needed/);
      assert.match(
        err,
        new RegExp(
          // every step travels in one command, none of which reported its end: the first is named
          `${reclaimed} \\(us-west-2, t3\\.micro\\): step \\d+-prepare: spot interruption: EC2 reclaimed the instance \\((shutting-down|terminated), Server\\.SpotInstanceTermination[^)]*\\); the command: Failed`,
        ),
      );
      assert.equal(instancesOfRun(cloud, runId).length, 2);
      assert.match(r.stdout, /terminated 2 instances of this run/);
      await assertNothingOfRun(cloud, runId);
      await postStep(cloud, runId, r);
      await assertNothingOfRun(cloud, runId);
    } finally {
      await cloud.close();
    }
  },
);

for (const minHealthy of ['all', '2']) {
  test(
    `one of three never comes online in SSM, min-healthy ${minHealthy}`,
    { timeout: 120_000 },
    async () => {
      const cloud = await startCloud(simulated({ neverOnline: [2] }));
      try {
        const app = await makeApp({ total: 3 });
        const runId = newRunId();
        const deploymentId = `faults/offline-${runId}`;
        const r = await action(cloud, {
          runId,
          inputs: {
            command: 'deploy',
            path: app.dir,
            'deployment-id': deploymentId,
            'online-timeout': '3s',
            'min-healthy': minHealthy,
          },
        });
        const offline = [...cloud.cloud.instances.values()].find((i) => i.nth === 2);
        assert.ok(offline);
        const cause = `${offline.id} (us-west-2, t3.micro): ssm-online: not Online in SSM after 3 s; likely causes: the instance profile lacks the AmazonSSMManagedInstanceCore policy`;
        if (minHealthy === 'all') {
          assert.equal(r.code, 1, explain(r));
          const err = r.errors.join('\n');
          assert.match(
            err,
            /^deploy failed: waiting for SSM Online: 2 of 3 instances healthy, 3 needed/,
          );
          assert.ok(err.includes(cause), err);
          assert.equal(cloud.calls().filter((c) => c.operation === 'SendCommand').length, 0);
          assert.match(r.stdout, /terminated 3 instances of this run/);
          await assertNothingOfRun(cloud, runId);
          await postStep(cloud, runId, r);
          await assertNothingOfRun(cloud, runId);
        } else {
          assert.equal(r.code, 0, explain(r));
          const healthy = records(r.outputs.instances);
          assert.equal(healthy.length, 2);
          assert.match(
            r.summary,
            new RegExp(
              `\`${offline.id}\`[^\\n]*\\| unhealthy: ssm-online: not Online in SSM after 3 s; likely causes`,
            ),
          );
          assert.match(r.summary, /2 of 3 instances healthy/);
          // The one that never came online was terminated by the deploy itself.
          assert.match(r.stdout, new RegExp(`us-west-2: terminated failed instance ${offline.id}`));
          await assertExactlyAlive(
            cloud,
            deploymentId,
            healthy.map((x) => x.id),
          );
        }
      } finally {
        await cloud.close();
      }
    },
  );
}
