// The broken-manifest corpus: every case under __tests__/fixtures/broken/<case>/ is a
// small project that must be refused with exactly the diagnostics in its expected.txt,
// one per line: `file:line:col: severity: message` (the message may be a prefix of the
// real one; <root> stands for the case's directory).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../../src/diagnostics.ts';
import { loadDeployment } from '../../src/validate/load.ts';

const BROKEN = join(import.meta.dirname, '..', 'fixtures', 'broken');
const cases = readdirSync(BROKEN).sort();

test('the corpus holds at least 40 distinct broken manifests', () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
  const expectations = new Set(
    cases.map((c) => readFileSync(join(BROKEN, c, 'expected.txt'), 'utf8')),
  );
  assert.equal(expectations.size, cases.length, 'two cases expect the same diagnostics');
});

for (const name of cases) {
  test(`broken: ${name}`, async () => {
    const root = join(BROKEN, name);
    const expected = readFileSync(join(root, 'expected.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.ok(
      expected.some((l) => /: error: /.test(l)),
      'expected.txt lists no error',
    );
    const result = await loadDeployment(root);
    assert.equal(result.deployment, undefined, 'a broken manifest must not load');
    const actual = result.diagnostics.map((d) => formatDiagnostic(d).replaceAll(root, '<root>'));
    assert.equal(actual.length, expected.length, `got:\n${actual.join('\n')}`);
    expected.forEach((line, i) => {
      assert.ok(
        actual[i]!.startsWith(line),
        `diagnostic ${i + 1}:\n  got:      ${actual[i]}\n  expected: ${line}`,
      );
    });
  });
}
