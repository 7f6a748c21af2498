// Reading manifest files: sizes, encodings, hostile YAML, and positions.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDeployment } from '../../src/validate/load.ts';
import { firstInvalidUtf8, locate, MAX_FILE_BYTES, readYamlFile } from '../../src/validate/yaml.ts';
import { CONFIG, project, spotFiles } from './helpers.ts';

test('firstInvalidUtf8 finds the first bad byte and accepts well-formed text', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('héllo wörld ✓ 𝄞', 'utf8')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xff, 0x62])), 1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc3])), 1, 'truncated sequence');
  assert.equal(firstInvalidUtf8(Buffer.from([0xc0, 0xaf])), 0, 'overlong encoding');
  assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0, 'UTF-16 surrogate');
});

test('a file over the size limit is refused without being parsed', async (t) => {
  const big = CONFIG + '#'.repeat(MAX_FILE_BYTES) + '\n';
  const root = await project(t, spotFiles({ '.spot/config.yaml': big }));
  const result = await loadDeployment(root);
  assert.equal(result.deployment, undefined);
  assert.equal(result.diagnostics.length, 1);
  assert.match(result.diagnostics[0]!.message, /is 1\.0 MiB; the limit is 1 MiB/);
});

test('deeply nested block mappings give an error, not a crash', async (t) => {
  const lines = Array.from({ length: 1400 }, (_, i) => ' '.repeat(i) + 'a:');
  const root = await project(t, spotFiles({ '.spot/deployment.yaml': lines.join('\n') + '\n' }));
  const result = await loadDeployment(root);
  assert.equal(result.deployment, undefined);
  assert.ok(
    result.diagnostics.some((d) => d.file === '.spot/deployment.yaml' && d.severity === 'error'),
  );
});

test('a few aliases are fine', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/config.yaml':
        'regions:\n  - us-west-2: &r {machine_type: t3.micro}\n  - us-east-1: *r\n',
    }),
  );
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
  assert.deepEqual(
    result.deployment.cloud.regions.map((r) => r.instanceTypes[0]),
    ['t3.micro', 't3.micro'],
  );
});

test('a byte-order mark and CRLF line endings are accepted, and positions stay right', async (t) => {
  const crlf = '\ufeffaws:\r\n  total_instances: 1\r\n  os: dos\r\nregions:\r\n  us-west-2: {}\r\n';
  const root = await project(t, spotFiles({ '.spot/config.yaml': crlf }));
  const result = await loadDeployment(root);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.line, d.col]),
    [[3, 7]],
  );
});

test('locate: values, keys and containers in block and flow style', async (t) => {
  const text = 'a:\n  b: [1, {c: x}]\n  d:\n    - e: 1\n      f: 2\n';
  const root = await project(t, { 'f.yaml': text });
  const y = await readYamlFile(join(root, 'f.yaml'), 'f.yaml', 'a mapping');
  assert.deepEqual(y.diagnostics, []);
  assert.deepEqual(locate(y, ['a', 'b', 1, 'c']), { line: 2, col: 14 });
  assert.deepEqual(locate(y, ['a', 'b', 1, 'c'], 'key'), { line: 2, col: 11 });
  assert.deepEqual(locate(y, ['a', 'd', 0, 'f']), { line: 5, col: 10 });
  assert.deepEqual(locate(y, ['a', 'd', 0], 'container'), { line: 4, col: 7 });
  assert.deepEqual(locate(y, ['a', 'd'], 'container'), { line: 3, col: 3 });
  assert.deepEqual(locate(y, [], 'container'), { line: 1, col: 1 });
  // A path that is not there points at the deepest node that is.
  assert.deepEqual(locate(y, ['a', 'zzz']), { line: 2, col: 3 });
});

test('keys that are not plain text are refused', async (t) => {
  const root = await project(
    t,
    spotFiles({ '.spot/config.yaml': '? [a, b]\n: 1\nregions:\n  us-west-2: {}\n' }),
  );
  const result = await loadDeployment(root);
  assert.ok(
    result.diagnostics.some((d) => d.line === 1 && /keys must be plain text/.test(d.message)),
  );
});

test('YAML warnings (unknown tags) are reported as warnings, located', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': 'version: 1\ndeployment:\n  packages: [!custom curl]\n',
    }),
  );
  const result = await loadDeployment(root);
  const w = result.diagnostics.find((d) => d.severity === 'warning');
  assert.ok(w);
  assert.equal(w.line, 3);
  assert.match(w.message, /Unresolved tag/);
});
