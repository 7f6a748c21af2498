// action.yml is what GitHub reads: its entry points exist in dist/, every input and output is
// documented, and the README's tables are generated from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { updateReadme } from '../../scripts/docs.ts';

const root = join(import.meta.dirname, '../..');
const actionText = readFileSync(join(root, 'action.yml'), 'utf8');
const action = parse(actionText) as {
  runs: { using: string; main: string; post: string; 'post-if': string };
  inputs: Record<string, { description?: string }>;
  outputs: Record<string, { description?: string }>;
  branding: { icon?: string; color?: string };
};

test('runs on node24 with a main and a post entry that exist in dist/', () => {
  assert.equal(action.runs.using, 'node24');
  assert.ok(existsSync(join(root, action.runs.main)), action.runs.main);
  assert.ok(existsSync(join(root, action.runs.post)), action.runs.post);
  assert.equal(action.runs['post-if'], 'always()');
  assert.ok(action.branding.icon && action.branding.color);
});

test('every input and output has a description', () => {
  for (const [kind, entries] of [
    ['input', action.inputs],
    ['output', action.outputs],
  ] as const) {
    for (const [name, spec] of Object.entries(entries)) {
      assert.ok((spec.description ?? '').trim().length > 10, `${kind} ${name} has no description`);
    }
  }
});

test('the README tables of inputs and outputs match action.yml', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.equal(
    await updateReadme(readme, actionText),
    readme,
    'run `node scripts/docs.ts` to refresh README.md',
  );
});

test('the README check does notice a missing input', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const fewer = actionText.replace(/\n {2}path:\n(?: {4}.*\n)+/, '\n');
  assert.notEqual(fewer, actionText);
  assert.notEqual(await updateReadme(readme, fewer), readme);
});
