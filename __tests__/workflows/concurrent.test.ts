// Two deploys of one deployment at once, against the local cloud (simulated instances):
// a deploy that starts while another run is delivering fails at once, launching nothing,
// naming the other run and the workflow `concurrency:` group; two deploys that both checked
// before either launched end with one healthy set, the later launch withdrawing (its
// instances terminated by itself, and nothing left for its post step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, eventually, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { TAG } from '../../src/plan/types.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { callLog, count, gatedProxy, simulatedCloud } from './support.ts';
import { startFakeGitHubApi } from '../support/fake-github-api.ts';

const CONCURRENCY =
  /concurrency: \{ group: spot-deploy-\$\{\{ github\.repository \}\}-\$\{\{ github\.ref \}\}/;

test(
  'a deploy that starts while another run delivers fails before launching, naming that run',
  { timeout: 180_000 },
  async () => {
    // The first run's commands are held until the second run has ended, so the first is
    // delivering whenever the second starts, however slowly it starts.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const cloud = await simulatedCloud({ simulated: { holdCommands: held } });
    try {
      const app = await makeApp();
      const inputs = {
        command: 'deploy',
        path: app.dir,
        'deployment-id': `e2e/busy-${process.pid}`,
        'online-timeout': '60s',
      };
      const firstRun = newRunId();
      const first = action(cloud, { runId: firstRun, inputs });
      assert.ok(
        await eventually(() => cloud.calls().some((c) => c.operation === 'SendCommand'), 60_000),
        'the first run delivers',
      );
      const calls = callLog(cloud);
      const second = await action(cloud, {
        runId: newRunId(),
        inputs,
        env: { GITHUB_SERVER_URL: 'https://github.example' },
      });
      release();
      const secondCalls = calls.since().filter((c) => c.operation !== 'ListCommandInvocations');
      assert.equal(second.code, 1, explain(second));
      assert.equal(second.errors.length, 1);
      const error = second.errors[0] ?? '';
      assert.match(
        error,
        new RegExp(`another run is deploying 'e2e/busy-\\d+' right now: run ${firstRun}-1`),
      );
      assert.match(
        error,
        new RegExp(`https://github.example/acme/e2e/actions/runs/${firstRun}\\b`),
      );
      assert.match(error, CONCURRENCY);
      assert.match(error, /stopped before launching or changing anything/);
      assert.equal(count(secondCalls, 'RunInstances'), 0);
      assert.equal(second.state['spot-deployer-run'], undefined, 'nothing for the post step');

      const done = await first;
      assert.equal(done.code, 0, explain(done));
      const live = cloud.instances().filter((i) => i.state !== 'terminated');
      assert.deepEqual(
        live.map((i) => [i.tags[TAG.run], i.tags[TAG.phase]]),
        [[`${firstRun}-1`, 'ready']],
      );
    } finally {
      release();
      await cloud.close();
    }
  },
);

test(
  'two deploys that both checked before either launched: the later launch withdraws, one healthy set stays',
  { timeout: 180_000 },
  async () => {
    const cloud = await simulatedCloud();
    // Both runs reach EC2 through a proxy that holds their launch requests until both have
    // passed their checks, then lets the lower run id launch first.
    const held = new Map<string, () => void>();
    let bothHeld!: () => void;
    const ready = new Promise<void>((resolve) => (bothHeld = resolve));
    const proxy = await gatedProxy(cloud.url, (body) => {
      if (!body.includes('Action=RunInstances')) return undefined;
      const form = new URLSearchParams(body);
      const keyField = [...form].find(([, v]) => v === TAG.run)?.[0] ?? '';
      const run = form.get(keyField.replace(/Key$/, 'Value')) ?? '';
      return new Promise<void>((resolve) => {
        held.set(run, resolve);
        if (held.size === 2) bothHeld();
      });
    });
    try {
      const app = await makeApp({ total: 2 });
      const inputs = {
        command: 'deploy',
        path: app.dir,
        'deployment-id': `e2e/race-${process.pid}`,
        'online-timeout': '60s',
      };
      const [early, late] = [newRunId(), newRunId()];
      const env = { AWS_ENDPOINT_URL_EC2: proxy.url };
      const running = [early, late].map((runId) => action(cloud, { runId, inputs, env }));
      await ready;
      held.get(`${early}-1`)?.();
      assert.ok(
        await eventually(() => cloud.calls().some((c) => c.operation === 'RunInstances')),
        'the first launch went through',
      );
      held.get(`${late}-1`)?.();
      const [winner, loser] = await Promise.all(running);
      assert.ok(winner && loser);
      assert.equal(winner.code, 0, explain(winner));
      assert.equal(loser.code, 1, explain(loser));
      const error = loser.errors.join('\n');
      assert.match(
        error,
        new RegExp(
          `run ${early}-1 started deploying 'e2e/race-\\d+' at the same time as this run \\(${late}-1\\)`,
        ),
      );
      assert.match(error, /terminates the instances it launched/);
      assert.match(error, CONCURRENCY);
      assert.equal(count(cloud.calls(), 'RunInstances'), 2, 'both launched');
      assert.match(loser.stdout, /terminated 2 instances of this run/);

      // The post step of the losing run finds nothing of it left running.
      const post = await action(cloud, {
        runId: late,
        entry: 'post',
        state: loser.state,
        inputs: {},
      });
      assert.equal(post.code, 0, explain(post));
      assert.match(post.stdout, /no instance of run \d+-1 is left/);

      // Exactly one healthy set: the winner's two instances.
      const live = cloud
        .instances()
        .filter(
          (i) => i.tags[TAG.deployment] === inputs['deployment-id'] && i.state !== 'terminated',
        );
      const records = JSON.parse(winner.outputs.instances ?? '[]') as InstanceRecord[];
      assert.deepEqual(live.map((i) => i.id).sort(), records.map((r) => r.id).sort());
      assert.equal(live.length, 2);
      assert.ok(
        live.every((i) => i.tags[TAG.run] === `${early}-1` && i.tags[TAG.phase] === 'ready'),
      );
      assert.ok(records.every((r) => r.health === 'healthy' && r.state === 'running'));
    } finally {
      await proxy.close();
      await cloud.close();
    }
  },
);

test(
  'a run that ended without clearing its marks blocks only until GitHub says it has ended',
  { timeout: 180_000 },
  async () => {
    const cloud = await simulatedCloud({ simulated: { commandMs: 1500 } });
    const github = await startFakeGitHubApi();
    try {
      const app = await makeApp();
      const inputs = {
        command: 'deploy',
        path: app.dir,
        'deployment-id': `e2e/crashed-${process.pid}`,
        'online-timeout': '60s',
        'github-token': 'ghs_runsReaderToken000',
      };
      // The first run's runner is lost while it delivers: SIGKILL, so no cleanup and no post step.
      const crashedRun = newRunId();
      const crashed = await action(cloud, {
        runId: crashedRun,
        inputs,
        onSpawn: (child) => {
          const timer = setInterval(() => {
            if (cloud.calls().some((c) => c.operation === 'SendCommand')) child.kill('SIGKILL');
          }, 50);
          child.on('close', () => clearInterval(timer));
        },
      });
      assert.equal(crashed.code, null, 'killed');
      const mine = (run: string) =>
        cloud.instances().filter((i) => i.tags[TAG.run] === `${run}-1` && i.state !== 'terminated');
      assert.deepEqual(
        mine(crashedRun).map((i) => i.tags[TAG.phase]),
        ['deploying'],
        'its instance is left marked',
      );
      const env = { GITHUB_API_URL: github.url };

      // GitHub still shows it running (or cannot say): the marks count.
      github.runs.set(`acme/e2e/${crashedRun}-1`, 'in_progress');
      const blocked = await action(cloud, { runId: newRunId(), inputs, env });
      assert.equal(blocked.code, 1, explain(blocked));
      assert.match(blocked.errors.join('\n'), /another run is deploying .* right now/);
      assert.match(blocked.errors.join('\n'), /permissions: actions: read/);

      // GitHub says it completed: its marks no longer count, and the deploy replaces its instance.
      github.runs.set(`acme/e2e/${crashedRun}-1`, 'completed');
      const nextRun = newRunId();
      const next = await action(cloud, { runId: nextRun, inputs, env });
      assert.equal(next.code, 0, explain(next));
      assert.match(
        next.stdout,
        new RegExp(
          `run ${crashedRun}-1 has ended without clearing its marks on i-[0-9a-f]+; they no longer count`,
        ),
      );
      const asked = github.calls.filter((c) => c.path.includes('/actions/runs/'));
      assert.deepEqual(
        asked.map((c) => [c.method, c.path, c.authorization]),
        [1, 2].map(() => [
          'GET',
          `/repos/acme/e2e/actions/runs/${crashedRun}/attempts/1`,
          'token ghs_runsReaderToken000',
        ]),
      );
      assert.ok(
        await eventually(() => mine(crashedRun).length === 0),
        "the crashed run's instance is terminated",
      );
      assert.deepEqual(
        mine(nextRun).map((i) => i.tags[TAG.phase]),
        ['ready'],
      );
    } finally {
      await github.close();
      await cloud.close();
    }
  },
);
