// The interruption watcher: its script under bash -n and shellcheck, its unit under
// systemd-analyze verify, and the script itself run in the sandbox (the instance's root file
// system) against the local cloud's metadata service, which demands an IMDSv2 token.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MetadataService } from '../../cloud/imds.ts';
import {
  INTERRUPTION_FILE,
  REBALANCE_FILE,
  WATCHER_HOOK,
  WATCHER_SCRIPT,
  WATCHER_UNIT_FILE,
  renderWatcher,
  watcherScript,
  watcherUnit,
} from '../../src/plan/render/watcher.ts';
import { renderSteps } from '../../src/plan/steps.ts';
import { deployment, lintScripts, makeRepo, run } from './helpers.ts';
import { Sandbox } from './sandbox.ts';

const HOOK = [
  '#!/bin/bash',
  'echo "hook ran: action=$SPOT_INTERRUPTION_ACTION time=$SPOT_INTERRUPTION_TIME greeting=$GREETING"',
  'echo ran >>/var/log/hook-runs',
  '',
].join('\n');

test('the watcher script passes bash -n and shellcheck (style level) with no finding', async () => {
  const variants = {
    'hook and services': watcherScript({
      services: ['db', 'api', 'web@1'],
      hook: { body: Buffer.from(HOOK), timeoutSeconds: 60 },
    }),
    'services only': watcherScript({ services: ['app'] }),
    'sh hook': watcherScript({
      services: [],
      hook: { body: Buffer.from('#!/bin/sh\necho hi\n'), timeoutSeconds: 5 },
    }),
  };
  assert.deepEqual(await lintScripts(variants), []);
  const dir = await mkdtemp(join(tmpdir(), 'watcher-lint-'));
  try {
    const paths = [];
    for (const [i, text] of Object.values(variants).entries()) {
      const p = join(dir, `${i}.sh`);
      await writeFile(p, text);
      paths.push(p);
    }
    const r = await run('shellcheck', ['-S', 'style', ...paths]).catch(
      (e: { stdout: string }) => e,
    );
    assert.equal(r.stdout, '');
    // and shellcheck does see a fault in this kind of script
    await writeFile(join(dir, 'bad.sh'), '#!/bin/bash\nfor u in $(ls); do echo $u; done\n');
    const bad = await run('shellcheck', ['-S', 'style', join(dir, 'bad.sh')]).catch(
      (e: { stdout: string }) => e,
    );
    assert.notEqual(bad.stdout, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the watcher unit passes systemd-analyze verify with nothing on stderr', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'watcher-unit-'));
  try {
    const p = join(dir, 'spot-deployer-watcher.service');
    await writeFile(p, watcherUnit());
    const r = await run('systemd-analyze', ['verify', p]).catch((e: { stderr: string }) => e);
    assert.equal(r.stderr, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('installed with the deployment: files delivered, started by the services step', async () => {
  const repo = await makeRepo({
    'scripts/drain.sh': HOOK,
    'services/app.service': '[Service]\nExecStart=/bin/sleep infinity\n',
  });
  try {
    const d = deployment(repo.root, {
      services: [{ name: 'app', file: 'services/app.service', enabled: true, start: true }],
      onInterruption: { path: 'scripts/drain.sh', timeoutSeconds: 30 },
    });
    const steps = await renderSteps(d, { secretNames: [] });
    const all = steps.map((s) => s.script).join('\n');
    for (const dest of [WATCHER_SCRIPT, WATCHER_UNIT_FILE, WATCHER_HOOK]) {
      assert.ok(all.includes(dest), `${dest} is delivered`);
    }
    const services = steps.find((s) => s.id.endsWith('-services'));
    assert.match(
      services?.script ?? '',
      /systemctl enable --quiet -- spot-deployer-watcher\.service/,
    );
    // without services, a step of its own starts it
    const hookOnly = await renderSteps(
      deployment(repo.root, { onInterruption: { path: 'scripts/drain.sh', timeoutSeconds: 30 } }),
      { secretNames: [] },
    );
    assert.ok(hookOnly.some((s) => s.id.endsWith('-watcher')));
    const scripts = Object.fromEntries(
      [...steps, ...hookOnly].filter((s) => s.script).map((s, i) => [`${i}:${s.id}`, s.script]),
    );
    assert.deepEqual(await lintScripts(scripts), []);
    // with neither, nothing is installed
    const neither = await renderWatcher(deployment(repo.root), []);
    assert.equal(neither, undefined);
  } finally {
    await repo.cleanup();
  }
});

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.create();
});
after(async () => {
  await sandbox.destroy();
});

/** A shell line that writes `data` to `path` inside the sandbox. */
const put = (path: string, data: string, mode: string) =>
  `install -D -m ${mode} /dev/stdin ${path} <<'EOF_PUT'\n${data}EOF_PUT`;

test('in the sandbox: rebalance recorded; on the notice the hook runs once, services stop in reverse order', async () => {
  const imds = await MetadataService.start({
    facts: () => ({
      instanceId: 'i-0sandbox',
      instanceType: 't3.micro',
      zone: 'us-west-2a',
      region: 'us-west-2',
      lifecycle: 'spot',
      amiId: 'ami-0sandbox',
      localIpv4: '10.0.0.9',
      httpTokens: 'required', // a watcher that sent no token would see only 401s
    }),
  });
  try {
    const script = watcherScript({
      services: ['db', 'api', 'web'], // start order: stopped web, api, db
      hook: { body: Buffer.from(HOOK), timeoutSeconds: 20 },
    });
    // systemctl stands in for systemd (nothing boots in the sandbox): it records its calls.
    const stub = '#!/bin/sh\necho "$*" >>/var/log/systemctl-calls\n';
    const setup = [
      put('/usr/local/sbin/systemctl', stub, '0755'),
      put(WATCHER_SCRIPT, script, '0700'),
      put(WATCHER_HOOK, HOOK, '0700'),
      put('/etc/spot-deployer/env', 'GREETING=hello\n', '0644'),
    ].join('\n');
    const watch = `export AWS_EC2_METADATA_SERVICE_ENDPOINT=${imds.url}\nexec timeout 90 bash ${WATCHER_SCRIPT}`;
    const running = sandbox.execAll([setup, watch], 120_000);

    imds.rebalance('2026-12-01T20:00:00Z');
    for (let i = 0; i < 300 && !(await sandbox.readFile(REBALANCE_FILE)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const rebalance = JSON.parse((await sandbox.readFile(REBALANCE_FILE))?.toString() ?? '{}');
    assert.equal(rebalance.noticeTime, '2026-12-01T20:00:00Z');
    assert.match(rebalance.seenAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await sandbox.readFile('/var/log/systemctl-calls'), undefined, 'nothing stopped');

    const when = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    imds.notice({ action: 'terminate', time: when });
    const [prepared, watched] = await running;
    assert.equal(prepared?.exitCode, 0, prepared?.stderr);
    assert.equal(watched?.exitCode, 0, `${watched?.stdout}\n${watched?.stderr}`);

    // IMDSv2: a token first, then every read with it
    const seen = imds.requests;
    assert.equal(seen[0]?.method, 'PUT');
    assert.equal(seen[0]?.path, '/latest/api/token');
    const reads = seen.filter((r) => r.method === 'GET');
    assert.ok(reads.length >= 2);
    assert.ok(
      reads.every((r) => r.withToken && r.status !== 401),
      JSON.stringify(reads),
    );
    assert.ok(reads.some((r) => r.path === '/latest/meta-data/spot/instance-action'));

    const calls = (await sandbox.readFile('/var/log/systemctl-calls'))?.toString() ?? '';
    assert.deepEqual(calls.trim().split('\n'), [
      'stop -- web.service',
      'stop -- api.service',
      'stop -- db.service',
    ]);
    assert.equal((await sandbox.readFile('/var/log/hook-runs'))?.toString(), 'ran\n');
    const out = watched?.stdout ?? '';
    assert.match(out, new RegExp(`hook: hook ran: action=terminate time=${when} greeting=hello`));
    assert.ok(out.indexOf('hook ran') < out.indexOf('stopped web.service'), out);
    assert.match(out, /drained: 3 service\(s\) stopped, 0 not/);
    const marker = JSON.parse((await sandbox.readFile(INTERRUPTION_FILE))?.toString() ?? '{}');
    assert.deepEqual(marker.notice, { action: 'terminate', time: when });
    assert.equal(marker.hookExitCode, 0);
    assert.deepEqual(marker.stopped, ['web.service', 'api.service', 'db.service']);
    assert.deepEqual(marker.notStopped, []);

    // started again (a restart, a reboot within the window): it does not run the hook twice
    const [again] = await sandbox.execAll([watch], 60_000);
    assert.equal(again?.exitCode, 0);
    assert.match(again?.stdout ?? '', /handled already/);
    assert.equal((await sandbox.readFile('/var/log/hook-runs'))?.toString(), 'ran\n');
  } finally {
    await imds.close();
  }
});
