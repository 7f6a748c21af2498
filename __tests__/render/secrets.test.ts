// Sealed secrets opened by the real openssl CLI of the instance root file system, in the
// sandbox (systemd reading the file is checked on the booted instance in instance.test.ts).

import assert from 'node:assert/strict';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { COMMAND_BUDGET } from '../../src/plan/render/upload.ts';
import {
  assertSecretsFit,
  keyFingerprint,
  SECRETS_KEY,
  sealForInstances,
  sealSecrets,
  secretsInstallScript,
  secretsKeyScript,
} from '../../src/plan/secrets.ts';
import { jsonBytes } from '../../src/plan/shell.ts';
import { Sandbox } from './sandbox.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.create();
});
after(() => sandbox.destroy());

const SECRETS = {
  PLAIN: 'value',
  QUOTES: `it's "quoted" $HOME \`id\` \\`,
  NEWLINES: 'one\ntwo\n\nthree',
  UNICODE: 'päss wörd 🔑',
  EMPTY: '',
  LONG: 'x'.repeat(20_000),
};

async function run(script: string) {
  return sandbox.exec(script);
}

/** The secrets file as bash sees it after `set -a; . file`. */
async function readBack(names: string[]): Promise<Record<string, string>> {
  const r = await run(
    '#!/bin/bash\nset -euo pipefail\nset -a\n. /etc/spot-deployer/secrets.env\nset +a\n' +
      names.map((n) => `printf '%s\\0' "$${n}"`).join('\n'),
  );
  assert.equal(r.exitCode, 0, r.stderr);
  const values = r.stdout.split('\0').slice(0, -1);
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '<missing>']));
}

/** Public keys (PEM) of `n` fresh RSA key pairs, as other instances would print them. */
async function otherKeys(n: number, bits = 2048): Promise<string[]> {
  const gen = promisify(generateKeyPair);
  const pairs = await Promise.all(
    Array.from({ length: n }, () =>
      gen('rsa', {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      }),
    ),
  );
  return pairs.map((p) => p.publicKey);
}

test('key once, seal on the runner, open on the instance: exact values, root only, atomic', async () => {
  const first = await run(secretsKeyScript());
  assert.equal(first.exitCode, 0, first.stderr);
  assert.match(first.stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  const again = await run(secretsKeyScript());
  assert.equal(again.stdout, first.stdout, 'the key is created once');
  const keyStat = await lstat(join(sandbox.upper, SECRETS_KEY));
  assert.equal(keyStat.mode & 0o777, 0o600);
  assert.equal(keyStat.uid, 0);

  // The fingerprint the runner computes is the one openssl computes on the instance.
  const fp = await run(
    `#!/bin/bash\nset -euo pipefail\nopenssl pkey -in ${SECRETS_KEY} -pubout -outform DER | sha256sum\n`,
  );
  assert.equal(fp.stdout.split(' ')[0], keyFingerprint(first.stdout));

  const sealed = sealSecrets([first.stdout], SECRETS);
  for (const v of Object.values(SECRETS).filter((v) => v.length > 3)) {
    assert.equal(JSON.stringify([...sealed.wrapped]).includes(v), false, 'no value sealed');
    assert.equal((sealed.payload + sealed.mac).includes(v), false, 'no value in the payload');
  }
  const script = secretsInstallScript(sealed);
  for (const v of Object.values(SECRETS).filter((v) => v.length > 3)) {
    assert.equal(script.includes(v), false, 'no value in the command');
  }
  const r = await run(script);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /secrets installed/);
  for (const v of Object.values(SECRETS).filter((v) => v.length > 3)) {
    assert.equal((r.stdout + r.stderr).includes(v), false, 'no value in the output');
  }
  const st = await lstat(join(sandbox.upper, '/etc/spot-deployer/secrets.env'));
  assert.equal(st.mode & 0o777, 0o600);
  assert.deepEqual([st.uid, st.gid], [0, 0]);
  assert.deepEqual(await readBack(Object.keys(SECRETS)), SECRETS);

  // A new seal of the same values (fresh random keys) leaves the file alone.
  const r2 = await run(secretsInstallScript(sealSecrets([first.stdout], SECRETS)));
  assert.match(r2.stdout, /secrets unchanged/);
  const st2 = await lstat(join(sandbox.upper, '/etc/spot-deployer/secrets.env'));
  assert.equal(`${st2.ino}:${st2.mtimeMs}`, `${st.ino}:${st.mtimeMs}`);

  // New values replace it.
  await run(secretsInstallScript(sealSecrets([first.stdout], { PLAIN: 'rotated' })));
  assert.deepEqual(await readBack(['PLAIN']), { PLAIN: 'rotated' });
  const leftovers = [...(await sandbox.changes()).keys()].filter((p) => /seal\.|\.tmp$/.test(p));
  assert.deepEqual(leftovers, []);
});

test('one command for 50 instances: each opens its own entry, a full-size key among them', async () => {
  const pub = (await run(secretsKeyScript())).stdout;
  const others = await otherKeys(49);
  // this instance's key in the middle, as deliver would pass them (instance order)
  const keys = [...others.slice(0, 20), pub, ...others.slice(20)];
  const { commands, unreadable } = sealForInstances(
    keys,
    { SHARED: 'one value for all', N: '50' },
    50,
  );
  assert.deepEqual(unreadable, []);
  assert.equal(commands.length, 1);
  assert.deepEqual(
    commands[0]?.keys,
    keys.map((_, i) => i),
  );
  const script = commands[0]?.script ?? '';
  assert.ok(jsonBytes(script) <= COMMAND_BUDGET);
  assert.equal(script.match(/^ {2}[0-9a-f]{64}\) wrapped=/gm)?.length, 50);
  const r = await run(script);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.deepEqual(await readBack(['SHARED', 'N']), { SHARED: 'one value for all', N: '50' });
});

test('packing: at most maxKeys per command, each within the command budget, every instance once', async () => {
  const keys = await otherKeys(60);
  const twice = [...keys, keys[3] ?? ''];
  const small = sealForInstances(twice, { A: 'x' }, 50).commands;
  assert.deepEqual(
    small.map((c) => c.keys.length),
    [50, 11],
  );
  // a key met twice (a cloned image) is one entry in the command that carries both
  const dup = sealForInstances(
    [keys[0] ?? '', keys[1] ?? '', keys[0] ?? ''],
    { A: 'x' },
    50,
  ).commands;
  assert.equal(dup[0]?.script.match(/^ {2}[0-9a-f]{64}\) wrapped=/gm)?.length, 2);
  assert.deepEqual(dup[0]?.keys, [0, 1, 2]);

  // 40 KB of secrets: the payload fills most of a command, so fewer instances per command
  const big = sealForInstances(keys, { BIG: 'y'.repeat(40_000) }, 50).commands;
  assert.ok(big.length > 2, `${big.length} commands`);
  for (const c of big) assert.ok(jsonBytes(c.script) <= COMMAND_BUDGET);
  assert.deepEqual(
    big.flatMap((c) => c.keys),
    keys.map((_, i) => i),
  );
  // a key that is not a public key (an instance printed garbage) is left out and reported
  const broken = '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----';
  const mixed = sealForInstances([keys[0] ?? '', broken, keys[1] ?? ''], { A: 'x' }, 50);
  assert.deepEqual(mixed.unreadable, [1]);
  assert.deepEqual(
    mixed.commands.map((c) => c.keys),
    [[0, 2]],
  );
  assert.deepEqual(sealForInstances([broken], { A: 'x' }, 50), { commands: [], unreadable: [0] });

  // too large for even one instance per command: a clear error, nothing sent
  assert.throws(
    () => sealForInstances(keys.slice(0, 1), { HUGE: 'z'.repeat(60_000) }, 50),
    /too large to deliver in one command \(\d+ bytes, limit 62000\)/,
  );
});

test('tampered or foreign seals are refused and change nothing', async () => {
  const pub = (await run(secretsKeyScript())).stdout;
  const fp = keyFingerprint(pub);
  await run(secretsInstallScript(sealSecrets([pub], { KEEP: 'me' })));
  const evil = sealSecrets([pub], { KEEP: 'evil' });
  const flipped = Buffer.from(evil.payload, 'base64');
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
  const r = await run(secretsInstallScript({ ...evil, payload: flipped.toString('base64') }));
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /integrity check/);

  const [other = ''] = await otherKeys(1);
  const r2 = await run(secretsInstallScript(sealSecrets([other], { KEEP: 'evil' })));
  assert.notEqual(r2.exitCode, 0);
  assert.match(
    r2.stderr,
    new RegExp(`no secrets were sealed to this instance's key \\(sha256 ${fp}\\)`),
  );

  // the right fingerprint, but wrapped to another key
  const foreign = sealSecrets([other], { KEEP: 'evil' });
  const swapped = { ...foreign, wrapped: new Map([[fp, [...foreign.wrapped.values()][0] ?? '']]) };
  const r3 = await run(secretsInstallScript(swapped));
  assert.notEqual(r3.exitCode, 0);
  assert.match(r3.stderr, /cannot open the sealed secrets with this instance's key/);
  assert.deepEqual(await readBack(['KEEP']), { KEEP: 'me' });

  assert.throws(
    () => secretsInstallScript({ ...evil, payload: "'; reboot; '" }),
    /expected format/,
  );
  assert.throws(
    () => secretsInstallScript({ ...evil, wrapped: new Map([['$(reboot)', 'AAAA']]) }),
    /expected format/,
  );
  assert.throws(() => secretsInstallScript(evil, ['0'.repeat(64)]), /no sealed entry/);
  assert.throws(
    () => sealSecrets([pub], { 'BAD NAME': 'x' }),
    /not a valid environment variable name/,
  );
});

test('assertSecretsFit knows the limit without a key: it agrees with a real seal at the boundary', async () => {
  const pub = (await run(secretsKeyScript())).stdout;
  const fits = (n: number) => {
    try {
      assertSecretsFit({ BIG: 'v'.repeat(n) });
      return true;
    } catch (err) {
      assert.match(String(err), /too large to deliver in one command \(\d+ bytes, limit 62000\)/);
      return false;
    }
  };
  let lo = 1;
  let hi = 62_000;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  assert.ok(lo > 40_000, `about 44 KB of secrets fit in one command (found ${lo})`);
  assert.equal(sealForInstances([pub], { BIG: 'v'.repeat(lo) }, 50).commands.length, 1);
  assert.throws(
    () => sealForInstances([pub], { BIG: 'v'.repeat(hi + 3) }, 50),
    /too large to deliver in one command/,
  );
});
