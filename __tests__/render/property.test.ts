// Hostile names and contents, delivered for real: the generated upload commands run in a
// sandbox (the instance root file system under an overlay), then every file must be at its
// exact path with its exact bytes, mode and owner, and nothing else may have been written or
// run. A second run of the same commands must change nothing at all.

import assert from 'node:assert/strict';
import { lstat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { UploadSpec } from '../../src/manifest/model.ts';
import { renderSteps } from '../../src/plan/steps.ts';
import type { RemoteStep } from '../../src/plan/types.ts';
import { deployment, makeRepo } from './helpers.ts';
import { type Change, Sandbox } from './sandbox.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.create();
});
after(() => sandbox.destroy());

/** A small budget, so that files of a few KB already cross command and part boundaries. */
const BUDGET = 6_000;

const segment = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 24 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    fc.constantFrom(
      '-rf',
      '--',
      'a b',
      "it's",
      '"dq"',
      '$(touch /pwned)',
      '`touch /pwned2`',
      '$HOME',
      '\\back',
      '*',
      '~',
      ' lead',
      'trail ',
      '日本語',
      '🚀',
      '-',
      '!x',
      'SPOT_EOF',
    ),
  )
  .filter(
    (s) =>
      !/[\0\n\r/]/.test(s) &&
      s !== '.' &&
      s !== '..' &&
      !s.startsWith('.spot-deployer.') &&
      Buffer.byteLength(s) <= 100,
  );

const content = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 600 }) },
  {
    weight: 2,
    arbitrary: fc
      .string({ maxLength: 300 })
      .map((s) => new TextEncoder().encode(`${s}\nSPOT_EOF\n'"$\`\n`)),
  },
  { weight: 1, arbitrary: fc.constant(new Uint8Array()) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 3_000, max: 16_000 })
      .map((n) => new Uint8Array(n).map((_, i) => (i * 131 + n) & 255)),
  },
);

const entry = fc.record({
  path: fc.array(segment, { minLength: 1, maxLength: 3 }),
  data: content,
  executable: fc.boolean(),
});

const uploadArb = fc.record({
  files: fc.uniqueArray(entry, { minLength: 1, maxLength: 5, selector: (e) => e.path.join('/') }),
  dest: segment,
  mode: fc.constantFrom(undefined, '0644', '0600', '0755', '0400'),
  owner: fc.constantFrom(undefined, 'root:root', 'nobody', 'nobody:nogroup', '65534:0'),
});

/** No path may be both a file and a directory. */
function consistent(files: { path: string[] }[]): boolean {
  const paths = files.map((f) => f.path.join('/'));
  return !paths.some((p) => paths.some((q) => q.startsWith(p + '/')));
}

const OWNERS: Record<string, [number, number]> = {
  'root:root': [0, 0],
  nobody: [65534, 0],
  'nobody:nogroup': [65534, 65534],
  '65534:0': [65534, 0],
};

async function runAll(steps: RemoteStep[]): Promise<void> {
  const results = await sandbox.execAll(steps.map((s) => s.script));
  for (const [i, s] of steps.entries()) {
    const r = results[i];
    assert.ok(r, `${s.id} did not run (an earlier step failed)`);
    assert.equal(r.exitCode, 0, `${s.id} failed: ${r.stderr}\n${r.stdout}`);
  }
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = posix.dirname(path);
  while (p !== '/') {
    out.push(p);
    p = posix.dirname(p);
  }
  return out;
}

/** Fails unless the changes are exactly `expected` files (plus their directories and our state). */
function onlyExpected(changes: Map<string, Change>, expected: Set<string>): void {
  const dirs = new Set<string>(['/tmp', '/etc', '/var', '/var/lib', '/opt']);
  for (const p of expected) for (const a of ancestors(p)) dirs.add(a);
  for (const [path, c] of changes) {
    if (path === '/var/lib/spot-deployer' || path.startsWith('/var/lib/spot-deployer/')) continue;
    if (path === '/etc/spot-deployer' || path === '/etc/spot-deployer/env') continue;
    if (c.type === 'dir') {
      assert.ok(dirs.has(path), `unexpected directory ${JSON.stringify(path)}`);
      continue;
    }
    assert.ok(expected.has(path), `unexpected ${c.type} ${JSON.stringify(path)}`);
  }
}

test('hostile names and contents land exactly, nothing else is written or run, twice', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(
      fc
        .array(uploadArb, { minLength: 1, maxLength: 2 })
        .filter((us) => us.every((u) => consistent(u.files))),
      async (uploads) => {
        runs++;
        await sandbox.reset();
        const repoFiles: Record<string, { data: Buffer; mode: number }> = {};
        const specs: UploadSpec[] = [];
        const want = new Map<string, { data: Buffer; mode: number; owner: [number, number] }>();
        for (const [i, u] of uploads.entries()) {
          const destDir = `/opt/${u.dest}-${i}`;
          specs.push({
            source: `up${i}/`,
            destination: destDir,
            exclude: [],
            ...(u.mode ? { mode: u.mode } : {}),
            ...(u.owner ? { owner: u.owner } : {}),
          });
          for (const f of u.files) {
            const rel = f.path.join('/');
            repoFiles[`up${i}/${rel}`] = {
              data: Buffer.from(f.data),
              mode: f.executable ? 0o755 : 0o644,
            };
            want.set(`${destDir}/${rel}`, {
              data: Buffer.from(f.data),
              mode: u.mode ? parseInt(u.mode, 8) : f.executable ? 0o755 : 0o644,
              owner: OWNERS[u.owner ?? 'root:root'] ?? [0, 0],
            });
          }
        }
        const repo = await makeRepo(repoFiles);
        try {
          const steps = await renderSteps(deployment(repo.root, { uploads: specs }), {
            secretNames: [],
            commandBudget: BUDGET,
          });
          await runAll(steps);
          for (const [path, w] of want) {
            const got = await sandbox.readFile(path);
            assert.ok(got, `missing ${JSON.stringify(path)}`);
            assert.ok(got.equals(w.data), `bytes differ at ${JSON.stringify(path)}`);
            const st = await lstat(join(sandbox.upper, path));
            assert.equal(st.mode & 0o7777, w.mode, `mode of ${JSON.stringify(path)}`);
            assert.deepEqual([st.uid, st.gid], w.owner, `owner of ${JSON.stringify(path)}`);
          }
          const first = await sandbox.changes();
          onlyExpected(first, new Set(want.keys()));
          const stamps = new Map<string, string>();
          const dirs = new Set([...want.keys()].flatMap(ancestors).filter((d) => first.has(d)));
          for (const p of [...want.keys(), ...dirs]) {
            const st = await lstat(join(sandbox.upper, p));
            stamps.set(p, `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`);
          }
          // Again: the same machine afterwards, down to inodes and timestamps.
          await runAll(steps);
          for (const p of [...want.keys(), ...dirs]) {
            const st = await lstat(join(sandbox.upper, p));
            assert.equal(`${st.ino}:${st.mtimeMs}:${st.ctimeMs}`, stamps.get(p), `touched: ${p}`);
          }
          const second = await sandbox.changes();
          assert.deepEqual(
            [...second.keys()].filter((k) => !k.startsWith('/var/lib/spot-deployer')).sort(),
            [...first.keys()].filter((k) => !k.startsWith('/var/lib/spot-deployer')).sort(),
          );
        } finally {
          await repo.cleanup();
        }
      },
    ),
    { numRuns: 8, endOnFailure: true },
  );
  assert.equal(runs >= 8, true);
});

test('a corrupted payload fails naming the file and leaves the old file in place', async () => {
  await sandbox.reset();
  const repo = await makeRepo({ 'up/a file.txt': 'version one\n' });
  try {
    const dep = deployment(repo.root, {
      uploads: [{ source: 'up/', destination: '/opt/dst', exclude: [] }],
    });
    await runAll(await renderSteps(dep, { secretNames: [] }));
    await writeFile(join(repo.baseDir, 'up', 'a file.txt'), 'version two\n');
    const upload = (await renderSteps(dep, { secretNames: [] })).find((s) => s.kind === 'upload');
    assert.ok(upload);
    // the new checksum, other bytes: what a transfer error would look like
    const tampered = upload.script.replace(
      Buffer.from('version two\n').toString('base64'),
      Buffer.from('version 2!!\n').toString('base64'),
    );
    assert.notEqual(tampered, upload.script);
    const r = await sandbox.exec(tampered);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /checksum mismatch for \/opt\/dst\/a file\.txt/);
    assert.equal((await sandbox.readFile('/opt/dst/a file.txt'))?.toString(), 'version one\n');
    const leftovers = [...(await sandbox.changes()).keys()].filter((p) =>
      p.includes('.spot-deployer.'),
    );
    assert.deepEqual(leftovers, []);
  } finally {
    await repo.cleanup();
  }
});

test('a missing part fails the assemble step naming the file', async () => {
  await sandbox.reset();
  const repo = await makeRepo({ 'up/big.bin': Buffer.alloc(20_000, 1) });
  try {
    const dep = deployment(repo.root, {
      uploads: [{ source: 'up/', destination: '/opt/big', exclude: [] }],
    });
    const steps = await renderSteps(dep, { secretNames: [], commandBudget: BUDGET });
    const carry = steps.filter((s) => s.parallelGroup?.endsWith('-upload'));
    assert.ok(carry.length >= 3);
    // every step but one upload command
    await runAll(steps.filter((s) => s !== carry[1]));
    assert.fail('assemble should have failed');
  } catch (e) {
    assert.match(
      String(e),
      /assemble.*failed: spot-deployer: part \d+ of \d+ of \/opt\/big\/big\.bin is missing/s,
    );
    assert.equal(await sandbox.readFile('/opt/big/big.bin'), undefined);
  } finally {
    await repo.cleanup();
  }
});
