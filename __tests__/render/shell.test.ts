import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  UnsafeValueError,
  envFile,
  heredocDelimiter,
  jsonBytes,
  sh,
  shPath,
} from '../../src/plan/shell.ts';

/** Runs one bash process that prints each word NUL-separated; returns what bash saw. */
function throughBash(words: string[]): string[] {
  const script = words.map((w) => `printf '%s\\0' ${sh(w)}`).join('\n') + '\n';
  const r = spawnSync('bash', ['-c', script]);
  assert.equal(r.status, 0, r.stderr.toString());
  const out = r.stdout.toString('utf8');
  return out.split('\0').slice(0, -1);
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "it's",
    '$(touch /tmp/pwned)',
    '`id`',
    '-rf',
    '--',
    ' leading and trailing ',
    'a\nb',
    "'\"'\"'",
    '\\',
    '!event',
    '*',
    '~root',
    '',
    '日本語 ✓',
  ),
);

test('sh(): bash reads every string without NUL back byte for byte', () => {
  fc.assert(
    fc.property(
      fc.array(
        hostile.filter((s) => !s.includes('\0')),
        { maxLength: 30 },
      ),
      (words) => {
        assert.deepEqual(throughBash(words), words);
      },
    ),
    { numRuns: 60 },
  );
});

test('sh(): refuses a NUL byte instead of emitting a broken word', () => {
  assert.throws(() => sh('a\0b'), UnsafeValueError);
});

test('sh(): plain words stay readable, anything else is quoted', () => {
  assert.equal(sh('/opt/app/a.txt'), '/opt/app/a.txt');
  assert.equal(sh('-rf'), "'-rf'");
  assert.equal(sh('a b'), "'a b'");
  assert.equal(sh("it's"), "'it'\\''s'");
  assert.equal(sh(''), "''");
});

test('shPath(): absolute, normalized, one line, or it throws', () => {
  assert.equal(shPath('/opt/a b'), "'/opt/a b'");
  assert.equal(shPath('/-dash'), '/-dash');
  for (const bad of [
    'relative/x',
    '/a\nb',
    '/a\rb',
    '/a/../b',
    '/a/./b',
    '/a//b',
    '/a/..',
    '/a\0b',
  ]) {
    assert.throws(() => shPath(bad), UnsafeValueError, bad);
  }
});

test('envFile(): bash reads back every value exactly (systemd is checked on the instance)', () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/).filter((n) => {
          try {
            envFile({ [n]: '' }, '');
            return true;
          } catch {
            return false;
          }
        }),
        hostile.filter((s) => !s.includes('\0')),
        { maxKeys: 8 },
      ),
      (vars) => {
        const file = envFile(vars, 'test');
        const names = Object.keys(vars);
        const script =
          'set -e; set -a; . <(cat); set +a\n' +
          names.map((n) => `printf '%s\\0' "$${n}"`).join('\n');
        const r = spawnSync('bash', ['-c', script], { input: Buffer.from(file, 'utf8') });
        assert.equal(r.status, 0, r.stderr.toString());
        assert.deepEqual(
          r.stdout.toString('utf8').split('\0').slice(0, -1),
          names.map((n) => vars[n]),
        );
      },
    ),
    { numRuns: 40 },
  );
  assert.throws(() => envFile({ 'BAD-NAME': 'x' }, 'c'), UnsafeValueError);
  assert.throws(() => envFile({ A: 'x\0' }, 'c'), UnsafeValueError);
  for (const reserved of ['_', 'UID', 'RANDOM', 'BASH_ENV']) {
    assert.throws(() => envFile({ [reserved]: 'x' }, 'c'), /reserved by bash/);
  }
});

test('heredocDelimiter(): never a line of the body', () => {
  assert.equal(heredocDelimiter('QUJD\nREVG'), 'SPOT_EOF');
  assert.equal(heredocDelimiter('SPOT_EOF\nSPOT_EOF_1'), 'SPOT_EOF_2');
});

test('jsonBytes(): what a script costs inside the SSM request', () => {
  assert.equal(jsonBytes('ab'), 2);
  assert.equal(jsonBytes('a\nb'), 4);
  assert.equal(jsonBytes('"'), 2);
  assert.equal(jsonBytes('é'), 2);
  assert.equal(jsonBytes('\x01'), 6);
});
