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
    return new Sandbox(dir, rootfs);
  }

  get upper(): string {
    return join(this.dir, 'upper');
  }

  /** Runs `script` inside as root, like the agent; resolves with its exit code and output. */
  async exec(script: string, timeoutMs = 60_000): Promise<SandboxResult> {
    const name = `cmd-${++this.#n}`;
    await writeFile(join(this.dir, 'agent', `${name}.sh`), script + '\n', { mode: 0o700 });
    const m = join(this.dir, 'merged');
    const setup = [
      'set -e',
      `mount -t overlay overlay -o lowerdir="$1",upperdir="$2/upper",workdir="$2/work" "${m}"`,
      // the agent's orchestration directory lives outside the overlay, so it is not a "change"
      `mount --bind "$2/agent" "${m}/run"`,
      `cd "${m}/run"`,
      `exec chroot "${m}" /usr/bin/env -i PATH=${AGENT_PATH} AWS_SSM_INSTANCE_ID=i-sandbox ` +
        `/bin/sh -c 'cd /run && exec sh -c "/run/$0.sh" </dev/null' "$3"`,
    ].join('\n');
    return new Promise((resolve, reject) => {
      const p = spawn(
        'unshare',
        [
          '--mount',
          '--net',
          '--propagation',
          'private',
          'bash',
          '-c',
          setup,
          'bash',
          this.rootfs,
          this.dir,
          name,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        try {
          if (p.pid) process.kill(-p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, timeoutMs);
      p.stdout.on('data', (b: Buffer) => (out += b.toString()));
      p.stderr.on('data', (b: Buffer) => (err += b.toString()));
      p.on('error', reject);
      p.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? (signal ? 137 : 1), stdout: out, stderr: err });
      });
    });
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
