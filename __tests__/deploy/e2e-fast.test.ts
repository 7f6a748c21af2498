// Not waiting for what costs nothing (issue 16), against the local cloud's simulated backend
// with a long shutting-down → terminated delay (`latency.terminateMs`): a `replace` and a
// `destroy` go on once EC2 has the old instances shutting-down (billing stops there), the post
// step leaves such an instance alone, and `wait-terminated: true` waits to the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, instancesOfDeployment, newRunId } from '../../__fixtures__/e2e.ts';
import { simulated } from '../faults/support.ts';

/** Long enough that nothing of a test happens after it: an old instance stays shutting-down. */
const TERMINATE_MS = 30_000;

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud(simulated({ latency: { terminateMs: TERMINATE_MS } }));
});
after(async () => {
  await cloud?.close();
});

const stateOf = (id: string) => cloud.instances().find((i) => i.id === id)?.state;
const idsOf = (outputs: Record<string, string>) =>
  JSON.parse(outputs['instance-ids'] ?? '[]') as string[];

async function deployed(name: string) {
  const app = await makeApp();
  const inputs = {
    path: app.dir,
    'deployment-id': `e2e/fast-${name}-${process.pid}`,
    'online-timeout': '60s',
  };
  const first = await action(cloud, {
    runId: newRunId(),
    inputs: { ...inputs, command: 'deploy' },
  });
  assert.equal(first.code, 0, explain(first));
  return { inputs, ids: idsOf(first.outputs) };
}

test(
  'replace returns once the previous set is shutting-down, not terminated; the post step leaves it alone',
  { timeout: 180_000 },
  async () => {
    const { inputs, ids: old } = await deployed('replace');
    const runId = newRunId();
    const second = await action(cloud, {
      runId,
      inputs: { ...inputs, command: 'deploy', strategy: 'replace', force: 'true' },
    });
    assert.equal(second.code, 0, explain(second));
    assert.deepEqual(
      old.map(stateOf),
      ['shutting-down'],
      'the deploy ended while the old instance was still shutting-down',
    );
    assert.match(
      second.summary,
      new RegExp(`replace: terminated the previous 1 instance: ${old[0]} \\(shutting-down\\)`),
    );
    // The time table covers every phase, retiring the old set included.
    assert.match(second.summary, /\| planning \| \d+\.\d s \|/);
    assert.match(second.summary, /\| retire \| \d+\.\d s \|/);

    // The post step: the deploy finished healthy, nothing of this run is an orphan.
    const mark = cloud.calls().length;
    const post = await action(cloud, { runId, entry: 'post', state: second.state, inputs: {} });
    assert.equal(post.code, 0, explain(post));
    assert.deepEqual(post.errors, []);
    assert.match(post.stdout, /finished healthy; nothing to clean up/);
    assert.deepEqual(
      cloud
        .calls()
        .slice(mark)
        .map((c) => c.operation),
      [],
    );
    assert.deepEqual(old.map(stateOf), ['shutting-down']);

    // A deploy meanwhile: the instance shutting-down is not part of what runs now, so nothing
    // changed and nothing is done.
    const third = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy' },
    });
    assert.equal(third.code, 0, explain(third));
    assert.equal(third.outputs.changed, 'false', explain(third));
    assert.deepEqual(idsOf(third.outputs), idsOf(second.outputs));
    assert.match(third.stdout, new RegExp(`already shutting-down, not counted: ${old[0]}`));
    assert.deepEqual(old.map(stateOf), ['shutting-down'], 'still within the window');
  },
);

test(
  'destroy ends once every instance is shutting-down, and says so; wait-terminated waits for terminated',
  { timeout: 180_000 },
  async () => {
    const { inputs, ids } = await deployed('destroy');
    const destroyed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'destroy' },
    });
    assert.equal(destroyed.code, 0, explain(destroyed));
    assert.deepEqual(idsOf(destroyed.outputs), ids, 'the instance is accounted for');
    assert.deepEqual(ids.map(stateOf), ['shutting-down']);
    assert.match(destroyed.summary, /Terminated 1 instance in us-west-2 \(1 still shutting-down/);
    assert.match(destroyed.summary, /\| shutting-down \|/);

    const other = await deployed('wait');
    const mark = cloud.calls().length;
    const waited = await action(cloud, {
      runId: newRunId(),
      inputs: { ...other.inputs, command: 'destroy', 'wait-terminated': 'true' },
    });
    assert.equal(waited.code, 0, explain(waited));
    assert.deepEqual(idsOf(waited.outputs), other.ids);
    assert.deepEqual(other.ids.map(stateOf), ['terminated'], 'waited to the end');
    assert.doesNotMatch(waited.summary, /shutting-down/);
    const polls = cloud
      .calls()
      .slice(mark)
      .filter((c) => c.operation === 'DescribeInstances' && !c.error);
    assert.ok(polls.length >= 2, 'it polled until terminated');
    assert.deepEqual(
      instancesOfDeployment(cloud, other.inputs['deployment-id']).map((i) => i.state),
      ['terminated'],
    );
  },
);
