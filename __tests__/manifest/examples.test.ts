// The committed examples, one per layout, load without a warning and normalize into the
// model as documented.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDeployment } from '../../src/validate/load.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

async function load(name: string) {
  const root = join(EXAMPLES, name);
  const result = await loadDeployment(root);
  assert.deepEqual(result.diagnostics, [], `${name} should have no diagnostics`);
  assert.ok(result.deployment);
  return { root, d: result.deployment };
}

test('nodejs-app: .spot/ layout, native config shape, uploads, ordered scripts, a health-checked service', async () => {
  const { root, d } = await load('nodejs-app');
  assert.equal(d.layout, 'spot');
  assert.equal(d.root, root);
  assert.equal(d.baseDir, join(root, '.spot'));
  assert.deepEqual(d.files, ['.spot/config.yaml', '.spot/deployment.yaml']);
  assert.deepEqual(d.cloud, {
    totalInstances: 1,
    regions: [
      { name: 'us-west-2', instanceTypes: ['t3.micro', 't3a.micro'], image: 'auto', subnets: [] },
    ],
    tags: { project: 'nodejs-app-example' },
    os: 'ubuntu-24.04',
    onDemandFallback: true,
    associatePublicIp: true,
    rootVolumeGb: 16,
    ttlSeconds: 4 * 3600,
  });
  assert.deepEqual(d.packages, ['nodejs', 'curl']);
  assert.deepEqual(d.env, { PORT: '8080' });
  assert.deepEqual(d.template, { kind: 'minimal' });
  assert.deepEqual(d.uploads, [
    { source: '../app/', destination: '/opt/app', exclude: ['node_modules/**'] },
    {
      source: 'configs/app.env',
      destination: '/etc/nodejs-app/app.env',
      mode: '0644',
      exclude: [],
    },
  ]);
  assert.deepEqual(
    d.scripts.map((s) => [s.name, s.path, s.order, s.workdir, s.timeoutSeconds]),
    [
      ['prepare', 'scripts/prepare.sh', 1, '/opt/deployment', 600],
      ['check', 'scripts/check.sh', 2, '/opt/deployment', 600],
    ],
  );
  assert.deepEqual(d.services, [
    {
      name: 'nodejs-app',
      file: 'services/nodejs-app.service',
      enabled: true,
      start: true,
      health: {
        kind: 'http',
        url: 'http://127.0.0.1:8080/healthz',
        expectStatus: 200,
        retries: 20,
        intervalSeconds: 2,
        timeoutSeconds: 5,
      },
    },
  ]);
  assert.equal(d.tarball, undefined);
  assert.deepEqual(d.warnings, []);
});

test('convention: deployment/ layout with the original config shape at the root', async () => {
  const { root, d } = await load('convention');
  assert.equal(d.layout, 'convention');
  assert.equal(d.baseDir, join(root, 'deployment'));
  assert.deepEqual(d.files, ['config.yaml', 'deployment/packages.txt']);
  assert.equal(d.cloud.totalInstances, 2);
  assert.deepEqual(
    d.cloud.regions.map((r) => [r.name, r.instanceTypes, r.image]),
    [
      ['us-west-2', ['t3.micro'], 'auto'],
      ['us-east-1', ['t3.micro'], 'auto'],
    ],
  );
  assert.deepEqual(d.cloud.tags, { Project: 'convention-example' });
  assert.equal(d.cloud.rootVolumeGb, 20);
  assert.deepEqual(d.packages, ['python3']);
  assert.deepEqual(d.scripts, [
    { name: 'setup', path: 'setup.sh', order: 0, workdir: '/opt/deployment', timeoutSeconds: 600 },
  ]);
  assert.deepEqual(d.uploads, [
    { source: '.', destination: '/opt/deployment', exclude: ['.env', 'secrets', 'secrets/**'] },
    { source: 'configs/', destination: '/opt/configs', mode: '0644', exclude: [] },
  ]);
  // The original tool skipped convention services; they are installed here.
  assert.deepEqual(d.services, [{ name: 'web', file: 'web.service', enabled: true, start: true }]);
});

test('tarball: .spot/ with tarball_source packed at deploy time and a tcp health check', async () => {
  const { d } = await load('tarball');
  assert.equal(d.layout, 'spot');
  assert.deepEqual(d.tarball, { kind: 'source', path: '../site', destination: '/opt/site' });
  assert.equal(d.cloud.maxPrice, '0.02');
  assert.equal(d.cloud.totalInstances, 1);
  assert.deepEqual(d.services[0]?.health, {
    kind: 'tcp',
    host: '127.0.0.1',
    port: 8080,
    retries: 10,
    intervalSeconds: 3,
    timeoutSeconds: 5,
  });
});
