// A throwaway "instance": a systemd-nspawn container booted from the cached Debian root file
// system, with user data handed to cloud-init through its NoCloud seed. Test and demo tooling
// only; nothing under src/ imports it.
//
// Each container lives in its own private mount namespace (so its tmpfs /run, overlay and bind
// mounts vanish with it) and its own cgroup subtree (so two containers' systemd never share a
// cgroup). Commands run the way the SSM agent's AWS-RunShellScript plugin runs them.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, openSync, closeSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, rmdir, writeFile, readdir } from 'node:fs/promises';
import { constants as osConstants, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The root file system instances boot: $SPOT_ROOTFS, else the newest cached one. */
export function rootfsPath(): string {
  const fromEnv = process.env.SPOT_ROOTFS;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'usr'))) {
      throw new Error(
        `SPOT_ROOTFS=${fromEnv} is not a root file system; run \`npm run setup\` to build one`,
      );
    }
    return fromEnv;
  }
  const cache = process.env.SPOT_CACHE ?? join(homedir(), '.cache', 'spot-deployer');
  let best: { path: string; mtime: number } | undefined;
  let names: string[] = [];
  try {
    names = readdirSync(cache);
  } catch {
    // no cache at all
  }
  for (const name of names) {
    if (!/^rootfs-[0-9a-f]+$/.test(name)) continue;
    const path = join(cache, name);
    try {
      const st = statSync(path);
      if (st.isDirectory() && existsSync(join(path, 'usr')) && (!best || st.mtimeMs > best.mtime)) {
        best = { path, mtime: st.mtimeMs };
      }
    } catch {
      // vanished while we looked
    }
  }
  if (!best) {
    throw new Error(
      `no instance root file system found (SPOT_ROOTFS unset, none in ${cache}/rootfs-*); ` +
        'run `npm run setup` to build it',
    );
  }
  return best.path;
}

/**
 * The root file system an image boots: Debian 13 images boot the Debian 13 one
 * ($SPOT_ROOTFS_DEBIAN13, else the cached debian13-rootfs-*), every other image the default.
 */
export function rootfsForImage(
  image: { platformName: string; platformVersion: string },
  fallback: string,
): string {
  if (image.platformName !== 'Debian GNU/Linux' || image.platformVersion !== '13') return fallback;
  const fromEnv = process.env.SPOT_ROOTFS_DEBIAN13;
  if (fromEnv && existsSync(join(fromEnv, 'usr'))) return fromEnv;
  const cache = process.env.SPOT_CACHE ?? join(homedir(), '.cache', 'spot-deployer');
  let names: string[];
  try {
    names = readdirSync(cache).filter((n) => /^debian13-rootfs-[0-9a-f]+$/.test(n));
  } catch {
    names = [];
  }
  const found = names.map((n) => join(cache, n)).find((p) => existsSync(join(p, 'usr')));
  if (!found) {
    throw new Error('no Debian 13 root file system; run `npm run setup` to build it');
  }
  return found;
}

export interface BootOptions {
  name: string;
  userData: string | Buffer;
  instanceId?: string;
  hostname?: string;
  rootfs?: string;
  /** Region the instance lives in; exported to commands as AWS_SSM_REGION_NAME. */
  region?: string;
  /**
   * Loopback-only network (systemd-nspawn --private-network) instead of the host's. Services
   * on the same port in several containers then do not collide, but apt cannot reach a mirror.
   */
  privateNetwork?: boolean;
  /** A network namespace (path for `nsenter --net=`) the container runs in, instead. */
  netnsPath?: string;
  /** Host files bound read-only into the container: [host path, container path]. */
  bindReadOnly?: Array<[string, string]>;
  /** cloud.cfg.d snippet naming the image's default user (cloud/users.ts). */
  defaultUserConfig?: string;
  /**
   * Environment every unit inside gets (systemd's DefaultEnvironment=, from a drop-in bound
   * read-only at /etc/systemd/system.conf.d/), and so every command exec() runs.
   */
  systemEnvironment?: Record<string, string>;
}

/** The system.conf drop-in that sets DefaultEnvironment= for every unit. */
export function systemConfDropIn(env: Record<string, string>): string {
  const quoted = Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /["\\\n]/.test(v)) {
      throw new Error(`cannot put ${k}=${JSON.stringify(v)} in DefaultEnvironment=`);
    }
    return `"${k}=${v}"`;
  });
  return `# written by the local cloud\n[Manager]\nDefaultEnvironment=${quoted.join(' ')}\n`;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Aborting kills the command's process group, as CancelCommand does (exit code 137). */
  signal?: AbortSignal;
  /** Working directory (AWS-RunShellScript's workingDirectory); default the command's own dir. */
  cwd?: string;
  /** The Run Command id, which names the orchestration directory (default: a fresh uuid). */
  commandId?: string;
}

/** glibc's SIGRTMIN is 34; systemd powers off on SIGRTMIN+4. */
const SIGRTMIN_PLUS_4 = 38;

/** The exit code the SSM agent reports for a command it stopped (timeout or cancel). */
export const STOPPED_EXIT_CODE = 137;

/** The environment the SSM agent's commands see: a systemd service's, with no HOME. */
const AGENT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const MAX_OUTPUT = 16 * 1024 * 1024;
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The cgroup directories (one per hierarchy nspawn uses) a container of this name gets. */
function cgroupDirs(name: string): string[] {
  const dirs: string[] = [];
  let own: string[] = [];
  try {
    own = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  } catch {
    return dirs;
  }
  const pathOf = (prefix: string) =>
    own
      .find((l) => l.includes(prefix))
      ?.split(':')
      .slice(2)
      .join(':');
  const leaf = (base: string, path: string | undefined) =>
    path === undefined ? undefined : join(base, path, 'spot-cloud', name);
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    const d = leaf('/sys/fs/cgroup', pathOf('0::'));
    if (d) dirs.push(d);
  } else {
    const s = existsSync('/sys/fs/cgroup/systemd')
      ? leaf('/sys/fs/cgroup/systemd', pathOf(':name=systemd:'))
      : undefined;
    if (s) dirs.push(s);
    const u = existsSync('/sys/fs/cgroup/unified')
      ? leaf('/sys/fs/cgroup/unified', pathOf('0::'))
      : undefined;
    if (u) dirs.push(u);
  }
  return dirs;
}

/** Removes a cgroup directory tree, deepest first; cgroup files cannot be unlinked, only dirs. */
async function removeCgroupTree(dir: string): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) await removeCgroupTree(join(dir, e.name));
  for (let i = 0; i < 20; i++) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await sleep(50); // EBUSY while the last processes are being reaped
    }
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killed: 'timeout' | 'abort' | undefined;
}

/** Runs a host command in its own process group; kills the whole group on timeout or abort. */
function runGroup(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number; signal?: AbortSignal },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env,
      detached: true,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let killed: RunResult['killed'];
    const kill = (why: 'timeout' | 'abort') => {
      if (killed || child.exitCode !== null || child.signalCode !== null) return;
      killed = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer =
      opts.timeoutMs !== undefined ? setTimeout(() => kill('timeout'), opts.timeoutMs) : undefined;
    const onAbort = () => kill('abort');
    if (opts.signal?.aborted) queueMicrotask(onAbort);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (b: Buffer) => {
      if (outLen < MAX_OUTPUT) out.push(b);
      outLen += b.length;
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (errLen < MAX_OUTPUT) err.push(b);
      errLen += b.length;
    });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        killed,
      });
    });
    if (opts.stdin !== undefined) {
      child.stdin?.on('error', () => {}); // the command may exit before reading all of it
      child.stdin?.end(opts.stdin);
    }
  });
}

export class Container {
  readonly name: string;
  readonly leaderPid: number;
  readonly instanceId: string;
  readonly region: string | undefined;
  /** What every unit inside sees besides its own environment (BootOptions.systemEnvironment). */
  readonly systemEnvironment: Record<string, string>;
  /** Host directory holding the seed and the console log; removed by stop(). */
  readonly workDir: string;
  /** Resolves when systemd-nspawn has exited, with its exit code. */
  readonly exited: Promise<number | null>;

  #nspawnPid: number;
  #cgroups: string[];
  #stopping: Promise<void> | undefined;
  #done = false;

  private constructor(init: {
    name: string;
    leaderPid: number;
    instanceId: string;
    region: string | undefined;
    systemEnvironment: Record<string, string>;
    workDir: string;
    nspawnPid: number;
    cgroups: string[];
    exited: Promise<number | null>;
  }) {
    this.name = init.name;
    this.leaderPid = init.leaderPid;
    this.instanceId = init.instanceId;
    this.region = init.region;
    this.systemEnvironment = init.systemEnvironment;
    this.workDir = init.workDir;
    this.#nspawnPid = init.nspawnPid;
    this.#cgroups = init.cgroups;
    this.exited = init.exited;
    void this.exited.then(() => {
      this.#done = true;
    });
  }

  /** Starts the container; resolves once its init (systemd) process is known. */
  static async boot(opts: BootOptions): Promise<Container> {
    if (!NAME_RE.test(opts.name)) {
      throw new Error(`invalid container name ${JSON.stringify(opts.name)}`);
    }
    const rootfs = opts.rootfs ?? rootfsPath();
    const instanceId = opts.instanceId ?? opts.name;
    const hostname = opts.hostname ?? opts.name;
    const workDir = await mkdtemp(join(tmpdir(), `spot-cloud-${opts.name}-`));
    const seed = join(workDir, 'seed');
    await mkdir(seed);
    // User data goes to cloud-init byte for byte (gzip included: cloud-init sniffs the magic).
    await writeFile(join(seed, 'user-data'), opts.userData);
    await writeFile(
      join(seed, 'meta-data'),
      `instance-id: ${JSON.stringify(instanceId)}\nlocal-hostname: ${JSON.stringify(hostname)}\n`,
    );
    const userConfig = join(workDir, 'default-user.cfg');
    if (opts.defaultUserConfig !== undefined) await writeFile(userConfig, opts.defaultUserConfig);
    const systemEnvironment = opts.systemEnvironment ?? {};
    const binds: string[] = [];
    if (Object.keys(systemEnvironment).length) {
      const dropIn = join(workDir, 'system.conf');
      await writeFile(dropIn, systemConfDropIn(systemEnvironment));
      binds.push(`--bind-ro=${dropIn}:/etc/systemd/system.conf.d/50-spot-cloud.conf`);
    }
    const cgroups = cgroupDirs(opts.name);
    // Move this shell into the container's own cgroups, give it a private /run, then become nspawn.
    const script = [
      'n=$1; shift',
      'while [ "$n" -gt 0 ]; do',
      '  mkdir -p "$1" 2>/dev/null && echo $$ > "$1/cgroup.procs" 2>/dev/null',
      '  shift; n=$((n-1))',
      'done',
      'mount -t tmpfs tmpfs /run || exit 1',
      'exec systemd-nspawn "$@"',
    ].join('\n');
    const nspawnArgs = [
      '--quiet',
      '--register=no',
      '--keep-unit',
      '--volatile=overlay',
      '--console=read-only',
      `--bind-ro=${seed}:/var/lib/cloud/seed/nocloud`,
      ...(opts.defaultUserConfig !== undefined
        ? [`--bind-ro=${userConfig}:/etc/cloud/cloud.cfg.d/90_default_user.cfg`]
        : []),
      ...binds,
      '-D',
      rootfs,
      '--machine',
      opts.name,
      `--hostname=${hostname}`,
      ...(opts.bindReadOnly ?? []).map(([from, to]) => `--bind-ro=${from}:${to}`),
      ...(opts.privateNetwork ? ['--private-network'] : []),
      '--boot',
    ];
    const logPath = join(workDir, 'console.log');
    const logFd = openSync(logPath, 'a');
    // setpriv --pdeathsig: if this Node process dies without stopping the container (a crash,
    // SIGKILL), nspawn gets SIGTERM and shuts the container down instead of leaking it.
    const enter = opts.netnsPath ? ['nsenter', `--net=${opts.netnsPath}`] : [];
    const child = spawn(
      enter[0] ?? 'setpriv',
      [
        ...enter.slice(1),
        ...(enter.length > 0 ? ['setpriv'] : []),
        '--pdeathsig',
        'SIGTERM',
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        script,
        'sh',
        String(cgroups.length),
        ...cgroups,
        ...nspawnArgs,
      ],
      { stdio: ['ignore', logFd, logFd] },
    );
    closeSync(logFd);
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null));
    });
    const nspawnPid = child.pid;
    let leaderPid: number | undefined;
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    const deadline = Date.now() + 30_000;
    while (nspawnPid !== undefined && !gone && Date.now() < deadline) {
      leaderPid = childrenOf(nspawnPid).find((c) => commOf(c) === 'systemd');
      if (leaderPid !== undefined) break;
      await sleep(20);
    }
    if (nspawnPid === undefined || leaderPid === undefined) {
      if (!gone && nspawnPid !== undefined) {
        try {
          process.kill(nspawnPid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      await exited;
      const log = await readFile(logPath, 'utf8').catch(() => '');
      for (const d of cgroups) await removeCgroupTree(d);
      await rm(workDir, { recursive: true, force: true });
      throw new Error(
        `container ${opts.name} did not start (systemd-nspawn ${gone ? 'exited' : 'timed out'}): ` +
          log.trim().split('\n').slice(-10).join('\n'),
      );
    }
    return new Container({
      name: opts.name,
      leaderPid,
      instanceId,
      region: opts.region,
      systemEnvironment,
      workDir,
      nspawnPid,
      cgroups,
      exited,
    });
  }

  get running(): boolean {
    return !this.#done;
  }

  /** Runs a command inside the container (all namespaces), with the agent's environment. */
  #enter(
    args: string[],
    opts: {
      stdin?: string;
      timeoutMs?: number;
      env?: Record<string, string>;
      signal?: AbortSignal;
    },
  ): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = { PATH: AGENT_PATH, ...opts.env };
    return runGroup('nsenter', ['-t', String(this.leaderPid), '-a', ...args], {
      env,
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * Until systemd has finished starting (running or degraded) and cloud-init is done. A
   * cloud-init that finished with errors still counts as booted: see cloudInitStatus().
   */
  async waitBooted(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`container ${this.name} exited while booting`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`container ${this.name} did not finish booting in ${timeoutMs} ms`);
      const r = await this.#enter(
        [
          'sh',
          '-c',
          'state=$(systemctl is-system-running --wait 2>/dev/null); echo "$state"; ' +
            'case "$state" in running|degraded) cloud-init status --wait >/dev/null 2>&1; exit 0;; esac; exit 1',
        ],
        { timeoutMs: left },
      );
      if (r.killed === 'timeout') {
        throw new Error(`container ${this.name} did not finish booting in ${timeoutMs} ms`);
      }
      if (r.code === 0) return;
      // "starting" can come back early while the system bus is not up yet; try again shortly.
      await sleep(100);
    }
  }

  /** `cloud-init status --format json`, reduced to status and errors. */
  async cloudInitStatus(): Promise<{ status: string; errors: string[] }> {
    const r = await this.#enter(['cloud-init', 'status', '--format', 'json'], {
      timeoutMs: 30_000,
    });
    try {
      const parsed = JSON.parse(r.stdout) as { status?: unknown; errors?: unknown };
      return {
        status: typeof parsed.status === 'string' ? parsed.status : 'unknown',
        errors: Array.isArray(parsed.errors) ? parsed.errors.map(String) : [],
      };
    } catch {
      throw new Error(
        `cloud-init status in ${this.name} did not answer JSON (exit ${r.code}): ${r.stderr.trim()}`,
      );
    }
  }

  /**
   * Runs a script as root inside the container the way the SSM agent's AWS-RunShellScript
   * plugin does: the text (plus a final newline) is written to `_script.sh`, mode 0700, in a
   * fresh per-command orchestration directory, and run as `sh -c <that file>` from that
   * directory in its own process group, stdin empty. `sh -c` on an executable file execs it, so
   * a `#!/bin/bash` first line is honoured. On timeout or abort the whole group is killed and
   * the exit code is 137, as the agent reports.
   */
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (!this.running) throw new Error(`container ${this.name} is not running`);
    const dir =
      `/var/lib/amazon/ssm/${this.instanceId}/document/orchestration/${opts.commandId ?? randomUUID()}` +
      '/awsrunShellScript/0.awsrunShellScript';
    // the agent is a unit too: it gets systemd's DefaultEnvironment=
    const env: Record<string, string> = {
      ...this.systemEnvironment,
      AWS_SSM_INSTANCE_ID: this.instanceId,
    };
    if (this.region) env.AWS_SSM_REGION_NAME = this.region;
    Object.assign(env, opts.env);
    const r = await this.#enter(
      [
        'sh',
        '-c',
        'mkdir -p "$0" && cat > "$0/_script.sh" && chmod 700 "$0/_script.sh" && cd "${1:-$0}" && ' +
          'exec sh -c "$0/_script.sh" </dev/null',
        dir,
        opts.cwd ?? '',
      ],
      {
        stdin: script + '\n',
        env,
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    if (r.killed) {
      return {
        exitCode: STOPPED_EXIT_CODE,
        stdout: r.stdout,
        stderr: r.stderr,
        timedOut: r.killed === 'timeout',
      };
    }
    const exitCode = r.code ?? (r.signal ? 128 + (signalNumber(r.signal) ?? 0) : 1);
    return { exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: false };
  }

  /** A file inside the container, read through /proc/<init>/root; undefined if absent. */
  async readFile(path: string): Promise<Buffer | undefined> {
    if (!path.startsWith('/')) throw new Error(`readFile needs an absolute path, got ${path}`);
    try {
      return await readFile(`/proc/${this.leaderPid}/root${path}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ESRCH') return undefined;
      throw err;
    }
  }

  /** The container's console output so far (systemd's boot messages, cloud-init's output). */
  async consoleLog(): Promise<string> {
    return readFile(join(this.workDir, 'console.log'), 'utf8').catch(() => '');
  }

  /**
   * Powers the container off (SIGRTMIN+4 to its systemd), waits for systemd-nspawn to exit
   * (escalating to SIGTERM, then SIGKILL), and removes its cgroups and work directory. Idempotent: every call returns the
   * same promise.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const waitExit = (ms: number) =>
      new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        void this.exited.then(() => {
          clearTimeout(t);
          resolve(true);
        });
      });
    if (this.running) {
      // SIGRTMIN+4 asks systemd for poweroff.target; unlike `systemctl poweroff` it works at
      // any stage of the boot. A pid 1 drops signals it has no handler for yet, so repeat it
      // until systemd has taken it.
      const poke = () => {
        // only while that pid is still nspawn's child: never signal a recycled pid
        if (!childrenOf(this.#nspawnPid).includes(this.leaderPid)) return;
        try {
          process.kill(this.leaderPid, SIGRTMIN_PLUS_4);
        } catch {
          // already gone
        }
      };
      poke();
      const repeat = setInterval(poke, 250);
      const exitedInTime = await waitExit(15_000);
      clearInterval(repeat);
      if (!exitedInTime) {
        // nspawn turns SIGTERM into an orderly shutdown of the container
        try {
          process.kill(this.#nspawnPid, 'SIGTERM');
        } catch {
          // already gone
        }
        if (!(await waitExit(5_000))) {
          try {
            process.kill(this.#nspawnPid, 'SIGKILL');
          } catch {
            // already gone
          }
          // the container's processes die with its pid namespace once init is killed
          try {
            process.kill(this.leaderPid, 'SIGKILL');
          } catch {
            // already gone
          }
          await this.exited;
        }
      }
    }
    for (const d of this.#cgroups) await removeCgroupTree(d);
    await rm(this.workDir, { recursive: true, force: true });
  }
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return osConstants.signals[signal];
}
