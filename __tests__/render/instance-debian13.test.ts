// The rendered user data and steps of instance.test.ts, booted and delivered again on the
// Debian 13 root file system (newer systemd and cloud-init than Debian 12's).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rootfsForImage, rootfsPath } from '../../cloud/container.ts';

const rootfs = rootfsForImage(
  { platformName: 'Debian GNU/Linux', platformVersion: '13' },
  rootfsPath(),
);
process.env.SPOT_RENDER_ROOTFS = rootfs;

// Imported before any test of this file, so that its before/after hooks are the file's own.
await import('./instance.test.ts');

test('the instances above boot Debian 13', () => {
  assert.match(readFileSync(join(rootfs, 'etc/os-release'), 'utf8'), /^VERSION_ID="13"$/m);
});
