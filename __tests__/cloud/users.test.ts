// Instances carry the default user of the OS their image names, made by cloud-init from
// system_info.default_user as on that image, so units written for it (User=ubuntu) run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imagesOf } from '../../cloud/catalog.ts';
import { Container } from '../../cloud/container.ts';
import { defaultUserConfig, defaultUserOf } from '../../cloud/users.ts';

test('each published image names the default user of its OS', () => {
  const users = [
    ...new Set(imagesOf('us-west-2').map((i) => `${i.platformName}: ${defaultUserOf(i)?.name}`)),
  ];
  assert.deepEqual(users.sort(), [
    'Amazon Linux: ec2-user',
    'Debian GNU/Linux: admin',
    'Ubuntu: ubuntu',
  ]);
  assert.equal(defaultUserOf({ platformName: 'Windows' }), undefined);
});

test(
  'cloud-init creates the default user at boot, and a unit running as it becomes active',
  { timeout: 120_000 },
  async (t) => {
    const user = defaultUserOf({ platformName: 'Ubuntu' })!;
    const c = await Container.boot({
      name: `users-${process.pid}`,
      userData: `#cloud-config
locale: C.UTF-8
write_files:
  - path: /etc/systemd/system/as-user.service
    content: |
      [Service]
      User=ubuntu
      ExecStart=/bin/sh -c 'id -un > /tmp/whoami; exec sleep infinity'
runcmd:
  - systemctl daemon-reload
  - systemctl start as-user.service
`,
      privateNetwork: true,
      defaultUserConfig: defaultUserConfig(user),
    });
    t.after(() => c.stop());
    await c.waitBooted(90_000);
    assert.deepEqual(await c.cloudInitStatus(), { status: 'done', errors: [] });
    const r = await c.exec(
      'getent passwd ubuntu; id -nG ubuntu; cat /etc/sudoers.d/90-cloud-init-users; systemctl is-active as-user.service; cat /tmp/whoami; getent passwd debian || echo no-debian',
    );
    assert.equal(r.exitCode, 0, r.stderr);
    const [passwd, groups, ...rest] = r.stdout.trim().split('\n');
    assert.match(passwd ?? '', /^ubuntu:x:\d+:\d+:Ubuntu:\/home\/ubuntu:\/bin\/bash$/);
    assert.deepEqual((groups ?? '').split(' ').sort(), ['ubuntu', ...user.groups].sort());
    assert.ok(
      rest.some((l) => l === 'ubuntu ALL=(ALL) NOPASSWD:ALL'),
      r.stdout,
    );
    assert.deepEqual(rest.slice(-3), ['active', 'ubuntu', 'no-debian']);
  },
);
