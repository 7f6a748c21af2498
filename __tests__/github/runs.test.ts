// endedRuns against the fake GitHub REST API: only a completed attempt counts as ended; any
// doubt (an error, a local run id, no token) keeps the run counted as running, with a note.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endedRuns } from '../../src/github/runs.ts';
import { startFakeGitHubApi, type FakeGitHubApi } from '../support/fake-github-api.ts';

let api: FakeGitHubApi;
before(async () => {
  api = await startFakeGitHubApi();
});
after(() => api.close());

test('completed attempts are ended; in progress, unknown and unreadable ones are not', async () => {
  api.runs.set('acme/web/100-1', 'completed');
  api.runs.set('acme/web/100-2', 'in_progress');
  api.runs.set('acme/web/101-1', 'queued');
  const r = await endedRuns(
    'ghs_token',
    [
      { runId: '100-1', repository: 'acme/web' },
      { runId: '100-2', repository: 'acme/web' },
      { runId: '101-1', repository: 'acme/web' },
      { runId: '404-1', repository: 'acme/web' },
      { runId: 'local-7', repository: 'acme/web' },
      { runId: '102-1', repository: '' },
    ],
    { apiUrl: api.url },
  );
  assert.deepEqual([...r.ended], ['100-1']);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0] ?? '', /run 404-1 of acme\/web has ended: 404 .*needs `actions: read`/);
  assert.deepEqual(
    api.calls.map((c) => c.path).sort(),
    [
      '/repos/acme/web/actions/runs/100/attempts/1',
      '/repos/acme/web/actions/runs/100/attempts/2',
      '/repos/acme/web/actions/runs/101/attempts/1',
      '/repos/acme/web/actions/runs/404/attempts/1',
    ],
    'local run ids and instances without a repository tag are not asked about',
  );
});

test('a token that may not read runs: nothing ended, a note that says what is missing', async () => {
  api.fail({ status: 403, message: 'Resource not accessible by integration' });
  const r = await endedRuns('ghs_token', [{ runId: '100-1', repository: 'acme/web' }], {
    apiUrl: api.url,
  });
  assert.deepEqual([...r.ended], []);
  assert.match(r.notes[0] ?? '', /403 Resource not accessible by integration.*actions: read/);
});

test('no token: nothing asked', async () => {
  const before = api.calls.length;
  const r = await endedRuns('', [{ runId: '100-1', repository: 'acme/web' }], { apiUrl: api.url });
  assert.deepEqual(r, { ended: new Set(), notes: [] });
  assert.equal(api.calls.length, before);
});
