// src/runner.ts stands in for @actions/core on the start-up path: for every call, it must
// write exactly what @actions/core writes (stdout lines, GITHUB_OUTPUT records, exit code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import * as runner from '../../src/runner.ts';

type Api = Pick<typeof runner, 'info' | 'debug' | 'warning' | 'error' | 'setSecret' | 'setFailed'>;

function capture(fn: () => void): { out: string; exitCode: typeof process.exitCode } {
  const write = process.stdout.write.bind(process.stdout);
  const saved = process.exitCode;
  let out = '';
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
    return { out, exitCode: process.exitCode };
  } finally {
    process.stdout.write = write;
    process.exitCode = saved;
  }
}

const messages = ['plain', 'with 100% and\r\nnew lines', 'colons: and, commas', ''];
const props = [
  undefined,
  {},
  { file: '.spot/deployment.yaml', startLine: 3, startColumn: 7 },
  { file: 'a,b:c%d\ne', startLine: 0, startColumn: 0, title: 'T', endLine: 4, endColumn: 9 },
];

for (const name of ['info', 'debug', 'setSecret', 'setFailed'] as const) {
  test(`${name} writes what @actions/core writes`, () => {
    for (const m of messages) {
      const ours = capture(() => (runner as Api)[name](m));
      const theirs = capture(() => (core as unknown as Api)[name](m));
      assert.deepEqual(ours, theirs, JSON.stringify(m));
    }
  });
}

for (const name of ['warning', 'notice', 'error'] as const) {
  test(`${name} annotations are written as @actions/core writes them`, () => {
    for (const m of messages) {
      for (const p of props) {
        const ours = capture(() => runner[name](m, p));
        const theirs = capture(() => core[name](m, p));
        assert.deepEqual(ours, theirs, JSON.stringify([m, p]));
      }
    }
  });
}

test('getInput reads INPUT_<NAME> as @actions/core does', () => {
  process.env['INPUT_PLAN-OUT'] = '  dir with spaces  ';
  process.env['INPUT_SOME_NAME'] = 'x';
  try {
    for (const n of ['plan-out', 'some name', 'absent'])
      assert.equal(runner.getInput(n), core.getInput(n));
    assert.equal(runner.getInput('plan-out'), 'dir with spaces');
  } finally {
    delete process.env['INPUT_PLAN-OUT'];
    delete process.env['INPUT_SOME_NAME'];
  }
});

test('setOutput appends the same heredoc record to GITHUB_OUTPUT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-'));
  const file = join(dir, 'output');
  await writeFile(file, '');
  const saved = process.env.GITHUB_OUTPUT;
  process.env.GITHUB_OUTPUT = file;
  try {
    runner.setOutput('instance-ids', '["i-1","i-2"]\nsecond line');
    core.setOutput('instance-ids', '["i-1","i-2"]\nsecond line');
  } finally {
    if (saved === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = saved;
  }
  const records = (await readFile(file, 'utf8')).replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIM');
  const [a, b] = records.split(/(?<=DELIM\n)(?=instance-ids)/);
  assert.equal(a, 'instance-ids<<DELIM\n["i-1","i-2"]\nsecond line\nDELIM\n');
  assert.equal(a, b);
});

test('setOutput without GITHUB_OUTPUT falls back to the set-output command like @actions/core', () => {
  const saved = process.env.GITHUB_OUTPUT;
  delete process.env.GITHUB_OUTPUT;
  try {
    assert.deepEqual(
      capture(() => runner.setOutput('a', 'b:c')),
      capture(() => core.setOutput('a', 'b:c')),
    );
  } finally {
    if (saved !== undefined) process.env.GITHUB_OUTPUT = saved;
  }
});

/** Runs `fn` with the environment variables `vars` set (undefined: unset), then restores. */
async function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => T,
): Promise<Awaited<T>> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

test('saveState appends the same record to GITHUB_STATE, or writes save-state without it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-'));
  const file = join(dir, 'state');
  await writeFile(file, '');
  await withEnv({ GITHUB_STATE: file }, () => {
    runner.saveState('launched', '{"us-east-1":["i-1"]}\n');
    core.saveState('launched', '{"us-east-1":["i-1"]}\n');
  });
  const records = (await readFile(file, 'utf8')).replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIM');
  const [a, b] = records.split(/(?<=DELIM\n)(?=launched)/);
  assert.equal(a, 'launched<<DELIM\n{"us-east-1":["i-1"]}\n\nDELIM\n');
  assert.equal(a, b);
  await withEnv({ GITHUB_STATE: undefined }, () =>
    assert.deepEqual(
      capture(() => runner.saveState('result', 'success')),
      capture(() => core.saveState('result', 'success')),
    ),
  );
  await withEnv({ GITHUB_STATE: join(dir, 'absent') }, () => {
    assert.throws(() => runner.saveState('a', 'b'), /Missing file at path/);
    assert.throws(() => core.saveState('a', 'b'), /Missing file at path/);
  });
});

test('getState reads STATE_<name> as @actions/core does', async () => {
  await withEnv({ STATE_run: '{"runId":"1"}', STATE_absent: undefined }, () => {
    for (const n of ['run', 'absent']) assert.equal(runner.getState(n), core.getState(n));
    assert.equal(runner.getState('run'), '{"runId":"1"}');
  });
});

test('group writes the same group and endgroup lines, also when fn throws', async () => {
  const lines = async (g: typeof runner.group, fail: boolean) => {
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    process.stdout.write = ((c: string | Uint8Array) => {
      out += String(c);
      return true;
    }) as typeof process.stdout.write;
    try {
      const r = await g('Launch: 2 in us-east-1, 100%', async () => {
        process.stdout.write('inside\n');
        if (fail) throw new Error('boom');
        return 7;
      }).catch((e: Error) => e.message);
      return { out, r };
    } finally {
      process.stdout.write = write;
    }
  };
  for (const fail of [false, true]) {
    assert.deepEqual(await lines(runner.group, fail), await lines(core.group, fail));
  }
  assert.deepEqual(await lines(runner.group, false), {
    out: '::group::Launch: 2 in us-east-1, 100%25\ninside\n::endgroup::\n',
    r: 7,
  });
});

test('appendSummary writes what core.summary.addRaw(text, true).write() writes, errors alike', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-'));
  const ours = join(dir, 'ours');
  const theirs = join(dir, 'theirs');
  await writeFile(ours, 'before\n');
  await writeFile(theirs, 'before\n');
  const md = '## Spot deploy `acme/web`\n\n| a | b |\n| - | - |\n| 1 | 2 |';
  await withEnv({ GITHUB_STEP_SUMMARY: ours }, () => runner.appendSummary(md));
  await withEnv({ GITHUB_STEP_SUMMARY: theirs }, () => core.summary.addRaw(md, true).write());
  assert.equal(await readFile(ours, 'utf8'), await readFile(theirs, 'utf8'));
  assert.equal(await readFile(ours, 'utf8'), `before\n${md}\n`);

  const message = async (fn: () => Promise<unknown>) =>
    fn().then(
      () => 'no error',
      (e: Error) => e.message,
    );
  for (const value of [undefined, join(dir, 'no', 'such', 'file')]) {
    await withEnv({ GITHUB_STEP_SUMMARY: value }, async () => {
      const a = await message(() => runner.appendSummary(md));
      // a fresh Summary: core.summary remembers the file it wrote to first
      const Summary = core.summary.constructor as new () => typeof core.summary;
      const b = await message(() => new Summary().addRaw(md, true).write());
      assert.equal(a, b);
      assert.notEqual(a, 'no error');
    });
  }
});

test("the action host's progress: each phase's start and end, timed, in the debug log", async () => {
  const { actionHost } = await import('../../src/action-host.ts');
  const host = actionHost();
  try {
    const { out } = capture(() => {
      host.progress?.({ kind: 'phase', name: 'launch', state: 'running' });
      host.progress?.({ kind: 'phase', name: 'launch', state: 'done' });
      host.progress?.({ kind: 'instances', instances: [] });
    });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2, out);
    assert.match(lines[0] ?? '', /^::debug::phase launch: running at \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    assert.match(lines[1] ?? '', /^::debug::phase launch: done at /);
  } finally {
    host.close();
  }
});
