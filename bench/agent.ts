// What the simulated instances print: the local cloud's simulated backend runs no script, so
// the benchmark answers the two commands whose output the action reads, as a healthy instance
// would: the service check (`name=active` lines) and the secrets key command (a public key).

import { generateKeyPairSync } from 'node:crypto';

export function simulatedStdout(): (script: string) => string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return (script) => {
    if (script.includes('systemctl is-active')) {
      const list = /for s in (.*); do/.exec(script)?.[1] ?? '';
      return [...list.matchAll(/'((?:[^']|'\\'')*)'/g)]
        .map((m) => `${(m[1] ?? '').replace(/'\\''/g, "'")}=active\n`)
        .join('');
    }
    if (script.includes('openssl pkey') && script.includes('-pubout')) return pem;
    return '';
  };
}
