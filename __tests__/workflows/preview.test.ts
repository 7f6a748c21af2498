// The pull request preview workflow as the runner runs it: the event in GITHUB_EVENT_PATH,
// GITHUB_EVENT_NAME=pull_request, the comments API at GITHUB_API_URL (a recorded fake), the
// Actions cache at ACTIONS_CACHE_URL (a fake cache service the real @actions/cache talks to).
// Opened: the preview is deployed and the comment written. Synchronize, unchanged, with the
// comments API refusing: nothing deployed, a warning, no failure. Synchronize with the
// regions moved: the new set is launched in the new region and the old one, found through
// the deployment record, retired. Closed, after the regions moved again: destroy finds the
// instances through the record and the comment is edited to say so. Simulated instances:
// what runs on them is not what this test checks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, eventually, explain, newRunId } from '../../__fixtures__/e2e.ts';
import { TAG } from '../../src/plan/types.ts';
import { startFakeCacheService, type FakeCacheService } from '../support/fake-cache-service.ts';
import { startFakeGitHubApi, type FakeGitHubApi } from '../support/fake-github-api.ts';
import { moveRegion, simulatedCloud } from './support.ts';

let cloud: RunningCloud;
let api: FakeGitHubApi;
let cache: FakeCacheService;
let scratch: string;
before(async () => {
  [cloud, api, cache] = await Promise.all([
    simulatedCloud(),
    startFakeGitHubApi(),
    startFakeCacheService(),
  ]);
  scratch = mkdtempSync(join(tmpdir(), 'preview-'));
});
after(async () => {
  await Promise.all([cloud?.close(), api?.close(), cache?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

const TOKEN = 'ghs_previewtoken0123456789';
const PR = 7;

/** The environment the runner gives a step of a pull_request workflow. */
function pullRequestEnv(action: 'opened' | 'synchronize' | 'closed', withCache = true) {
  const event = join(scratch, `event-${action}.json`);
  writeFileSync(
    event,
    JSON.stringify({
      action,
      number: PR,
      pull_request: { number: PR, state: action === 'closed' ? 'closed' : 'open' },
      repository: { full_name: 'acme/e2e', name: 'e2e', owner: { login: 'acme' } },
    }),
  );
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: `refs/pull/${PR}/merge`,
    GITHUB_REF_NAME: `${PR}/merge`,
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.example',
    // The same path in every job, as on hosted runners: the cache version hashes it.
    RUNNER_TEMP: join(scratch, 'runner-temp'),
    ...(withCache ? cache.env() : {}),
  };
}

const comments = () => api.comments.get(`acme/e2e#${PR}`) ?? [];

test(
  'pull request: preview deployed and commented, kept when unchanged, moved, destroyed through the record',
  { timeout: 300_000 },
  async () => {
    const app = await makeApp({ region: 'us-west-2' });
    const inputs = { path: app.dir, 'online-timeout': '60s', 'github-token': TOKEN };
    const live = (id: string) =>
      cloud.instances().filter((i) => i.tags[TAG.deployment] === id && i.state !== 'terminated');

    // opened → deployed, comment created
    const opened = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy' },
      env: pullRequestEnv('opened'),
    });
    assert.equal(opened.code, 0, explain(opened));
    const id = opened.outputs['deployment-id'] ?? '';
    assert.equal(id, `acme/e2e/pr-${PR}`);
    const [first] = JSON.parse(opened.outputs['instance-ids'] ?? '[]') as string[];
    assert.ok(first);
    assert.equal(comments().length, 1);
    const body = comments()[0]?.body ?? '';
    assert.ok(body.startsWith(`<!-- portable-spot-deployer:deployment=${id} -->`), body);
    assert.match(body, /is deployed/);
    assert.ok(body.includes(`\`${first}\``), body);
    assert.match(body, /✅ healthy/);
    assert.match(body, /https:\/\/github\.example\/acme\/e2e\/actions\/runs\/\d+/);
    const posts = api.calls.filter((c) => c.method === 'POST');
    assert.equal(posts.length, 1);
    assert.equal(posts[0]?.authorization, `token ${TOKEN}`);
    assert.ok(!opened.stdout.replace(`::add-mask::${TOKEN}`, '').includes(TOKEN));
    assert.equal(cache.entries.length, 1, 'the deployment record is saved');

    // synchronize, nothing changed, comments API refusing: no deploy, a warning, success.
    api.fail({ status: 403, message: 'Resource not accessible by integration', times: 1 });
    const unchanged = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy' },
      env: pullRequestEnv('synchronize'),
    });
    assert.equal(unchanged.code, 0, explain(unchanged));
    assert.equal(unchanged.outputs.changed, 'false');
    assert.match(
      unchanged.stdout,
      /::warning::could not write the preview comment .*pull-requests: write/,
    );
    assert.deepEqual(unchanged.errors, []);
    assert.deepEqual(
      live(id).map((i) => i.id),
      [first],
    );

    // synchronize with the regions moved: replace launches in eu-west-1 and retires the
    // us-west-2 instance, which only the record still names.
    moveRegion(app.dir, 'us-west-2', 'eu-west-1');
    const moved = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'deploy' },
      env: pullRequestEnv('synchronize'),
    });
    assert.equal(moved.code, 0, explain(moved));
    const [second] = JSON.parse(moved.outputs['instance-ids'] ?? '[]') as string[];
    assert.ok(second && second !== first);
    // replace goes on once the old instance is shutting-down; terminated follows.
    await eventually(() => live(id).length === 1);
    assert.deepEqual(
      live(id).map((i) => [i.id, i.region]),
      [[second, 'eu-west-1']],
    );
    assert.match(moved.stdout, /Look for acme\/e2e\/pr-7 in eu-west-1, us-west-2/);
    assert.equal(comments().length, 1, 'one comment, edited');
    assert.ok(comments()[0]?.body.includes(`\`${second}\``));
    assert.ok(!comments()[0]?.body.includes(`\`${first}\``));

    // closed, after the manifest moved once more (never deployed there).
    moveRegion(app.dir, 'eu-west-1', 'ap-south-1');
    // Without the record (no cache service), destroy only sees the manifest's region.
    const blind = await action(cloud, {
      runId: newRunId(),
      inputs: { path: app.dir, command: 'destroy' },
      env: pullRequestEnv('closed', false),
    });
    assert.equal(blind.code, 0, explain(blind));
    assert.match(blind.stdout, /nothing to destroy: .* in ap-south-1 /);
    assert.equal(live(id).length, 1, 'without the record the instance is not found');

    const patchesBefore = api.calls.filter((c) => c.method === 'PATCH').length;
    const closed = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, command: 'destroy' },
      env: pullRequestEnv('closed'),
    });
    assert.equal(closed.code, 0, explain(closed));
    assert.deepEqual(JSON.parse(closed.outputs['instance-ids'] ?? '[]'), [second]);
    assert.deepEqual(JSON.parse(closed.outputs.regions ?? '[]'), ['ap-south-1', 'eu-west-1']);
    // destroy goes on once the instance is shutting-down; terminated follows.
    await eventually(() => live(id).length === 0);
    assert.deepEqual(live(id), []);
    assert.equal(comments().length, 1);
    assert.match(comments()[0]?.body ?? '', /was destroyed/);
    assert.match(comments()[0]?.body ?? '', /1 instance was terminated/);
    assert.equal(api.calls.filter((c) => c.method === 'PATCH').length, patchesBefore + 1);
  },
);
