import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Deployment, ServiceSpec } from '../../src/manifest/model.ts';
import { collectUploads, packDirectory } from '../../src/plan/render/files.ts';
import { orderServices, parseUnitDeps } from '../../src/plan/render/services.ts';
import { COMMAND_BUDGET } from '../../src/plan/render/upload.ts';
import { renderWatcher } from '../../src/plan/render/watcher.ts';
import { UnsafeValueError, jsonBytes } from '../../src/plan/shell.ts';
import { renderSteps } from '../../src/plan/steps.ts';
import type { RemoteStep } from '../../src/plan/types.ts';
import { deployment, lintScripts, makeRepo, run } from './helpers.ts';

let repo: Awaited<ReturnType<typeof makeRepo>>;
const big = randomBytes(300_000);
const medium = randomBytes(70_000);

const UNITS: Record<string, string> = {
  'services/web.service':
    '[Unit]\nDescription=web\nAfter=network.target db.service\nWants=cache.service\n\n' +
    '[Service]\nEnvironmentFile=/etc/spot-deployer/env\nEnvironmentFile=-/etc/spot-deployer/secrets.env\n' +
    'ExecStart=/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1\nRestart=on-failure\n\n' +
    '[Install]\nWantedBy=multi-user.target\n',
  'services/db.service':
    '[Unit]\nDescription=db\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n',
  'services/cache.service':
    '[Unit]\nDescription=cache\nBefore=web.service\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\n' +
    'ExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n',
};

before(async () => {
  const small: Record<string, string> = {};
  for (let i = 0; i < 150; i++)
    small[`app/many/f${String(i).padStart(3, '0')}.txt`] = `file ${i}\n`.repeat(i);
  repo = await makeRepo({
    ...small,
    ...UNITS,
    'app/big.bin': big,
    'app/medium.bin': medium,
    'app/run.sh': { data: '#!/bin/sh\necho run\n', mode: 0o755 },
    'app/node_modules/x/index.js': 'excluded\n',
    'app/debug.log': 'excluded\n',
    'app/sub/keep.log.txt': 'kept\n',
    'app/.hidden': 'dotfile\n',
    'app/-dash': 'leading dash\n',
    'app/quote\'s $x `y` \\ "z".txt': 'hostile name\n',
    'app/日本.txt': 'unicode\n',
    'app/empty': '',
    'config/app.conf': 'key=value\n',
    'scripts/setup.sh': '#!/bin/bash\necho setup\n',
    'scripts/py.py': '#!/usr/bin/env python3\nprint("py")\n',
    'scripts/plain.sh': 'echo no shebang\n',
    'site/index.html': '<h1>hi</h1>\n',
    'site/js/app.js': 'console.log(1)\n',
  });
  await symlink('../config/app.conf', join(repo.baseDir, 'app', 'link-inside'));
});
after(() => repo.cleanup());

function full(over: Partial<Deployment> = {}): Deployment {
  const services: ServiceSpec[] = [
    {
      name: 'web',
      file: 'services/web.service',
      enabled: true,
      start: true,
      health: {
        kind: 'http',
        url: 'http://127.0.0.1:8080/',
        expectStatus: 200,
        retries: 5,
        intervalSeconds: 1,
        timeoutSeconds: 2,
      },
    },
    {
      name: 'db',
      file: 'services/db.service',
      enabled: true,
      start: true,
      health: {
        kind: 'tcp',
        host: '127.0.0.1',
        port: 5432,
        retries: 3,
        intervalSeconds: 1,
        timeoutSeconds: 1,
      },
    },
    { name: 'cache', file: 'services/cache.service', enabled: false, start: true },
  ];
  return deployment(repo.root, {
    packages: ['nginx'],
    env: { APP_ENV: 'production', QUOTED: "it's $HOME `x`", MULTI: 'a\nb' },
    uploads: [
      { source: 'app/', destination: '/opt/app', exclude: ['node_modules/**', '*.log'] },
      {
        source: 'config/app.conf',
        destination: '/etc/myapp/',
        mode: '0600',
        owner: 'root:root',
        exclude: [],
      },
    ],
    scripts: [
      {
        name: 'setup',
        path: 'scripts/setup.sh',
        order: 1,
        workdir: '/opt/deployment',
        timeoutSeconds: 300,
      },
      {
        name: 'Python step!',
        path: 'scripts/py.py',
        order: 2,
        workdir: '/opt/app',
        timeoutSeconds: 30,
      },
      {
        name: 'plain',
        path: 'scripts/plain.sh',
        order: 3,
        workdir: '/opt/my app',
        timeoutSeconds: 30,
      },
    ],
    services,
    tarball: { kind: 'source', path: 'site', destination: '/var/www/site' },
    ...over,
  });
}

/** Deployments that together exercise every kind of step. */
function table(): { name: string; dep: Deployment; secrets: string[] }[] {
  return [
    { name: 'everything', dep: full(), secrets: ['DB_PASSWORD', 'API_TOKEN'] },
    { name: 'nothing', dep: deployment(repo.root), secrets: [] },
    {
      name: 'tarball url, no services',
      dep: full({
        services: [],
        tarball: {
          kind: 'url',
          url: "https://example.test/app.tar.gz?sig=1&x='y'&z=$(id)",
          sha256: 'a'.repeat(64),
          destination: '/opt/release',
        },
      }),
      secrets: [],
    },
    {
      name: 'services only',
      dep: deployment(repo.root, { services: full().services }),
      secrets: [],
    },
  ];
}

function checkIds(steps: RemoteStep[]): void {
  const ids = steps.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.deepEqual([...ids].sort(), ids, 'ids sort in run order');
  for (const id of ids) assert.match(id, /^[0-9]{2,}-[a-z0-9-]+$/);
}

test('every script of every kind passes bash -n and shellcheck -S warning with no finding', async () => {
  const scripts: Record<string, string> = {};
  for (const t of table()) {
    const steps = await renderSteps(t.dep, { secretNames: t.secrets });
    checkIds(steps);
    for (const s of steps) if (s.script) scripts[`${t.name}/${s.id}`] = s.script;
  }
  // The secrets commands are built at delivery; lint them too.
  const { secretsKeyScript, sealForInstances } = await import('../../src/plan/secrets.ts');
  scripts['secrets-key'] = secretsKeyScript();
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  scripts['secrets-install'] = sealForInstances([pem], { A: 'x' }, 50).commands[0]?.script ?? '';
  assert.ok(Object.keys(scripts).length > 20);
  const findings = await lintScripts(scripts);
  assert.deepEqual(findings, []);
  // and the linter is not a rubber stamp
  const bad = await lintScripts({ bad: '#!/bin/bash\nrm -rf $1/*\ncd /x\n' });
  assert.ok(bad.length > 0);
});

test('step layout: prepare, secrets placeholder, uploads in parallel, then the rest in order', async () => {
  const steps = await renderSteps(full(), { secretNames: ['DB_PASSWORD'] });
  const kinds = steps.map((s) => s.kind);
  assert.equal(kinds[0], 'prepare');
  assert.equal(kinds[1], 'secrets');
  const secrets = steps[1];
  assert.equal(secrets?.script, '');
  assert.match(secrets?.description ?? '', /DB_PASSWORD/);
  const uploads = steps.filter((s) => s.parallelGroup?.endsWith('-upload'));
  assert.ok(uploads.length >= 8, `${uploads.length} upload commands`);
  assert.equal(new Set(uploads.map((s) => s.parallelGroup)).size, 1);
  assert.deepEqual(
    kinds.filter((k) => k !== 'upload'),
    ['prepare', 'secrets', 'tarball', 'script', 'script', 'script', 'services'],
  );
  assert.ok(
    steps.some((s) => /^\d+-assemble-1of1$/.test(s.id)),
    'large files are assembled',
  );
  assert.deepEqual(
    steps.filter((s) => s.kind === 'script').map((s) => s.id.replace(/^\d+-/, '')),
    ['script-setup', 'script-python-step', 'script-plain'],
  );
  for (const s of steps) {
    if (!s.script) continue;
    assert.ok(s.script.startsWith('#!/bin/bash\n'), s.id);
    assert.ok(s.script.includes('\nset -euo pipefail\n'), s.id);
    assert.ok(s.timeoutSeconds > 0);
  }
  // deterministic: the same repository gives the same steps
  assert.deepEqual(await renderSteps(full(), { secretNames: ['DB_PASSWORD'] }), steps);
});

test('uploads: every command under the SSM budget, filled close to it, each byte carried once', async () => {
  const steps = await renderSteps(full(), { secretNames: [] });
  const carry = steps.filter((s) => s.parallelGroup?.endsWith('-upload'));
  for (const s of steps)
    assert.ok(jsonBytes(s.script) <= COMMAND_BUDGET, `${s.id}: ${jsonBytes(s.script)}`);
  const files = await collectUploads(full());
  const site = await packDirectory(full(), 'site', 't');
  const scripts = ['setup.sh', 'py.py', 'plain.sh'].map((n) => `scripts/${n}`);
  let expected = files.reduce((n, f) => n + f.data.length, 0) + site.length;
  for (const p of scripts)
    expected += (await import('node:fs')).readFileSync(join(repo.baseDir, p)).length;
  for (const u of Object.keys(UNITS)) expected += Buffer.byteLength(UNITS[u] ?? '');
  // the interruption watcher's script and unit travel with the deployment's files
  const watcher = await renderWatcher(
    full(),
    full().services.map((s) => s.name),
  );
  for (const f of watcher?.files ?? []) expected += f.data.length;
  const carried = carry.reduce((n, s) => n + s.payloadBytes, 0);
  assert.equal(carried, expected);
  // base64 costs 4/3; with that, every command but the last is at least 90% full
  const fills = carry.map((s) => jsonBytes(s.script) / COMMAND_BUDGET).sort((a, b) => b - a);
  for (const f of fills.slice(0, -1)) assert.ok(f > 0.9, `fill ${f.toFixed(3)}`);
  const minimum = Math.ceil((carried * 4) / 3 / COMMAND_BUDGET);
  assert.ok(carry.length <= minimum + 1, `${carry.length} commands for ${carried} bytes`);
});

test('a smaller budget cuts more parts and still fits', async () => {
  const steps = await renderSteps(full(), { secretNames: [], commandBudget: 16_000 });
  for (const s of steps) assert.ok(jsonBytes(s.script) <= 16_000, s.id);
  assert.ok(steps.filter((s) => s.kind === 'upload').length > 30);
  await assert.rejects(
    renderSteps(full(), { secretNames: [], commandBudget: 2_000 }),
    /too small|over the/,
  );
});

test('collected uploads: excludes, modes from the executable bit, destinations, symlinks inside', async () => {
  const files = await collectUploads(full());
  const byDest = new Map(files.map((f) => [f.dest, f]));
  assert.ok(byDest.has('/opt/app/many/f000.txt'));
  assert.ok(!byDest.has('/opt/app/node_modules/x/index.js'), 'directory excluded');
  assert.ok(!byDest.has('/opt/app/debug.log'), 'base-name glob excluded');
  assert.ok(byDest.has('/opt/app/sub/keep.log.txt'));
  assert.ok(byDest.has('/opt/app/.hidden'));
  assert.ok(byDest.has('/opt/app/quote\'s $x `y` \\ "z".txt'));
  assert.ok(byDest.has('/opt/app/日本.txt'));
  assert.equal(byDest.get('/opt/app/run.sh')?.mode, '0755');
  assert.equal(byDest.get('/opt/app/many/f001.txt')?.mode, '0644');
  assert.equal(byDest.get('/opt/app/empty')?.data.length, 0);
  assert.equal(
    byDest.get('/etc/myapp/app.conf')?.mode,
    '0600',
    'file into a directory destination',
  );
  assert.equal(byDest.get('/opt/app/link-inside')?.data.toString(), 'key=value\n');
  assert.equal(byDest.get('/opt/app/big.bin')?.data.equals(big), true);
});

test('refused, not rendered: symlinks out of the repo, newlines in paths, clashing destinations', async () => {
  const r = await makeRepo({ 'ok/a.txt': 'a', 'nl/ok.txt': 'b', 'x/one': '1', 'y/one': '2' });
  try {
    await symlink('/etc/passwd', join(r.baseDir, 'ok', 'escape'));
    await assert.rejects(
      collectUploads(
        deployment(r.root, { uploads: [{ source: 'ok/', destination: '/opt/ok', exclude: [] }] }),
      ),
      /symlink to \/etc\/passwd, outside the repository/,
    );
    await writeFile(join(r.baseDir, 'nl', 'bad\nname'), 'x');
    await assert.rejects(
      renderSteps(
        deployment(r.root, { uploads: [{ source: 'nl/', destination: '/opt/nl', exclude: [] }] }),
        {
          secretNames: [],
        },
      ),
      UnsafeValueError,
    );
    await assert.rejects(
      renderSteps(
        deployment(r.root, {
          uploads: [
            { source: 'x/', destination: '/opt/same', exclude: [] },
            { source: 'y/', destination: '/opt/same', exclude: [] },
          ],
        }),
        { secretNames: [] },
      ),
      /\/opt\/same\/one would be written twice/,
    );
    await assert.rejects(
      collectUploads(
        deployment(r.root, { uploads: [{ source: '../../etc', destination: '/x', exclude: [] }] }),
      ),
      /outside the repository/,
    );
    await assert.rejects(
      renderSteps(
        deployment(r.root, {
          uploads: [{ source: 'x/', destination: '/opt/x', mode: '0644; rm -rf /', exclude: [] }],
        }),
        { secretNames: [] },
      ),
      /not octal/,
    );
    await assert.rejects(
      renderSteps(
        deployment(r.root, {
          uploads: [{ source: 'x/', destination: '/opt/x', owner: '$(id)', exclude: [] }],
        }),
        { secretNames: [] },
      ),
      /owner/,
    );
  } finally {
    await r.cleanup();
  }
});

test('services start in dependency order; a cycle is an error naming it', () => {
  assert.deepEqual(
    parseUnitDeps('[Unit]\nAfter=a.service \\\n  b.service\nAfter=\nAfter=c.service\nBefore=d\n'),
    {
      after: ['c.service'],
      before: ['d'],
    },
  );
  const text: Record<string, string> = {
    web: '[Unit]\nAfter=db.service\nWants=cache.service\n',
    db: '[Unit]\n',
    cache: '[Unit]\nBefore=web.service\n',
    worker: '[Service]\nAfter=web.service\n', // not in [Unit]: no effect
  };
  const svc = (name: string) => ({ name });
  const order = orderServices(['web', 'worker', 'db', 'cache'].map(svc), (s) => text[s.name] ?? '');
  assert.deepEqual(
    order.map((s) => s.name),
    ['worker', 'db', 'cache', 'web'],
  );
  const cyc: Record<string, string> = {
    a: '[Unit]\nAfter=b.service\n',
    b: '[Unit]\nRequires=c.service\n',
    c: '[Unit]\nBefore=a.service\nAfter=a.service\n',
    d: '[Unit]\n',
  };
  assert.throws(
    () => orderServices(['a', 'b', 'c', 'd'].map(svc), (s) => cyc[s.name] ?? ''),
    /cycle: (a|b|c)\.service -> .*\.service -> .*\.service/,
  );
});

test('bad health probes and unit names are refused', async () => {
  const base = full().services[0] as ServiceSpec;
  for (const health of [
    { ...base.health, kind: 'http', url: 'file:///etc/passwd' },
    { kind: 'tcp', host: '$(id)', port: 80, retries: 1, intervalSeconds: 1, timeoutSeconds: 1 },
    {
      kind: 'tcp',
      host: 'localhost',
      port: 70000,
      retries: 1,
      intervalSeconds: 1,
      timeoutSeconds: 1,
    },
  ] as ServiceSpec['health'][]) {
    await assert.rejects(
      renderSteps(
        deployment(repo.root, { services: [{ ...base, ...(health ? { health } : {}) }] }),
        { secretNames: [] },
      ),
      /health check/,
    );
  }
  await assert.rejects(
    renderSteps(deployment(repo.root, { services: [{ ...base, name: 'web;reboot' }] }), {
      secretNames: [],
    }),
    /not a valid systemd unit name/,
  );
});

test('tarball_source packs deterministically: sorted, root-owned, fixed time', async () => {
  const a = await packDirectory(full(), 'site', 'site');
  const b = await packDirectory(full(), 'site', 'site');
  assert.ok(a.equals(b));
  const dir = join(repo.root, 'packed.tar.gz');
  await writeFile(dir, a);
  const { stdout } = await run('tar', ['-tzvf', dir, '--numeric-owner']);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  for (const l of lines) assert.match(l, /^-rw-r--r-- 0\/0 .* 2000-01-01 /);
  assert.match(lines[0] ?? '', /index\.html$/);
  assert.match(lines[1] ?? '', /js\/app\.js$/);
});

test('every example unit (and the fixtures) passes systemd-analyze verify with nothing on stderr', async () => {
  const units: string[] = Object.keys(UNITS).map((u) => join(repo.baseDir, u));
  const examples = join(import.meta.dirname, '..', '..', 'examples');
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.service')) units.push(p);
    }
  };
  if (existsSync(examples)) await walk(examples);
  for (const u of units) {
    const r = await run('systemd-analyze', ['verify', u]).catch(
      (e: { stderr: string; code: number }) => e,
    );
    assert.equal(r.stderr, '', `${u}: ${r.stderr}`);
  }
  // and it does flag a broken unit
  const broken = join(repo.root, 'broken.service');
  await writeFile(broken, '[Service]\nExecStart=/nonexistent/binary\nBogusKey=1\n');
  const r = await run('systemd-analyze', ['verify', broken]).catch((e: { stderr: string }) => e);
  assert.notEqual(r.stderr, '');
});
