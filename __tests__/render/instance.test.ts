// The generated user data and commands on a real instance: a systemd-nspawn container booted
// from the Debian root file system with cloud-init, the commands run the way the SSM agent
// runs them. One container serves every check here (plus a short-lived one for the TTL).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Container } from '../../cloud/container.ts';
import type { Deployment } from '../../src/manifest/model.ts';
import { secretsInstallScript, secretsKeyScript, sealSecrets } from '../../src/plan/secrets.ts';
import { renderSteps } from '../../src/plan/steps.ts';
import type { RemoteStep } from '../../src/plan/types.ts';
import { renderUserData } from '../../src/plan/userdata.ts';
import { deployment, makeRepo } from './helpers.ts';

const SECRETS = {
  DB_PASSWORD: `p@ss'w"o$rd \`id\` \\ end`,
  MULTI_LINE: 'line one\nline two\n',
  EMPTY: '',
};
const ENV = { APP_ENV: 'production', GREETING: "it's $HOME", SPACES: '  padded  ' };

const BIG = randomBytes(150_000); // crosses several commands and parts
const HOSTILE = 'it\'s $(touch /pwned) `id` \\ "q" -rf 日本.txt';

const DUMPENV = `#!/usr/bin/python3
import json, os, sys
keys = sys.argv[2:]
with open(sys.argv[1], 'w') as f:
    json.dump({k: os.environ.get(k) for k in keys}, f)
`;

function units(): Record<string, string> {
  return {
    'services/web.service':
      '[Unit]\nDescription=static site\nAfter=api.service\n\n[Service]\n' +
      'ExecStart=/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory /var/www/site\n\n' +
      '[Install]\nWantedBy=multi-user.target\n',
    'services/api.service':
      '[Unit]\nDescription=api\n\n[Service]\nEnvironmentFile=/etc/spot-deployer/env\n' +
      'EnvironmentFile=/etc/spot-deployer/secrets.env\n' +
      'ExecStartPre=/opt/app/bin/dumpenv /run/api-env.json APP_ENV GREETING SPACES DB_PASSWORD MULTI_LINE EMPTY\n' +
      'ExecStart=/usr/bin/python3 -m http.server 9090 --bind 127.0.0.1 --directory /opt/app\n\n' +
      '[Install]\nWantedBy=multi-user.target\n',
  };
}

let repo: Awaited<ReturnType<typeof makeRepo>>;
let c: Container;
let ttl: Container;

function dep(over: Partial<Deployment> = {}): Deployment {
  return deployment(repo.root, {
    env: ENV,
    uploads: [
      { source: 'app/', destination: '/opt/app', exclude: ['*.tmp'] },
      {
        source: 'conf/app.conf',
        destination: '/etc/myapp/app.conf',
        mode: '0640',
        owner: 'nobody:nogroup',
        exclude: [],
      },
    ],
    scripts: [
      {
        name: 'setup',
        path: 'scripts/setup.sh',
        order: 1,
        workdir: '/opt/app',
        timeoutSeconds: 60,
      },
      {
        name: 'python step',
        path: 'scripts/step.py',
        order: 2,
        workdir: '/tmp/work dir',
        timeoutSeconds: 60,
      },
    ],
    services: [
      {
        name: 'web',
        file: 'services/web.service',
        enabled: true,
        start: true,
        health: {
          kind: 'http',
          url: 'http://127.0.0.1:8080/index.html',
          expectStatus: 200,
          retries: 10,
          intervalSeconds: 1,
          timeoutSeconds: 2,
        },
      },
      {
        name: 'api',
        file: 'services/api.service',
        enabled: true,
        start: true,
        health: {
          kind: 'tcp',
          host: '127.0.0.1',
          port: 9090,
          retries: 10,
          intervalSeconds: 1,
          timeoutSeconds: 2,
        },
      },
    ],
    tarball: { kind: 'source', path: 'site', destination: '/var/www/site' },
    ...over,
  });
}

/** Runs the steps in order as the deploy would: parallel groups at once, secrets sealed per instance. */
async function deploy(
  steps: RemoteStep[],
  secrets: Record<string, string> = SECRETS,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < steps.length;) {
    const s = steps[i] as RemoteStep;
    const group = s.parallelGroup ? steps.filter((x) => x.parallelGroup === s.parallelGroup) : [s];
    await Promise.all(
      group.map(async (step) => {
        let script = step.script;
        if (step.kind === 'secrets') {
          const key = await c.exec(secretsKeyScript());
          assert.equal(key.exitCode, 0, key.stderr);
          script = secretsInstallScript(sealSecrets([key.stdout], secrets));
        }
        const r = await c.exec(script, { timeoutMs: step.timeoutSeconds * 1000 });
        assert.equal(r.exitCode, 0, `${step.id} failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
        out.set(step.id, r.stdout);
      }),
    );
    i += group.length;
  }
  return out;
}

async function sh(script: string): Promise<string> {
  const r = await c.exec(`#!/bin/bash\nset -euo pipefail\n${script}`);
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

/** Inode, mtime and ctime of every delivered file, and the counters of services and scripts. */
async function snapshot(): Promise<string> {
  return sh(
    'find /opt/app /etc/myapp /var/www/site /etc/spot-deployer /etc/systemd/system/web.service ' +
      "/etc/systemd/system/api.service -xdev -printf '%p %i %T@ %C@ %m %u:%g\\n' | sort\n" +
      'cat /root/runs\n' +
      'systemctl show -p NRestarts,ExecMainStartTimestampMonotonic,MainPID web.service api.service\n',
  );
}

before(async () => {
  const tag = `${process.pid}`;
  repo = await makeRepo({
    'app/index.html': '<h1>app</h1>\n',
    'app/big.bin': BIG,
    [`app/${HOSTILE}`]: 'hostile name, plain content\n',
    'app/-rf': 'leading dash\n',
    'app/empty': '',
    'app/skip.tmp': 'excluded\n',
    'app/bin/dumpenv': { data: DUMPENV, mode: 0o755 },
    'conf/app.conf': 'secret-ish=config\n',
    'scripts/setup.sh':
      '#!/bin/bash\necho "setup in $PWD as $(id -u) home=$HOME greeting=$GREETING"\n' +
      'echo "secret of ${#DB_PASSWORD} characters"\necho setup >>/root/runs\n',
    'scripts/step.py': {
      data: '#!/usr/bin/env python3\nimport os\nprint("python in", os.getcwd())\nopen("/root/runs", "a").write("python\\n")\n',
      mode: 0o644,
    },
    'site/index.html': '<h1>site</h1>\n',
    'site/css/site.css': 'body{}\n',
    ...units(),
  });
  const ud = renderUserData(dep(), { ttlSeconds: 3600 });
  const short = renderUserData(deployment(repo.root), { ttlSeconds: 4 });
  // instance-debian13.test.ts runs this file again on the Debian 13 root file system.
  const rootfs = process.env.SPOT_RENDER_ROOTFS ? { rootfs: process.env.SPOT_RENDER_ROOTFS } : {};
  // Loopback of their own: this file and its Debian 13 run may run at once, and both serve
  // on the same ports (8080, 8181); nothing here needs apt.
  [c, ttl] = await Promise.all([
    Container.boot({
      name: `render-${tag}`,
      userData: Buffer.from(ud.bytesBase64, 'base64'),
      privateNetwork: true,
      ...rootfs,
    }),
    Container.boot({
      name: `render-ttl-${tag}`,
      userData: Buffer.from(short.bytesBase64, 'base64'),
      privateNetwork: true,
      ...rootfs,
    }),
  ]);
  await c.waitBooted(120_000);
});

after(async () => {
  await Promise.all([c?.stop(), ttl?.stop()]);
  await repo?.cleanup();
});

test('the user data boots cleanly: cloud-init done, no errors, TTL timer armed', async () => {
  const status = await c.cloudInitStatus();
  assert.equal(status.status, 'done');
  assert.deepEqual(status.errors, []);
  assert.match(await sh('systemctl list-timers --all --no-pager'), /spot-deployer-ttl\.timer/);
  const meta = JSON.parse(
    (await c.readFile('/etc/spot-deployer/deployment.json'))?.toString() ?? '{}',
  );
  assert.deepEqual(meta.services, ['web', 'api']);
  assert.equal(meta.ttlSeconds, 3600);
});

test('with a TTL the instance powers itself off', async () => {
  const code = await Promise.race([
    ttl.exited,
    new Promise((r) => setTimeout(() => r('still running'), 90_000)),
  ]);
  assert.equal(code, 0, 'the container exited by powering off');
  assert.match(await ttl.consoleLog(), /Running timer as unit: spot-deployer-ttl\.timer/);
});

test('a deploy delivers exact files, runs scripts once in order, starts services healthy; again changes nothing', async () => {
  const steps = await renderSteps(dep(), { secretNames: Object.keys(SECRETS) });
  assert.ok(steps.filter((s) => s.kind === 'upload').length >= 4, 'the big file crosses commands');
  const out = await deploy(steps);

  // files: bytes, modes, owners
  const big = await c.readFile('/opt/app/big.bin');
  assert.ok(big?.equals(BIG));
  assert.equal(
    (await c.readFile(`/opt/app/${HOSTILE}`))?.toString(),
    'hostile name, plain content\n',
  );
  assert.equal((await c.readFile('/opt/app/-rf'))?.toString(), 'leading dash\n');
  assert.equal((await c.readFile('/opt/app/empty'))?.length, 0);
  assert.equal(await c.readFile('/opt/app/skip.tmp'), undefined);
  assert.equal(await c.readFile('/pwned'), undefined);
  assert.equal((await c.readFile('/var/www/site/css/site.css'))?.toString(), 'body{}\n');
  const modes = await sh(
    "stat -c '%n|%a|%U:%G' /etc/myapp/app.conf /opt/app/bin/dumpenv /opt/app/index.html /etc/spot-deployer/secrets.env /var/www/site/index.html",
  );
  assert.deepEqual(modes.trim().split('\n'), [
    '/etc/myapp/app.conf|640|nobody:nogroup',
    '/opt/app/bin/dumpenv|755|root:root',
    '/opt/app/index.html|644|root:root',
    '/etc/spot-deployer/secrets.env|600|root:root',
    '/var/www/site/index.html|644|root:root',
  ]);

  // scripts: once each, in order, in their directories, with the environment
  assert.equal((await c.readFile('/root/runs'))?.toString(), 'setup\npython\n');
  const setupOut = [...out].find(([id]) => id.endsWith('script-setup'))?.[1] ?? '';
  assert.match(setupOut, /setup in \/opt\/app as 0 home=\/root greeting=it's \$HOME/);
  assert.match(setupOut, new RegExp(`secret of ${SECRETS.DB_PASSWORD.length} characters`));
  assert.match(
    [...out].find(([id]) => id.endsWith('script-python-step'))?.[1] ?? '',
    /python in \/tmp\/work dir/,
  );

  // services: active, healthy, and systemd read env and secrets exactly
  assert.equal((await sh('systemctl is-active web.service api.service')).trim(), 'active\nactive');
  assert.equal(
    (await sh('systemctl is-enabled web.service api.service')).trim(),
    'enabled\nenabled',
  );
  const seen = JSON.parse((await c.readFile('/run/api-env.json'))?.toString() ?? '{}');
  assert.deepEqual(seen, { ...ENV, ...SECRETS });
  assert.match(
    [...out].find(([id]) => id.endsWith('services'))?.[1] ?? '',
    /all 2 services healthy/,
  );
  const order = await sh(
    'systemctl show -p ExecMainStartTimestampMonotonic --value api.service web.service',
  );
  const [apiStart, webStart] = order.split('\n').filter(Boolean).map(Number);
  assert.ok(apiStart && webStart);
  assert.ok((apiStart ?? 0) < (webStart ?? 0), 'api (which web is After=) started first');

  // secrets never travelled in clear: not in any step, and not in the sealed blob
  const key = await c.exec(secretsKeyScript());
  const sealed = secretsInstallScript(sealSecrets([key.stdout], SECRETS));
  for (const v of [SECRETS.DB_PASSWORD, 'line one']) {
    assert.equal(sealed.includes(v), false);
    for (const s of steps) assert.equal(s.script.includes(v), false);
  }

  // Again, the whole sequence: the same machine afterwards.
  const before = await snapshot();
  const again = await deploy(steps);
  assert.equal(await snapshot(), before);
  assert.match([...again].find(([id]) => id.endsWith('script-setup'))?.[1] ?? '', /already ran/);
  assert.match(
    [...again].find(([id]) => id.endsWith('services'))?.[1] ?? '',
    /unchanged web\.service \(running\)/,
  );
  assert.match(
    await sh('systemctl show -p NRestarts web.service api.service'),
    /NRestarts=0\n\nNRestarts=0/,
  );
});

test('a changed delivery restarts the services; a changed script runs again, an unchanged one does not', async () => {
  await writeFile(join(repo.baseDir, 'app', 'index.html'), '<h1>app v2</h1>\n');
  await writeFile(
    join(repo.baseDir, 'scripts', 'step.py'),
    '#!/usr/bin/env python3\nopen("/root/runs", "a").write("python v2\\n")\n',
  );
  const startBefore = await sh(
    'systemctl show -p ExecMainStartTimestampMonotonic --value web.service',
  );
  const out = await deploy(await renderSteps(dep(), { secretNames: Object.keys(SECRETS) }));
  assert.equal((await c.readFile('/opt/app/index.html'))?.toString(), '<h1>app v2</h1>\n');
  assert.equal((await c.readFile('/root/runs'))?.toString(), 'setup\npython\npython v2\n');
  assert.match(
    [...out].find(([id]) => id.endsWith('services'))?.[1] ?? '',
    /restarted web\.service/,
  );
  assert.notEqual(
    await sh('systemctl show -p ExecMainStartTimestampMonotonic --value web.service'),
    startBefore,
  );
  // new secret values also restart them (EnvironmentFile= is read at start)
  const out2 = await deploy(await renderSteps(dep(), { secretNames: Object.keys(SECRETS) }), {
    ...SECRETS,
    DB_PASSWORD: 'rotated',
  });
  assert.match(
    [...out2].find(([id]) => id.endsWith('services'))?.[1] ?? '',
    /restarted api\.service/,
  );
  assert.equal(
    JSON.parse((await c.readFile('/run/api-env.json'))?.toString() ?? '{}').DB_PASSWORD,
    'rotated',
  );
});

test('a failing script fails its step, naming the script, with the tail of its output', async () => {
  await writeFile(
    join(repo.baseDir, 'scripts', 'bad.sh'),
    '#!/bin/bash\nfor i in $(seq 1 3000); do echo "noise line $i"; done\necho "the real problem" >&2\nfalse\necho "not reached"\n',
  );
  const steps = await renderSteps(
    deployment(repo.root, {
      scripts: [
        {
          name: 'migrate db',
          path: 'scripts/bad.sh',
          order: 1,
          workdir: '/opt/app',
          timeoutSeconds: 30,
        },
      ],
    }),
    { secretNames: [] },
  );
  const prior = steps.filter((s) => s.kind !== 'script');
  await deploy(prior);
  const script = steps.find((s) => s.kind === 'script') as RemoteStep;
  const r = await c.exec(script.script);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /script migrate db failed with exit code 1/);
  assert.match(r.stdout, /noise line 3000\nthe real problem\n/);
  assert.doesNotMatch(r.stdout, /not reached/);
  assert.ok(r.stdout.length < 20_000, 'only the tail comes back');
  // not marked as done: the next deploy tries it again
  const again = await c.exec(script.script);
  assert.equal(again.exitCode, 1);
});

test('an unhealthy service fails the health step naming the unit, with its journal', async () => {
  await mkdir(join(repo.baseDir, 'services'), { recursive: true });
  await writeFile(
    join(repo.baseDir, 'services', 'crash.service'),
    '[Unit]\nDescription=crashes\n\n[Service]\nExecStart=/bin/sh -c "echo about to crash; sleep 1; exit 7"\n\n[Install]\nWantedBy=multi-user.target\n',
  );
  const steps = await renderSteps(
    deployment(repo.root, {
      services: [{ name: 'crash', file: 'services/crash.service', enabled: false, start: true }],
    }),
    { secretNames: [] },
  );
  const services = steps.find((s) => s.kind === 'services') as RemoteStep;
  await deploy(steps.filter((s) => s !== services));
  const r = await c.exec(services.script);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /unhealthy: crash\.service/);
  assert.match(r.stdout, /systemctl status crash\.service/);
  assert.match(r.stdout, /about to crash/);
});

test('tarball_url: downloaded with curl, verified, unpacked; escaping members are refused', async () => {
  const work = join(repo.root, 'tarballs');
  await mkdir(work, { recursive: true });
  // Built with python's tarfile: it writes whatever member names it is given.
  const build = (name: string, members: string[]) =>
    execFileSync('/usr/bin/python3', [
      '-c',
      'import io,sys,tarfile\nt=tarfile.open(sys.argv[1],"w:gz")\nfor m in sys.argv[2:]:\n' +
        ' d=("content of "+m+"\\n").encode(); i=tarfile.TarInfo(m); i.size=len(d); t.addfile(i, io.BytesIO(d))\nt.close()',
      join(work, name),
      ...members,
    ]);
  build('good.tar.gz', ['release/app.txt', 'release/bin/run']);
  build('evil.tar.gz', ['ok.txt', '../../../../etc/evil.txt']);
  const { readFile } = await import('node:fs/promises');
  const good = await readFile(join(work, 'good.tar.gz'));
  const evil = await readFile(join(work, 'evil.tar.gz'));
  // Served from inside the instance, on its loopback.
  await sh(
    'mkdir -p /srv/tarballs\n' +
      `echo ${good.toString('base64')} | base64 -d >/srv/tarballs/good.tar.gz\n` +
      `echo ${evil.toString('base64')} | base64 -d >/srv/tarballs/evil.tar.gz\n` +
      'systemd-run --unit=tarball-server /usr/bin/python3 -m http.server 8181 --bind 127.0.0.1 --directory /srv/tarballs\n' +
      'for i in $(seq 1 50); do (: <>/dev/tcp/127.0.0.1/8181) 2>/dev/null && break; sleep 0.2; done\n',
  );
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const stepFor = async (name: string, sum: string, dest: string) =>
    (
      await renderSteps(
        deployment(repo.root, {
          tarball: {
            kind: 'url',
            url: `http://127.0.0.1:8181/${name}`,
            sha256: sum,
            destination: dest,
          },
        }),
        { secretNames: [] },
      )
    ).find((s) => s.kind === 'tarball') as RemoteStep;

  const ok = await stepFor('good.tar.gz', sha(good), '/srv/rel ease');
  let r = await c.exec(ok.script);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(
    (await c.readFile('/srv/rel ease/release/app.txt'))?.toString(),
    'content of release/app.txt\n',
  );
  r = await c.exec(ok.script);
  assert.match(r.stdout, /already unpacked/);

  r = await c.exec((await stepFor('good.tar.gz', 'b'.repeat(64), '/srv/other')).script);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /checksum mismatch/);
  assert.equal(await c.readFile('/srv/other/release/app.txt'), undefined);

  r = await c.exec((await stepFor('evil.tar.gz', sha(evil), '/srv/evil')).script);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /would land outside \/srv\/evil; refusing/);
  assert.equal(await c.readFile('/etc/evil.txt'), undefined);
  assert.equal(await c.readFile('/srv/evil/ok.txt'), undefined, 'nothing unpacked at all');

  r = await c.exec((await stepFor('missing.tar.gz', sha(good), '/srv/missing')).script);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /cannot download http:\/\/127\.0\.0\.1:8181\/missing\.tar\.gz/);
  await rm(work, { recursive: true, force: true });
});
