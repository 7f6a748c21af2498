// Command rounds per deploy, counted from the local cloud's call log (accepted SendCommand
// calls; commands sent together before any is followed are one round): consecutive steps
// travel in one command, and the secrets step needs the runner between the instances' keys
// and the sealed secrets, so a deploy with secrets takes two rounds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { RunningCloud } from '../../cloud/server.ts';
import { simulatedAgent } from '../../__fixtures__/agent.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, commandRounds, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { callLog, simulatedCloud } from './support.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

let cloud: RunningCloud;
before(async () => {
  cloud = await simulatedCloud({ simulated: { answer: simulatedAgent({ keyOf: () => pem }) } });
});
after(async () => {
  await cloud?.close();
});

async function deploy(secrets?: string) {
  const app = await makeApp({ total: 3 });
  const calls = callLog(cloud);
  const r = await action(cloud, {
    runId: newRunId(),
    inputs: {
      command: 'deploy',
      path: app.dir,
      'deployment-id': `rounds/${secrets ? 'secrets' : 'plain'}-${process.pid}`,
      'online-timeout': '60s',
      ...(secrets ? { secrets } : {}),
    },
  });
  assert.equal(r.code, 0, explain(r));
  const ids = JSON.parse(r.outputs['instance-ids'] ?? '[]') as string[];
  assert.equal(ids.length, 3);
  // in the plan's order (ids sort so), whatever order their log groups come in
  const steps = [
    ...new Set([...r.stdout.matchAll(/^::group::Step (\S+):/gm)].map((m) => m[1] ?? '')),
  ].sort();
  return { r, ids, steps, rounds: commandRounds(calls.since()) };
}

test('without secrets, a deploy whose uploads fit in one command takes one command round', async () => {
  const { ids, steps, rounds } = await deploy();
  assert.deepEqual(
    steps.map((s) => s?.replace(/^\d+-/, '')),
    ['prepare', 'upload-1of1', 'script-setup', 'services'],
  );
  for (const id of ids) {
    // one round, one command, every step in it in order
    assert.deepEqual(rounds.get(id), [[steps]], id);
  }
  // one command for the three instances (one region)
  assert.equal(new Set([...rounds.values()].map((r) => JSON.stringify(r))).size, 1);
});

test('with secrets, it takes two: the keys with prepare and uploads, then the sealed secrets with the rest', async () => {
  const { r, ids, steps, rounds } = await deploy('DB_PASSWORD=two-rounds\n');
  const names = steps.map((s) => s?.replace(/^\d+-/, ''));
  assert.deepEqual(names, ['prepare', 'secrets', 'upload-1of1', 'script-setup', 'services']);
  const [prepare, secrets, upload, script, services] = steps;
  for (const id of ids) {
    assert.deepEqual(
      rounds.get(id),
      [[[prepare, upload, 'secrets-key']], [['secrets', script, services]]],
      id,
    );
  }
  assert.ok(secrets);
  // the Delivered table still lists every step with its time
  for (const s of steps) assert.match(r.summary, new RegExp(`\\| ${s} \\|[^\\n]*\\d+\\.\\d s`));
});
