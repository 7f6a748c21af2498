// deployCommand's heal on a fake host over an in-memory EC2/SSM: whatever the strategy, a
// deployment of this plan that lost an instance gets just the missing one (commands to it
// alone); a heal whose new instance fails leaves what ran before untouched, the flagged one
// included, and terminates only its own.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { deployCommand } from '../../src/commands/deploy.ts';
import { readInputs } from '../../src/inputs.ts';
import { TAG } from '../../src/plan/types.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { fakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.ts';
import { fakeHost } from '../../__fixtures__/host.ts';

const ID = 'acme/web/heal-test';

async function world(t: TestContext, aws: FakeAwsOptions = {}) {
  const fake = fakeAws(aws);
  t.after(() => fake.restore());
  const app = await makeApp({ total: 3 });
  return { fake, app };
}

async function deploy(dir: string, over: Record<string, string>, runId: string) {
  const values: Record<string, string> = {
    command: 'deploy',
    path: dir,
    'deployment-id': ID,
    'online-timeout': '60s',
    ...over,
  };
  const host = fakeHost({ runId });
  try {
    const result = await deployCommand(
      readInputs((name) => values[name] ?? ''),
      host,
    );
    return { host, result, error: undefined as Error | undefined };
  } catch (err) {
    return { host, result: undefined, error: err as Error };
  } finally {
    host.close();
  }
}

for (const strategy of ['replace', 'update', 'recreate'] as const) {
  test(`strategy ${strategy}: a deployment that lost 1 of 3 is healed with 1, commands to it alone`, async (t) => {
    const { fake, app } = await world(t);
    assert.equal((await deploy(app.dir, { strategy }, '5000-1')).error, undefined);
    const [lost, ...survivors] = fake.live();
    assert.ok(lost);
    lost.state = 'terminated';
    const calls = fake.calls.length;
    const sent = fake.commands.size;
    const { host, result, error } = await deploy(app.dir, { strategy }, '5001-1');
    assert.equal(error, undefined, error?.message);
    assert.equal(result?.strategy, 'heal');
    assert.equal(host.outputs.get('changed'), 'true');
    assert.equal(host.outputs.get('healed'), '1');
    assert.equal(fake.calls.slice(calls).filter((c) => c === 'RunInstances').length, 1);
    assert.equal(fake.calls.slice(calls).filter((c) => c === 'TerminateInstances').length, 0);
    const live = fake.live().map((i) => i.id);
    assert.equal(live.length, 3);
    for (const s of survivors) assert.ok(live.includes(s.id));
    const fresh = live.filter((i) => !survivors.some((s) => s.id === i));
    const targets = [...fake.commands.values()].slice(sent).flatMap((c) => c.InstanceIds ?? []);
    assert.ok(targets.length > 0);
    assert.deepEqual([...new Set(targets)], fresh);
    assert.deepEqual(JSON.parse(host.outputs.get('instance-ids') ?? '[]').sort(), live.sort());
    assert.match(host.summaries.join('\n'), /heal: us-west-2: 2 of 3 instances healthy/);
  });
}

test('a heal whose new instance fails: the flagged one and the rest stay, only the new one goes', async (t) => {
  let failing = false;
  const { fake, app } = await world(t, {
    exit: (_id, script) => (failing && script.includes('setup') ? 1 : 0),
  });
  assert.equal((await deploy(app.dir, {}, '6000-1')).error, undefined);
  const before = fake.live().map((i) => i.id);
  const flagged = fake.live()[1];
  assert.ok(flagged);
  flagged.tags[TAG.rebalance] = '2026-12-01T20:00:00Z';
  failing = true;
  const { host, error } = await deploy(app.dir, {}, '6001-1');
  assert.match(error?.message ?? '', /deploy failed: delivery: 0 of 1 instance healthy/);
  assert.deepEqual(
    fake.live().map((i) => i.id),
    before,
    'the three that ran before still run, the failed new one is terminated',
  );
  assert.match(host.summaries.join('\n'), /heal: the 3 instances running before keep serving/);
});
