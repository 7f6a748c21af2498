import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import type { Deployment } from '../../src/manifest/model.ts';
import { renderSteps } from '../../src/plan/steps.ts';
import { TTL_UNIT, USER_DATA_LIMIT, renderUserData } from '../../src/plan/userdata.ts';
import { cloudConfigText, deployment, makeRepo, validateCloudConfigs } from './helpers.ts';

let repo: Awaited<ReturnType<typeof makeRepo>>;

// Package names that make the user data large but compress well, and ones that do not.
const manyPackages = (n: number) => Array.from({ length: n }, (_, i) => `package-number-${i}`);
const randomPackages = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `p${i}-${((i * 2654435761) >>> 0).toString(36)}x${(i * 40503).toString(36)}`,
  );

const USER_TEMPLATE = `#cloud-config
# a user's base: their packages, a file, a command, and one of our paths (ours must win)
packages: [htop, [jq, "1.6*"]]
package_upgrade: false
timezone: Etc/UTC
write_files:
  - path: /etc/motd
    content: "hello from the template\\n"
  - path: /etc/spot-deployer/deployment.json
    content: "not theirs to write"
runcmd:
  - [echo, user runcmd]
bootcmd:
  - echo user bootcmd
`;

before(async () => {
  repo = await makeRepo({
    'cloud-init.yaml': USER_TEMPLATE,
    // random bytes do not compress: 20 KB of them cannot fit in 16 KB
    'huge.yaml': `#cloud-config\nwrite_files:\n  - path: /etc/blob\n    encoding: b64\n    content: ${randomBytes(20000).toString('base64')}\n`,
    'scalar.yaml': '#cloud-config\n- not\n- a mapping\n',
  });
});
after(() => repo.cleanup());

function d(over: Partial<Deployment>): Deployment {
  return deployment(repo.root, over);
}

/** The table every generated user data goes through the real validator with. */
function table(): { name: string; dep: Deployment; ttl?: number }[] {
  return [
    { name: 'empty minimal', dep: d({}) },
    { name: 'packages', dep: d({ packages: ['nginx', 'curl', 'python3-pip'] }) },
    { name: 'docker on ubuntu', dep: d({ template: { kind: 'docker' } }) },
    {
      name: 'docker on al2023',
      dep: d({ template: { kind: 'docker' }, cloud: { ...d({}).cloud, os: 'al2023' } }),
    },
    { name: 'template file', dep: d({ template: { kind: 'file', path: 'cloud-init.yaml' } }) },
    {
      name: 'template file, packages, ttl',
      dep: d({ template: { kind: 'file', path: 'cloud-init.yaml' }, packages: ['nginx'] }),
      ttl: 7200,
    },
    { name: 'ttl', dep: d({}), ttl: 3600 },
    { name: 'gzip-sized packages', dep: d({ packages: manyPackages(1200) }) },
    { name: 'deferred packages', dep: d({ packages: randomPackages(2500) }), ttl: 60 },
    {
      name: 'hostile metadata',
      dep: d({
        scripts: [
          { name: "it's $(id) `x`\n", path: 's.sh', order: 1, workdir: '/opt', timeoutSeconds: 5 },
        ],
      }),
    },
  ];
}

test('every generated user data passes cloud-init schema validation in strict mode', async () => {
  const rendered = table().map((t) => ({
    name: t.name,
    ud: renderUserData(t.dep, t.ttl !== undefined ? { ttlSeconds: t.ttl } : {}),
  }));
  const results = await validateCloudConfigs(rendered.map((r) => cloudConfigText(r.ud)));
  for (const [i, r] of rendered.entries()) assert.equal(results[i], '', `${r.name}: ${results[i]}`);
  // and the validator is not a rubber stamp
  const bad = await validateCloudConfigs([
    '#cloud-config\npackages: nginx\n',
    '#cloud-config\nwrite_files:\n  - content: no path\n',
    '#cloud-config\nbootcmd: 3\n',
  ]);
  for (const b of bad) assert.notEqual(b, '');
});

test('minimal user data: C.UTF-8 locale, metadata file, no packages, no TTL', () => {
  const ud = renderUserData(d({}), {});
  assert.equal(ud.encoding, 'plain');
  assert.equal(ud.sentSize, ud.rawSize);
  assert.equal(Buffer.from(ud.bytesBase64, 'base64').toString(), ud.text);
  assert.ok(ud.text.startsWith('#cloud-config\n'));
  const cfg = parse(ud.text) as Record<string, unknown>;
  assert.equal(cfg.locale, 'C.UTF-8');
  assert.equal(cfg.packages, undefined);
  assert.equal(cfg.bootcmd, undefined);
  const files = cfg.write_files as { path: string; content: string; permissions: string }[];
  assert.equal(files.length, 1);
  assert.equal(files[0]?.path, '/etc/spot-deployer/deployment.json');
  assert.equal(files[0]?.permissions, '0644');
  assert.equal(JSON.parse(files[0]?.content ?? '').layout, 'spot');
});

test('ttl: a transient timer armed at boot for what is left of the first boot deadline', () => {
  const cfg = parse(renderUserData(d({}), { ttlSeconds: 5400 }).text) as { bootcmd: string[] };
  const cmd = cfg.bootcmd[0] ?? '';
  assert.equal(typeof cmd, 'string', 'one shell entry (cloud-init runs bootcmd with /bin/sh)');
  assert.match(cmd, /^d=\/var\/lib\/cloud\/instance\/spot-deployer-ttl-deadline$/m);
  assert.match(cmd, /\$\(date \+%s\) \+ 5400 /);
  assert.match(cmd, /left=5400 ;;/, 'a damaged deadline falls back to the whole TTL');
  assert.match(
    cmd,
    new RegExp(
      `^systemd-run --no-block --unit=${TTL_UNIT} --on-active="\\$left" .*--timer-property=DefaultDependencies=no .*/usr/bin/systemctl poweroff$`,
      'm',
    ),
  );
  assert.throws(() => renderUserData(d({}), { ttlSeconds: 1.5 }), /ttl/);
  assert.equal(renderUserData(d({}), { ttlSeconds: 0 }).text.includes('systemd-run'), false);
});

test('docker template: the distribution package and its service', () => {
  const ubuntu = parse(renderUserData(d({ template: { kind: 'docker' } }), {}).text) as Record<
    string,
    unknown
  >;
  assert.deepEqual(ubuntu.packages, ['docker.io']);
  assert.equal(ubuntu.package_update, true);
  assert.deepEqual(ubuntu.runcmd, [['systemctl', 'enable', '--now', 'docker.service']]);
  const al = parse(
    renderUserData(d({ template: { kind: 'docker' }, cloud: { ...d({}).cloud, os: 'al2023' } }), {})
      .text,
  ) as Record<string, unknown>;
  assert.deepEqual(al.packages, ['docker']);
});

test('template file is merged under ours: its keys kept, lists joined, our paths and locale win', () => {
  const cfg = parse(
    renderUserData(
      d({ template: { kind: 'file', path: 'cloud-init.yaml' }, packages: ['nginx', 'htop'] }),
      {
        ttlSeconds: 600,
      },
    ).text,
  ) as Record<string, unknown>;
  assert.equal(cfg.timezone, 'Etc/UTC');
  assert.equal(cfg.package_upgrade, false);
  assert.equal(cfg.locale, 'C.UTF-8');
  assert.deepEqual(cfg.packages, ['htop', ['jq', '1.6*'], 'nginx']);
  const paths = (cfg.write_files as { path: string; content: string }[]).map((f) => f.path);
  assert.deepEqual(paths, ['/etc/spot-deployer/deployment.json', '/etc/motd']);
  const ours = (cfg.write_files as { path: string; content: string }[])[0];
  assert.notEqual(ours?.content, 'not theirs to write');
  const boot = cfg.bootcmd as unknown[];
  assert.match(
    String(boot[0]),
    /systemd-run .*poweroff$/,
    'the TTL is armed before any user bootcmd',
  );
  assert.equal(boot[1], 'echo user bootcmd');
  assert.deepEqual(cfg.runcmd, [['echo', 'user runcmd']]);
  assert.throws(
    () => renderUserData(d({ template: { kind: 'file', path: 'scalar.yaml' } }), {}),
    /must be a mapping/,
  );
  assert.throws(
    () => renderUserData(d({ template: { kind: 'file', path: 'missing.yaml' } }), {}),
    /template missing.yaml/,
  );
});

test('size: plain when it fits, gzip when that fits, else packages move to the first SSM step', async () => {
  const gz = renderUserData(d({ packages: manyPackages(1200) }), {});
  assert.ok(gz.rawSize > USER_DATA_LIMIT, `raw ${gz.rawSize}`);
  assert.equal(gz.encoding, 'gzip');
  assert.ok(gz.sentSize <= USER_DATA_LIMIT);
  assert.equal(gz.deferredPackages, undefined);
  assert.deepEqual(Buffer.from(gz.bytesBase64, 'base64').subarray(0, 2), Buffer.from([0x1f, 0x8b]));

  const pkgs = randomPackages(2500);
  const dep = d({ packages: pkgs });
  const moved = renderUserData(dep, {});
  assert.ok(moved.sentSize <= USER_DATA_LIMIT);
  assert.deepEqual(moved.deferredPackages, pkgs);
  assert.equal((parse(moved.text) as Record<string, unknown>).packages, undefined);
  const steps = await renderSteps(dep, { secretNames: [], userData: moved });
  const prepare = steps[0];
  assert.equal(prepare?.kind, 'prepare');
  assert.ok(prepare?.script.includes(`packages=(${pkgs.join(' ')})`));
  // renderSteps reaches the same decision on its own when not given the user data
  const own = await renderSteps(dep, { secretNames: [] });
  assert.equal(own[0]?.script, prepare?.script);
});

test('size: when nothing fits, the error names the part that is too large', () => {
  assert.throws(
    () => renderUserData(d({ template: { kind: 'file', path: 'huge.yaml' } }), {}),
    (e: Error) => {
      assert.match(e.message, /user data is too large/);
      assert.match(
        e.message,
        /the largest part is `write_files` \(from the template file huge\.yaml/,
      );
      assert.match(e.message, /16384/);
      return true;
    },
  );
});

test('no secret can reach the user data: it is built from the deployment only', () => {
  // The function has no secrets parameter; the env (non-secret) is not in user data either.
  const ud = renderUserData(d({ env: { API_URL: 'https://example.test/marker-value' } }), {});
  assert.equal(ud.text.includes('marker-value'), false);
});

test('bad package names are refused rather than written', () => {
  assert.throws(
    () => renderUserData(d({ packages: ['ok', '--allow-unauthenticated'] }), {}),
    /package name/,
  );
  assert.throws(() => renderUserData(d({ packages: ['a b'] }), {}), /package name/);
});
