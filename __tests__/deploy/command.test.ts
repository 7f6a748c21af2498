// deployCommand in-process, on a fake host (__fixtures__/host.ts) over an in-memory EC2/SSM:
// the cleanup matrix (failure × strategy × keep-failed × launch started, heal included:
// whole or partial failure, a launch that got nothing, a failure before the launch), what each
// strategy launches, delivers to, retires and leaves serving, the heal of a deployment of
// this plan that lost an instance (whatever the strategy), and two deploys of one id within
// one run.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { deployCommand } from '../../src/commands/deploy.ts';
import { readInputs, type Inputs } from '../../src/inputs.ts';
import { STATE } from '../../src/launch/state.ts';
import { decideCleanup, survivors, type CleanupFacts } from '../../src/pipeline/cleanup.ts';
import type { Member } from '../../src/deliver/fleet.ts';
import { TAG } from '../../src/plan/types.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { fakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.ts';
import { fakeHost, type FakeHost } from '../../__fixtures__/host.ts';

const ID = 'acme/web/command-test';

function inputs(dir: string, over: Record<string, string> = {}): Inputs {
  const values: Record<string, string> = {
    command: 'deploy',
    path: dir,
    'deployment-id': ID,
    'online-timeout': '60s',
    ...over,
  };
  return readInputs((name) => values[name] ?? '');
}

type Fake = ReturnType<typeof fakeAws>;

async function world(t: TestContext, aws: FakeAwsOptions = {}, total = 2) {
  const fake = fakeAws(aws);
  t.after(() => fake.restore());
  const app = await makeApp({ total });
  return { fake, app };
}

/** Runs one deploy on a fresh fake host; the error, if it failed. */
async function deploy(dir: string, over: Record<string, string> = {}, runId = '4242-1') {
  const host = fakeHost({ runId });
  try {
    const result = await deployCommand(inputs(dir, over), host);
    return { host, result, error: undefined as Error | undefined };
  } catch (err) {
    return { host, result: undefined, error: err as Error };
  } finally {
    host.close();
  }
}

const liveIds = (fake: Fake) =>
  fake
    .live()
    .map((i) => i.id)
    .sort();
const count = (fake: Fake, from: number, name: string) =>
  fake.calls.slice(from).filter((c) => c === name).length;
const summary = (host: FakeHost) => host.summaries.join('\n');

/** Every script of the deploy's `setup` step fails, on every instance (or just `only`). */
const failSetup =
  (only?: () => string | undefined) =>
  (instanceId: string, script: string): number =>
    script.includes('setup') && (only === undefined || only() === instanceId) ? 1 : 0;

test('decideCleanup: the whole matrix of facts', () => {
  const cases: Array<[Partial<CleanupFacts>, string]> = [
    [{}, 'none'],
    [{ failedInstances: 1 }, 'terminate-failed'],
    [{ failedInstances: 1, keepFailed: true }, 'keep'],
    [{ failed: true, launchStarted: true }, 'terminate-all'],
    [{ failed: true, launchStarted: true, keepFailed: true }, 'keep'],
    [{ failed: true, launchStarted: false }, 'none'],
    [{ failed: true, launchStarted: false, keepFailed: true }, 'none'],
    [{ failed: true, inPlace: true, failedInstances: 2 }, 'none'],
    [{ failed: true, inPlace: true, keepFailed: true }, 'none'],
    [{ inPlace: true, failedInstances: 1 }, 'none'],
  ];
  for (const [facts, want] of cases) {
    const f: CleanupFacts = {
      failed: false,
      inPlace: false,
      keepFailed: false,
      launchStarted: false,
      failedInstances: 0,
      ...facts,
    };
    assert.equal(decideCleanup(f), want, JSON.stringify(f));
  }
});

test('survivors: what each decision leaves running', () => {
  const ok = { id: 'i-ok' } as Member;
  const bad = { id: 'i-bad', failure: { phase: 'deliver', cause: 'exit 1' } } as Member;
  const ids = (d: Parameters<typeof survivors>[0], inPlace = false) =>
    survivors(d, [ok, bad], inPlace).map((m) => m.id);
  assert.deepEqual(ids('none'), ['i-ok']);
  assert.deepEqual(ids('none', true), ['i-ok', 'i-bad'], 'in place nothing is terminated');
  assert.deepEqual(ids('keep'), ['i-ok', 'i-bad']);
  assert.deepEqual(ids('terminate-failed'), ['i-ok']);
  assert.deepEqual(ids('terminate-all'), []);
});

test('a first deploy: launched, healthy, tagged ready, outputs and record, post step told it succeeded', async (t) => {
  const { fake, app } = await world(t);
  const { host, result, error } = await deploy(app.dir);
  assert.equal(error, undefined, error?.message);
  assert.equal(result?.changed, true);
  assert.equal(result?.strategy, 'replace');
  const ids = liveIds(fake);
  assert.equal(ids.length, 2);
  assert.deepEqual(JSON.parse(host.outputs.get('instance-ids') ?? '[]').sort(), ids);
  assert.equal(host.outputs.get('changed'), 'true');
  assert.equal(host.state.get(STATE.result), 'success');
  assert.deepEqual(JSON.parse(host.state.get(STATE.run) ?? '{}').deploymentId, ID);
  assert.deepEqual(host.saved[0]?.instances.map((i) => i.id).sort(), ids);
  for (const i of fake.live()) assert.equal(i.tags[TAG.phase], 'ready');
  assert.equal(host.previews[0]?.status, 'deployed');
  assert.match(summary(host), /succeeded/);
});

test('nothing changed: the second deploy of the same plan launches nothing and says so', async (t) => {
  const { fake, app } = await world(t);
  assert.equal((await deploy(app.dir)).error, undefined);
  const before = fake.calls.length;
  const { host, result } = await deploy(app.dir, {}, '4343-1');
  assert.equal(result?.changed, false);
  assert.equal(host.outputs.get('changed'), 'false');
  assert.equal(count(fake, before, 'RunInstances'), 0);
  assert.match(summary(host), /unchanged/);
});

// The cleanup matrix through the command: launching strategies × keep-failed × whole or
// partial failure, and a failure before the launch started.
for (const strategy of ['replace', 'recreate'] as const) {
  for (const keepFailed of [false, true]) {
    test(`${strategy}, keep-failed ${keepFailed}: a deploy that fails after its launch ${keepFailed ? 'keeps' : 'terminates'} every instance it launched`, async (t) => {
      const { fake, app } = await world(t, { exit: failSetup() });
      const { host, error } = await deploy(app.dir, {
        strategy,
        'keep-failed': String(keepFailed),
      });
      assert.match(error?.message ?? '', /deploy failed: delivery: 0 of 2 instances healthy/);
      assert.equal(host.state.get(STATE.result), undefined, 'the post step cleans up');
      assert.ok(host.state.get(STATE.run), 'the run was recorded before the launch');
      if (keepFailed) {
        assert.equal(fake.live().length, 2);
        for (const i of fake.live()) assert.equal(i.tags[TAG.phase], 'failed');
        assert.match(summary(host), /keep-failed: left 2 instances running for debugging/);
      } else {
        assert.deepEqual(fake.live(), []);
        assert.match(summary(host), /terminated 2 instances of this run/);
      }
    });

    test(`${strategy}, keep-failed ${keepFailed}: one instance failing under min-healthy 1 ${keepFailed ? 'is kept' : 'is terminated'}, the deploy succeeds`, async (t) => {
      let first: string | undefined;
      const { fake, app } = await world(t, {
        exit: failSetup(() => first),
        onCall: (name) => {
          if (name === 'SendCommand' && first === undefined) first = fake.live()[0]?.id;
        },
      });
      const { host, result, error } = await deploy(app.dir, {
        strategy,
        'keep-failed': String(keepFailed),
        'min-healthy': '1',
      });
      assert.equal(error, undefined, error?.message);
      assert.equal(result?.ok, true);
      assert.equal(host.state.get(STATE.result), 'success');
      if (keepFailed) {
        assert.equal(fake.live().length, 2);
        assert.match(summary(host), /keep-failed: left 1 instance running for debugging/);
      } else {
        assert.equal(fake.live().length, 1);
        assert.ok(!liveIds(fake).includes(first as string));
        assert.match(summary(host), /terminated failed instance/);
      }
    });
  }

  for (const keepFailed of [false, true]) {
    test(`${strategy}, keep-failed ${keepFailed}: a failure before the launch launches nothing, records no run, terminates nothing`, async (t) => {
      const { fake, app } = await world(t);
      const { host, error } = await deploy(app.dir, {
        strategy,
        'min-healthy': '5',
        'keep-failed': String(keepFailed),
      });
      assert.match(
        error?.message ?? '',
        /min-healthy asks for 5 instances but the plan launches 2/,
      );
      assert.equal(host.state.get(STATE.run), undefined);
      assert.equal(count(fake, 0, 'RunInstances'), 0);
      assert.equal(count(fake, 0, 'TerminateInstances'), 0);
      assert.doesNotMatch(summary(host), /keep-failed: left/);
    });

    test(`${strategy}, keep-failed ${keepFailed}: a launch that started but got no instance terminates and keeps nothing`, async (t) => {
      const { fake, app } = await world(t, { capacity: () => 'InsufficientInstanceCapacity' });
      const { host, error } = await deploy(app.dir, {
        strategy,
        'keep-failed': String(keepFailed),
      });
      assert.match(error?.message ?? '', /deploy failed: .*launched 0 of 2/);
      assert.ok(host.state.get(STATE.run), 'the run was recorded before the launch');
      assert.ok(count(fake, 0, 'RunInstances') > 0);
      assert.deepEqual(fake.live(), []);
      assert.doesNotMatch(summary(host), /keep-failed: left/);
    });
  }
}

/** A deployment of 2 from a first deploy, then the app changed so the next one deploys. */
async function deployed(t: TestContext, aws: FakeAwsOptions = {}) {
  const w = await world(t, aws);
  const first = await deploy(w.app.dir);
  assert.equal(first.error, undefined, first.error?.message);
  return { ...w, previous: liveIds(w.fake), mark: w.fake.calls.length };
}

test('replace: a new set is launched, delivered to, and the previous set retired after it is healthy', async (t) => {
  const { fake, app, previous, mark } = await deployed(t);
  const { host, error } = await deploy(app.dir, { force: 'true' }, '4343-1');
  assert.equal(error, undefined, error?.message);
  assert.equal(count(fake, mark, 'RunInstances') > 0, true);
  const now = liveIds(fake);
  assert.equal(now.length, 2);
  assert.ok(now.every((id) => !previous.includes(id)));
  const calls = fake.calls.slice(mark);
  assert.ok(calls.lastIndexOf('TerminateInstances') > calls.lastIndexOf('SendCommand'));
  assert.match(summary(host), /replace: terminated the previous 2 instances/);
});

test('replace, failing: the previous set keeps serving and the preview comment shows it', async (t) => {
  let failing = false;
  const { fake, app, previous } = await deployed(t, {
    exit: (id, script) => (failing && script.includes('setup') ? 1 : 0),
  });
  failing = true;
  const { host, error } = await deploy(app.dir, { force: 'true' }, '4343-1');
  assert.match(error?.message ?? '', /deploy failed/);
  assert.deepEqual(liveIds(fake), previous);
  assert.match(summary(host), /replace: the previous 2 instances keep serving/);
  const preview = host.previews.at(-1);
  assert.equal(preview?.status, 'failed');
  assert.deepEqual(
    preview && 'instances' in preview ? preview.instances.map((i) => i.id).sort() : [],
    previous,
  );
});

test("replace, twice within one run: the second deploy retires the first one's set", async (t) => {
  const { fake, app, previous } = await deployed(t);
  // Same run id as the first deploy (two steps of one job, or a terminal reusing a run id).
  const { error } = await deploy(app.dir, { force: 'true' }, '4242-1');
  assert.equal(error, undefined, error?.message);
  const now = liveIds(fake);
  assert.equal(now.length, 2, `live: ${now.join(', ')}`);
  assert.ok(
    now.every((id) => !previous.includes(id)),
    'the first set is retired',
  );
});

test('recreate: the previous set is terminated before the launch; a failure leaves nothing serving', async (t) => {
  let failing = false;
  const { fake, app, mark } = await deployed(t, {
    exit: (id, script) => (failing && script.includes('setup') ? 1 : 0),
  });
  failing = true;
  const { host, error } = await deploy(app.dir, { force: 'true', strategy: 'recreate' }, '4343-1');
  assert.match(error?.message ?? '', /deploy failed/);
  const calls = fake.calls.slice(mark);
  assert.ok(calls.indexOf('TerminateInstances') < calls.indexOf('RunInstances'));
  assert.deepEqual(fake.live(), []);
  assert.match(summary(host), /recreate: terminated the previous 2 instances/);
  const preview = host.previews.at(-1);
  assert.deepEqual(preview && 'instances' in preview ? preview.instances : undefined, []);
});

test('update: delivers to the running instances in place, launches and terminates nothing', async (t) => {
  const { fake, app, previous, mark } = await deployed(t);
  const { host, result, error } = await deploy(
    app.dir,
    { force: 'true', strategy: 'update' },
    '4343-1',
  );
  assert.equal(error, undefined, error?.message);
  assert.equal(result?.strategy, 'update');
  assert.equal(count(fake, mark, 'RunInstances'), 0);
  assert.equal(count(fake, mark, 'TerminateInstances'), 0);
  assert.ok(count(fake, mark, 'SendCommand') > 0);
  assert.deepEqual(liveIds(fake), previous);
  for (const i of fake.live()) {
    assert.equal(
      Object.keys(i.tags).some((k) => k.startsWith('spot-deployer:updating:')),
      false,
      'the update mark is removed',
    );
  }
  assert.equal(host.state.get(STATE.run), undefined, 'nothing for the post step to clean up');
});

for (const keepFailed of [false, true]) {
  test(`update, keep-failed ${keepFailed}, failing: nothing is terminated, the instances are reported as they are`, async (t) => {
    let failing = false;
    const { fake, app, previous, mark } = await deployed(t, {
      exit: (id, script) => (failing && script.includes('setup') ? 1 : 0),
    });
    failing = true;
    const { host, error } = await deploy(
      app.dir,
      { force: 'true', strategy: 'update', 'keep-failed': String(keepFailed) },
      '4343-1',
    );
    assert.match(error?.message ?? '', /deploy failed: delivery: 0 of 2 instances healthy/);
    assert.equal(count(fake, mark, 'TerminateInstances'), 0);
    assert.deepEqual(liveIds(fake), previous);
    assert.match(
      summary(host),
      /update in place: nothing was terminated; 2 instances did not take the update/,
    );
    const preview = host.previews.at(-1);
    assert.deepEqual(
      preview && 'instances' in preview ? preview.instances.map((i) => i.id).sort() : [],
      previous,
    );
  });
}

test('update with nothing running launches a new set, as replace', async (t) => {
  const { fake, app } = await world(t);
  const { host, result, error } = await deploy(app.dir, { strategy: 'update' });
  assert.equal(error, undefined, error?.message);
  assert.equal(result?.strategy, 'replace');
  assert.equal(fake.live().length, 2);
  assert.match(host.log.text(), /update: the deployment has no running instance to update/);
});

test('status and destroy on the same host: what runs, then nothing left; a second destroy finds nothing', async (t) => {
  const { fake, app, previous } = await deployed(t);
  const { statusCommand } = await import('../../src/commands/status.ts');
  const { destroyCommand } = await import('../../src/commands/destroy.ts');
  const host = fakeHost();
  t.after(() => host.close());
  const status = await statusCommand(inputs(app.dir, { command: 'status' }), host);
  assert.deepEqual(status.instances.map((i) => i.id).sort(), previous);
  assert.deepEqual(JSON.parse(host.outputs.get('instance-ids') ?? '[]').sort(), previous);
  const gone = await destroyCommand(inputs(app.dir, { command: 'destroy' }), host);
  assert.deepEqual(gone.terminated.sort(), previous);
  assert.deepEqual(fake.live(), []);
  assert.equal(host.previews.at(-1)?.status, 'destroyed');
  const again = await destroyCommand(inputs(app.dir, { command: 'destroy' }), host);
  assert.deepEqual(again.terminated, []);
  assert.match(host.summaries.at(-1) ?? '', /Nothing to destroy/);
});

for (const strategy of ['replace', 'update', 'recreate'] as const) {
  test(`strategy ${strategy}: a deployment that lost 1 of 3 is healed with 1, commands to it alone`, async (t) => {
    const { fake, app } = await world(t, {}, 3);
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
    assert.match(summary(host), /heal: us-west-2: 2 of 3 instances healthy/);
  });
}

test('a heal whose new instance fails: the flagged one and the rest stay, only the new one goes', async (t) => {
  let failing = false;
  const { fake, app } = await world(
    t,
    { exit: (_id, script) => (failing && script.includes('setup') ? 1 : 0) },
    3,
  );
  assert.equal((await deploy(app.dir, {}, '6000-1')).error, undefined);
  const before = fake.live().map((i) => i.id);
  const flagged = fake.live()[1];
  assert.ok(flagged);
  flagged.tags[TAG.phase] = 'rebalance';
  failing = true;
  const { host, error } = await deploy(app.dir, {}, '6001-1');
  assert.match(error?.message ?? '', /deploy failed: delivery: 0 of 1 instance healthy/);
  assert.deepEqual(
    fake.live().map((i) => i.id),
    before,
    'the three that ran before still run, the failed new one is terminated',
  );
  assert.match(summary(host), /heal: the 3 instances running before keep serving/);
});

test('back to spot: prefer-spot false keeps an on-demand instance; a spot quota keeps it without failing; spot returns, spot replaces it', async (t) => {
  let spot: string | undefined = 'InsufficientInstanceCapacity';
  const { fake, app } = await world(
    t,
    { capacity: (_t, m) => (m === 'spot' ? spot : undefined) },
    1,
  );
  assert.equal(
    (await deploy(app.dir, { 'on-demand-fallback': 'true' }, '7000-1')).error,
    undefined,
  );
  const [od] = fake.live();
  assert.equal(od?.spot, false);

  const kept = await deploy(
    app.dir,
    { 'on-demand-fallback': 'true', 'prefer-spot': 'false' },
    '7001-1',
  );
  assert.equal(kept.result?.changed, false, 'prefer-spot false: nothing to deploy');

  spot = 'MaxSpotInstanceCountExceeded';
  const from = fake.calls.length;
  const short = await deploy(app.dir, { 'on-demand-fallback': 'true' }, '7002-1');
  assert.equal(short.error, undefined, short.error?.message);
  assert.equal(short.host.outputs.get('healed'), '0');
  assert.equal(short.host.outputs.get('changed'), 'false');
  assert.equal(count(fake, from, 'TerminateInstances'), 0);
  assert.deepEqual(liveIds(fake), [od?.id]);
  assert.match(
    summary(short.host),
    /prefer-spot: spot is still short \(the account reached its spot instance quota/,
  );

  spot = undefined;
  const back = await deploy(app.dir, { 'on-demand-fallback': 'true' }, '7003-1');
  assert.equal(back.error, undefined, back.error?.message);
  assert.equal(back.host.outputs.get('healed'), '1');
  assert.deepEqual(
    fake.live().map((i) => i.spot),
    [true],
  );
});

// The matrix for the strategies that do not launch a whole new set: update (in place, so
// nothing of this run is ever terminated) and heal (what it launched goes, or stays with
// keep-failed; what ran before stays either way).
for (const keepFailed of [false, true]) {
  test(`update, keep-failed ${keepFailed}: a failure before the delivery sends no command, terminates nothing, leaves no mark`, async (t) => {
    const { fake, app, previous, mark } = await deployed(t);
    const { host, error } = await deploy(
      app.dir,
      { force: 'true', strategy: 'update', 'min-healthy': '5', 'keep-failed': String(keepFailed) },
      '4343-1',
    );
    assert.match(error?.message ?? '', /min-healthy asks for 5 instances but the plan launches 2/);
    assert.equal(count(fake, mark, 'SendCommand'), 0);
    assert.equal(count(fake, mark, 'RunInstances'), 0);
    assert.equal(count(fake, mark, 'TerminateInstances'), 0);
    assert.deepEqual(liveIds(fake), previous);
    for (const i of fake.live())
      assert.ok(!Object.keys(i.tags).some((k) => k.startsWith('spot-deployer:updating:')));
    assert.equal(host.state.get(STATE.run), undefined);
  });
}

test('a heal whose new instance fails, keep-failed: the new one is kept and tagged failed, the rest stay', async (t) => {
  let failing = false;
  const { fake, app } = await world(
    t,
    { exit: (_id, script) => (failing && script.includes('setup') ? 1 : 0) },
    3,
  );
  assert.equal((await deploy(app.dir, {}, '6000-1')).error, undefined);
  const before = liveIds(fake);
  const [lost] = fake.live();
  assert.ok(lost);
  lost.state = 'terminated';
  failing = true;
  const { host, result, error } = await deploy(app.dir, { 'keep-failed': 'true' }, '6001-1');
  assert.equal(result, undefined);
  assert.match(error?.message ?? '', /deploy failed: delivery: 0 of 1 instance healthy/);
  const live = liveIds(fake);
  assert.equal(live.length, 3, `live: ${live.join(', ')}`);
  const kept = fake.live().filter((i) => !before.includes(i.id));
  assert.equal(kept.length, 1);
  assert.equal(kept[0]?.tags[TAG.phase], 'failed');
  assert.match(summary(host), /keep-failed: left 1 instance running for debugging/);
  assert.match(summary(host), /heal: the 2 instances running before keep serving/);
});

test('a heal whose launch gets no instance: nothing is terminated, the survivors serve', async (t) => {
  let short = false;
  const { fake, app } = await world(
    t,
    { capacity: () => (short ? 'InsufficientInstanceCapacity' : undefined) },
    3,
  );
  assert.equal((await deploy(app.dir, {}, '6000-1')).error, undefined);
  const [lost, ...survivors] = fake.live();
  assert.ok(lost);
  lost.state = 'terminated';
  short = true;
  const mark = fake.calls.length;
  const { host, error } = await deploy(app.dir, {}, '6001-1');
  assert.match(error?.message ?? '', /deploy failed: .*launched 0 of 1/);
  assert.ok(host.state.get(STATE.run), 'the run was recorded before the launch');
  assert.equal(count(fake, mark, 'TerminateInstances'), 0);
  assert.deepEqual(liveIds(fake), survivors.map((s) => s.id).sort());
});

// Secrets too large to deliver: refused before the strategy touches what runs (recreate
// would otherwise have retired the previous set), whatever the strategy, heal included.
const HUGE = `TOKEN=${'x'.repeat(200_000)}`;
for (const strategy of ['replace', 'recreate', 'update', 'heal'] as const) {
  test(`${strategy}: secrets too large fail before anything is launched, retired or sent`, async (t) => {
    const { fake, app } = await world(t, {}, 3);
    const asked = strategy === 'heal' ? 'replace' : strategy;
    assert.equal((await deploy(app.dir, { strategy: asked }, '8000-1')).error, undefined);
    if (strategy === 'heal') {
      // The deployment runs the plan with the secret (its digest), less one instance.
      const probe = await deploy(app.dir, { secrets: HUGE }, '8000-2');
      assert.match(probe.error?.message ?? '', /nothing was launched/);
      const digest = probe.host.outputs.get('manifest-digest') ?? '';
      for (const i of fake.live()) i.tags[TAG.digest] = digest;
      const [lost] = fake.live();
      assert.ok(lost);
      lost.state = 'terminated';
    }
    const before = liveIds(fake);
    const mark = fake.calls.length;
    const { host, error } = await deploy(app.dir, { strategy: asked, secrets: HUGE }, '8001-1');
    assert.match(error?.message ?? '', /input 'secrets': .*nothing was launched/);
    assert.equal(count(fake, mark, 'RunInstances'), 0);
    assert.equal(count(fake, mark, 'TerminateInstances'), 0);
    assert.equal(count(fake, mark, 'SendCommand'), 0);
    assert.equal(count(fake, mark, 'CreateTags'), 0);
    assert.deepEqual(liveIds(fake), before);
    assert.equal(host.state.get(STATE.run), undefined);
    // A strategy the input chose says why it deploys; a heal is decided without a word.
    if (strategy === 'heal') assert.doesNotMatch(host.log.text(), /deploying: |force: /);
    else assert.match(host.log.text(), /deploying: /);
  });
}

for (const keepFailed of [false, true]) {
  test(`a heal of 2 with min-healthy 2, keep-failed ${keepFailed}: one new instance failing ${keepFailed ? 'is kept' : 'is terminated'}, the heal succeeds`, async (t) => {
    let victim: string | undefined;
    let before: string[] = [];
    const { fake, app } = await world(
      t,
      {
        exit: (id, script) => (script.includes('setup') && id === victim ? 1 : 0),
        onCall: (name) => {
          if (name === 'SendCommand' && before.length > 0 && victim === undefined)
            victim = fake.live().find((i) => !before.includes(i.id))?.id;
        },
      },
      3,
    );
    assert.equal((await deploy(app.dir, {}, '9000-1')).error, undefined);
    const [a, b, survivor] = fake.live();
    assert.ok(a && b && survivor);
    a.state = 'terminated';
    b.state = 'terminated';
    before = [a.id, b.id, survivor.id];
    const { host, result, error } = await deploy(
      app.dir,
      { 'min-healthy': '2', 'keep-failed': String(keepFailed) },
      '9001-1',
    );
    assert.equal(error, undefined, error?.message);
    assert.equal(result?.strategy, 'heal');
    assert.ok(victim, 'a new instance was failed');
    if (!keepFailed) assert.equal(host.outputs.get('healed'), '1');
    const live = liveIds(fake);
    assert.ok(live.includes(survivor.id));
    assert.equal(live.includes(victim), keepFailed);
    assert.equal(live.length, keepFailed ? 3 : 2, `live: ${live.join(', ')}`);
    assert.match(
      summary(host),
      keepFailed
        ? /keep-failed: left 1 instance running for debugging/
        : /terminated failed instance/,
    );
  });
}
