// Loading the GitHub modules must not load Octokit or the cache library: commands that
// never comment or cache (validate, plan) do not pay for them at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const src = join(import.meta.dirname, '../../src/github');

test('importing comment.ts and record.ts loads nothing from node_modules', async () => {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });
    await import(${JSON.stringify(join(src, 'comment.ts'))});
    await import(${JSON.stringify(join(src, 'record.ts'))});
    const { upsertPreviewComment } = await import(${JSON.stringify(join(src, 'comment.ts'))});
    const before = seen.filter((u) => u.includes('/node_modules/')).length;
    await upsertPreviewComment({ token: 't', owner: 'o', repo: 'r', issueNumber: 1, deploymentId: 'd', body: '', apiUrl: 'http://127.0.0.1:9' });
    const after = seen.filter((u) => u.includes('/node_modules/@actions/github/')).length;
    console.log(JSON.stringify({ before, after }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  const { before, after } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    before: number;
    after: number;
  };
  assert.equal(before, 0);
  assert.ok(after > 0, 'the first upsert does load @actions/github');
});
