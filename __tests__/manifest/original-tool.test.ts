// Repositories made for the original spot-deployer tool, in the shapes it writes and reads
// (__fixtures__/original.ts): they validate and plan unchanged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlan } from '../../src/plan/plan.ts';
import { collectUploads } from '../../src/plan/render/files.ts';
import { fallbackRegion, loadDeployment } from '../../src/validate/load.ts';
import {
  EARLIER_SPOT_CONFIG,
  generatedLayout,
  instanceFilesTree,
  ORIGINAL_CONFIG,
  ORIGINAL_CONFIGS,
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

const warningsOf = (r: Awaited<ReturnType<typeof loadDeployment>>) =>
  r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);

/** Where each delivered upload file lands, and from which repository file. */
async function landing(d: NonNullable<Awaited<ReturnType<typeof loadDeployment>>['deployment']>) {
  return (await collectUploads(d)).map((f) => [f.dest, f.origin, f.data.toString('utf8')]);
}

test("the original tool's earlier .spot/ generate (a key pair name, quoted directories, a disabled example unit) validates and plans", async (t) => {
  const root = await project(t, {
    ...spotTemplates(EARLIER_SPOT_CONFIG),
    '.spot/services/example.service.disabled': originalService(),
    '.spot/files/README.md': '# Files\n',
    '.gitignore': '.spot/files/orchestrator_*\n*.pem\n',
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const warned = warningsOf(result).join('\n');
  for (const key of ['username', 'ssh_key_name', 'files_directory', 'scripts_directory']) {
    assert.match(warned, new RegExp(`'aws\\.${key}' is obsolete and ignored`));
  }
  const d = result.deployment!;
  assert.equal(d.cloud.totalInstances, 1);
  assert.deepEqual(d.services, []);
  const plan = await buildPlan(d, PLAN_OPTIONS);
  assert.deepEqual(
    plan.regions.map((r) => [r.region, r.count]),
    [['us-west-2', 1]],
  );
});

test('the config.yaml shapes the original tool documents and writes validate and plan beside deployment/', async (t) => {
  const expected: Record<string, Array<[string, number, string]>> = {
    example: [
      ['us-west-2', 1, 't3.medium'],
      ['us-east-1', 1, 't3.medium'],
      ['eu-west-1', 1, 't3.medium'],
    ],
    readme: [
      ['us-west-2', 2, 't3.medium'],
      ['us-east-1', 1, 't3.medium'],
    ],
    setup: [
      ['us-west-2', 1, 't3.medium'],
      ['us-east-1', 1, 't3.medium'],
      ['eu-west-1', 1, 't3.medium'],
    ],
    minimal: [['us-east-2', 2, 't3.micro']],
  };
  for (const [shape, config] of Object.entries(ORIGINAL_CONFIGS)) {
    const root = await project(t, { 'config.yaml': config, 'deployment/setup.sh': ORIGINAL_SETUP });
    const result = await loadDeployment(root);
    assert.deepEqual(errorsOf(result), [], shape);
    // Every setting it has no use for is named in a warning of its own, at its line.
    const aws = Object.keys(
      Object.fromEntries(
        config
          .split('\n')
          .filter((l) => /^ {2}[a-z_]+:/.test(l))
          .map((l) => [l.trim().split(':')[0], true]),
      ),
    );
    const ignored = aws.filter(
      (k) => !['total_instances', 'instance_storage_gb', 'associate_public_ip', 'tags'].includes(k),
    );
    for (const key of ignored) {
      const w = result.diagnostics.find((x) => x.message.startsWith(`'aws.${key}' is obsolete`));
      assert.ok(w, `${shape}: no warning for ${key}`);
      assert.equal(config.split('\n')[w.line - 1]!.trim().split(':')[0], key);
    }
    const plan = await buildPlan(result.deployment!, PLAN_OPTIONS);
    assert.deepEqual(
      plan.regions.map((r) => [r.region, r.count, r.pools[0]!.instanceType]),
      expected[shape],
      shape,
    );
  }
});

test("image: latest, which the original tool's validator allowed, is read as auto with a warning", async (t) => {
  const root = await project(t, {
    'config.yaml': ORIGINAL_CONFIGS.minimal!.replace('image: auto', 'image: latest'),
    'deployment/setup.sh': ORIGINAL_SETUP,
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.equal(result.deployment!.cloud.regions[0]!.image, 'auto');
  const w = result.diagnostics.find((d) => /image 'latest' is read as 'auto'/.test(d.message));
  assert.deepEqual([w?.file, w?.line, w?.col], ['config.yaml', 9, 14]);
});

test('an unknown section of its own is ignored with a warning, as the original did; a near miss stays an error', async (t) => {
  const root = await project(t, {
    'config.yaml': `${ORIGINAL_CONFIGS.minimal}monitoring:\n  enabled: true\n`,
    'deployment/setup.sh': ORIGINAL_SETUP,
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const w = result.diagnostics.find((d) => d.message.includes("'monitoring'"));
  assert.deepEqual(
    [w?.severity, w?.line, w?.message],
    [
      'warning',
      10,
      "unknown section 'monitoring' is ignored; this file's sections are aws, regions",
    ],
  );
  const typo = await project(t, {
    'config.yaml': ORIGINAL_CONFIGS.minimal!.replace('regions:', 'region:'),
    'deployment/setup.sh': ORIGINAL_SETUP,
  });
  assert.deepEqual(
    errorsOf(await loadDeployment(typo)).map((e) => e.message),
    ["unknown key 'region'; did you mean 'regions'?"],
  );
});

test('an empty deployment.yaml, or deployment: left empty, deploys nothing, with a warning', async (t) => {
  for (const text of ['# nothing here yet\n', 'version: 1\ndeployment:\n  # to do\n']) {
    const root = await project(t, spotFiles({ '.spot/deployment.yaml': text }));
    const result = await loadDeployment(root);
    assert.deepEqual(errorsOf(result), [], text);
    assert.deepEqual(warningsOf(result), [
      'the deployment installs nothing: no packages, uploads, scripts, services or tarball',
    ]);
    const d = result.deployment!;
    assert.deepEqual([d.packages, d.uploads, d.scripts, d.services], [[], [], [], []]);
  }
});

test('uploads as the original tool reads them: no dest goes into /opt/deployment/, a dest ending in / takes a file into it', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  uploads:
    - source: files/app.conf
    - source: files/other.conf
    - source: files/
      dest: /opt/uploaded_files/
      permissions: "0644"
    - source: files/app.conf
      dest: /etc/myapp/
      permissions: 600
`,
      '.spot/files/app.conf': 'a=1\n',
      '.spot/files/other.conf': 'b=2\n',
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const files = (await collectUploads(result.deployment!)).map((f) => [f.dest, f.mode]);
  assert.deepEqual(files, [
    ['/opt/deployment/app.conf', '0644'],
    ['/opt/deployment/other.conf', '0644'],
    ['/opt/uploaded_files/app.conf', '0644'],
    ['/opt/uploaded_files/other.conf', '0644'],
    ['/etc/myapp/app.conf', '0600'],
  ]);
  await buildPlan(result.deployment!, PLAN_OPTIONS);
});

test('services as the original tool reads them: a bare file name, or path: for file:', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  services:
    - services/my-app.service
    - path: services/worker.service
      enabled: false
`,
      '.spot/services/my-app.service': originalService(),
      '.spot/services/worker.service': UNIT,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.deepEqual(result.deployment!.services, [
    { name: 'my-app', file: 'services/my-app.service', enabled: true, start: true },
    { name: 'worker', file: 'services/worker.service', enabled: false, start: true },
  ]);
  const both = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  services:
    - file: services/my-app.service
      path: services/my-app.service
    - name: nothing
`,
      '.spot/services/my-app.service': UNIT,
    }),
  );
  assert.deepEqual(
    errorsOf(await loadDeployment(both)).map((e) => `${e.line}:${e.col}: ${e.message}`),
    [
      "5:7: both 'file' and 'path' are set; keep 'file'",
      "6:7: missing required key 'file' in 'deployment.services[1]'",
    ],
  );
});

test("a script's working_dir is its workdir", async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  scripts:
    - path: scripts/setup.sh
      working_dir: /opt/app
`,
      '.spot/scripts/setup.sh': ORIGINAL_SETUP,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.equal(result.deployment!.scripts[0]!.workdir, '/opt/app');
});

test("instance-files/ beside deployment/ goes to /opt/deployment over deployment/'s files, its setup.sh first, with a notice", async (t) => {
  const root = await project(t, {
    ...generatedLayout(),
    ...instanceFilesTree({ 'instance-files/notes.txt': 'from instance-files\n' }),
    'deployment/notes.txt': 'from deployment\n',
    'deployment/app.py': 'print(1)\n',
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const d = result.deployment!;
  assert.deepEqual(
    d.scripts.map((s) => [s.name, s.path, s.workdir]),
    [
      ['instance-files-setup', '../instance-files/setup.sh', '/opt/deployment'],
      ['setup', 'setup.sh', '/opt/deployment'],
    ],
  );
  const files = await landing(d);
  const at = (dest: string) => files.filter((f) => f[0] === dest);
  assert.deepEqual(at('/opt/deployment/notes.txt'), [
    ['/opt/deployment/notes.txt', 'instance-files/notes.txt', 'from instance-files\n'],
  ]);
  assert.equal(at('/opt/deployment/setup.sh')[0]![1], 'instance-files/setup.sh');
  assert.equal(at('/opt/deployment/app.py')[0]![1], 'deployment/app.py');
  assert.equal(at('/opt/deployment/etc/myapp/endpoint.sample').length, 1);
  const notice = result.diagnostics.find((x) => x.severity === 'notice');
  assert.equal(notice?.file, 'instance-files');
  assert.match(notice!.message, /delivered to \/opt\/deployment.*as script 'instance-files-setup'/);
  const plan = await buildPlan(d, PLAN_OPTIONS);
  const ids = plan.steps.map((s) => s.id);
  assert.ok(
    ids.findIndex((i) => i.endsWith('script-instance-files-setup')) <
      ids.findIndex((i) => i.endsWith('script-setup')),
    ids.join(' '),
  );
});

test('instance-files/ without a setup.sh is still delivered; nothing more runs', async (t) => {
  const root = await project(t, {
    ...generatedLayout(),
    'instance-files/opt/app/config.yaml': 'x: 1\n',
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.deepEqual(
    result.deployment!.scripts.map((s) => s.name),
    ['setup'],
  );
  const files = await landing(result.deployment!);
  assert.ok(files.some((f) => f[0] === '/opt/deployment/opt/app/config.yaml'));
});

test("a cloud-init template in the original tool's style has its placeholders left empty, with a warning", async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  packages: [curl]
  template: templates/init.yml
`,
      '.spot/templates/init.yml': `#cloud-config
users:
  - default
  - name: ubuntu
    shell: /bin/bash
    sudo: ALL=(ALL) NOPASSWD:ALL{{SSH_KEY_SECTION}}

packages:
{{PACKAGES}}

runcmd:
  - mkdir -p /opt/deployment
\${UPLOAD_DIRS}
  - echo template-ran > /var/tmp/template-ran
`,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const w = result.diagnostics.find((d) => d.message.includes('placeholders'));
  assert.equal(w?.severity, 'warning');
  assert.match(
    w!.message,
    /\{\{SSH_KEY_SECTION\}\}, \{\{PACKAGES\}\}, \{\{UPLOAD_DIRS\}\} are left empty/,
  );
  const plan = await buildPlan(result.deployment!, PLAN_OPTIONS);
  const userData = plan.userData.text;
  assert.doesNotMatch(userData, /SSH_KEY_SECTION|PACKAGES|UPLOAD_DIRS/);
  assert.match(userData, /sudo: ALL=\(ALL\) NOPASSWD:ALL\n/);
  assert.match(userData, /echo template-ran > \/var\/tmp\/template-ran/);
});

test('additional_commands.sh beside deployment/, where the original told its users to put custom commands, runs last', async (t) => {
  const root = await project(t, {
    ...generatedLayout(),
    'deployment/start.sh': '#!/bin/bash\necho start\n',
    'additional_commands.sh': '#!/bin/bash\necho more\n',
  });
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  assert.deepEqual(
    result.deployment!.scripts.map((s) => [s.name, s.path]),
    [
      ['setup', 'setup.sh'],
      ['start', 'start.sh'],
      ['additional_commands', '../additional_commands.sh'],
    ],
  );
});

test("the original's own layout without deployment/ (config.yaml and instance-files/ alone) is the error it was there, saying what to add", async (t) => {
  const root = await project(t, {
    'config.yaml': ORIGINAL_CONFIGS.example!,
    ...instanceFilesTree(),
  });
  const errors = errorsOf(await loadDeployment(root));
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]!.message,
    /instance-files\/ is here: as with the original tool, it is delivered once a deployment\/ with a setup\.sh .* sits beside it/,
  );
});

test("scripts in the original tool's other shape, command: with working_dir:, run that command", async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  uploads:
    - source: scripts/
      dest: /opt/deployment/scripts
  scripts:
    - command: /opt/deployment/scripts/setup.sh
      working_dir: /opt/deployment
    - command: echo "done" > /var/tmp/done
`,
      '.spot/scripts/setup.sh': ORIGINAL_SETUP,
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const scripts = result.deployment!.scripts;
  assert.deepEqual(
    scripts.map((s) => [s.name, s.command, s.path, s.workdir]),
    [
      ['setup', '/opt/deployment/scripts/setup.sh', undefined, '/opt/deployment'],
      ['echo', 'echo "done" > /var/tmp/done', undefined, '/opt/deployment'],
    ],
  );
  const plan = await buildPlan(result.deployment!, PLAN_OPTIONS);
  const body = plan.steps.map((s) => s.script).join('\n');
  // The command travels as the body of a script (base64 in the upload), run with bash.
  assert.ok(
    body.includes(Buffer.from('#!/bin/bash\necho "done" > /var/tmp/done\n').toString('base64')),
  );
  const both = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  scripts:
    - path: scripts/setup.sh
      command: echo hi
`,
      '.spot/scripts/setup.sh': ORIGINAL_SETUP,
    }),
  );
  assert.deepEqual(
    errorsOf(await loadDeployment(both)).map((e) => `${e.line}:${e.col}: ${e.message}`),
    ["5:7: both 'path' and 'command' are set; keep one"],
  );
});

test('tarball_source as the original tool read it: from the repository root, its setup.sh run first where it is unpacked', async (t) => {
  const root = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  tarball_source: instance-files
  scripts:
    - path: scripts/after.sh
`,
      '.spot/scripts/after.sh': '#!/bin/bash\necho after\n',
      ...instanceFilesTree(),
    }),
  );
  const result = await loadDeployment(root);
  assert.deepEqual(errorsOf(result), []);
  const d = result.deployment!;
  assert.deepEqual(d.tarball, {
    kind: 'source',
    path: '../instance-files',
    destination: '/opt/deployment',
  });
  assert.deepEqual(
    d.scripts.map((s) => [s.name, s.command ?? s.path, s.workdir]),
    [
      ['tarball-setup', 'chmod +x ./setup.sh && ./setup.sh', '/opt/deployment'],
      ['after', 'scripts/after.sh', '/opt/deployment'],
    ],
  );
  const plan = await buildPlan(d, PLAN_OPTIONS);
  const kinds = plan.steps.map((s) => s.kind);
  assert.ok(kinds.indexOf('tarball') < kinds.indexOf('script'), kinds.join(' '));
  // Relative to .spot/ still comes first; a setup.sh listed as a script runs once.
  const listed = await project(
    t,
    spotFiles({
      '.spot/deployment.yaml': `version: 1
deployment:
  tarball_source: tree
  scripts:
    - path: tree/setup.sh
`,
      '.spot/tree/setup.sh': '#!/bin/bash\necho spot\n',
      'tree/setup.sh': '#!/bin/bash\necho root\n',
    }),
  );
  const again = await loadDeployment(listed);
  assert.deepEqual(errorsOf(again), []);
  assert.equal(
    again.deployment!.tarball?.kind === 'source' && again.deployment!.tarball.path,
    'tree',
  );
  assert.deepEqual(
    again.deployment!.scripts.map((s) => s.path),
    ['tree/setup.sh'],
  );
});
