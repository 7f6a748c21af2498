// generate: a .spot/ that validates, teaches the format, and is never overwritten by accident.

import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateCommand } from '../../src/commands/generate.ts';
import { UserError } from '../../src/diagnostics.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { project } from './helpers.ts';

function reporter() {
  const info: string[] = [];
  return { info, r: { annotate: () => {}, info: (m: string) => info.push(m) } };
}

test('generate writes a .spot/ that validates without a warning', async (t) => {
  const root = await project(t, { 'README.md': 'my app\n' });
  const { info, r } = reporter();
  await generateCommand({ path: root, force: false }, r);
  assert.ok(info.some((m) => m.includes('created .spot/config.yaml')));
  const result = await loadDeployment(root);
  assert.deepEqual(result.diagnostics, []);
  assert.ok(result.deployment);
  assert.equal(result.deployment.layout, 'spot');
  assert.deepEqual(
    result.deployment.services.map((s) => s.name),
    ['app'],
  );
  assert.deepEqual(
    result.deployment.scripts.map((s) => s.path),
    ['scripts/setup.sh'],
  );
  assert.equal((await stat(join(root, '.spot/scripts/setup.sh'))).mode & 0o777, 0o755);
});

test('the generated files point editors at the schemas and carry comments', async (t) => {
  const root = await project(t, {});
  await generateCommand({ path: root, force: false }, reporter().r);
  const schemas = {
    config: JSON.parse(
      await readFile(join(import.meta.dirname, '../../schema/config.schema.json'), 'utf8'),
    ),
    deployment: JSON.parse(
      await readFile(join(import.meta.dirname, '../../schema/deployment.schema.json'), 'utf8'),
    ),
  };
  for (const name of ['config', 'deployment'] as const) {
    const text = await readFile(join(root, '.spot', `${name}.yaml`), 'utf8');
    assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=${schemas[name].$id}`);
    assert.ok(
      text.split('\n').filter((l) => l.trimStart().startsWith('#')).length >= 10,
      `${name}.yaml teaches little`,
    );
  }
});

test('generate refuses an existing .spot/ unless forced, and then keeps other files', async (t) => {
  const root = await project(t, { '.spot/config.yaml': 'mine\n', '.spot/notes.txt': 'keep me\n' });
  await assert.rejects(
    generateCommand({ path: root, force: false }, reporter().r),
    (e: unknown) => e instanceof UserError && /already exists; use --force/.test(e.message),
  );
  assert.equal(await readFile(join(root, '.spot/config.yaml'), 'utf8'), 'mine\n');
  await generateCommand({ path: root, force: true }, reporter().r);
  assert.notEqual(await readFile(join(root, '.spot/config.yaml'), 'utf8'), 'mine\n');
  assert.equal(await readFile(join(root, '.spot/notes.txt'), 'utf8'), 'keep me\n');
});

test('generate into a file, or over a .spot file, is a user error', async (t) => {
  const root = await project(t, { 'file.txt': 'x\n', 'other/.spot': 'x\n' });
  await assert.rejects(
    generateCommand({ path: join(root, 'file.txt'), force: false }, reporter().r),
    UserError,
  );
  await assert.rejects(
    generateCommand({ path: join(root, 'other'), force: true }, reporter().r),
    UserError,
  );
});

test('generate creates a directory that does not exist yet', async (t) => {
  const root = await project(t, {});
  const dir = join(root, 'new', 'app');
  await generateCommand({ path: dir, force: false }, reporter().r);
  const result = await loadDeployment(dir);
  assert.ok(result.deployment);
});
