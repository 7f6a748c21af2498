// Fault: the workflow is cancelled. The runner sends SIGINT to the step, SIGTERM 7.5 s later,
// SIGKILL 2.5 s after that, then runs the post step. In each phase of a deploy (launching,
// waiting for the instances, delivering), on the local cloud's simulated backend: the main
// step says it was cancelled and in which phase, terminates this run's instances itself
// before the runner kills it, and after the post step nothing of the run is alive — not even
// an instance whose launch request reached EC2 after the cancel (its answer never came back).
// (__tests__/deploy/e2e-failures.test.ts cancels a delivery on real containers with SIGINT
// alone; e2e-bundle.test.ts SIGKILLs a run and lets the post step clean up.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import { makeApp, type AppOptions } from '../../__fixtures__/app.ts';
import { action, eventually, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';
import { gatedProxy } from '../workflows/support.ts';
import {
  alive,
  assertNothingOfRun,
  cancelLikeTheRunner,
  postStep,
  simulated,
  watch,
  type Cancellation,
} from './support.ts';

interface Scenario {
  phase: string;
  /** How the deploy reports the phase it was cancelled in. */
  reported: RegExp;
  cloud: StartOptions;
  app: AppOptions;
  /** EC2 requests pass through a proxy that may hold one (launching). */
  holdEc2?: (body: string) => boolean;
  /** When to cancel, judged from the calls the cloud has seen (unless a held request does). */
  when?: (cloud: RunningCloud) => boolean;
}

const sent = (cloud: RunningCloud, operation: string, comment = '') =>
  cloud.calls().some(
    (c) =>
      c.operation === operation &&
      !c.error &&
      // a step's id is in the comment or script of the command that carries it
      JSON.stringify(c.params).includes(comment),
  );

const SCENARIOS: Scenario[] = [
  {
    // One instance from the first pool (capacity for one), then the launch in the next pool
    // is held until the cancel; it reaches EC2 half a second after the SIGINT.
    phase: 'launching',
    reported: /cancelled during launch$/,
    cloud: simulated({ capacity: { 'spot:t3.micro@us-west-2': 1 } }),
    app: { instanceTypes: ['t3.micro', 't3a.micro'], total: 2 },
    holdEc2: (body) => body.includes('Action=RunInstances') && body.includes('t3a.micro'),
  },
  {
    // Instances run, but their SSM agent needs 60 s: cancelled while waiting for Online.
    phase: 'waiting',
    reported: /cancelled during ssm online$/,
    cloud: simulated({ latency: { runningToOnlineMs: 60_000 } }),
    app: { total: 2 },
    when: (cloud) => sent(cloud, 'DescribeInstanceInformation'),
  },
  {
    // The script hangs on the instances: cancelled while the script step runs.
    phase: 'delivering',
    reported: /cancelled during deliver$/,
    cloud: simulated({ hangCommands: /sleep 600/ }),
    app: { total: 2, setupScript: '#!/bin/bash\nsleep 600\n' },
    when: (cloud) => sent(cloud, 'SendCommand', 'script-setup'),
  },
];

for (const s of SCENARIOS) {
  test(
    `cancelled while ${s.phase}: the run terminates its instances, the post step finds nothing left`,
    { timeout: 120_000 },
    async (t) => {
      const cloud = await startCloud(s.cloud);
      let child: ChildProcess | undefined;
      let cancel: Cancellation | undefined;
      const start = () => {
        if (child && !cancel) cancel = cancelLikeTheRunner(child);
      };
      const proxy = s.holdEc2
        ? await gatedProxy(cloud.url, (body) => {
            if (!s.holdEc2?.(body)) return undefined;
            start();
            return delay(500);
          })
        : undefined;
      try {
        const app = await makeApp(s.app);
        const runId = newRunId();
        const r = await action(cloud, {
          runId,
          inputs: {
            command: 'deploy',
            path: app.dir,
            'deployment-id': `faults/cancel-${runId}`,
            'online-timeout': '120s',
          },
          ...(proxy ? { env: { AWS_ENDPOINT_URL_EC2: proxy.url } } : {}),
          onSpawn: (c) => {
            child = c;
            if (s.when) {
              const when = s.when;
              watch(c, () => {
                if (!when(cloud)) return false;
                start();
                return true;
              });
            }
          },
        });
        assert.ok(cancel, `the run was cancelled while ${s.phase}`);
        t.diagnostic(
          `signals: ${cancel.sent.map((x) => `${x.signal}@${x.atMs}ms`).join(', ')}; exited ${cancel.exitedAfterMs} ms after SIGINT`,
        );
        // It ended by itself, inside the runner's window, not by SIGKILL.
        assert.equal(r.signal, null, explain(r));
        assert.ok(!cancel.sent.some((x) => x.signal === 'SIGKILL'), explain(r));
        assert.equal(r.code, 1, explain(r));
        assert.match(
          r.stdout,
          /::warning::received SIGINT: cancelling, and terminating the instances this run launched/,
        );
        assert.equal(r.errors.length, 1, explain(r));
        assert.match(r.errors[0] ?? '', /^deploy cancelled: /);
        assert.match(r.errors[0] ?? '', s.reported);
        assert.match(r.summary, /: cancelled/);
        // The main step terminated what it had launched before it exited (in the launching
        // phase: the instance of the first pool; the held launch may land later).
        const launched = instancesOfRun(cloud, runId).filter(
          (i) => s.phase !== 'launching' || i.type === 't3.micro',
        );
        assert.equal(launched.length, s.phase === 'launching' ? 1 : 2);
        assert.match(r.stdout, /(terminated|termination requested for) \d instances? of this run/);
        for (const i of launched) {
          assert.ok(!alive(i) || i.state === 'shutting-down', `${i.id} ${i.state}`);
        }
        if (s.phase === 'launching') {
          // The held launch went through after the cancel: two instances, one of them unknown
          // to the action (its answer never arrived), found by the post step by its run tag.
          assert.ok(
            await eventually(() => instancesOfRun(cloud, runId).length === 2),
            'the held launch reached the cloud',
          );
        }
        const post = await postStep(cloud, runId, r);
        if (s.phase === 'launching') {
          // The late instance, launched after the main step had looked, is the post step's.
          const late = instancesOfRun(cloud, runId).find((i) => i.type === 't3a.micro');
          assert.ok(late);
          assert.match(
            post.stdout,
            new RegExp(
              `the deploy did not finish; terminated 1 instance of run \\d+-1: ${late.id}`,
            ),
          );
        } else {
          assert.match(post.stdout, /no instance of run \d+-1 is left in us-west-2/);
        }
        await assertNothingOfRun(cloud, runId);
      } finally {
        await proxy?.close();
        await cloud.close();
      }
    },
  );
}
