// The layering rule of .dependency-cruiser.mjs, as `npm run depcheck` (and so .ci/run) runs
// it: it passes on the tree as it is, and fails, naming the rule, on a copy of src/ with one
// backward import added (a stage importing a later stage; a phase of the pipeline calling
// the runner's workflow commands, which only the entry layer may).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

/** depcruise with the repository's config, in `cwd`: its exit code and output. */
async function depcruise(cwd: string): Promise<{ code: number; out: string }> {
  const args = [CLI, 'src', '--config', '.dependency-cruiser.mjs', '--output-type', 'err'];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout}${e.stderr}` };
  }
}

test('the layering rule passes on the tree as it is', async () => {
  const { code, out } = await depcruise(ROOT);
  assert.equal(code, 0, out);
  assert.match(out, /no dependency violations found/);
});

test('the layering rule fails on a backward import, naming the rule and the import', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'layering-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const f of ['.dependency-cruiser.mjs', 'tsconfig.json', 'package.json'])
    await cp(join(ROOT, f), join(dir, f));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // launch (a stage) importing verify (a later one), type-only: it counts all the same.
  await appendFile(
    join(dir, 'src/launch/launch.ts'),
    "\nexport type { VerifyContext as _Later } from '../verify/fleet.ts';\n",
  );
  // The pipeline writing a workflow command itself, past its host.
  await appendFile(join(dir, 'src/pipeline/cleanup.ts'), "\nimport '../runner.ts';\n");
  const { code, out } = await depcruise(dir);
  assert.notEqual(code, 0, out);
  assert.match(out, /layer-launch: src\/launch\/launch\.ts → src\/verify\/fleet\.ts/);
  assert.match(out, /layer-orchestration: src\/pipeline\/cleanup\.ts → src\/runner\.ts/);
});
