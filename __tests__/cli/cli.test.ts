// The command line: exit codes (0 ok, 1 invalid manifest or input, 2 usage) and the
// `file:line:col: severity: message` output, through the source and the bundled dist/cli.js.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { cli } from '../../src/cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = ['nodejs-app', 'convention', 'tarball'];
const BROKEN = join(ROOT, '__tests__', 'fixtures', 'broken');
const DIST_CLI = join(ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Out = Parameters<typeof cli>[1] & Parameters<typeof cli>[2];

function sink(): { stream: Out; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream: stream as unknown as Out, text: () => chunks.join('') };
}

async function viaSource(args: string[]): Promise<Run> {
  const out = sink();
  const err = sink();
  const code = await cli(args, out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

const execFileP = promisify(execFile);
async function viaDist(args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [DIST_CLI, ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof x.code === 'number' ? x.code : -1,
      stdout: x.stdout ?? '',
      stderr: x.stderr ?? '',
    };
  }
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spot-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const LINE =
  /^(?<file>[^:]+):(?<line>\d+):(?<col>\d+): (?<severity>error|warning): (?<message>.+)$/;

for (const [how, run] of [
  ['source', viaSource],
  ['dist', viaDist],
] as const) {
  test(`${how}: validate accepts each example (exit 0)`, async () => {
    if (how === 'dist')
      assert.ok(existsSync(DIST_CLI), 'dist/cli.js is missing: run npm run bundle');
    for (const name of EXAMPLES) {
      const r = await run(['validate', join(ROOT, 'examples', name)]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, /^valid: /m);
      assert.equal(r.stderr, '');
    }
  });

  test(`${how}: validate of a broken manifest exits 1 with file:line:col lines`, async () => {
    const dir = join(BROKEN, 'counts-exceed-total');
    const r = await run(['validate', relative(process.cwd(), dir)]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    const m = LINE.exec(lines[0]!);
    assert.ok(m?.groups, lines[0]);
    assert.equal(m.groups.line, '2');
    assert.equal(m.groups.col, '20');
    assert.equal(m.groups.severity, 'error');
    assert.ok(m.groups.file?.endsWith('counts-exceed-total/.spot/config.yaml'), m.groups.file);
    assert.match(m.groups.message ?? '', /counts add up to 3, more than total_instances \(2\)/);
    assert.equal(lines[1], 'error: the deployment manifest has 1 error');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  test(`${how}: every diagnostic of a manifest with several errors is printed`, async () => {
    const r = await run(['validate', join(BROKEN, 'several-top-level-mistakes')]);
    assert.equal(r.code, 1);
    const located = r.stderr.split('\n').filter((l) => LINE.test(l));
    assert.equal(located.length, 2, r.stderr);
    assert.match(r.stderr, /has 2 errors/);
  });

  test(`${how}: usage errors exit 2`, async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['validate', 'a', 'b'],
      ['plan', '.'],
      ['validate', '--bogus'],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /usage:/);
    }
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /spot-deployer validate/);
  });

  test(`${how}: a directory without a manifest exits 1 and suggests generate`, async (t) => {
    const dir = await tempDir(t);
    const r = await run(['validate', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /:0:0: error: no deployment found .*spot-deployer generate/);
  });

  test(`${how}: generate, then validate what it generated; generate again exits 1`, async (t) => {
    const dir = await tempDir(t);
    const g = await run(['generate', dir]);
    assert.equal(g.code, 0, g.stderr);
    assert.match(g.stdout, /created \.spot\/deployment\.yaml/);
    const v = await run(['validate', dir]);
    assert.equal(v.code, 0, v.stderr);
    const again = await run(['generate', dir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; use --force/);
    const forced = await run(['generate', dir, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
  });

  test(`${how}: plan of each example writes plan.json, user-data and commands/`, async (t) => {
    for (const name of EXAMPLES) {
      const out = join(await tempDir(t), 'plan');
      const r = await run(['plan', join(ROOT, 'examples', name), '--out', out]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as {
        version: number;
        regions: Array<{ region: string; count: number }>;
        userData: { bytesBase64: string };
        steps: Array<{ id: string; script: string }>;
        services: string[];
      };
      assert.equal(plan.version, 1);
      assert.ok(plan.regions.length > 0);
      const userData = await readFile(join(out, 'user-data'));
      assert.deepEqual(userData, Buffer.from(plan.userData.bytesBase64, 'base64'));
      const commands = (await readdir(join(out, 'commands'))).sort();
      assert.deepEqual(commands, plan.steps.map((s) => `${s.id}.sh`).sort());
      for (const s of plan.steps) {
        assert.equal(await readFile(join(out, 'commands', `${s.id}.sh`), 'utf8'), s.script);
      }
      const expectedServices = {
        'nodejs-app': ['nodejs-app'],
        convention: ['web'],
        tarball: ['site'],
      }[name];
      assert.deepEqual(plan.services, expectedServices);
    }
  });
}

test('validate, plan and generate load neither the AWS SDK nor the GitHub/cache libraries', async (t) => {
  const dir = await tempDir(t);
  const hook = join(dir, 'record-loads.mjs');
  const log = join(dir, 'loaded.txt');
  await writeFile(
    hook,
    `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\n` +
      `registerHooks({ load(url, ctx, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, ctx); } });\n`,
  );
  const example = join(ROOT, 'examples', 'nodejs-app');
  for (const args of [
    ['validate', example],
    ['plan', example, '--out', join(dir, 'plan')],
    ['generate', join(dir, 'gen')],
  ]) {
    await writeFile(log, '');
    await execFileP(process.execPath, ['--import', hook, join(ROOT, 'src', 'cli.ts'), ...args], {
      cwd: ROOT,
    });
    const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    assert.ok(
      loaded.some((u) => u.endsWith('/src/commands/' + args[0] + '.ts')),
      `${args[0]}: the hook saw nothing`,
    );
    const heavy = loaded.filter((u) =>
      /node_modules\/(@aws-sdk|@smithy|@actions|@octokit|@azure|undici)\//.test(u),
    );
    assert.deepEqual(heavy, [], `${args[0]} loaded ${heavy.length} heavy modules`);
  }
});
