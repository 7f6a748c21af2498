// Secrets reach the instance sealed to a key that never leaves it, because SSM keeps every
// command's parameters in its history: a value sent in clear would be readable there by
// anyone with ssm:ListCommands. Delivery (see deliver/), with one command per 50 instances
// at each stage, however many instances there are:
//
//   1. run `secretsKeyScript()` everywhere: it creates, once, an RSA key pair readable by
//      root only and prints the public key (PEM);
//   2. `sealForInstances(publicKeys, secrets)` on the runner seals the env file once: a
//      random password and MAC key; the file encrypted with AES-256-CTR under a key derived
//      from the password (PBKDF2-SHA256, `openssl enc`'s own format, so the instance needs
//      only the openssl CLI) and an HMAC-SHA256 over it. Only the password and MAC key are
//      wrapped to each instance's key (RSA-OAEP-SHA256), keyed by the key's fingerprint
//      (SHA-256 of its DER SubjectPublicKeyInfo), so one command carries the payload once
//      and ~600 bytes per instance;
//   3. each instance runs the same install command: it finds the entry for its own key's
//      fingerprint, unwraps, checks the HMAC, and decrypts into
//      /etc/spot-deployer/secrets.env (root:root 0600) atomically, leaving an identical file
//      untouched.
//
// The values never appear in user data, tags, the plan, a command's parameters or output.

import {
  constants,
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  pbkdf2Sync,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { CONFIG_DIR, SECRETS_FILE, STATE_DIR } from './render/prelude.ts';
import { COMMAND_BUDGET } from './render/upload.ts';
import { envFile, jsonBytes, sh } from './shell.ts';

export const SECRETS_KEY = `${STATE_DIR}/secrets-key.pem`;
const PBKDF2_ITER = 10_000;
const HEADER = 'secrets delivered by spot-deployer (root only; do not edit)';
/** Base64 characters of an RSA-3072 OAEP block: what each instance's entry wraps. */
const WRAPPED_CHARS = 512;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

const HEAD = [
  'set -euo pipefail',
  'umask 077',
  'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  `S=${STATE_DIR}`,
  `key=${SECRETS_KEY}`,
  'fail() { printf \'spot-deployer: %s\\n\' "$*" >&2; exit 1; }',
  'command -v openssl >/dev/null 2>&1 || fail "openssl is needed on the instance to receive secrets"',
];

/** Creates the instance's secrets key once (root only) and prints its public half, PEM. */
export function secretsKeyScript(): string {
  return (
    [
      '#!/bin/bash',
      '# spot-deployer secrets-key: create (once) the key secrets are sealed to; print its public half',
      ...HEAD,
      'install -d -m 0700 -- "$S"',
      'if [ ! -s "$key" ]; then',
      '  rm -f -- "$key.tmp"',
      '  if ! err=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$key.tmp" 2>&1); then',
      '    fail "cannot create the secrets key: $err"',
      '  fi',
      '  mv -f -- "$key.tmp" "$key"',
      'fi',
      'chown root:root -- "$key"',
      'chmod 0600 -- "$key"',
      'openssl pkey -in "$key" -pubout',
    ].join('\n') + '\n'
  );
}

/** The env file sealed once, openable by the holder of any of the keys in `wrapped`. */
export interface SealedSecrets {
  /** The env file as `openssl enc` writes it (salted, AES-256-CTR), base64. */
  payload: string;
  /** HMAC-SHA256 of the payload, base64. */
  mac: string;
  /** Key fingerprint → the password and MAC key wrapped to that key (RSA-OAEP), base64. */
  wrapped: Map<string, string>;
}

/** SHA-256 (hex) of the key's DER SubjectPublicKeyInfo: what the instance computes with
 * `openssl pkey -pubout -outform DER | sha256sum`. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** Seals `secrets` once for every key in `publicKeysPem` (duplicates count once). */
export function sealSecrets(
  publicKeysPem: readonly string[],
  secrets: Record<string, string>,
): SealedSecrets {
  const plain = Buffer.from(envFile(secrets, HEADER), 'utf8');
  const password = randomBytes(32).toString('hex');
  const macKey = randomBytes(32).toString('hex');
  const secret = Buffer.from(`${password}\n${macKey}\n`, 'ascii');
  const wrapped = new Map<string, string>();
  for (const pem of publicKeysPem) {
    const fp = keyFingerprint(pem);
    if (wrapped.has(fp)) continue;
    const w = publicEncrypt(
      { key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      secret,
    );
    wrapped.set(fp, w.toString('base64'));
  }
  const salt = randomBytes(8);
  const keyIv = pbkdf2Sync(password, salt, PBKDF2_ITER, 48, 'sha256');
  const cipher = createCipheriv('aes-256-ctr', keyIv.subarray(0, 32), keyIv.subarray(32, 48));
  const payload = Buffer.concat([
    Buffer.from('Salted__', 'ascii'),
    salt,
    cipher.update(plain),
    cipher.final(),
  ]);
  const mac = createHmac('sha256', Buffer.from(macKey, 'hex')).update(payload).digest();
  return { payload: payload.toString('base64'), mac: mac.toString('base64'), wrapped };
}

function entry(fingerprint: string, wrapped: string): string {
  if (!FINGERPRINT.test(fingerprint) || !BASE64.test(wrapped)) {
    throw new Error('sealed secrets are not in the expected format (use sealSecrets)');
  }
  return `  ${fingerprint}) wrapped=${sh(wrapped)} ;;`;
}

function installScript(sealed: SealedSecrets, entries: readonly string[]): string {
  if (!BASE64.test(sealed.payload) || !BASE64.test(sealed.mac)) {
    throw new Error('sealed secrets are not in the expected format (use sealSecrets)');
  }
  return (
    [
      '#!/bin/bash',
      `# spot-deployer secrets: install ${SECRETS_FILE} (sealed to each instance's own key)`,
      ...HEAD,
      '[ -s "$key" ] || fail "no secrets key on this instance (run the secrets-key command first)"',
      `dest=${SECRETS_FILE}`,
      'fp=$(openssl pkey -in "$key" -pubout -outform DER | sha256sum) ||',
      '  fail "cannot read the secrets key of this instance"',
      'fp=${fp%% *}',
      'case "$fp" in',
      ...entries,
      '  *) fail "no secrets were sealed to this instance\'s key (sha256 $fp)" ;;',
      'esac',
      `payload=${sh(sealed.payload)}`,
      `mac=${sh(sealed.mac)}`,
      // leftovers of a command that was killed (SIGKILL runs no trap)
      'rm -rf -- "$S"/seal.* "$dest".*.tmp',
      'work=$(mktemp -d "$S/seal.XXXXXX")',
      'trap \'rm -rf -- "$work"\' EXIT',
      'printf \'%s\' "$wrapped" | base64 -d >"$work/wrapped"',
      'printf \'%s\' "$payload" | base64 -d >"$work/payload"',
      'openssl pkeyutl -decrypt -inkey "$key" -pkeyopt rsa_padding_mode:oaep \\',
      '  -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 \\',
      '  -in "$work/wrapped" -out "$work/keys" 2>/dev/null ||',
      '  fail "cannot open the sealed secrets with this instance\'s key"',
      '{ read -r password && read -r mackey; } <"$work/keys" || fail "sealed secrets are damaged"',
      'printf \'%s\\n\' "$password" >"$work/password"',
      // The MAC key is on openssl's command line for an instant; it only authenticates this
      // one message, which has been received already, so seeing it gains nothing.
      'got=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$mackey" -binary <"$work/payload" | base64 -w0)',
      '[ "$got" = "$mac" ] || fail "sealed secrets failed their integrity check"',
      `openssl enc -d -aes-256-ctr -pbkdf2 -iter ${PBKDF2_ITER} -md sha256 \\`,
      '  -pass "file:$work/password" -in "$work/payload" -out "$work/plain" ||',
      '  fail "cannot decrypt the sealed secrets"',
      // An identical file stays as it is (not even its directory is touched).
      'if [ -f "$dest" ] && [ ! -L "$dest" ] && [ "$(stat -c \'%a %u %g\' -- "$dest")" = "600 0 0" ] &&',
      '  [ "$(sha256sum <"$dest")" = "$(sha256sum <"$work/plain")" ]; then',
      '  echo "secrets unchanged in $dest"',
      '  exit 0',
      'fi',
      `install -d -m 0755 -- ${CONFIG_DIR}`,
      'tmp="$dest.$$.tmp"',
      'cat -- "$work/plain" >"$tmp"',
      'chown root:root -- "$tmp"',
      'chmod 0600 -- "$tmp"',
      'mv -fT -- "$tmp" "$dest"',
      'echo "secrets installed in $dest"',
    ].join('\n') + '\n'
  );
}

/** The command that installs `sealed` on the instances holding the keys `fingerprints`
 * (all of them by default). Throws when it would not fit in one command. */
export function secretsInstallScript(
  sealed: SealedSecrets,
  fingerprints: readonly string[] = [...sealed.wrapped.keys()],
): string {
  const entries = [...new Set(fingerprints)].map((fp) => {
    const w = sealed.wrapped.get(fp);
    if (w === undefined) throw new Error(`no sealed entry for the key ${fp}`);
    return entry(fp, w);
  });
  const script = installScript(sealed, entries);
  if (jsonBytes(script) > COMMAND_BUDGET) {
    throw new Error(
      `the secrets are too large to deliver in one command (${jsonBytes(script)} bytes, limit ${COMMAND_BUDGET})`,
    );
  }
  return script;
}

/**
 * Throws, as secretsInstallScript would at delivery, when `secrets` cannot reach even one
 * instance in one command. Exact without any key: the sizes of every part are known (the
 * payload is 16 bytes of header and salt plus the env file, in base64). Checked before
 * anything is launched.
 */
export function assertSecretsFit(secrets: Record<string, string>): void {
  const plain = Buffer.byteLength(envFile(secrets, HEADER), 'utf8');
  secretsInstallScript({
    payload: 'A'.repeat(4 * Math.ceil((16 + plain) / 3)),
    mac: 'A'.repeat(44),
    wrapped: new Map([['0'.repeat(64), 'A'.repeat(WRAPPED_CHARS)]]),
  });
}

/** One install command and the instances it is for (indices into the keys given). */
export interface SecretsCommand {
  script: string;
  keys: number[];
}

export interface SealedCommands {
  commands: SecretsCommand[];
  /** Indices of keys that are not readable public keys: those instances get no secrets. */
  unreadable: number[];
}

function fingerprintOrUndefined(pem: string): string | undefined {
  try {
    return keyFingerprint(pem);
  } catch {
    return undefined;
  }
}

/**
 * Seals `secrets` once for all `publicKeysPem` (one per instance) and packs the install
 * commands: each for at most `maxKeys` instances and within one command's size, so the
 * usual case is one command per `maxKeys` instances. A key that cannot be read is left out
 * (and reported), so one broken instance does not stop the others.
 */
export function sealForInstances(
  publicKeysPem: readonly string[],
  secrets: Record<string, string>,
  maxKeys: number,
): SealedCommands {
  const fps = publicKeysPem.map(fingerprintOrUndefined);
  const unreadable = fps.flatMap((fp, i) => (fp === undefined ? [i] : []));
  const readable = publicKeysPem.filter((_, i) => fps[i] !== undefined);
  if (readable.length === 0) return { commands: [], unreadable };
  const sealed = sealSecrets(readable, secrets);
  const empty = jsonBytes(installScript(sealed, []));
  const commands: SecretsCommand[] = [];
  let group: { fps: Set<string>; keys: number[]; bytes: number } | undefined;
  const close = () => {
    if (!group) return;
    commands.push({ script: secretsInstallScript(sealed, [...group.fps]), keys: group.keys });
    group = undefined;
  };
  fps.forEach((fp, i) => {
    if (fp === undefined) return;
    const cost = group?.fps.has(fp) ? 0 : jsonBytes(`${entry(fp, sealed.wrapped.get(fp) ?? '')}\n`);
    if (group && (group.keys.length >= maxKeys || group.bytes + cost > COMMAND_BUDGET)) close();
    if (!group) group = { fps: new Set(), keys: [], bytes: empty };
    if (!group.fps.has(fp)) {
      group.fps.add(fp);
      group.bytes += cost;
    }
    group.keys.push(i);
  });
  close();
  return { commands, unreadable };
}
