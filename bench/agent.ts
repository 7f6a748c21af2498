// What the simulated instances print: the local cloud's simulated backend runs no script, so
// the benchmark answers as a healthy instance would (__fixtures__/agent.ts): the marker lines
// of the steps a command carries, the service check (`name=active` lines) and the secrets key
// command (a public key of the instance's own, so a batched install command carries one
// sealed entry per instance as it would on real instances).

import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { SimulatedAnswer } from '../cloud/backend.ts';
import { simulatedAgent } from '../__fixtures__/agent.ts';

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

/** The simulated instances' answers (__fixtures__/agent.ts), each with a key of its own. */
export function simulatedAnswers(
  commandMs: number,
): (script: string, instanceId: string) => SimulatedAnswer {
  const keyOf = new Map<string, string>();
  return simulatedAgent({
    commandMs,
    keyOf: (instanceId) => {
      let pem = keyOf.get(instanceId);
      if (pem === undefined) {
        pem = pool[keyOf.size % POOL_SIZE] ?? '';
        keyOf.set(instanceId, pem);
      }
      return pem;
    },
  });
}
