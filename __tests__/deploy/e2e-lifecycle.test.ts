// Acceptance, end to end against the local cloud (real systemd-nspawn containers booted with
// the user data; SSM commands run inside them): deploy the fixture app as a workflow would,
// find the files and the service in the container, status, destroy, destroy again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { TAG } from '../../src/plan/types.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import {
  action,
  commandRounds,
  containerAlive,
  eventually,
  explain,
  inContainer,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({});
});
after(async () => {
  await cloud?.close();
});

test(
  'deploy, status, destroy and destroy again, as a workflow runs them',
  { timeout: 240_000 },
  async () => {
    const app = await makeApp();
    const deploymentId = `e2e/lifecycle-${process.pid}`;
    const inputs = { path: app.dir, 'deployment-id': deploymentId, 'online-timeout': '120s' };
    const runId = newRunId();

    // deploy, with a secret
    const secret = `s3cr3t-${process.pid}-value`;
    const deployed = await action(cloud, {
      runId,
      inputs: { ...inputs, command: 'deploy', secrets: `DB_PASSWORD=${secret}\n` },
    });
    assert.equal(deployed.code, 0, explain(deployed));
    assert.deepEqual(deployed.errors, []);
    const ids = JSON.parse(deployed.outputs['instance-ids'] ?? '[]') as string[];
    assert.equal(ids.length, 1);
    const records = JSON.parse(deployed.outputs.instances ?? '[]') as InstanceRecord[];
    assert.deepEqual(
      records.map((r) => [r.id, r.region, r.lifecycle, r.state, r.health]),
      [[ids[0], 'us-west-2', 'spot', 'running', 'healthy']],
    );
    assert.equal(deployed.outputs['deployment-id'], deploymentId);
    assert.deepEqual(JSON.parse(deployed.outputs.regions ?? ''), ['us-west-2']);
    assert.equal(JSON.parse(deployed.outputs['private-ips'] ?? '[]').length, 1);
    assert.match(deployed.summary, /: succeeded/);
    assert.match(deployed.summary, /\| healthy \|/);
    assert.match(deployed.summary, /### Delivered/);
    assert.match(deployed.stdout, /::group::Step \d+-script-setup/);

    // The instance in the cloud: tagged at creation, its container holding the delivery.
    const [inst] = instancesOfDeployment(cloud, deploymentId);
    assert.ok(inst);
    assert.equal(inst.id, ids[0]);
    assert.equal(inst.tags[TAG.run], `${runId}-1`);
    assert.equal(inst.tags.project, 'deploy-e2e');
    assert.ok(containerAlive(inst));
    assert.match(inContainer(inst, 'cat /var/www/site/index.html'), /delivered by spot-deployer/);
    assert.match(inContainer(inst, 'cat /var/lib/site/setup.txt'), /setup ran/);
    assert.equal(inContainer(inst, 'systemctl is-active site.service').trim(), 'active');
    assert.match(
      inContainer(inst, `curl -fsS http://127.0.0.1:${app.port}/index.html`),
      /delivered by spot-deployer/,
    );

    // The secret reached the instance, root only, and nowhere else.
    assert.ok(deployed.stdout.includes(`::add-mask::${secret}`), 'the secret is masked');
    assert.equal(
      inContainer(inst, 'stat -c %a:%U /etc/spot-deployer/secrets.env').trim(),
      '600:root',
    );
    assert.match(inContainer(inst, 'cat /etc/spot-deployer/secrets.env'), new RegExp(secret));
    for (const [where, text] of [
      ['API calls', JSON.stringify(cloud.calls())],
      // The runner consumes ::add-mask:: lines and hides the value everywhere else.
      ['log', (deployed.stdout + deployed.stderr).replace(`::add-mask::${secret}\n`, '')],
      ['outputs', JSON.stringify(deployed.outputs)],
      ['summary', deployed.summary],
      ['state', JSON.stringify(deployed.state)],
      ['tags', JSON.stringify(inst.tags)],
    ] as const) {
      assert.ok(!text.includes(secret), `the secret is in the ${where}`);
    }

    // Two command rounds: prepare, the instance's key and the uploads in one command; the
    // sealed secrets, the script and the services (whose health check is the service
    // verification) in the next: the runner seals to the key in between. SSM may refuse a
    // just-registered agent for a moment (the cloud's registration lag); those refusals are
    // retried and are not commands, so only accepted sends are counted.
    const sends = cloud.calls().filter((c) => c.service === 'ssm' && c.operation === 'SendCommand');
    const calls = sends.filter((c) => !c.error);
    assert.deepEqual(
      [...new Set(sends.filter((c) => c.error).map((c) => c.error))].filter(
        (e) => e !== 'InvalidInstanceId',
      ),
      [],
      'the only refusal is the registration race',
    );
    assert.equal(calls.length, 2, 'one command per round');
    const rounds = commandRounds(cloud.calls()).get(ids[0] ?? '') ?? [];
    // the secrets step's log group shows twice: its keys, then its sealed secrets; in the
    // plan's order (ids sort so)
    const steps = [
      ...new Set([...deployed.stdout.matchAll(/^::group::Step (\S+):/gm)].map((m) => m[1] ?? '')),
    ].sort();
    const secretsStep = steps.find((s) => /^\d+-secrets$/.test(s ?? ''));
    assert.ok(secretsStep, steps.join(' '));
    // the uploads travel before the key (they need no secrets), the rest after the secrets
    const after = steps.slice(steps.indexOf(secretsStep) + 1);
    const uploads = after.filter((s) => /^\d+-upload/.test(s ?? ''));
    assert.deepEqual(
      rounds,
      [
        [[...steps.slice(0, steps.indexOf(secretsStep)), ...uploads, 'secrets-key']],
        [['secrets', ...after.filter((s) => !uploads.includes(s))]],
      ],
      'every step in one of the two commands',
    );
    assert.match(steps.at(-1) ?? '', /^\d+-services$/);
    assert.match(steps[0] ?? '', /^\d+-prepare$/);
    assert.ok(steps.some((s) => /^\d+-upload/.test(s ?? '')));
    assert.match(deployed.stdout, /i-\w+ \(us-west-2\): site active \(step \d+-services\)/);
    assert.equal(
      cloud.calls().filter((c) => c.operation === 'GetCommandInvocation').length,
      0,
      'outputs are only fetched for failures',
    );

    // The post step after a healthy deploy leaves everything alone.
    const post = await action(cloud, { runId, entry: 'post', state: deployed.state, inputs: {} });
    assert.equal(post.code, 0, explain(post));
    assert.match(post.stdout, /finished healthy; nothing to clean up/);
    assert.equal(instancesOfDeployment(cloud, deploymentId)[0]?.state, 'running');

    // status
    const status = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'status' },
    });
    assert.equal(status.code, 0, explain(status));
    const seen = JSON.parse(status.outputs.instances ?? '[]') as InstanceRecord[];
    assert.deepEqual(
      seen.map((r) => [r.id, r.state, r.lifecycle, r.health]),
      [[ids[0], 'running', 'spot', 'healthy']],
    );
    assert.match(status.stdout, /\[site=active\]/);

    // destroy
    const destroyed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'destroy' },
    });
    assert.equal(destroyed.code, 0, explain(destroyed));
    assert.deepEqual(JSON.parse(destroyed.outputs['instance-ids'] ?? ''), ids);
    // destroy goes on once the instance is shutting-down (no longer billed); terminated follows.
    assert.match(
      instancesOfDeployment(cloud, deploymentId)[0]?.state ?? '',
      /^(shutting-down|terminated)$/,
    );
    await eventually(() => instancesOfDeployment(cloud, deploymentId)[0]?.state === 'terminated');
    const gone = instancesOfDeployment(cloud, deploymentId);
    assert.deepEqual(
      gone.map((i) => i.state),
      ['terminated'],
    );
    assert.ok(
      await eventually(() => !containerAlive(gone[0] as (typeof gone)[0])),
      'the container is stopped',
    );

    // destroy again: nothing left, still a success that says so
    const again = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'destroy' },
    });
    assert.equal(again.code, 0, explain(again));
    assert.match(
      again.stdout,
      /nothing to destroy: no live instance tagged spot-deployer:deployment=e2e\/lifecycle-\d+ in us-west-2/,
    );
    assert.deepEqual(JSON.parse(again.outputs['instance-ids'] ?? ''), []);
  },
);

test(
  'destroy of a deployment that never existed succeeds and says so',
  { timeout: 60_000 },
  async () => {
    const before = cloud.calls().length;
    const r = await action(cloud, {
      runId: newRunId(),
      inputs: {
        command: 'destroy',
        path: '/nonexistent',
        'deployment-id': 'e2e/never',
        regions: 'us-west-2, eu-west-1',
      },
    });
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stdout, /nothing to destroy: .* in us-west-2, eu-west-1/);
    const calls = cloud.calls().slice(before);
    assert.deepEqual(
      [
        ...new Set(calls.filter((c) => c.operation === 'DescribeInstances').map((c) => c.region)),
      ].sort(),
      ['eu-west-1', 'us-west-2'],
      'both regions were searched',
    );
    assert.equal(calls.filter((c) => c.operation === 'TerminateInstances').length, 0);
  },
);
