// Discovery: which layout a directory holds, in the original tool's order, and what is
// said when there is none.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { discover } from '../../src/discover/discover.ts';
import { loadDeployment } from '../../src/validate/load.ts';
import { CONFIG, DEPLOYMENT, project, spotFiles, UNIT } from './helpers.ts';

test('.spot/ with config.yaml and deployment.yaml wins over deployment/', async (t) => {
  const root = await project(t, { ...spotFiles(), 'deployment/setup.sh': '#!/bin/bash\n' });
  const { found, diagnostics } = await discover(root);
  assert.deepEqual(diagnostics, []);
  assert.equal(found?.layout, 'spot');
  assert.equal(found?.baseDir, join(root, '.spot'));
});

test('deployment/ with setup.sh or init.sh is the convention layout', async (t) => {
  for (const main of ['setup.sh', 'init.sh']) {
    const root = await project(t, {
      'config.yaml': CONFIG,
      [`deployment/${main}`]: '#!/bin/bash\n',
    });
    const { found } = await discover(root);
    assert.equal(found?.layout, 'convention', main);
    assert.equal(found?.configFile, 'config.yaml');
  }
});

test('the convention layout takes cloud settings from .spot/config.yaml before config.yaml', async (t) => {
  const root = await project(t, {
    '.spot/config.yaml': CONFIG,
    'config.yaml': 'this: is the app config\n',
    'deployment/setup.sh': '#!/bin/bash\n',
  });
  const { found } = await discover(root);
  assert.equal(found?.layout, 'convention');
  assert.equal(found?.configFile, '.spot/config.yaml');
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
});

test('nothing to deploy: says what was looked for and suggests generate', async (t) => {
  const root = await project(t, { 'README.md': 'hello\n' });
  const { found, diagnostics } = await discover(root);
  assert.equal(found, undefined);
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0]!;
  assert.equal(d.severity, 'error');
  assert.equal(d.file, '.');
  for (const part of [
    '.spot/config.yaml',
    '.spot/deployment.yaml',
    'deployment/setup.sh',
    'deployment/init.sh',
    'spot-deployer generate',
  ]) {
    assert.ok(d.message.includes(part), `message should mention ${part}: ${d.message}`);
  }
});

test('a directory that does not exist, or a file, is refused', async (t) => {
  const root = await project(t, { 'file.txt': 'x\n' });
  const missing = await discover(join(root, 'nope'));
  assert.match(missing.diagnostics[0]!.message, /not found/);
  const file = await discover(join(root, 'file.txt'));
  assert.match(file.diagnostics[0]!.message, /not a directory/);
});

test('a .spot symlink leading out of the repository is refused', async (t) => {
  const outside = await project(t, spotFiles());
  const root = await project(t, { '.spot': { symlink: join(outside, '.spot') } });
  const { found, diagnostics } = await discover(root);
  assert.equal(found, undefined);
  assert.match(diagnostics[0]!.message, /leads outside the repository/);
});

test('a convention deployment with a .spot/ that only holds config.yaml', async (t) => {
  const root = await project(t, {
    '.spot/config.yaml': CONFIG,
    'deployment/init.sh': '#!/bin/bash\n',
    'deployment/app.service': UNIT,
  });
  const result = await loadDeployment(root);
  assert.equal(result.deployment?.layout, 'convention');
  assert.deepEqual(result.deployment?.files, ['.spot/config.yaml']);
});

test('.spot/ with deployment.yaml only and no deployment/ names the missing file', async (t) => {
  const root = await project(t, { '.spot/deployment.yaml': DEPLOYMENT });
  const { diagnostics } = await discover(root);
  assert.match(diagnostics[0]!.message, /config\.yaml is missing/);
});
