// Sealed secrets opened by the real openssl CLI of the instance root file system, in the
// sandbox (systemd reading the file is checked on the booted instance in instance.test.ts).

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  SECRETS_KEY,
  sealSecrets,
  secretsInstallScript,
  secretsKeyScript,
} from '../../src/plan/secrets.ts';
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

test('key once, seal on the runner, open on the instance: exact values, root only, atomic', async () => {
  const first = await run(secretsKeyScript());
  assert.equal(first.exitCode, 0, first.stderr);
  assert.match(first.stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  const again = await run(secretsKeyScript());
  assert.equal(again.stdout, first.stdout, 'the key is created once');
  const keyStat = await lstat(join(sandbox.upper, SECRETS_KEY));
  assert.equal(keyStat.mode & 0o777, 0o600);
  assert.equal(keyStat.uid, 0);

  const sealed = sealSecrets(first.stdout, SECRETS);
  for (const v of Object.values(SECRETS).filter((v) => v.length > 3)) {
    assert.equal(sealed.includes(v), false, 'no value in the sealed text');
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
  const r2 = await run(secretsInstallScript(sealSecrets(first.stdout, SECRETS)));
  assert.match(r2.stdout, /secrets unchanged/);
  const st2 = await lstat(join(sandbox.upper, '/etc/spot-deployer/secrets.env'));
  assert.equal(`${st2.ino}:${st2.mtimeMs}`, `${st.ino}:${st.mtimeMs}`);

  // New values replace it.
  await run(secretsInstallScript(sealSecrets(first.stdout, { PLAIN: 'rotated' })));
  assert.deepEqual(await readBack(['PLAIN']), { PLAIN: 'rotated' });
  const leftovers = [...(await sandbox.changes()).keys()].filter((p) => /seal\.|\.tmp$/.test(p));
  assert.deepEqual(leftovers, []);
});

test('tampered or foreign seals are refused and change nothing', async () => {
  const pub = (await run(secretsKeyScript())).stdout;
  await run(secretsInstallScript(sealSecrets(pub, { KEEP: 'me' })));
  const [magic, wrapped, payload, mac] = sealSecrets(pub, { KEEP: 'evil' }).split('.');
  const flipped = Buffer.from(payload ?? '', 'base64');
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
  const tampered = [magic, wrapped, flipped.toString('base64'), mac].join('.');
  const r = await run(secretsInstallScript(tampered));
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /integrity check/);

  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  const r2 = await run(secretsInstallScript(sealSecrets(other.toString(), { KEEP: 'evil' })));
  assert.notEqual(r2.exitCode, 0);
  assert.match(r2.stderr, /sealed to another key/);
  assert.deepEqual(await readBack(['KEEP']), { KEEP: 'me' });
  assert.throws(() => secretsInstallScript("spot-seal-1.'; reboot; '"), /expected format/);
  assert.throws(
    () => sealSecrets(pub, { 'BAD NAME': 'x' }),
    /not a valid environment variable name/,
  );
});
