// The TTL's bootcmd under the instance's own /bin/sh (dash), in the sandbox, with the clock
// and systemd-run stood in for: the first boot fixes the deadline, a later boot arms only
// what is left of it, and a damaged deadline falls back to the whole TTL. (That the timer
// really powers a booted instance off is checked in instance.test.ts.)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TTL_DEADLINE, ttlBootcmd } from '../../src/plan/userdata.ts';
import { lintScripts } from './helpers.ts';
import { Sandbox } from './sandbox.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.create();
  const setup = await sandbox.exec(
    [
      '#!/bin/bash',
      'set -euo pipefail',
      'mkdir -p /var/lib/cloud/instance /usr/local/bin',
      "printf '#!/bin/sh\\ncat /root/now\\n' >/usr/local/bin/date",
      'printf \'#!/bin/sh\\nprintf "%%s\\\\n" "$@" >/root/armed\\n\' >/usr/local/bin/systemd-run',
      'chmod 0755 /usr/local/bin/date /usr/local/bin/systemd-run',
    ].join('\n') + '\n',
  );
  assert.equal(setup.exitCode, 0, setup.stderr);
});
after(() => sandbox.destroy());

/** One boot at `now` (epoch seconds): runs the bootcmd as cloud-init does (/bin/sh), with a
 * command after it, and returns what systemd-run was asked for. */
async function boot(now: number): Promise<{ onActive: string; after: boolean }> {
  const r = await sandbox.exec(
    `#!/bin/sh\necho ${now} >/root/now\n${ttlBootcmd(3600)}\necho after-ttl\n`,
  );
  assert.equal(r.exitCode, 0, r.stderr);
  const armed = (await sandbox.readFile('/root/armed'))?.toString() ?? '';
  return {
    onActive: /^--on-active=(.*)$/m.exec(armed)?.[1] ?? '(not armed)',
    after: r.stdout.includes('after-ttl'),
  };
}

test('a reboot arms what is left of the first boot deadline; past it, power off at once', async () => {
  assert.deepEqual(await boot(1_000), { onActive: '3600', after: true });
  assert.equal((await sandbox.readFile(TTL_DEADLINE))?.toString(), '4600\n');
  assert.deepEqual(await boot(3_000), { onActive: '1600', after: true });
  assert.equal((await sandbox.readFile(TTL_DEADLINE))?.toString(), '4600\n', 'not moved');
  assert.deepEqual(await boot(9_000), { onActive: '1', after: true });
  const armed = (await sandbox.readFile('/root/armed'))?.toString() ?? '';
  assert.match(armed, /^--unit=spot-deployer-ttl$/m);
  assert.match(armed, /^--timer-property=DefaultDependencies=no$/m);
  assert.match(armed, /\/usr\/bin\/systemctl\npoweroff\n$/);
});

test('a damaged deadline falls back to the whole TTL, and the bootcmd goes on', async () => {
  const r = await sandbox.exec(`#!/bin/sh\nprintf 'x$(reboot)\\n' >${TTL_DEADLINE}\n`);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.deepEqual(await boot(9_000), { onActive: '3600', after: true });
});

test('the bootcmd passes shellcheck as a POSIX sh script', async () => {
  assert.deepEqual(await lintScripts({ ttl: `#!/bin/sh\n${ttlBootcmd(3600)}\n` }), []);
});
