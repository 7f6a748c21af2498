// Acceptance, end to end against the local cloud with containers: a deployment of 3 loses
// one instance to a spot reclaim; status says degraded, 2 of 3 and why (and fails with
// fail-on-degraded); a deploy of the same checkout launches just one instance, delivers to it
// alone and leaves the survivors as they are. Then a rebalance recommendation on one
// instance: status marks it, the next deploy replaces just that one, launch first, retire
// after. And an instance on-demand fallback launched goes back to spot on a heal once spot
// capacity returns (and stays while it does not).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import type { CallRecord } from '../../cloud/cloud.ts';
import { TAG } from '../../src/plan/types.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import type { ActionRun } from '../../__fixtures__/action.ts';
import {
  action,
  eventually,
  explain,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';

const NOTICE_MS = 2_000;

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({
    noticeMs: NOTICE_MS,
    capacity: { 'spot:t3.micro@eu-west-1': 0 },
  });
});
after(async () => {
  await cloud?.close();
});

const records = (r: ActionRun) => JSON.parse(r.outputs.instances ?? '[]') as InstanceRecord[];
const ids = (r: ActionRun) => JSON.parse(r.outputs['instance-ids'] ?? '[]') as string[];

/** The calls made from now on. */
function callLog(c: RunningCloud): { since(): CallRecord[] } {
  const from = c.calls().length;
  return { since: () => c.calls().slice(from) };
}

const accepted = (calls: readonly CallRecord[], op: string) =>
  calls.filter((c) => c.operation === op && !c.error);

/** The InstanceIds of each accepted SendCommand. */
const commandTargets = (calls: readonly CallRecord[]) =>
  accepted(calls, 'SendCommand').map((c) => (c.params as { InstanceIds?: string[] }).InstanceIds);

/** The instances still billed: a retired one goes on being listed while it is shutting-down
 * (the heal, like replace, goes on once EC2 has begun the termination). */
const liveOf = (deploymentId: string) =>
  instancesOfDeployment(cloud, deploymentId).filter(
    (i) => i.state === 'pending' || i.state === 'running',
  );

test(
  'deploy 3, reclaim 1: status degraded 2 of 3; a deploy heals just the lost one; a rebalance recommendation replaces just that one',
  { timeout: 600_000 },
  async () => {
    const app = await makeApp({ total: 3 });
    const deploymentId = `e2e/heal-${process.pid}`;
    const inputs = { path: app.dir, 'deployment-id': deploymentId, 'online-timeout': '180s' };
    const deploy = () =>
      action(cloud, { runId: newRunId(), inputs: { ...inputs, command: 'deploy' } });
    const status = (more: Record<string, string> = {}) =>
      action(cloud, { runId: newRunId(), inputs: { ...inputs, command: 'status', ...more } });

    const first = await deploy();
    assert.equal(first.code, 0, explain(first));
    const three = ids(first);
    assert.equal(three.length, 3);

    // EC2 reclaims one: the notice, then Server.SpotInstanceTermination.
    const [lost, ...survivors] = three as [string, ...string[]];
    const posted = await fetch(`${cloud.url}/_cloud/instances/${lost}/interrupt`, {
      method: 'POST',
    });
    assert.equal(posted.status, 200);
    assert.ok(
      await eventually(
        () => cloud.instances().find((i) => i.id === lost)?.state === 'terminated',
        NOTICE_MS + 60_000,
      ),
      'reclaimed',
    );

    // status: degraded, 2 of 3, and why.
    const seen = await status();
    assert.equal(seen.code, 0, explain(seen));
    assert.equal(seen.outputs['planned-count'], '3');
    assert.equal(seen.outputs['healthy-count'], '2');
    assert.equal(seen.outputs.degraded, 'true');
    assert.deepEqual(ids(seen).sort(), [...survivors].sort());
    assert.match(seen.summary, /\*\*2 of 3 healthy\*\*: degraded/);
    assert.match(
      seen.summary,
      new RegExp(
        `${lost} \\(us-west-2, spot\\) terminated: Server\\.SpotInstanceTermination at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ`,
      ),
    );
    assert.match(
      seen.stdout,
      /::warning::.*: 2 of 3 planned healthy; degraded: 2 of 3 planned instances healthy/,
    );

    // fail-on-degraded fails the step, saying why.
    const alert = await status({ 'fail-on-degraded': 'true' });
    assert.equal(alert.code, 1, explain(alert));
    assert.equal(alert.outputs.degraded, 'true');
    assert.match(alert.errors.join('\n'), /is degraded: 2 of 3 planned instances healthy/);

    // A deploy of the same checkout heals: one launch of one instance, commands to it alone.
    const healLog = callLog(cloud);
    const healed = await deploy();
    assert.equal(healed.code, 0, explain(healed));
    assert.equal(healed.outputs.changed, 'true');
    assert.equal(healed.outputs.healed, '1');
    const calls = healLog.since();
    const launches = accepted(calls, 'RunInstances');
    assert.equal(launches.length, 1, 'exactly one RunInstances');
    assert.equal((launches[0]?.params as { MaxCount?: number }).MaxCount, 1);
    const now = ids(healed);
    assert.equal(now.length, 3);
    for (const s of survivors) assert.ok(now.includes(s), `${s} survives`);
    const [fresh] = now.filter((i) => !three.includes(i));
    assert.ok(fresh);
    const targets = commandTargets(calls);
    assert.ok(targets.length > 0);
    assert.deepEqual([...new Set(targets.flat())], [fresh], 'commands go to the new instance only');
    assert.equal(accepted(calls, 'TerminateInstances').length, 0, 'nothing else to retire');
    assert.deepEqual(
      records(healed).map((r) => r.health),
      ['healthy', 'healthy', 'healthy'],
    );
    assert.match(healed.summary, /heal: us-west-2: 2 of 3 instances healthy; launching 1 instance/);
    assert.deepEqual(
      liveOf(deploymentId)
        .map((i) => i.id)
        .sort(),
      [...now].sort(),
    );

    // Healed and healthy: status is no longer degraded (the reclaimed one is still listed).
    const whole = await status({ 'fail-on-degraded': 'true' });
    assert.equal(whole.code, 0, explain(whole));
    assert.equal(whole.outputs['healthy-count'], '3');
    assert.equal(whole.outputs.degraded, 'false');
    assert.match(whole.summary, new RegExp(`Lost [^\\n]*\\n\\n- ${lost} `));

    // A rebalance recommendation on one instance: status reads it and marks it.
    const flagged = now[0] as string;
    const rb = await fetch(`${cloud.url}/_cloud/instances/${flagged}/rebalance`, {
      method: 'POST',
    });
    assert.equal(rb.status, 200);
    // The watcher polls its metadata every 5 s.
    let marked: ActionRun | undefined;
    for (let i = 0; i < 6 && marked?.outputs.degraded !== 'true'; i++) {
      await new Promise((r) => setTimeout(r, 3_000));
      marked = await status();
    }
    assert.ok(marked);
    assert.equal(marked.outputs.degraded, 'true', explain(marked));
    assert.match(marked.summary, new RegExp(`${flagged}: EC2 recommends rebalancing`));
    assert.equal(cloud.instances().find((i) => i.id === flagged)?.tags[TAG.phase], 'rebalance');

    // The next deploy replaces just that one: launch first, retire after.
    const rbLog = callLog(cloud);
    const replaced = await deploy();
    assert.equal(replaced.code, 0, explain(replaced));
    assert.equal(replaced.outputs.healed, '1');
    const rbCalls = rbLog.since();
    const launchAt = rbCalls.findIndex((c) => c.operation === 'RunInstances' && !c.error);
    const terminations = accepted(rbCalls, 'TerminateInstances');
    assert.equal(terminations.length, 1);
    assert.ok(JSON.stringify(terminations[0]?.params).includes(flagged));
    assert.ok(
      launchAt >= 0 && rbCalls.indexOf(terminations[0] as CallRecord) > launchAt,
      'launched before it retired',
    );
    const after = ids(replaced);
    const [newer] = after.filter((i) => !now.includes(i));
    assert.ok(newer);
    assert.deepEqual([...new Set(commandTargets(rbCalls).flat())], [newer]);
    assert.deepEqual(after.sort(), [...now.filter((i) => i !== flagged), newer].sort());
    assert.deepEqual(
      liveOf(deploymentId)
        .map((i) => i.id)
        .sort(),
      after.sort(),
    );

    // Whole and healthy: nothing to deploy.
    const quiet = callLog(cloud);
    const again = await deploy();
    assert.equal(again.code, 0, explain(again));
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs.healed, '0');
    assert.equal(accepted(quiet.since(), 'SendCommand').length, 0);
  },
);

test(
  'an on-demand fallback instance goes back to spot on a heal once spot capacity returns',
  { timeout: 400_000 },
  async () => {
    const app = await makeApp({ region: 'eu-west-1', instanceTypes: ['t3.micro'], total: 1 });
    const deploymentId = `e2e/heal-spot-${process.pid}`;
    const inputs = {
      path: app.dir,
      'deployment-id': deploymentId,
      'online-timeout': '180s',
      'on-demand-fallback': 'true',
      command: 'deploy',
    };
    const deploy = () => action(cloud, { runId: newRunId(), inputs });

    const first = await deploy();
    assert.equal(first.code, 0, explain(first));
    const [od] = records(first);
    assert.equal(od?.lifecycle, 'on-demand');

    // Spot still short: the on-demand instance stays, and the deploy is no failure.
    const short = await deploy();
    assert.equal(short.code, 0, explain(short));
    assert.equal(short.outputs.healed, '0');
    assert.match(
      short.stdout,
      /prefer-spot: spot is still short \(not enough capacity\); i-\w+ stays on-demand/,
    );
    assert.deepEqual(ids(short), [od?.id]);
    assert.equal(cloud.instances().find((i) => i.id === od?.id)?.state, 'running');

    // Spot capacity returns: the next heal launches spot, then retires the on-demand one.
    const lifted = await fetch(`${cloud.url}/_cloud/capacity`, {
      method: 'POST',
      body: JSON.stringify({ 'spot:t3.micro@eu-west-1': null }),
    });
    assert.equal(lifted.status, 200);
    const log = callLog(cloud);
    const back = await deploy();
    assert.equal(back.code, 0, explain(back));
    assert.equal(back.outputs.healed, '1');
    const [spot] = records(back);
    assert.equal(records(back).length, 1);
    assert.equal(spot?.lifecycle, 'spot');
    assert.equal(spot?.health, 'healthy');
    const calls = log.since();
    const launchAt = calls.findIndex((c) => c.operation === 'RunInstances' && !c.error);
    const terminateAt = calls.findIndex((c) => c.operation === 'TerminateInstances' && !c.error);
    assert.ok(launchAt >= 0 && terminateAt > launchAt, 'the spot one first, then the on-demand');
    assert.deepEqual([...new Set(commandTargets(calls).flat())], [spot?.id]);
    assert.deepEqual(
      liveOf(deploymentId).map((i) => [i.id, i.lifecycle]),
      [[spot?.id, 'spot']],
    );
  },
);
