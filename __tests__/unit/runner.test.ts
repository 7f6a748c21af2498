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

for (const name of ['warning', 'error'] as const) {
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
