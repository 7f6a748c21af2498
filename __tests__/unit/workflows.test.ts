// The example workflows users copy and the project's own workflows are valid GitHub
// workflow files, checked by @action-validator/cli against GitHub's schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const validator = join(import.meta.dirname, '../../node_modules/.bin/action-validator');

async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(validator, [file]);
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const dirs = ['examples/workflows', '.github/workflows'];
for (const dir of dirs) {
  const abs = join(import.meta.dirname, '../..', dir);
  const files = (await readdir(abs)).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
  test(`${dir} holds workflows`, () => assert.ok(files.length > 0));
  for (const f of files) {
    test(`${dir}/${f} is a valid workflow`, async () => {
      const r = await validate(join(abs, f));
      assert.ok(r.ok, r.output);
    });
  }
}

test('the validator does reject a broken workflow', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-'));
  const file = join(dir, 'bad.yml');
  await writeFile(
    file,
    'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n',
  );
  const r = await validate(file);
  assert.equal(r.ok, false);
  assert.match(r.output, /stepz/);
});
