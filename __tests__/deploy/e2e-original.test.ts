// Repositories made for the original spot-deployer tool deploy unchanged to the local cloud
// (real systemd-nspawn containers): the layout its `generate` writes with its example
// service running as User=ubuntu and an instance-files/ tree beside it (the original's own
// layout), and a bare deployment/ with no cloud settings at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { freePort } from '../../__fixtures__/app.ts';
import {
  action,
  eventually,
  explain,
  inContainer,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';
import {
  generatedLayout,
  instanceFilesTree,
  ORIGINAL_CONFIG,
  originalService,
  spotTemplates,
} from '../../__fixtures__/original.ts';

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({ instanceProfiles: ['spot-deployer-ssm'] });
});
after(async () => {
  await cloud?.close();
});

function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'spot-original-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return dir;
}

const APP = (port: number) => `import http.server, os
os.makedirs('/opt/myapp/run', exist_ok=True)
http.server.HTTPServer(('127.0.0.1', ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()
`;

/** Deploys `dir` as `deploymentId` with the instance profile the cloud knows. */
function deploy(dir: string, deploymentId: string, env: Record<string, string> = {}) {
  return action(cloud, {
    runId: newRunId(),
    env,
    inputs: {
      path: dir,
      'deployment-id': deploymentId,
      command: 'deploy',
      'instance-profile': 'spot-deployer-ssm',
      'online-timeout': '240s',
    },
  });
}

async function destroy(dir: string, deploymentId: string, env: Record<string, string> = {}) {
  const destroyed = await action(cloud, {
    runId: newRunId(),
    env,
    inputs: { path: dir, 'deployment-id': deploymentId, command: 'destroy' },
  });
  assert.equal(destroyed.code, 0, explain(destroyed));
  assert.ok(
    await eventually(() =>
      instancesOfDeployment(cloud, deploymentId).every((i) => i.state === 'terminated'),
    ),
  );
}

test(
  "the original tool's generated layout, with its example service as User=ubuntu and an instance-files/ tree, deploys and the service is active",
  { timeout: 240_000 },
  async (t) => {
    const port = await freePort();
    const dir = writeTree({
      ...generatedLayout(ORIGINAL_CONFIG.replace('total_instances: 3', 'total_instances: 1')),
      // The app comes in instance-files/opt/, which its setup.sh copies into /opt (it runs
      // first); deployment/setup.sh then hands it to the service's user.
      ...instanceFilesTree({
        'instance-files/opt/myapp/app.py': APP(port),
        'instance-files/notes.txt': 'from instance-files\n',
      }),
      'deployment/setup.sh': `#!/bin/bash
set -e
echo "Starting deployment setup..."
chown -R ubuntu /opt/myapp
test -f /var/tmp/instance-files-ran
echo "Setup complete!"
`,
      'deployment/notes.txt': 'from deployment\n',
      'deployment/services/my-app.service': originalService(),
      'files/README.md': '# Files\nuploaded by the deploy\n',
    });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const deploymentId = `e2e/original-${process.pid}`;
    const deployed = await deploy(dir, deploymentId);
    assert.equal(deployed.code, 0, explain(deployed));
    assert.deepEqual(deployed.errors, []);
    const [inst] = instancesOfDeployment(cloud, deploymentId);
    assert.ok(inst);
    assert.equal(inst.type, 't3.medium');
    assert.equal(inContainer(inst, 'systemctl is-active my-app.service').trim(), 'active');
    assert.equal(
      inContainer(
        inst,
        'ps -o user= -p "$(systemctl show -p MainPID --value my-app.service)"',
      ).trim(),
      'ubuntu',
    );
    assert.match(inContainer(inst, `curl -fsS http://127.0.0.1:${port}/app.py`), /HTTPServer/);
    assert.match(inContainer(inst, 'cat /opt/uploaded_files/README.md'), /uploaded by the deploy/);
    assert.equal(inContainer(inst, 'cat /opt/deployment/notes.txt'), 'from instance-files\n');
    assert.equal(inContainer(inst, 'cat /etc/myapp/endpoint.sample'), 'http://127.0.0.1:1\n');
    await destroy(dir, deploymentId);
  },
);

test(
  'a deployment/ without any cloud settings deploys one instance in the credentials region, with a notice',
  { timeout: 240_000 },
  async (t) => {
    const dir = writeTree({
      'deployment/setup.sh': '#!/bin/bash\necho set up > /var/tmp/setup-ran\n',
    });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const deploymentId = `e2e/no-config-${process.pid}`;
    const deployed = await deploy(dir, deploymentId, { AWS_REGION: 'eu-west-1' });
    assert.equal(deployed.code, 0, explain(deployed));
    assert.match(
      deployed.stdout,
      /::notice file=\S*deployment::no cloud settings \(config\.yaml\): deploying 1 instance of t3\.medium .*in eu-west-1, the region AWS_REGION names/,
    );
    const found = instancesOfDeployment(cloud, deploymentId);
    assert.deepEqual(
      found.map((i) => [i.region, i.type]),
      [['eu-west-1', 't3.medium']],
    );
    assert.equal(inContainer(found[0]!, 'cat /var/tmp/setup-ran').trim(), 'set up');
    // Destroy finds it in the same region, with the same credentials and no record.
    await destroy(dir, deploymentId, { AWS_REGION: 'eu-west-1' });
  },
);

test(
  "the original tool's .spot/ templates (uploads: and services: only comments) deploy and run their scripts",
  { timeout: 300_000 },
  async (t) => {
    const one = ORIGINAL_CONFIG.replace('total_instances: 3', 'total_instances: 1');
    const dir = writeTree({
      ...spotTemplates(one),
      '.spot/scripts/additional_commands.sh': '#!/bin/bash\necho more > /var/tmp/additional-ran\n',
    });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const deploymentId = `e2e/original-spot-${process.pid}`;
    const deployed = await deploy(dir, deploymentId);
    assert.equal(deployed.code, 0, explain(deployed));
    assert.match(deployed.stdout, /Step \d+-script-setup/);
    const [inst] = instancesOfDeployment(cloud, deploymentId);
    assert.ok(inst);
    assert.equal(inContainer(inst, 'cat /var/tmp/additional-ran').trim(), 'more');
    await destroy(dir, deploymentId);
  },
);

test(
  "the original tool's other .spot/ shapes deploy: tarball_source from the root with its setup.sh, a command: script, a bare service name, an upload without dest",
  { timeout: 240_000 },
  async (t) => {
    const one = ORIGINAL_CONFIG.replace('total_instances: 3', 'total_instances: 1');
    const dir = writeTree({
      '.spot/config.yaml': one,
      '.spot/deployment.yaml': `version: 1
deployment:
  tarball_source: instance-files
  uploads:
    - source: files/app.conf
  scripts:
    - command: cp /opt/deployment/app.conf /var/tmp/app.conf
      working_dir: /opt/deployment
  services:
    - services/idle.service
`,
      '.spot/files/app.conf': 'a=1\n',
      '.spot/services/idle.service': originalService('/opt/deployment', '/bin/sleep infinity'),
      ...instanceFilesTree(),
    });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const deploymentId = `e2e/original-shapes-${process.pid}`;
    const deployed = await deploy(dir, deploymentId);
    assert.equal(deployed.code, 0, explain(deployed));
    assert.match(deployed.stdout, /Step \d+-script-tarball-setup/);
    const [inst] = instancesOfDeployment(cloud, deploymentId);
    assert.ok(inst);
    assert.equal(inContainer(inst, 'cat /var/tmp/instance-files-ran').trim(), 'placed');
    assert.equal(inContainer(inst, 'cat /etc/myapp/endpoint.sample'), 'http://127.0.0.1:1\n');
    assert.equal(inContainer(inst, 'cat /var/tmp/app.conf'), 'a=1\n');
    assert.equal(inContainer(inst, 'systemctl is-active idle.service').trim(), 'active');
    await destroy(dir, deploymentId);
  },
);
