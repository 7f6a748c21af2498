// The preview comment run through GitHub's own @github/local-action tool, which stubs
// @actions/core and @actions/github (context from the .env file and the event payload)
// and runs a tiny action (local-action/action.yml + main.ts) from source, against the
// fake GitHub REST API: pull request opened -> comment created, closed -> comment edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commentMarker } from '../../src/github/comment.ts';
import { startFakeGitHubApi } from '../support/fake-github-api.ts';

const root = join(import.meta.dirname, '../..');
const localAction = join(root, 'node_modules/.bin/local-action');
const TOKEN = 'ghs_localActionToken0000';
const ID = 'octo/shop/pr-12';

async function runLocalAction(dir: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, '.env');
  await writeFile(
    file,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  // Asynchronous: the fake API answers from this very process.
  const { stdout } = await promisify(execFile)(
    localAction,
    ['run', '__tests__/github/local-action', 'main.ts', file],
    {
      cwd: root,
      encoding: 'utf8',
      // A clean environment: nothing from a surrounding GitHub Actions job leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

test(
  'local-action: pull request opened creates the comment, closed marks it destroyed',
  { timeout: 180_000 },
  async () => {
    const api = await startFakeGitHubApi();
    const dir = await mkdtemp(join(tmpdir(), 'local-action-'));
    try {
      const event = join(dir, 'event.json');
      const common = {
        GITHUB_API_URL: api.url,
        GITHUB_REPOSITORY: 'octo/shop',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        'INPUT_GITHUB-TOKEN': TOKEN,
        'INPUT_DEPLOYMENT-ID': ID,
      };
      const payload = (action: string) => ({
        action,
        number: 12,
        pull_request: { number: 12 },
        repository: { name: 'shop', owner: { login: 'octo' } },
      });

      await writeFile(event, JSON.stringify(payload('opened')));
      const opened = await runLocalAction(dir, { ...common, GITHUB_RUN_ID: '100' });
      assert.doesNotMatch(opened, /::(error|warning)::/);
      assert.match(opened, /'comment-action'\s*│\s*'created'/);

      await writeFile(event, JSON.stringify(payload('closed')));
      const closed = await runLocalAction(dir, {
        ...common,
        GITHUB_RUN_ID: '101',
        INPUT_STATUS: 'destroyed',
      });
      assert.doesNotMatch(closed, /::(error|warning)::/);
      assert.match(closed, /'comment-action'\s*│\s*'updated'/);

      assert.deepEqual(
        api.calls.map((c) => `${c.method} ${c.path}`),
        [
          'GET /repos/octo/shop/issues/12/comments?per_page=100',
          'POST /repos/octo/shop/issues/12/comments',
          'GET /repos/octo/shop/issues/12/comments?per_page=100',
          'PATCH /repos/octo/shop/issues/comments/1000',
        ],
      );
      for (const c of api.calls) assert.equal(c.authorization, `token ${TOKEN}`);
      const [comment, ...others] = api.comments.get('octo/shop#12') ?? [];
      assert.equal(others.length, 0);
      assert.ok(comment?.body.startsWith(commentMarker(ID)));
      assert.match(comment?.body ?? '', /was destroyed/);
      assert.match(
        comment?.body ?? '',
        /by \[run 101\]\(https:\/\/github\.com\/octo\/shop\/actions\/runs\/101\)/,
      );
      assert.ok(!(comment?.body ?? '').includes(TOKEN));
    } finally {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
