// A cheap stand-in for an instance when systemd is not needed: the instance root file system
// under a private overlay (writes land in an upper directory we can list exactly), entered
// with chroot in a fresh mount and network namespace, and each script run the way the SSM
// agent runs it: written to _script.sh (0700) and started as `sh -c <file>` with the agent's
// bare environment (PATH only, no HOME) and empty stdin.

import { spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootfsPath } from '../../cloud/container.ts';

export interface SandboxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Change {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
}

const AGENT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class Sandbox {
  readonly dir: string;
  readonly rootfs: string;
  #n = 0;

  private constructor(dir: string, rootfs: string) {
    this.dir = dir;
    this.rootfs = rootfs;
  }

  static async create(): Promise<Sandbox> {
    const rootfs = rootfsPath();
    const dir = await mkdtemp(join(tmpdir(), 'render-sandbox-'));
    for (const d of ['upper', 'work', 'merged', 'agent']) await mkdir(join(dir, d));
    // A layer over the root file system: cloud-init has "finished" (nothing boots here).
    const stub = join(dir, 'stub', 'usr', 'local', 'bin');
    await mkdir(stub, { recursive: true });
    await writeFile(join(stub, 'cloud-init'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    return new Sandbox(dir, rootfs);
  }

  get upper(): string {
    return join(this.dir, 'upper');
  }

  /** Runs `script` inside as root, like the agent; resolves with its exit code and output. */
  async exec(script: string, timeoutMs = 60_000): Promise<SandboxResult> {
    const [r] = await this.execAll([script], timeoutMs);
    if (!r) throw new Error('sandbox ran nothing');
    return r;
  }

  /**
   * Runs `scripts` one after the other, each as its own agent command (own file, own
   * `sh -c`, empty stdin), in one entry into the sandbox; stops after the first failure.
   */
  async execAll(scripts: string[], timeoutMs = 120_000): Promise<SandboxResult[]> {
    const names: string[] = [];
    for (const script of scripts) {
      const name = `cmd-${++this.#n}`;
      await writeFile(join(this.dir, 'agent', `${name}.sh`), script + '\n', { mode: 0o700 });
      names.push(name);
    }
    const m = join(this.dir, 'merged');
    const inner =
      'cd /run; for c in "$@"; do sh -c "/run/$c.sh" </dev/null >"/run/$c.out" 2>"/run/$c.err"; ' +
      'rc=$?; echo "$rc" >"/run/$c.rc"; [ "$rc" = 0 ] || break; done';
    const setup = [
      'set -e',
      `mount -t overlay overlay -o lowerdir="$1/stub:$2",upperdir="$1/upper",workdir="$1/work" "${m}"`,
      // the agent's orchestration directory lives outside the overlay, so it is not a "change"
      `mount --bind "$1/agent" "${m}/run"`,
      `mount -t proc proc "${m}/proc"`,
      'shift 2',
      `exec chroot "${m}" /usr/bin/env -i PATH=${AGENT_PATH} AWS_SSM_INSTANCE_ID=i-sandbox /bin/sh -c '${inner}' sh "$@"`,
    ].join('\n');
    await new Promise<void>((resolve, reject) => {
      const p = spawn(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'bash',
          '-c',
          setup,
          'bash',
          this.dir,
          this.rootfs,
          ...names,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
      );
      let err = '';
      const timer = setTimeout(() => {
        try {
          if (p.pid) process.kill(-p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, timeoutMs);
      p.stderr.on('data', (b: Buffer) => (err += b.toString()));
      p.on('error', reject);
      p.on('close', (code) => {
        clearTimeout(timer);
        if (code !== 0 && code !== 1 && err) reject(new Error(`sandbox: ${err}`));
        else resolve();
      });
    });
    const results: SandboxResult[] = [];
    for (const name of names) {
      const base = join(this.dir, 'agent', name);
      const rc = await readFile(`${base}.rc`, 'utf8').catch(() => undefined);
      if (rc === undefined) break;
      results.push({
        exitCode: Number(rc.trim()),
        stdout: await readFile(`${base}.out`, 'utf8'),
        stderr: await readFile(`${base}.err`, 'utf8'),
      });
    }
    return results;
  }

  /** A file as the instance sees it (upper layer over the root file system). */
  async readFile(path: string): Promise<Buffer | undefined> {
    for (const base of [this.upper, this.rootfs]) {
      try {
        return await readFile(join(base, path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return undefined;
  }

  /** Every path the scripts created or modified (the overlay's upper layer), with its metadata. */
  async changes(): Promise<Map<string, Change>> {
    const out = new Map<string, Change>();
    const walk = async (abs: string, rel: string) => {
      for (const name of await readdir(abs)) {
        const a = join(abs, name);
        const r = `${rel}/${name}`;
        const st = await lstat(a);
        const type = st.isFile()
          ? 'file'
          : st.isDirectory()
            ? 'dir'
            : st.isSymbolicLink()
              ? 'symlink'
              : 'other';
        out.set(r, { type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
        if (type === 'dir') await walk(a, r);
      }
    };
    await walk(this.upper, '');
    return out;
  }

  /** Forgets every change: the next script sees a pristine instance. */
  async reset(): Promise<void> {
    await rm(join(this.dir, 'upper'), { recursive: true, force: true });
    await rm(join(this.dir, 'work'), { recursive: true, force: true });
    await mkdir(join(this.dir, 'upper'));
    await mkdir(join(this.dir, 'work'));
  }

  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
