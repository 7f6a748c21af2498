import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Container, STOPPED_EXIT_CODE, rootfsPath } from '../../cloud/container.ts';

const USER_DATA = `#cloud-config
locale: C.UTF-8
write_files:
  - path: /etc/spot-test/hello.txt
    content: hello from user data
runcmd:
  - echo runcmd-ran > /root/runcmd.txt
`;

/** Every process on the host whose cgroup path names this container. */
function processesOf(name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(`/spot-cloud/${name}/`)) {
        found.push(Number(entry));
      }
    } catch {
      // exited while we looked
    }
  }
  return found;
}

test('a container boots its user data, runs commands as the SSM agent would, and stops clean', async (t) => {
  const name = `ct-${process.pid}-a`;
  const c = await Container.boot({ name, userData: USER_DATA, instanceId: 'i-0123456789abcdef0' });
  t.after(() => c.stop());
  assert.ok(c.leaderPid > 0);
  await c.waitBooted(60_000);

  // cloud-init ran the user data
  assert.deepEqual(await c.cloudInitStatus(), { status: 'done', errors: [] });
  assert.equal((await c.readFile('/etc/spot-test/hello.txt'))?.toString(), 'hello from user data');
  assert.equal((await c.readFile('/root/runcmd.txt'))?.toString(), 'runcmd-ran\n');
  assert.equal(await c.readFile('/no/such/file'), undefined);

  // output, exit code, the agent's working directory and environment
  const r = await c.exec('echo out; echo err >&2; pwd; echo "home=${HOME-unset}"; id -u; exit 3');
  assert.equal(r.exitCode, 3);
  assert.equal(r.timedOut, false);
  assert.equal(r.stderr, 'err\n');
  const [out, pwd, home, uid] = r.stdout.trim().split('\n');
  assert.equal(out, 'out');
  assert.match(
    pwd ?? '',
    /^\/var\/lib\/amazon\/ssm\/i-0123456789abcdef0\/document\/orchestration\/[0-9a-f-]{36}\/awsrunShellScript\/0\.awsrunShellScript$/,
  );
  assert.equal(home, 'home=unset');
  assert.equal(uid, '0');

  // the script file is what the agent writes: the commands plus a newline, mode 0700
  const script = await c.readFile(`${pwd}/_script.sh`);
  assert.equal(
    script?.toString(),
    'echo out; echo err >&2; pwd; echo "home=${HOME-unset}"; id -u; exit 3\n',
  );

  // a #!/bin/bash first line is honoured (dash has no arrays)
  const bash = await c.exec('#!/bin/bash\na=(x y z)\necho "${#a[@]} $BASH_VERSION" | cut -c1-2', {
    env: { EXTRA: '1' },
  });
  assert.deepEqual(bash, { exitCode: 0, stdout: '3 \n', stderr: '', timedOut: false });

  // a hanging command is killed at its timeout with the agent's exit code, and so are its children
  const hung = await c.exec('sleep 300 & sleep 301; echo never', { timeoutMs: 500 });
  assert.equal(hung.timedOut, true);
  assert.equal(hung.exitCode, STOPPED_EXIT_CODE);
  const left = await c.exec('pgrep -x sleep || echo none');
  assert.equal(left.stdout, 'none\n');

  // systemd really runs inside
  const active = await c.exec('systemctl is-active systemd-journald');
  assert.equal(active.stdout, 'active\n');

  const { workDir } = c;
  await c.stop();
  await c.stop(); // idempotent
  assert.equal(c.running, false);
  assert.equal(existsSync(workDir), false);
  assert.deepEqual(processesOf(name), []);
  assert.equal(existsSync(`/proc/${c.leaderPid}/root/etc/spot-test`), false);
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(workDir));
  await assert.rejects(c.exec('true'), /not running/);
});

test('gzip user data reaches cloud-init as it is; two containers side by side, one on a private network', async (t) => {
  const names = [`ct-${process.pid}-b`, `ct-${process.pid}-c`];
  const gz = gzipSync(Buffer.from(USER_DATA));
  const [b, c] = await Promise.all([
    Container.boot({ name: names[0]!, userData: gz }),
    Container.boot({
      name: names[1]!,
      userData: USER_DATA,
      hostname: 'web-1',
      privateNetwork: true,
    }),
  ]);
  t.after(() => Promise.all([b!.stop(), c!.stop()]));
  await Promise.all([b!.waitBooted(60_000), c!.waitBooted(60_000)]);
  assert.equal((await b!.readFile('/etc/spot-test/hello.txt'))?.toString(), 'hello from user data');
  assert.equal((await c!.exec('hostname')).stdout, 'web-1\n');
  // b shares the host's network (apt works); c has loopback only
  assert.equal((await c!.exec('ls /sys/class/net')).stdout, 'lo\n');
  assert.deepEqual(
    (await b!.exec('ls /sys/class/net')).stdout.split('\n').filter(Boolean),
    readdirSync('/sys/class/net').sort(),
  );
  // each is its own machine: a file written in one is absent from the other
  await b!.exec('echo only-b > /root/mark');
  assert.equal(await c!.readFile('/root/mark'), undefined);
  // aborting a command stops it like CancelCommand
  const ac = new AbortController();
  const pending = c!.exec('sleep 300', { signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  const cancelled = await pending;
  assert.equal(cancelled.exitCode, STOPPED_EXIT_CODE);
  assert.equal(cancelled.timedOut, false);
  await Promise.all([b!.stop(), c!.stop()]);
  for (const n of names) assert.deepEqual(processesOf(n), []);
});

test('stopping a container in the middle of its boot leaves nothing', async () => {
  const name = `ct-${process.pid}-d`;
  const c = await Container.boot({ name, userData: USER_DATA });
  const { workDir } = c;
  await c.stop();
  assert.equal(c.running, false);
  assert.equal(existsSync(workDir), false);
  assert.deepEqual(processesOf(name), []);
  await assert.rejects(c.waitBooted(1_000), /exited while booting|did not finish/);
});

test('rootfsPath names `npm run setup` when there is no root file system', () => {
  const saved = { rootfs: process.env.SPOT_ROOTFS, cache: process.env.SPOT_CACHE };
  try {
    process.env.SPOT_ROOTFS = '/nonexistent/rootfs';
    assert.throws(() => rootfsPath(), /npm run setup/);
    delete process.env.SPOT_ROOTFS;
    process.env.SPOT_CACHE = '/nonexistent/cache';
    assert.throws(() => rootfsPath(), /npm run setup/);
  } finally {
    for (const [k, v] of [
      ['SPOT_ROOTFS', saved.rootfs],
      ['SPOT_CACHE', saved.cache],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
