import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  COMMAND_BUDGET
} from "./chunk-6KFZP2ZV.js";
import {
  CONFIG_DIR,
  SECRETS_FILE,
  STATE_DIR
} from "./chunk-7B7HW6FF.js";
import {
  envFile,
  jsonBytes,
  sh
} from "./chunk-ET7XX2IW.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-SLSPYRCZ.js";

// src/plan/secrets.ts
import {
  constants,
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  pbkdf2Sync,
  publicEncrypt,
  randomBytes
} from "node:crypto";
var SECRETS_KEY = `${STATE_DIR}/secrets-key.pem`;
var PBKDF2_ITER = 1e4;
var HEADER = "secrets delivered by spot-deployer (root only; do not edit)";
var WRAPPED_CHARS = 512;
var BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
var FINGERPRINT = /^[0-9a-f]{64}$/;
var HEAD = [
  "set -euo pipefail",
  "umask 077",
  "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  `S=${STATE_DIR}`,
  `key=${SECRETS_KEY}`,
  `fail() { printf 'spot-deployer: %s\\n' "$*" >&2; exit 1; }`,
  'command -v openssl >/dev/null 2>&1 || fail "openssl is needed on the instance to receive secrets"'
];
function secretsKeyScript() {
  return [
    "#!/bin/bash",
    "# spot-deployer secrets-key: create (once) the key secrets are sealed to; print its public half",
    ...HEAD,
    'install -d -m 0700 -- "$S"',
    'if [ ! -s "$key" ]; then',
    '  rm -f -- "$key.tmp"',
    '  if ! err=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$key.tmp" 2>&1); then',
    '    fail "cannot create the secrets key: $err"',
    "  fi",
    '  mv -f -- "$key.tmp" "$key"',
    "fi",
    'chown root:root -- "$key"',
    'chmod 0600 -- "$key"',
    'openssl pkey -in "$key" -pubout'
  ].join("\n") + "\n";
}
function keyFingerprint(publicKeyPem) {
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex");
}
function sealSecrets(publicKeysPem, secrets) {
  const plain = Buffer.from(envFile(secrets, HEADER), "utf8");
  const password = randomBytes(32).toString("hex");
  const macKey = randomBytes(32).toString("hex");
  const secret = Buffer.from(`${password}
${macKey}
`, "ascii");
  const wrapped = /* @__PURE__ */ new Map();
  for (const pem of publicKeysPem) {
    const fp = keyFingerprint(pem);
    if (wrapped.has(fp)) continue;
    const w = publicEncrypt(
      { key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      secret
    );
    wrapped.set(fp, w.toString("base64"));
  }
  const salt = randomBytes(8);
  const keyIv = pbkdf2Sync(password, salt, PBKDF2_ITER, 48, "sha256");
  const cipher = createCipheriv("aes-256-ctr", keyIv.subarray(0, 32), keyIv.subarray(32, 48));
  const payload = Buffer.concat([
    Buffer.from("Salted__", "ascii"),
    salt,
    cipher.update(plain),
    cipher.final()
  ]);
  const mac = createHmac("sha256", Buffer.from(macKey, "hex")).update(payload).digest();
  return { payload: payload.toString("base64"), mac: mac.toString("base64"), wrapped };
}
function entry(fingerprint, wrapped) {
  if (!FINGERPRINT.test(fingerprint) || !BASE64.test(wrapped)) {
    throw new Error("sealed secrets are not in the expected format (use sealSecrets)");
  }
  return `  ${fingerprint}) wrapped=${sh(wrapped)} ;;`;
}
function installScript(sealed, entries) {
  if (!BASE64.test(sealed.payload) || !BASE64.test(sealed.mac)) {
    throw new Error("sealed secrets are not in the expected format (use sealSecrets)");
  }
  return [
    "#!/bin/bash",
    `# spot-deployer secrets: install ${SECRETS_FILE} (sealed to each instance's own key)`,
    ...HEAD,
    '[ -s "$key" ] || fail "no secrets key on this instance (run the secrets-key command first)"',
    `dest=${SECRETS_FILE}`,
    'fp=$(openssl pkey -in "$key" -pubout -outform DER | sha256sum) ||',
    '  fail "cannot read the secrets key of this instance"',
    "fp=${fp%% *}",
    'case "$fp" in',
    ...entries,
    `  *) fail "no secrets were sealed to this instance's key (sha256 $fp)" ;;`,
    "esac",
    `payload=${sh(sealed.payload)}`,
    `mac=${sh(sealed.mac)}`,
    // leftovers of a command that was killed (SIGKILL runs no trap)
    'rm -rf -- "$S"/seal.* "$dest".*.tmp',
    'work=$(mktemp -d "$S/seal.XXXXXX")',
    `trap 'rm -rf -- "$work"' EXIT`,
    `printf '%s' "$wrapped" | base64 -d >"$work/wrapped"`,
    `printf '%s' "$payload" | base64 -d >"$work/payload"`,
    'openssl pkeyutl -decrypt -inkey "$key" -pkeyopt rsa_padding_mode:oaep \\',
    "  -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 \\",
    '  -in "$work/wrapped" -out "$work/keys" 2>/dev/null ||',
    `  fail "cannot open the sealed secrets with this instance's key"`,
    '{ read -r password && read -r mackey; } <"$work/keys" || fail "sealed secrets are damaged"',
    `printf '%s\\n' "$password" >"$work/password"`,
    // The MAC key is on openssl's command line for an instant; it only authenticates this
    // one message, which has been received already, so seeing it gains nothing.
    'got=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$mackey" -binary <"$work/payload" | base64 -w0)',
    '[ "$got" = "$mac" ] || fail "sealed secrets failed their integrity check"',
    `openssl enc -d -aes-256-ctr -pbkdf2 -iter ${PBKDF2_ITER} -md sha256 \\`,
    '  -pass "file:$work/password" -in "$work/payload" -out "$work/plain" ||',
    '  fail "cannot decrypt the sealed secrets"',
    // An identical file stays as it is (not even its directory is touched).
    `if [ -f "$dest" ] && [ ! -L "$dest" ] && [ "$(stat -c '%a %u %g' -- "$dest")" = "600 0 0" ] &&`,
    '  [ "$(sha256sum <"$dest")" = "$(sha256sum <"$work/plain")" ]; then',
    '  echo "secrets unchanged in $dest"',
    "  exit 0",
    "fi",
    `install -d -m 0755 -- ${CONFIG_DIR}`,
    'tmp="$dest.$$.tmp"',
    'cat -- "$work/plain" >"$tmp"',
    'chown root:root -- "$tmp"',
    'chmod 0600 -- "$tmp"',
    'mv -fT -- "$tmp" "$dest"',
    'echo "secrets installed in $dest"'
  ].join("\n") + "\n";
}
function secretsInstallScript(sealed, fingerprints = [...sealed.wrapped.keys()]) {
  const entries = [...new Set(fingerprints)].map((fp) => {
    const w = sealed.wrapped.get(fp);
    if (w === void 0) throw new Error(`no sealed entry for the key ${fp}`);
    return entry(fp, w);
  });
  const script = installScript(sealed, entries);
  if (jsonBytes(script) > COMMAND_BUDGET) {
    throw new Error(
      `the secrets are too large to deliver in one command (${jsonBytes(script)} bytes, limit ${COMMAND_BUDGET})`
    );
  }
  return script;
}
function assertSecretsFit(secrets) {
  const plain = Buffer.byteLength(envFile(secrets, HEADER), "utf8");
  secretsInstallScript({
    payload: "A".repeat(4 * Math.ceil((16 + plain) / 3)),
    mac: "A".repeat(44),
    wrapped: /* @__PURE__ */ new Map([["0".repeat(64), "A".repeat(WRAPPED_CHARS)]])
  });
}
function fingerprintOrUndefined(pem) {
  try {
    return keyFingerprint(pem);
  } catch {
    return void 0;
  }
}
function sealForInstances(publicKeysPem, secrets, maxKeys) {
  const fps = publicKeysPem.map(fingerprintOrUndefined);
  const unreadable = fps.flatMap((fp, i) => fp === void 0 ? [i] : []);
  const readable = publicKeysPem.filter((_, i) => fps[i] !== void 0);
  if (readable.length === 0) return { commands: [], unreadable };
  const sealed = sealSecrets(readable, secrets);
  const empty = jsonBytes(installScript(sealed, []));
  const commands = [];
  let group;
  const close = () => {
    if (!group) return;
    commands.push({ script: secretsInstallScript(sealed, [...group.fps]), keys: group.keys });
    group = void 0;
  };
  fps.forEach((fp, i) => {
    if (fp === void 0) return;
    const cost = group?.fps.has(fp) ? 0 : jsonBytes(`${entry(fp, sealed.wrapped.get(fp) ?? "")}
`);
    if (group && (group.keys.length >= maxKeys || group.bytes + cost > COMMAND_BUDGET)) close();
    if (!group) group = { fps: /* @__PURE__ */ new Set(), keys: [], bytes: empty };
    if (!group.fps.has(fp)) {
      group.fps.add(fp);
      group.bytes += cost;
    }
    group.keys.push(i);
  });
  close();
  return { commands, unreadable };
}
export {
  SECRETS_KEY,
  assertSecretsFit,
  keyFingerprint,
  sealForInstances,
  sealSecrets,
  secretsInstallScript,
  secretsKeyScript
};
//# sourceMappingURL=secrets-ZDRVXHEJ.js.map
