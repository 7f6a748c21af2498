import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deploymentIdFromContext,
  resolveDeploymentId,
  resolveIdentity,
  toTagValue,
} from '../../src/identity.ts';
import { UserError } from '../../src/diagnostics.ts';

const repo = { owner: 'acme', repo: 'shop' };

test('a push deploys the branch, prefixed by the repository', () => {
  assert.equal(
    deploymentIdFromContext({ eventName: 'push', ref: 'refs/heads/main', payload: {}, repo }),
    'acme/shop/main',
  );
  assert.equal(
    deploymentIdFromContext({ eventName: 'push', ref: 'refs/tags/v1.2.0', payload: {}, repo }),
    'acme/shop/v1.2.0',
  );
});

test('opened, synchronize and closed pull request events give the same id', () => {
  for (const action of ['opened', 'synchronize', 'closed']) {
    const id = deploymentIdFromContext({
      eventName: 'pull_request',
      ref: 'refs/pull/42/merge',
      payload: { pull_request: { number: 42 }, number: 42, ...{ action } },
      repo,
    });
    assert.equal(id, 'acme/shop/pr-42');
  }
});

test('characters AWS does not allow in tag values are replaced, long ids are shortened uniquely', () => {
  assert.equal(toTagValue('acme/shop/feat#1!'), 'acme/shop/feat-1-');
  const a = toTagValue('x'.repeat(300));
  const b = toTagValue('x'.repeat(299) + 'y');
  assert.equal(a.length, 256);
  assert.notEqual(a, b);
});

test('an explicit id must already be a valid tag value', async () => {
  assert.equal(await resolveDeploymentId('my-app/staging', {}), 'my-app/staging');
  await assert.rejects(resolveDeploymentId('bad#id', {}), UserError);
  assert.equal(await resolveDeploymentId('', {}), 'local/default');
});

test('the run identity comes from the runner environment', () => {
  const id = resolveIdentity({
    GITHUB_RUN_ID: '77',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'abc',
  });
  assert.deepEqual(id, {
    repository: 'acme/shop',
    ref: 'refs/heads/main',
    sha: 'abc',
    runId: '77-2',
  });
  assert.match(resolveIdentity({}).runId, /^local-[0-9a-f-]{36}$/);
});

test('the derived id comes from the environment given (the host one), not process.env', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-'));
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 12 } }));
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REF: 'refs/pull/12/merge',
    GITHUB_EVENT_PATH: event,
  };
  assert.equal(await resolveDeploymentId('', env), 'acme/shop/pr-12');
  assert.equal(
    await resolveDeploymentId('', {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/feature/x',
      GITHUB_EVENT_PATH: join(dir, 'absent.json'),
    }),
    'acme/shop/feature/x',
  );
  rmSync(dir, { recursive: true, force: true });
});
