// The two fault tests that mostly wait on timers (the SDK's backoff, SSM's execution
// timeout), side by side, on the local cloud's simulated backend.
//
// A third of all API calls throttled (RequestLimitExceeded from EC2, ThrottlingException from
// SSM): deploy and destroy both succeed; the deploy leaves exactly its healthy set, the
// destroy leaves nothing. (__tests__/deploy/e2e-faults.test.ts covers a tenth of the calls
// throttled; this is the rate.) The seed is one whose fault stream throttles a single
// call seven times running within its first calls: with the SDK's former budget of 6
// attempts, and polls that gave up the deploy on a throttled answer, this deploy failed
// ("DescribeInstances failed: RequestLimitExceeded"). Its first 200 decisions hold no longer
// run, so with 10 attempts per call the outcome does not depend on how calls interleave.
//
// A step that hangs until its own timeout stops it, in the command that carries every step:
// the deploy fails naming it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud } from '../../cloud/server.ts';
import type { CallRecord } from '../../cloud/cloud.ts';
import { simulatedAgent } from '../../__fixtures__/agent.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, newRunId } from '../../__fixtures__/e2e.ts';
import {
  assertExactlyAlive,
  assertNothingOfRun,
  liveIds,
  postStep,
  setScriptTimeout,
  simulated,
} from './support.ts';

const THROTTLED = new Set(['RequestLimitExceeded', 'ThrottlingException']);

/** The longest run of throttled answers in a row to one operation. */
function longestStreak(calls: readonly CallRecord[]): number {
  const run = new Map<string, number>();
  let best = 0;
  for (const c of calls) {
    const n = c.error && THROTTLED.has(c.error) ? (run.get(c.operation) ?? 0) + 1 : 0;
    run.set(c.operation, n);
    best = Math.max(best, n);
  }
  return best;
}

describe('faults that take their time', { concurrency: true }, () => {
  test(
    'a third of all calls throttled: deploy and destroy still succeed, and nothing is left',
    { timeout: 300_000 },
    async (t) => {
      const cloud = await startCloud(simulated({ throttle: { rate: 1 / 3 }, seed: 155 }));
      try {
        const app = await makeApp({ total: 3 });
        const deploymentId = 'faults/throttled';
        const inputs = { path: app.dir, 'deployment-id': deploymentId, 'online-timeout': '180s' };

        const deployed = await action(cloud, {
          runId: newRunId(),
          inputs: { ...inputs, command: 'deploy' },
        });
        assert.equal(deployed.code, 0, explain(deployed));
        assert.deepEqual(deployed.errors, []);
        const ids = JSON.parse(deployed.outputs['instance-ids'] ?? '[]') as string[];
        assert.equal(ids.length, 3);
        assert.match(deployed.summary, /: succeeded/);
        assert.match(
          deployed.stdout,
          /deployed 3 instances: i-[0-9a-f]+, i-[0-9a-f]+, i-[0-9a-f]+/,
        );
        // Retried launches reuse their client token: exactly three instances exist, all healthy.
        assert.equal(cloud.instances().length, 3);
        await assertExactlyAlive(cloud, deploymentId, ids);
        const deployCalls = cloud.calls();

        const destroyed = await action(cloud, {
          runId: newRunId(),
          // waiting for terminated: its polls, throttled too, are part of what this test proves
          inputs: { ...inputs, command: 'destroy', 'wait-terminated': 'true' },
        });
        assert.equal(destroyed.code, 0, explain(destroyed));
        assert.deepEqual(destroyed.errors, []);
        assert.match(destroyed.stdout, /terminated 3 instances of faults\/throttled/);
        assert.deepEqual(
          (JSON.parse(destroyed.outputs['instance-ids'] ?? '[]') as string[]).sort(),
          [...ids].sort(),
        );
        assert.deepEqual(liveIds(cloud, deploymentId), []);

        const calls = cloud.calls();
        const throttled = calls.filter((c) => c.error && THROTTLED.has(c.error));
        const destroyThrottled = calls
          .slice(deployCalls.length)
          .filter((c) => c.error && THROTTLED.has(c.error));
        t.diagnostic(
          `${calls.length} calls, ${throttled.length} throttled, longest streak ${longestStreak(calls)}`,
        );
        // The fault really was injected at the rate, in both commands.
        assert.ok(throttled.length / calls.length > 0.25, `${throttled.length}/${calls.length}`);
        assert.ok(destroyThrottled.length > 0, 'the destroy was throttled too');
        assert.ok(
          calls.some((c) => c.service === 'ssm' && c.error === 'ThrottlingException') &&
            calls.some((c) => c.service === 'ec2' && c.error === 'RequestLimitExceeded'),
          'both services throttle',
        );
      } finally {
        await cloud.close();
      }
    },
  );

  test(
    'a step that hangs past its own timeout inside a command of several: the deploy fails naming it',
    { timeout: 240_000 },
    async () => {
      // The script step hangs on the instance (the agent answers only when its own timeout,
      // 61 s, has stopped it): it runs in the command that carries every step, under its own
      // `timeout`, so it ends there, long before SSM's executionTimeout of the whole command.
      const cloud = await startCloud(
        simulated({
          simulated: { answer: simulatedAgent({ hang: /timeout --kill-after=10 1 / }) },
        }),
      );
      try {
        const app = await makeApp();
        setScriptTimeout(app.dir, 1);
        const runId = newRunId();
        const r = await action(cloud, {
          runId,
          inputs: {
            command: 'deploy',
            path: app.dir,
            'deployment-id': `faults/step-timeout-${runId}`,
            'online-timeout': '60s',
          },
        });
        assert.equal(r.code, 1, explain(r));
        assert.match(
          r.errors.join('\n'),
          /^deploy failed: delivery: 0 of 1 instance healthy, 1 needed \(min-healthy\):\n {2}i-[0-9a-f]+ \(us-west-2, t3\.micro\): step \d+-script-setup: Failed, exit code 124 \(the step ran past its 61 s timeout and was stopped\)$/,
        );
        assert.match(
          r.stdout,
          /::group::✗ \d+-script-setup failed on i-[0-9a-f]+ \(us-west-2\): Failed, exit code 124 \(the step ran past its 61 s timeout and was stopped\)/,
        );
        const sent = cloud
          .calls()
          .filter((c) => c.operation === 'SendCommand' && !c.error)
          .map(
            (c) => c.params as { Parameters: { commands: string[]; executionTimeout: string[] } },
          );
        assert.equal(sent.length, 1, 'every step in one command');
        assert.match(sent[0]?.Parameters.commands[0] ?? '', /^_spot_step \d+-script-setup 61 0 /m);
        assert.ok(Number(sent[0]?.Parameters.executionTimeout[0]) > 61 + 600);
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
