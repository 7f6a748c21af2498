// Delivery on the second root file system: an image id the local cloud publishes for Debian 13
// boots Debian 13 (newer systemd and cloud-init than Debian 12's; Ubuntu 24.04's lie between),
// and the whole deploy (user data, uploads, script, service, health check) works on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { imagesOf } from '../../cloud/catalog.ts';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, inContainer, newRunId } from '../../__fixtures__/e2e.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({});
});
after(async () => {
  await cloud?.close();
});

test(
  'a Debian 13 image boots Debian 13 and the web fixture deploys on it',
  { timeout: 240_000 },
  async () => {
    const image = imagesOf('us-west-2').find((i) => i.name.startsWith('debian-13-amd64'));
    assert.ok(image);
    const app = await makeApp({ image: image.imageId });
    const r = await action(cloud, {
      runId: newRunId(),
      inputs: {
        command: 'deploy',
        path: app.dir,
        'deployment-id': `e2e/debian13-${process.pid}`,
        'online-timeout': '120s',
      },
    });
    assert.equal(r.code, 0, explain(r));
    const [inst] = cloud.instances().filter((i) => i.state === 'running');
    assert.ok(inst);
    assert.equal(inst.imageId, image.imageId);
    assert.match(inContainer(inst, '. /etc/os-release; echo "$ID $VERSION_ID"'), /^debian 13\n$/);
    assert.match(
      inContainer(inst, `curl -fsS http://127.0.0.1:${app.port}/index.html`),
      /<html|<!doctype/i,
    );
  },
);
