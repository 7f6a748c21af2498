// Faults in what runs on the instances, on real containers (the point is what the script does
// there): a script that fails on one instance only, and a script that hangs past its timeout.
// Each asserts the outcome, what the user reads, and what is left in the cloud. (A command
// step that hangs past its own timeout is in slow.test.ts.)
// (__tests__/deploy/e2e-failures.test.ts covers a script failing on a single instance.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud } from '../../cloud/server.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import {
  action,
  commandRounds,
  containerAlive,
  explain,
  inContainer,
  instancesOfRun,
  newRunId,
} from '../../__fixtures__/e2e.ts';
import {
  assertExactlyAlive,
  assertNothingOfRun,
  postStep,
  setScriptTimeout,
  watch,
} from './support.ts';

// Independent clouds: the two run side by side.
describe('faults in what runs on the instances', { concurrency: true }, () => {
  test(
    'a script that fails on one of two instances: min-healthy 1 keeps the other, the failure is shown',
    { timeout: 240_000 },
    async () => {
      // Loopback-only containers: the site's port is the same on both.
      const cloud = await startCloud({ privateNetwork: true });
      try {
        const app = await makeApp({
          total: 2,
          setupScript: [
            '#!/bin/bash',
            'if [ -e /etc/spot-fault ]; then',
            '  echo "checking the widgets on $(hostname)"',
            '  echo "widget 7 is missing here" >&2',
            '  exit 5',
            'fi',
            'mkdir -p /var/lib/site',
            'echo "setup ran" >/var/lib/site/setup.txt',
            '',
          ].join('\n'),
        });
        const runId = newRunId();
        const deploymentId = `faults/one-fails-${runId}`;
        let planted: string | undefined;
        const r = await action(cloud, {
          runId,
          inputs: {
            command: 'deploy',
            path: app.dir,
            'deployment-id': deploymentId,
            'online-timeout': '180s',
            'min-healthy': '1',
          },
          // The fault exists on the second instance only: a file its script looks for, put
          // there straight through the container's namespaces as soon as it runs.
          onSpawn: (child) =>
            watch(child, () => {
              const second = instancesOfRun(cloud, runId).find((i) => i.nth === 2);
              if (!second || !containerAlive(second)) return false;
              try {
                inContainer(second, 'touch /etc/spot-fault');
              } catch {
                return false;
              }
              planted = second.id;
              return true;
            }),
        });
        assert.ok(planted, 'the fault was planted');
        assert.equal(r.code, 0, explain(r));
        const healthy = JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];
        assert.equal(healthy.length, 1);
        assert.notEqual(healthy[0]?.id, planted);
        // What the user reads: the failed instance, its step and exit code, its output tail.
        assert.match(
          r.stdout,
          new RegExp(
            `::group::✗ \\d+-script-setup failed on ${planted} \\(us-west-2\\): Failed, exit code 1`,
          ),
        );
        assert.match(r.stdout, /checking the widgets on ip-/);
        assert.match(r.stdout, /widget 7 is missing here/);
        assert.match(r.stdout, /script setup failed with exit code 5/);
        assert.match(r.stdout, new RegExp(`us-west-2: terminated failed instance ${planted}`));
        assert.match(r.summary, /1 of 2 instances healthy/);
        assert.match(
          r.summary,
          new RegExp(`${planted}[^\\n]*unhealthy: step \\d+-script-setup: Failed, exit code 1`),
        );
        // The script ran in the one command that carried every step, prepare to services;
        // the marker lines that frame each step there are read by the action, not shown, and
        // the steps after the failing one did not run: only the other instance ran services.
        const rounds = commandRounds(cloud.calls()).get(planted) ?? [];
        assert.equal(rounds.length, 1, JSON.stringify(rounds));
        const carried = rounds[0]?.[0] ?? [];
        assert.match(carried[0] ?? '', /^\d+-prepare$/);
        assert.ok(
          carried.some((id) => /^\d+-script-setup$/.test(id)),
          carried.join(' '),
        );
        assert.match(carried.at(-1) ?? '', /^\d+-services$/);
        assert.doesNotMatch(r.stdout, /\[spot-deployer [0-9a-f]{12}\]/);
        assert.match(r.stdout, /\d+-services us-west-2: 1\/1 succeeded/);
        // The other instance ran the script and serves.
        const [good] = instancesOfRun(cloud, runId).filter((i) => i.id !== planted);
        assert.ok(good);
        assert.equal(inContainer(good, 'cat /var/lib/site/setup.txt').trim(), 'setup ran');
        assert.equal(inContainer(good, 'systemctl is-active site.service').trim(), 'active');
        await assertExactlyAlive(cloud, deploymentId, [good.id]);
      } finally {
        await cloud.close();
      }
    },
  );

  test(
    'a script that hangs past its timeout is killed, and the deploy fails saying so',
    { timeout: 240_000 },
    async () => {
      const cloud = await startCloud({});
      try {
        const app = await makeApp({
          setupScript:
            '#!/bin/bash\necho "starting the long job"\nsleep 600\necho "never printed"\n',
        });
        setScriptTimeout(app.dir, 3);
        const runId = newRunId();
        const r = await action(cloud, {
          runId,
          inputs: {
            command: 'deploy',
            path: app.dir,
            'deployment-id': `faults/hangs-${runId}`,
            'online-timeout': '180s',
          },
        });
        assert.equal(r.code, 1, explain(r));
        assert.match(
          r.errors.join('\n'),
          /^deploy failed: delivery: 0 of 1 instance healthy, 1 needed \(min-healthy\):\n {2}i-[0-9a-f]+ \(us-west-2, t3\.micro\): step \d+-script-setup: Failed, exit code 1$/,
        );
        assert.match(r.stdout, /script setup timed out after 3 s/);
        assert.match(r.stdout, /starting the long job/);
        assert.doesNotMatch(r.stdout, /never printed/);
        // The command ended on the instance (the script was killed), not at SSM's deadline:
        // the step runs under its own timeout (63 s) inside the command that carries it, whose
        // executionTimeout is its steps' timeouts, 10 s of kill grace each, and a minute.
        const setup = cloud
          .calls()
          .map(
            (c) =>
              c.params as { Parameters?: { commands?: string[]; executionTimeout?: string[] } },
          )
          .find((p) => /^_spot_step \d+-script-setup /m.test(p.Parameters?.commands?.[0] ?? ''));
        const script = setup?.Parameters?.commands?.[0] ?? '';
        assert.match(script, /^_spot_step \d+-script-setup 63 0 \|\| exit \$\?$/m);
        const timeouts = [...script.matchAll(/^_spot_step \S+ (\d+) [01] /gm)].map((m) =>
          Number(m[1]),
        );
        assert.ok(timeouts.length > 1, 'the script travels with other steps');
        assert.deepEqual(setup?.Parameters?.executionTimeout, [
          String(timeouts.reduce((n, t) => n + t + 10, 60)),
        ]);
        assert.match(r.stdout, /terminated 1 instance of this run/);
        await assertNothingOfRun(cloud, runId);
        await postStep(cloud, runId, r);
        await assertNothingOfRun(cloud, runId);
      } finally {
        await cloud.close();
      }
    },
  );
});
