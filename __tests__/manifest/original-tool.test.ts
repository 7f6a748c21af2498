// Repositories made for the original spot-deployer tool, in the shapes it writes and reads
// (__fixtures__/original.ts): they validate and plan unchanged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlan } from '../../src/plan/plan.ts';
import { fallbackRegion, loadDeployment } from '../../src/validate/load.ts';
import {
  generatedLayout,
  ORIGINAL_CONFIG,
  ORIGINAL_SETUP,
  originalService,
  spotTemplates,
} from '../../__fixtures__/original.ts';
import { DEPLOYMENT, project, spotFiles, UNIT } from './helpers.ts';

const errorsOf = (r: Awaited<ReturnType<typeof loadDeployment>>) =>
  r.diagnostics.filter((d) => d.severity === 'error');

const PLAN_OPTIONS = {
  deploymentId: 'acme/web/main',
  identity: { repository: 'acme/web', ref: 'refs/heads/main', sha: 'abc', runId: '1-1' },
  secretNames: [],
};

test("the original tool's .spot/ templates, uploads: and services: holding only comments, validate and plan", async (t) => {
  const root = await project(t, spotTemplates());
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const d = result.deployment!;
  assert.deepEqual(d.uploads, []);
  assert.deepEqual(d.services, []);
  assert.deepEqual(
    d.scripts.map((s) => s.name),
    ['setup', 'additional'],
  );
  assert.deepEqual(d.packages, ['curl', 'python3']);
  const plan = await buildPlan(d, PLAN_OPTIONS);
  assert.ok(plan.steps.some((s) => s.id.endsWith('script-setup')));
});

test('every optional list and map of deployment.yaml may be left empty (null): none', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  packages:
  scripts:
  services:
  env:
  uploads:
    - source: app/
      destination: /opt/app
      exclude:
`,
      '.spot/app/index.html': 'hi\n',
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const d = result.deployment!;
  assert.deepEqual([d.packages, d.scripts, d.services, d.env], [[], [], [], {}]);
  assert.deepEqual(d.uploads, [{ source: 'app/', destination: '/opt/app', exclude: [] }]);
});

test('a service whose health: is left empty has no health check', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  services:
    - file: web.service
      health:
`,
      '.spot/web.service': UNIT,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.equal(result.deployment!.services[0]!.health, undefined);
});

test('every optional list and map of config.yaml may be left empty (null): the defaults', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/config.yaml': `aws:
  tags:
  spot:
regions:
  - us-east-1:
      instance_types:
      subnets:
`,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const cloud = result.deployment!.cloud;
  assert.deepEqual(cloud.tags, {});
  assert.deepEqual(cloud.regions, [
    { name: 'us-east-1', instanceTypes: ['t3.medium'], image: 'auto', subnets: [] },
  ]);
  const bare = await project(
    t,
    spotFiles({ '.spot/config.yaml': 'aws:\nregions:\n  us-east-1:\n' }),
  );
  assert.deepEqual(errorsOf(await loadDeployment(bare)), []);
});

test('a null regions: stays an error: it is required', async (t) => {
  const root = await project(
    t,
    spotFiles({ '.spot/config.yaml': 'aws:\n  total_instances: 1\nregions:\n' }),
  );
  const errors = errorsOf(await loadDeployment(root));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /regions/);
  assert.equal(errors[0]!.file, '.spot/config.yaml');
});

test("the layout the original tool's generate writes (root config.yaml, deployment/setup.sh, files/) validates and plans", async (t) => {
  const root = await project(t, generatedLayout());
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const d = result.deployment!;
  assert.equal(d.layout, 'convention');
  assert.deepEqual(d.files, ['config.yaml']);
  assert.equal(d.cloud.totalInstances, 3);
  assert.deepEqual(d.cloud.tags, { Project: 'Example' });
  assert.equal(d.cloud.rootVolumeGb, 50);
  assert.deepEqual(
    d.scripts.map((s) => s.path),
    ['setup.sh'],
  );
  // files/ beside deployment/ goes where the README generate writes into it says.
  assert.ok(
    d.uploads.some((u) => u.source === '../files/' && u.destination === '/opt/uploaded_files'),
    JSON.stringify(d.uploads),
  );
  const plan = await buildPlan(d, PLAN_OPTIONS);
  assert.deepEqual(
    plan.regions.map((r) => [r.region, r.count, r.pools.map((p) => p.instanceType)]),
    [['us-west-2', 3, ['t3.medium']]],
  );
});

test("the original tool's example service (User=ubuntu) in deployment/services/ is installed", async (t) => {
  const root = await project(t, {
    ...generatedLayout(),
    'deployment/services/my-app.service': originalService(),
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.deepEqual(result.deployment!.services, [
    { name: 'my-app', file: 'services/my-app.service', enabled: true, start: true },
  ]);
});

test('a deployment/ without cloud settings runs one default instance in the fallback region, with a notice', async (t) => {
  const root = await project(t, { 'deployment/setup.sh': ORIGINAL_SETUP });
  const result = await loadDeployment(root, {
    fallbackRegion: { region: 'eu-west-1', from: 'AWS_REGION' },
  });
  assert.deepEqual(errorsOf(result), []);
  const cloud = result.deployment!.cloud;
  assert.equal(cloud.totalInstances, 1);
  assert.deepEqual(cloud.regions, [
    { name: 'eu-west-1', instanceTypes: ['t3.medium'], image: 'auto', subnets: [] },
  ]);
  assert.equal(cloud.os, 'ubuntu-24.04');
  const notices = result.diagnostics.filter((d) => d.severity === 'notice');
  assert.equal(notices.length, 1);
  assert.match(
    notices[0]!.message,
    /1 instance of t3\.medium .* in eu-west-1, the region AWS_REGION names/,
  );
  assert.match(notices[0]!.message, /To pin them, add a config\.yaml next to deployment\//);
  const plan = await buildPlan(result.deployment!, PLAN_OPTIONS);
  assert.deepEqual(
    plan.regions.map((r) => [r.region, r.count]),
    [['eu-west-1', 1]],
  );
});

test('without a region anywhere, a deployment/ without cloud settings is the same error as before', async (t) => {
  const root = await project(t, { 'deployment/setup.sh': ORIGINAL_SETUP });
  for (const options of [{}, { fallbackRegion: fallbackRegion({}, []) }]) {
    const errors = errorsOf(await loadDeployment(root, options));
    assert.deepEqual(
      errors.map((e) => `${e.file}: ${e.message}`),
      [
        'deployment: the deployment/ layout needs cloud settings (at least regions:) in config.yaml next to deployment/ or in .spot/config.yaml',
      ],
    );
  }
});

test('the fallback region: AWS_REGION, else AWS_DEFAULT_REGION, else the regions input', () => {
  const input = ['ap-south-1', 'us-east-2'];
  assert.deepEqual(
    fallbackRegion({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' }, input),
    {
      region: 'eu-west-1',
      from: 'AWS_REGION',
    },
  );
  assert.deepEqual(fallbackRegion({ AWS_REGION: ' ', AWS_DEFAULT_REGION: 'us-east-1' }, input), {
    region: 'us-east-1',
    from: 'AWS_DEFAULT_REGION',
  });
  assert.deepEqual(fallbackRegion({}, input), {
    region: 'ap-south-1',
    from: "the 'regions' input",
  });
  assert.equal(fallbackRegion({}, []), undefined);
});

test("the original tool's config.yaml works as .spot/config.yaml beside a native deployment.yaml", async (t) => {
  const root = await project(
    t,
    spotFiles({ '.spot/config.yaml': ORIGINAL_CONFIG, '.spot/deployment.yaml': DEPLOYMENT }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.ok(result.diagnostics.some((d) => d.severity === 'warning' && /username/.test(d.message)));
});
