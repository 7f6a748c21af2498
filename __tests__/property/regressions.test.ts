// What the manifest property test (manifest.test.ts) found, kept as plain cases: manifests
// the validator let through but the renderer could not render (or rendered wrong), and one
// that crashed the validator. Each must now be a located error, or render right.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/plan.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { project, spotFiles, UNIT } from '../manifest/helpers.ts';
import { cloudConfigText, validateCloudConfigs } from '../render/helpers.ts';

const located = (r: Awaited<ReturnType<typeof loadDeployment>>) =>
  r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);

test('an empty exclude pattern is a located error, not a crash of the validator', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml':
        'version: 1\ndeployment:\n  uploads:\n    - source: files/\n      destination: /opt/files\n      exclude: ["*.log", ""]\n',
      '.spot/files/a.txt': 'a\n',
    }),
  );
  const r = await loadDeployment(root);
  assert.equal(r.deployment, undefined);
  assert.deepEqual(located(r), [
    '.spot/deployment.yaml:6:26: error: an exclude pattern cannot be empty',
  ]);
});

test("a service named '--' is a located error, not a failure to render", async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml':
        'version: 1\ndeployment:\n  services:\n    - name: "--"\n      file: services/web.service\n',
      '.spot/services/web.service': UNIT,
    }),
  );
  const r = await loadDeployment(root);
  assert.equal(r.deployment, undefined);
  assert.deepEqual(located(r), [
    ".spot/deployment.yaml:4:13: error: service name '--' starts with '-', which commands would take for an option",
  ]);
});

test('an environment variable bash will not set (_, UID, BASH_*) is a located error', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml':
        'version: 1\ndeployment:\n  env:\n    PORT: 8080\n    _: x\n    BASH_ENV: /tmp/x\n  packages: [curl]\n',
    }),
  );
  const r = await loadDeployment(root);
  assert.equal(r.deployment, undefined);
  assert.deepEqual(located(r), [
    '.spot/deployment.yaml:5:5: error: environment variable _ is reserved by bash; choose another name',
    '.spot/deployment.yaml:6:5: error: environment variable BASH_ENV is reserved by bash; choose another name',
  ]);
});

test('packages named like YAML 1.1 booleans (no, on, off, yes) reach cloud-init as names', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': 'version: 1\ndeployment:\n  packages: ["no", "on", "off", "yes"]\n',
    }),
  );
  const r = await loadDeployment(root);
  assert.ok(r.deployment, located(r).join('\n'));
  const plan = await buildPlan(r.deployment, {
    deploymentId: 'regression',
    identity: { repository: '', ref: '', sha: '', runId: '1-1' },
    secretNames: [],
  });
  const doc = cloudConfigText(plan.userData);
  assert.deepEqual(await validateCloudConfigs([doc]), ['']);
  assert.match(doc, /packages:\n {2}- "no"\n {2}- "on"\n {2}- "off"\n {2}- "yes"\n/);
});

test('a secret named like a variable bash reserves fails the plan, before anything is launched', async (t) => {
  const root = await project(t, spotFiles());
  const r = await loadDeployment(root);
  assert.ok(r.deployment, located(r).join('\n'));
  await assert.rejects(
    buildPlan(r.deployment, {
      deploymentId: 'regression',
      identity: { repository: '', ref: '', sha: '', runId: '1-1' },
      secretNames: ['DB_PASSWORD', 'UID'],
    }),
    /environment variable UID is reserved by bash/,
  );
});
