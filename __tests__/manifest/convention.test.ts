// The convention scanner: the original tool's rules, without its defects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDeployment } from '../../src/validate/load.ts';
import { CONFIG, project, UNIT } from './helpers.ts';

test('marker files add packages; packages.txt adds its own, once each, in order', async (t) => {
  const root = await project(t, {
    'config.yaml': CONFIG,
    'deployment/setup.sh': '#!/bin/bash\n',
    'deployment/requirements.txt': 'flask\n',
    'deployment/package.json': '{}\n',
    'deployment/Gemfile': '',
    'deployment/go.mod': 'module x\n',
    'deployment/Cargo.toml': '',
    'deployment/docker-compose.yaml': 'services: {}\n',
    'deployment/packages.txt': '# tools\njq  curl\npython3 # again\n\n',
  });
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
  assert.deepEqual(result.deployment.packages, [
    'python3',
    'python3-pip',
    'nodejs',
    'npm',
    'ruby',
    'bundler',
    'golang',
    'cargo',
    'docker.io',
    'docker-compose',
    'jq',
    'curl',
  ]);
});

test('scripts: setup.sh, then sorted scripts/*.sh, install.sh, start.sh; init.sh only without setup.sh', async (t) => {
  const root = await project(t, {
    'config.yaml': CONFIG,
    'deployment/setup.sh': '#!/bin/bash\n',
    'deployment/init.sh': '#!/bin/bash\n',
    'deployment/scripts/20-b.sh': '#!/bin/bash\n',
    'deployment/scripts/10-a.sh': '#!/bin/bash\n',
    'deployment/scripts/.hidden.sh': '#!/bin/bash\n',
    'deployment/scripts/old.sh~': '#!/bin/bash\n',
    'deployment/scripts/notes.txt': 'x\n',
    'deployment/scripts/setup.sh': '#!/bin/bash\n',
    'deployment/install.sh': '#!/bin/bash\n',
    'deployment/start.sh': '#!/bin/bash\n',
  });
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
  assert.deepEqual(
    result.deployment.scripts.map((s) => [s.name, s.path, s.order, s.workdir]),
    [
      ['setup', 'setup.sh', 0, '/opt/deployment'],
      ['10-a', 'scripts/10-a.sh', 1, '/opt/deployment'],
      ['20-b', 'scripts/20-b.sh', 2, '/opt/deployment'],
      ['scripts-setup', 'scripts/setup.sh', 3, '/opt/deployment'],
      ['install', 'install.sh', 4, '/opt/deployment'],
      ['start', 'start.sh', 5, '/opt/deployment'],
    ],
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.file, d.severity]),
    [['deployment/init.sh', 'warning']],
  );
});

test('uploads: the directory, configs/, files/, secrets/ and .env with their modes', async (t) => {
  const root = await project(t, {
    'config.yaml': CONFIG,
    'deployment/init.sh': '#!/bin/bash\n',
    'deployment/configs/a.conf': 'a\n',
    'deployment/files/b.bin': 'b\n',
    'deployment/secrets/key': 'k\n',
    'deployment/.env': 'X=1\n',
  });
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
  assert.deepEqual(result.deployment.uploads, [
    { source: '.', destination: '/opt/deployment', exclude: ['.env', 'secrets', 'secrets/**'] },
    { source: 'configs/', destination: '/opt/configs', mode: '0644', exclude: [] },
    { source: 'files/', destination: '/opt/files', mode: '0644', exclude: [] },
    { source: 'secrets/', destination: '/opt/secrets', mode: '0600', exclude: [] },
    { source: '.env', destination: '/opt/deployment/.env', mode: '0600', exclude: [] },
  ]);
  assert.deepEqual(
    result.deployment.scripts.map((s) => s.name),
    ['init'],
  );
});

test('services from services/, systemd/ and the top level are installed, enabled and started', async (t) => {
  const root = await project(t, {
    'config.yaml': CONFIG,
    'deployment/setup.sh': '#!/bin/bash\n',
    'deployment/services/api.service': UNIT,
    'deployment/systemd/worker.service': UNIT,
    'deployment/web.service': UNIT,
    'deployment/README.service.md': 'not a unit\n',
  });
  const result = await loadDeployment(root);
  assert.ok(result.deployment, JSON.stringify(result.diagnostics));
  assert.deepEqual(result.deployment.services, [
    { name: 'api', file: 'services/api.service', enabled: true, start: true },
    { name: 'worker', file: 'systemd/worker.service', enabled: true, start: true },
    { name: 'web', file: 'web.service', enabled: true, start: true },
  ]);
});

test('a broken unit file in the convention layout is reported at the file', async (t) => {
  const root = await project(t, {
    'config.yaml': CONFIG,
    'deployment/setup.sh': '#!/bin/bash\n',
    'deployment/web.service': '[Service]\nExecStart=/bin/true\nnot a line\n',
  });
  const result = await loadDeployment(root);
  assert.equal(result.deployment, undefined);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.file, d.line, d.severity]),
    [
      ['deployment/web.service', 0, 'warning'],
      ['deployment/web.service', 3, 'error'],
    ],
  );
});
