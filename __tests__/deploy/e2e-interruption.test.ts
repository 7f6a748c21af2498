// Acceptance, end to end against the local cloud with containers: a deployment with an
// on_interruption hook is given a spot interruption notice. Its watcher (a systemd unit on the
// instance, reading the cloud's metadata service with IMDSv2) runs the hook and stops the
// service while the instance still runs; the test's own listener hears both; the instance is
// then reclaimed with Server.SpotInstanceTermination.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import {
  action,
  eventually,
  explain,
  inContainer,
  instancesOfDeployment,
  newRunId,
} from '../../__fixtures__/e2e.ts';

// A long notice window: the watcher polls every 5 s, then drains; the test looks inside the
// instance before it goes.
const NOTICE_MS = 40_000;

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({ noticeMs: NOTICE_MS });
});
after(async () => {
  await cloud?.close();
});

interface Report {
  what: string;
  /** The reporting instance's state in the cloud when the report came. */
  state: string | undefined;
}

/**
 * The test's listener. Instances reach the host at the address their metadata endpoint has
 * (the cloud's side of their network), so the listener takes every address of this machine
 * and the instance finds the host from AWS_EC2_METADATA_SERVICE_ENDPOINT.
 */
async function listen(reports: Report[], instanceState: () => string | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => (body += b.toString()));
    req.on('end', () => {
      reports.push({ what: body.trim(), state: instanceState() });
      res.end('ok\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return server;
}

/** Reports $1 to the listener on the host the metadata service lives on. */
const REPORT = `#!/bin/sh
set -eu
hostport=\${AWS_EC2_METADATA_SERVICE_ENDPOINT#*://}
host=\${hostport%:*}
curl -fsS --max-time 5 -X POST --data-binary "$1" "http://$host:$LISTENER_PORT/report"
`;

const DRAIN = `#!/bin/bash
set -euo pipefail
/opt/deployment/scripts/report.sh "hook $SPOT_INTERRUPTION_ACTION at $SPOT_INTERRUPTION_TIME; site $(systemctl is-active site.service)"
`;

test(
  'an interruption notice: the hook runs and the service stops before the instance is reclaimed',
  { timeout: 300_000 },
  async () => {
    const reports: Report[] = [];
    let instanceId = '';
    const listener = await listen(reports, () => cloud.cloud.instances.get(instanceId)?.state);
    try {
      const port = (listener.address() as AddressInfo).port;
      const app = await makeApp();
      const spot = join(app.dir, '.spot');
      writeFileSync(join(spot, 'scripts', 'report.sh'), REPORT, { mode: 0o755 });
      writeFileSync(join(spot, 'scripts', 'drain.sh'), DRAIN, { mode: 0o755 });
      const unit = join(spot, 'services', 'site.service');
      writeFileSync(
        unit,
        readFileSync(unit, 'utf8').replace(
          /^Restart=.*$/m,
          (line) =>
            `${line}\nEnvironmentFile=/etc/spot-deployer/env\n` +
            'ExecStopPost=/opt/deployment/scripts/report.sh stopped-site',
        ),
      );
      const manifest = join(spot, 'deployment.yaml');
      writeFileSync(
        manifest,
        readFileSync(manifest, 'utf8')
          .replace(/^ {2}env:\n/m, `  env:\n    LISTENER_PORT: '${port}'\n`)
          .concat('\n  on_interruption:\n    path: scripts/drain.sh\n    timeout: 20\n'),
      );

      const deploymentId = `e2e/interruption-${process.pid}`;
      const deployed = await action(cloud, {
        runId: newRunId(),
        inputs: {
          path: app.dir,
          'deployment-id': deploymentId,
          'online-timeout': '120s',
          command: 'deploy',
        },
      });
      assert.equal(deployed.code, 0, explain(deployed));
      const [inst] = instancesOfDeployment(cloud, deploymentId);
      assert.ok(inst);
      instanceId = inst.id;

      // The watcher runs, and sees the cloud's metadata endpoint in its environment.
      assert.equal(inContainer(inst, 'systemctl is-active spot-deployer-watcher').trim(), 'active');
      const environ = inContainer(
        inst,
        'tr "\\0" "\\n" </proc/"$(systemctl show -p MainPID --value spot-deployer-watcher)"/environ',
      );
      assert.ok(
        environ.split('\n').includes(`AWS_EC2_METADATA_SERVICE_ENDPOINT=${inst.metadataUrl}`),
        environ,
      );
      assert.equal(reports.length, 0, 'nothing reported before the notice');

      const posted = await fetch(`${cloud.url}/_cloud/instances/${inst.id}/interrupt`, {
        method: 'POST',
      });
      assert.equal(posted.status, 200);

      assert.ok(
        await eventually(() => reports.length >= 2, NOTICE_MS),
        `the hook and the stop reported: ${JSON.stringify(reports)}`,
      );
      const notice = cloud.cloud.instances.get(inst.id)?.metadata?.pendingNotice;
      assert.ok(notice);
      assert.deepEqual(reports.slice(0, 2), [
        { what: `hook terminate at ${notice.time}; site active`, state: 'running' },
        { what: 'stopped-site', state: 'running' },
      ]);

      // What the watcher recorded on the instance, read before it is reclaimed.
      const marker = JSON.parse(
        inContainer(inst, 'cat /var/lib/spot-deployer/interruption.json'),
      ) as { notice: unknown; hookExitCode: number; stopped: string[] };
      assert.deepEqual(marker.notice, notice);
      assert.equal(marker.hookExitCode, 0);
      assert.deepEqual(marker.stopped, ['site.service']);
      assert.match(
        inContainer(inst, 'journalctl -u spot-deployer-watcher --no-pager -o cat'),
        /interruption notice[\s\S]*hook: [\s\S]*stopped site\.service[\s\S]*drained: 1 service/,
      );
      assert.equal(
        inContainer(inst, 'systemctl is-active site.service || true').trim(),
        'inactive',
      );

      // Then EC2 reclaims it; it stays visible, with the spot reason.
      assert.ok(
        await eventually(
          () => cloud.instances().find((i) => i.id === inst.id)?.state === 'terminated',
          NOTICE_MS + 30_000,
        ),
        'reclaimed',
      );
      const gone = cloud.instances().find((i) => i.id === inst.id);
      assert.equal(gone?.stateReason?.Code, 'Server.SpotInstanceTermination');
      assert.equal(reports.filter((r) => r.what.startsWith('hook')).length, 1, 'the hook ran once');
    } finally {
      await new Promise((r) => listener.close(r));
    }
  },
);
