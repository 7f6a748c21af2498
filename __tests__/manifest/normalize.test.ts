// Normalization of both file shapes (the original tool's and the native one) into the
// model, defaults, and the warnings for settings that no longer mean anything.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDeployment } from '../../src/validate/load.ts';
import { project, spotFiles, UNIT } from './helpers.ts';

async function loadOk(root: string) {
  const result = await loadDeployment(root);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  assert.ok(result.deployment);
  return result.deployment;
}

const ORIGINAL = `aws:
  total_instances: 3
  username: ubuntu
  public_ssh_key_path: ~/.ssh/id_ed25519.pub
  private_ssh_key_path: ~/.ssh/id_ed25519
  instance_storage_gb: 30
  associate_public_ip: false
  use_dedicated_vpc: true
  spot_price_limit: 0.05
  tags:
    Project: demo
    NodeCount: 3
regions:
  - us-west-2:
      machine_type: t3.medium
      image: auto
  - eu-west-1:
      machine_type: t3.small
      image: ami-0123456789abcdef0
`;

const NATIVE = `aws:
  total_instances: 3
  instance_storage_gb: 30
  associate_public_ip: false
  spot:
    max_price: '0.05'
  tags:
    Project: demo
    NodeCount: '3'
regions:
  us-west-2:
    instance_types: [t3.medium]
  eu-west-1:
    instance_types: [t3.small]
    image: ami-0123456789abcdef0
`;

test('the original and the native config shapes normalize to the same cloud settings', async (t) => {
  const a = await loadOk(await project(t, spotFiles({ '.spot/config.yaml': ORIGINAL })));
  const b = await loadOk(await project(t, spotFiles({ '.spot/config.yaml': NATIVE })));
  assert.deepEqual(a.cloud, b.cloud);
  assert.deepEqual(a.cloud, {
    totalInstances: 3,
    regions: [
      { name: 'us-west-2', instanceTypes: ['t3.medium'], image: 'auto', subnets: [] },
      {
        name: 'eu-west-1',
        instanceTypes: ['t3.small'],
        image: 'ami-0123456789abcdef0',
        subnets: [],
      },
    ],
    tags: { Project: 'demo', NodeCount: '3' },
    os: 'ubuntu-24.04',
    maxPrice: '0.05',
    onDemandFallback: false,
    associatePublicIp: false,
    rootVolumeGb: 30,
  });
  assert.deepEqual(b.warnings, []);
});

test('obsolete settings are accepted with one located warning each', async (t) => {
  const root = await project(t, spotFiles({ '.spot/config.yaml': ORIGINAL }));
  const result = await loadDeployment(root);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  assert.deepEqual(
    warnings.map((w) => [w.file, w.line, w.col, w.message.split(' is obsolete')[0]]),
    [
      ['.spot/config.yaml', 3, 3, "'aws.username'"],
      ['.spot/config.yaml', 4, 3, "'aws.public_ssh_key_path'"],
      ['.spot/config.yaml', 5, 3, "'aws.private_ssh_key_path'"],
      ['.spot/config.yaml', 8, 3, "'aws.use_dedicated_vpc'"],
    ],
  );
  assert.match(warnings[0]!.message, /SSM, not SSH/);
  assert.deepEqual(result.deployment?.warnings, warnings);
});

test('defaults: 3 instances, t3.medium, auto image, 20 GiB, public IP, no fallback', async (t) => {
  const d = await loadOk(
    await project(t, spotFiles({ '.spot/config.yaml': 'regions:\n  - us-east-2:\n' })),
  );
  assert.deepEqual(d.cloud, {
    totalInstances: 3,
    regions: [{ name: 'us-east-2', instanceTypes: ['t3.medium'], image: 'auto', subnets: [] }],
    tags: {},
    os: 'ubuntu-24.04',
    onDemandFallback: false,
    associatePublicIp: true,
    rootVolumeGb: 20,
  });
});

test('native region settings: counts, subnets, several types, instance profile, ttl', async (t) => {
  const config = `aws:
  os: al2023
  instance_profile: spot-ssm
  ttl: 90m
  spot: { on_demand_fallback: true }
regions:
  us-west-2:
    instance_types: [t4g.small, t3.small]
    subnets: [subnet-0123456789abcdef0, subnet-89abcdef]
    count: 2
  us-east-1:
    count: 1
`;
  const d = await loadOk(await project(t, spotFiles({ '.spot/config.yaml': config })));
  assert.equal(d.cloud.totalInstances, 3, 'the sum of the counts when every region has one');
  assert.equal(d.cloud.os, 'al2023');
  assert.equal(d.cloud.instanceProfile, 'spot-ssm');
  assert.equal(d.cloud.ttlSeconds, 5400);
  assert.equal(d.cloud.onDemandFallback, true);
  assert.deepEqual(d.cloud.regions[0], {
    name: 'us-west-2',
    instanceTypes: ['t4g.small', 't3.small'],
    image: 'auto',
    subnets: ['subnet-0123456789abcdef0', 'subnet-89abcdef'],
    count: 2,
  });
  assert.equal(d.cloud.regions[1]?.count, 1);
});

test('ttl: seconds, units and off', async (t) => {
  for (const [ttl, seconds] of [
    ['3600', 3600],
    ['"2d"', 172800],
    ['off', undefined],
  ] as const) {
    const config = `aws:\n  ttl: ${ttl}\nregions:\n  us-west-2: {}\n`;
    const d = await loadOk(await project(t, spotFiles({ '.spot/config.yaml': config })));
    assert.equal(d.cloud.ttlSeconds, seconds, ttl);
  }
});

test('more regions than instances: the extra regions get none, with a warning', async (t) => {
  const config = 'aws:\n  total_instances: 1\nregions:\n  us-west-2: {}\n  us-east-1: {}\n';
  const root = await project(t, spotFiles({ '.spot/config.yaml': config }));
  const result = await loadDeployment(root);
  assert.ok(result.deployment);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.line, d.severity]),
    [[5, 'warning']],
  );
  assert.match(result.diagnostics[0]!.message, /us-east-1' gets no instance/);
});

test('uploads: dest and destination, permissions written as numbers, owner, trailing slashes', async (t) => {
  const deployment = `version: 1
deployment:
  uploads:
    - source: files/a.conf
      dest: /etc/a.conf
      permissions: 600
    - source: files/b.conf
      destination: /etc/b.conf
      permissions: 0o640
      owner: www-data:www-data
    - source: files/
      destination: /opt/files/
      permissions: '755'
      exclude: ['*.tmp']
`;
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': deployment,
      '.spot/files/a.conf': 'a\n',
      '.spot/files/b.conf': 'b\n',
    }),
  );
  const d = await loadOk(root);
  assert.deepEqual(d.uploads, [
    { source: 'files/a.conf', destination: '/etc/a.conf', mode: '0600', exclude: [] },
    {
      source: 'files/b.conf',
      destination: '/etc/b.conf',
      mode: '0640',
      owner: 'www-data:www-data',
      exclude: [],
    },
    { source: 'files/', destination: '/opt/files', mode: '0755', exclude: ['*.tmp'] },
  ]);
});

test('scripts run by order, ties in the written order; names default to the file name', async (t) => {
  const deployment = `version: 1
deployment:
  scripts:
    - path: scripts/c.sh
      order: 2
    - path: scripts/a.sh
      order: 1
      timeout: 20m
      workdir: /srv/app/
    - name: b
      path: scripts/b.sh
      order: 1
    - path: scripts/first.sh
`;
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': deployment,
      '.spot/scripts/a.sh': 'true\n',
      '.spot/scripts/b.sh': 'true\n',
      '.spot/scripts/c.sh': 'true\n',
      '.spot/scripts/first.sh': 'true\n',
    }),
  );
  const d = await loadOk(root);
  assert.deepEqual(
    d.scripts.map((s) => [s.name, s.order, s.workdir, s.timeoutSeconds]),
    [
      ['first', 0, '/opt/deployment', 600],
      ['a', 1, '/srv/app', 1200],
      ['b', 1, '/opt/deployment', 600],
      ['c', 2, '/opt/deployment', 600],
    ],
  );
});

test('services: name from the file, .service suffix dropped, enabled and start default to true', async (t) => {
  const deployment = `version: 1
deployment:
  services:
    - file: services/web.service
    - name: worker@1.service
      file: services/worker.unit
      enabled: false
      start: false
      health: { tcp: 'localhost:9000', retries: 3 }
`;
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': deployment,
      '.spot/services/web.service': UNIT,
      '.spot/services/worker.unit': UNIT.replace(/\[Install\][^]*$/, ''),
    }),
  );
  const d = await loadOk(root);
  assert.deepEqual(d.services, [
    { name: 'web', file: 'services/web.service', enabled: true, start: true },
    {
      name: 'worker@1',
      file: 'services/worker.unit',
      enabled: false,
      start: false,
      health: {
        kind: 'tcp',
        host: 'localhost',
        port: 9000,
        retries: 3,
        intervalSeconds: 3,
        timeoutSeconds: 5,
      },
    },
  ]);
});

test('env values are text as written; templates docker and a #cloud-config file', async (t) => {
  const deployment = `version: 1
deployment:
  template: docker
  env:
    PORT: 8080
    RATIO: 1.50
    DEBUG: false
    NAME: app
`;
  const d = await loadOk(await project(t, spotFiles({ '.spot/deployment.yaml': deployment })));
  assert.deepEqual(d.env, { PORT: '8080', RATIO: '1.50', DEBUG: 'false', NAME: 'app' });
  assert.deepEqual(d.template, { kind: 'docker' });

  const withFile = `version: 1\ndeployment:\n  template: cloud/base.yaml\n  packages: [jq]\n`;
  const d2 = await loadOk(
    await project(
      t,
      spotFiles({
        '.spot/deployment.yaml': withFile,
        '.spot/cloud/base.yaml': '#cloud-config\ntimezone: UTC\n',
      }),
    ),
  );
  assert.deepEqual(d2.template, { kind: 'file', path: 'cloud/base.yaml' });
});

test('tarball_url with its sha256 (lower-cased) and a default destination', async (t) => {
  const sha = 'AB'.repeat(32);
  const deployment = `version: 1\ndeployment:\n  tarball_url: s3://bucket/app.tar.gz\n  tarball_sha256: ${sha}\n`;
  const d = await loadOk(await project(t, spotFiles({ '.spot/deployment.yaml': deployment })));
  assert.deepEqual(d.tarball, {
    kind: 'url',
    url: 's3://bucket/app.tar.gz',
    sha256: sha.toLowerCase(),
    destination: '/opt/deployment',
  });
});

test('a symlink that stays inside the repository is fine', async (t) => {
  const deployment = `version: 1\ndeployment:\n  uploads:\n    - source: ../shared/app.conf\n      destination: /etc/app.conf\n`;
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': deployment,
      'real/app.conf': 'x\n',
      'shared/app.conf': { symlink: '../real/app.conf' },
    }),
  );
  const d = await loadOk(root);
  assert.equal(d.uploads[0]?.source, '../shared/app.conf');
});

test('every error is reported at once, across both files', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/config.yaml': 'aws:\n  total_instances: 0\n  os: windows\nregions: {}\n',
      '.spot/deployment.yaml':
        'version: 1\ndeployment:\n  packages: [Bad]\n  uploads:\n    - source: nope\n      destination: rel\n',
    }),
  );
  const result = await loadDeployment(root);
  assert.equal(result.deployment, undefined);
  assert.deepEqual(
    result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`),
    [
      '.spot/config.yaml:2:20',
      '.spot/config.yaml:3:7',
      '.spot/config.yaml:4:10',
      '.spot/deployment.yaml:3:14',
      '.spot/deployment.yaml:5:15',
      '.spot/deployment.yaml:6:20',
    ],
  );
});
