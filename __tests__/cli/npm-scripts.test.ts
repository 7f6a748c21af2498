// Every `npm run` script works for a newcomer whose own Node is older than 24 (this
// machine's /usr/bin/node is 20; OLD_NODE names another): the scripts that need Node 24 get
// it from scripts/setup.sh, through scripts/node.sh. Each script is run as `npm run` runs it,
// with only the old Node on PATH, and must end without a stack trace. Expensive ones run a
// quick mode that still needs Node 24 (--help, --version, --render); `cloud` is started,
// asked something over HTTP, and stopped.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const OLD_NODE = process.env.OLD_NODE ?? '/usr/bin/node';
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** A PATH whose node is the old one, and whose npm is the one next to it. */
function oldPath(t: { after: (fn: () => void) => void }): string {
  const bin = mkdtempSync(join(tmpdir(), 'old-node-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  symlinkSync(OLD_NODE, join(bin, 'node'));
  return [bin, dirname(OLD_NODE), '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'].join(
    ':',
  );
}

const STACK = /^\s+at .+:\d+:\d+\)?$|^Node\.js v\d+|ERR_UNKNOWN_FILE_EXTENSION/m;

function run(path: string, name: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT; // a test runner's own, not for the scripts'
  const res = spawnSync('npm', ['run', '--silent', name, ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const output = `${res.stdout}${res.stderr}`;
  return { code: res.status, output };
}

test('the old Node is older than 24', () => {
  const v = execFileSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  assert.ok(
    Number(v.split('.')[0]) < 24,
    `${OLD_NODE} is ${v}; set OLD_NODE to a Node older than 24`,
  );
});

// What each script is run with, and what its output shows when it worked.
const CHECKS: Record<string, { args: string[]; shows?: RegExp }> = {
  bundle: { args: ['--outdir', '<tmp>'] }, // the bundle is written there (checked below)
  'gen:types': {
    args: [],
    shows: /src\/manifest\/schema-types\.ts is up to date|wrote src\/manifest\/schema-types\.ts/,
  },
  typecheck: { args: ['--version'], shows: /Version \d/ },
  lint: { args: [], shows: /All matched files use Prettier code style/ },
  depcheck: { args: [], shows: /no dependency violations found/ },
  format: { args: ['--help'], shows: /Usage: prettier/ },
  test: { args: ['--version'], shows: /^v2[4-9]\./m },
  'test:unit': { args: [], shows: /ℹ fail 0/ },
  demo: { args: ['--help'], shows: /usage: npm run demo/ },
  bench: { args: ['--render', 'bench/results/latest.json'], shows: /\|/ },
  'local-action': { args: [], shows: /valid: deployment\/ layout/ },
  setup: { args: [], shows: /\[setup\] ready: node v2[4-9]\./ },
};

test('every npm script is checked here (or, like all, made of checked ones)', () => {
  for (const [name, command] of Object.entries(scripts)) {
    if (name === 'cloud' || CHECKS[name]) continue;
    const parts = command.split('&&').map((p) => /^\s*npm (?:run )?([\w:-]+)\s*$/.exec(p)?.[1]);
    assert.ok(
      parts.every((p) => p !== undefined && (p === 'test' || p in CHECKS)),
      `npm run ${name} (${command}) has no check in this test`,
    );
  }
});

for (const [name, check] of Object.entries(CHECKS)) {
  test(
    `npm run ${name} works under an old Node, without a stack trace`,
    { timeout: 300_000 },
    (t) => {
      assert.ok(scripts[name], `package.json has no script ${name}`);
      let args = check.args;
      let out: string | undefined;
      if (args.includes('<tmp>')) {
        out = mkdtempSync(join(tmpdir(), 'npm-script-'));
        t.after(() => rmSync(out!, { recursive: true, force: true }));
        args = args.map((a) => (a === '<tmp>' ? out! : a));
      }
      const res = run(oldPath(t), name, args);
      assert.doesNotMatch(res.output, STACK, res.output.slice(-3000));
      assert.equal(res.code, 0, res.output.slice(-3000));
      if (check.shows) assert.match(res.output, check.shows, res.output.slice(-3000));
      if (name === 'bundle')
        assert.ok(existsSync(join(out!, 'index.js')), 'the bundle was written');
    },
  );
}

test(
  'npm run cloud comes up under an old Node, answers, and stops',
  { timeout: 120_000 },
  async (t) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: oldPath(t) };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT; // a test runner's own, not for the scripts'
    const child = spawn(
      'npm',
      ['run', '--silent', 'cloud', '--', '--backend', 'simulated', '--quiet'],
      {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /^(http:\/\/\S+)$/m.exec(output);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`npm run cloud ended: ${output}`)));
    });
    try {
      const res = await fetch(new URL('/_cloud/instances', url));
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(await res.json()));
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    await exited;
    assert.doesNotMatch(output, STACK, output);
  },
);
