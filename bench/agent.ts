// What the simulated instances print: the local cloud's simulated backend runs no script, so
// the benchmark answers the two commands whose output the action reads, as a healthy instance
// would: the service check (`name=active` lines) and the secrets key command (a public key of
// the instance's own, so a batched install command carries one sealed entry per instance as
// it would on real instances).

import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

/** Distinct keys, made once before any timing starts (RSA generation is slow). */
const POOL_SIZE = 120;
const pool: string[] = await Promise.all(
  Array.from({ length: POOL_SIZE }, async () => {
    const { publicKey } = await promisify(generateKeyPair)('rsa', {
      modulusLength: 3072,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return publicKey;
  }),
);

export function simulatedStdout(): (script: string, instanceId: string) => string {
  const keyOf = new Map<string, string>();
  return (script, instanceId) => {
    if (script.includes('systemctl is-active')) {
      const list = /for s in (.*); do/.exec(script)?.[1] ?? '';
      return [...list.matchAll(/'((?:[^']|'\\'')*)'/g)]
        .map((m) => `${(m[1] ?? '').replace(/'\\''/g, "'")}=active\n`)
        .join('');
    }
    if (script.includes('# spot-deployer secrets-key:')) {
      let pem = keyOf.get(instanceId);
      if (pem === undefined) {
        pem = pool[keyOf.size % POOL_SIZE] ?? '';
        keyOf.set(instanceId, pem);
      }
      return pem;
    }
    return '';
  };
}
