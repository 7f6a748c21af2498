// The preview comment: rendering (pure) and the upsert against a fake GitHub REST API on
// 127.0.0.1 that records every call, through the real @actions/github Octokit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commentMarker,
  renderPreviewComment,
  runFromEnv,
  upsertPreviewComment,
  type PreviewInstance,
  type PreviewModel,
} from '../../src/github/comment.ts';
import { startFakeGitHubApi, type FakeGitHubApi } from '../support/fake-github-api.ts';

const ID = 'octo/shop/pr-12';
const TOKEN = 'ghs_fakeToken1234567890';

const instances: PreviewInstance[] = [
  {
    id: 'i-0bbb',
    region: 'us-west-2',
    type: 't3.small',
    lifecycle: 'spot',
    publicIp: '203.0.113.7',
    privateIp: '10.0.1.7',
    health: 'healthy',
  },
  {
    id: 'i-0aaa',
    region: 'eu-west-1',
    type: 't3.small',
    lifecycle: 'on-demand',
    privateIp: '10.1.1.9',
    health: 'unhealthy',
  },
];

const deployed: PreviewModel = {
  status: 'deployed',
  deploymentId: ID,
  instances,
  sha: '0123456789abcdef0123',
  manifestDigest: 'sha256:feedfacecafebeef0000',
  at: '2025-05-01T10:00:00.000Z',
  run: { id: '42', url: 'https://github.com/octo/shop/actions/runs/42' },
};

async function withApi(fn: (api: FakeGitHubApi) => Promise<void>): Promise<void> {
  const api = await startFakeGitHubApi();
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

const base = (api: FakeGitHubApi) => ({
  token: TOKEN,
  owner: 'octo',
  repo: 'shop',
  issueNumber: 12,
  deploymentId: ID,
  apiUrl: api.url,
});

test('render: marker first, every instance with region, type, lifecycle, addresses, health', () => {
  const md = renderPreviewComment(deployed);
  assert.equal(md.split('\n')[0], commentMarker(ID));
  assert.equal(commentMarker(ID), '<!-- portable-spot-deployer:deployment=octo/shop/pr-12 -->');
  const rows = md.split('\n').filter((l) => l.startsWith('| `i-'));
  assert.deepEqual(rows, [
    '| `i-0aaa` | eu-west-1 | t3.small | on-demand | — | `10.1.1.9` | ❌ unhealthy |',
    '| `i-0bbb` | us-west-2 | t3.small | spot | `203.0.113.7` | `10.0.1.7` | ✅ healthy |',
  ]);
  assert.match(md, /\*\*2 instances\*\* in eu-west-1, us-west-2, 1 of 2 healthy\./);
  assert.match(md, /commit `0123456789ab`/);
  assert.match(md, /manifest `feedfacecafe`/);
  assert.match(md, /\[run 42\]\(https:\/\/github\.com\/octo\/shop\/actions\/runs\/42\)/);
});

test('render: destroyed says when and by which run', () => {
  const md = renderPreviewComment({
    status: 'destroyed',
    deploymentId: ID,
    terminated: 2,
    at: '2025-05-02T08:30:00.000Z',
    run: { id: '77' },
  });
  assert.equal(md.split('\n')[0], commentMarker(ID));
  assert.match(md, /was destroyed/);
  assert.match(md, /2 instances were terminated on 2025-05-02T08:30:00Z by run 77\./);
  assert.doesNotMatch(md, /\| `i-/);
});

test('render: free text is escaped and masked values never appear', () => {
  const md = renderPreviewComment(
    {
      status: 'failed',
      deploymentId: ID,
      reason: 'script failed: <img src=x> | DB_PASSWORD=hunter2\nsecond line',
      instances: [],
      at: '2025-05-01T10:00:00.000Z',
    },
    { mask: ['hunter2'] },
  );
  assert.ok(!md.includes('hunter2'));
  assert.ok(!md.includes('<img'));
  assert.match(md, /&lt;img src=x&gt; \\\| DB\\_PASSWORD=\*\*\* second line/);
  assert.match(md, /_No instances are running\._/);
});

test('render: many instances are capped with a count of the rest', () => {
  const many = Array.from({ length: 250 }, (_, n) => ({
    ...instances[0]!,
    id: `i-${String(n).padStart(4, '0')}`,
  }));
  const md = renderPreviewComment({ ...deployed, instances: many }, { maxRows: 100 });
  assert.equal(md.split('\n').filter((l) => l.startsWith('| `i-')).length, 100);
  assert.match(md, /…and 150 more/);
  assert.ok(md.length < 65536);
});

test('runFromEnv links the run and its attempt', () => {
  assert.equal(runFromEnv({}), undefined);
  assert.deepEqual(
    runFromEnv({ GITHUB_RUN_ID: '9', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'o/r' }),
    { id: '9 (attempt 2)', url: 'https://github.com/o/r/actions/runs/9/attempts/2' },
  );
  assert.deepEqual(
    runFromEnv({ GITHUB_RUN_ID: '9', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'o/r' }),
    {
      id: '9',
      url: 'https://github.com/o/r/actions/runs/9',
    },
  );
});

test('upsert: created once, then edited (PATCH, not POST), with the token as auth', async () => {
  await withApi(async (api) => {
    const first = await upsertPreviewComment({
      ...base(api),
      body: renderPreviewComment(deployed),
    });
    assert.equal(first.ok, true);
    assert.equal(first.ok && first.action, 'created');

    const later = renderPreviewComment({ ...deployed, at: '2025-05-01T11:00:00.000Z' });
    const second = await upsertPreviewComment({ ...base(api), body: later });
    assert.equal(second.ok && second.action, 'updated');
    assert.equal(second.ok && second.commentId, first.ok && first.commentId);

    assert.deepEqual(
      api.calls.map((c) => `${c.method} ${c.path}`),
      [
        'GET /repos/octo/shop/issues/12/comments?per_page=100',
        'POST /repos/octo/shop/issues/12/comments',
        'GET /repos/octo/shop/issues/12/comments?per_page=100',
        `PATCH /repos/octo/shop/issues/comments/${first.ok && first.commentId}`,
      ],
    );
    for (const c of api.calls) assert.equal(c.authorization, `token ${TOKEN}`);
    assert.deepEqual(api.calls[3]?.body, { body: later });
    const stored = api.comments.get('octo/shop#12') ?? [];
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.body, later);
  });
});

test('upsert: an identical body is left alone (no PATCH)', async () => {
  await withApi(async (api) => {
    const body = renderPreviewComment(deployed);
    await upsertPreviewComment({ ...base(api), body });
    const again = await upsertPreviewComment({ ...base(api), body });
    assert.equal(again.ok && again.action, 'unchanged');
    assert.equal(api.calls.filter((c) => c.method !== 'GET').length, 1);
  });
});

test('upsert: the marker is found on the third page of comments', async () => {
  await withApi(async (api) => {
    const others = Array.from({ length: 230 }, (_, n) => `comment ${n}`);
    api.seed('octo/shop#12', others);
    // Someone quoting our comment must not be mistaken for it.
    api.seed('octo/shop#12', [`> ${commentMarker(ID)}\n> quoted`]);
    // Another deployment's preview on the same pull request is not ours either.
    api.seed('octo/shop#12', [renderPreviewComment({ ...deployed, deploymentId: `${ID}0` })]);
    const [ours] = api.seed('octo/shop#12', [renderPreviewComment(deployed)]);
    api.seed(
      'octo/shop#12',
      Array.from({ length: 40 }, (_, n) => `late ${n}`),
    );

    const result = await upsertPreviewComment({
      ...base(api),
      body: renderPreviewComment({
        status: 'destroyed',
        deploymentId: ID,
        at: '2025-05-03T00:00:00Z',
      }),
    });
    assert.equal(result.ok && result.action, 'updated');
    assert.equal(result.ok && result.commentId, ours?.id);
    const gets = api.calls.filter((c) => c.method === 'GET').map((c) => c.path);
    assert.equal(gets.length, 3);
    assert.match(gets[2] ?? '', /[?&]page=3\b/);
    assert.equal(api.calls.filter((c) => c.method === 'POST').length, 0);
  });
});

test('upsert: destroy marks the existing comment destroyed, and never creates one when asked not to', async () => {
  await withApi(async (api) => {
    const created = await upsertPreviewComment({
      ...base(api),
      body: renderPreviewComment(deployed),
    });
    const destroyedBody = renderPreviewComment({
      status: 'destroyed',
      deploymentId: ID,
      terminated: 2,
      at: '2025-05-03T00:00:00.000Z',
      run: { id: '43' },
    });
    const marked = await upsertPreviewComment({
      ...base(api),
      body: destroyedBody,
      createIfMissing: false,
    });
    assert.equal(marked.ok && marked.action, 'updated');
    const stored = api.comments.get('octo/shop#12') ?? [];
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.id, created.ok && created.commentId);
    assert.match(stored[0]?.body ?? '', /was destroyed/);
    assert.match(stored[0]?.body ?? '', /by run 43/);

    const other = await upsertPreviewComment({
      ...base(api),
      issueNumber: 13,
      body: destroyedBody,
      createIfMissing: false,
    });
    assert.deepEqual(other, { ok: true, action: 'absent' });
    assert.equal(api.comments.get('octo/shop#13'), undefined);
  });
});

test('upsert: a body without the marker gets it, so the next run finds the comment', async () => {
  await withApi(async (api) => {
    await upsertPreviewComment({ ...base(api), body: 'plain text' });
    assert.equal(api.comments.get('octo/shop#12')?.[0]?.body, `${commentMarker(ID)}\nplain text`);
    const next = await upsertPreviewComment({ ...base(api), body: 'newer text' });
    assert.equal(next.ok && next.action, 'updated');
  });
});

test('upsert: an API error is a warning result, not a throw, and never shows the token', async () => {
  await withApi(async (api) => {
    api.fail({ status: 403, message: `Resource not accessible by integration ${TOKEN}` });
    const result = await upsertPreviewComment({
      ...base(api),
      body: renderPreviewComment(deployed),
    });
    assert.equal(result.ok, false);
    const warning = result.ok ? '' : result.warning;
    assert.match(warning, /octo\/shop#12/);
    assert.match(warning, /403/);
    assert.match(warning, /pull-requests: write/);
    assert.ok(!warning.includes(TOKEN));
  });
  await withApi(async (api) => {
    api.fail({ status: 500, message: 'boom', method: 'PATCH' });
    await upsertPreviewComment({ ...base(api), body: 'one' });
    const result = await upsertPreviewComment({ ...base(api), body: 'two' });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.warning, /\(500: boom\)/);
  });
});

test('upsert: an unreachable API and a missing token are warnings too', async () => {
  const api = await startFakeGitHubApi();
  const url = api.url;
  await api.close();
  const down = await upsertPreviewComment({ ...base(api), apiUrl: url, body: 'x' });
  assert.equal(down.ok, false);
  assert.match(down.ok ? '' : down.warning, /could not write the preview comment on octo\/shop#12/);

  const none = await upsertPreviewComment({ ...base(api), token: '', body: 'x' });
  assert.deepEqual(none, {
    ok: false,
    warning: 'no github-token: the preview comment on octo/shop#12 was not written',
  });
});
