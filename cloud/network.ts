// Each instance its own network, as on EC2: a network namespace per container with one
// address, the private IP DescribeInstances reports, on a veth pair whose other end is on the
// host (a /32 route to it), so the host reaches every instance at its own address and two
// instances can listen on one port. Nothing is routed further: the only way out is an HTTP
// proxy the cloud runs on the host end (GATEWAY), which forwards only to the Debian mirror
// apt already uses (read from /etc/apt/sources.list.d/debian.sources), for apt inside.
//
// Names carry this process' pid, so namespaces left by a process that died are found and
// removed by the next cloud; a private address is reserved machine-wide with a file, so two
// clouds on one machine never route one address to two instances.

import { execFile } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The host end's address on every veth, where the proxy listens. Link-local: never routed. */
export const GATEWAY = '169.254.100.1';
const NETNS_DIR = '/run/netns';
const RESERVED_DIR = '/run/spot-cloud/private-ip';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Hosts of the Debian mirrors apt on this machine uses (the `URIs:` of debian.sources). */
export function mirrorHosts(file = '/etc/apt/sources.list.d/debian.sources'): Set<string> {
  const hosts = new Set<string>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return hosts;
  }
  for (const m of text.matchAll(/^URIs:\s*(.+)$/gm)) {
    for (const uri of (m[1] ?? '').trim().split(/\s+/)) {
      try {
        hosts.add(new URL(uri).host);
      } catch {
        // not a URL
      }
    }
  }
  return hosts;
}

/**
 * Reserves `ip` for this process (a file under /run, created exclusively); a reservation of a
 * process that is gone is taken over. False when another live process holds it.
 */
export function reservePrivateIp(ip: string): boolean {
  mkdirSync(RESERVED_DIR, { recursive: true });
  const file = `${RESERVED_DIR}/${ip}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (holder === process.pid || (Number.isInteger(holder) && holder > 0 && alive(holder))) {
        return false;
      }
      try {
        unlinkSync(file);
      } catch {
        // another cloud took it over first
      }
    }
  }
  return false;
}

export function releasePrivateIp(ip: string): void {
  const file = `${RESERVED_DIR}/${ip}`;
  try {
    if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
  } catch {
    // not reserved
  }
}

export interface InstanceNetwork {
  /** For `nsenter --net=`. */
  netnsPath: string;
  /** An apt configuration file that points apt at the proxy. */
  aptProxyConf: string;
  remove(): Promise<void>;
}

/** The namespaces of one cloud and the proxy they share. */
export class Networks {
  readonly #prefix = `spot-${process.pid}-`;
  #count = 0;
  #proxy: Promise<{ server: Server; port: number }> | undefined;
  readonly #allowed: Set<string>;

  constructor(allowed: Set<string> = mirrorHosts()) {
    this.#allowed = allowed;
  }

  /** Removes the namespaces of clouds whose process is gone (left by a crash). */
  static async removeStale(): Promise<void> {
    let names: string[];
    try {
      names = readdirSync(NETNS_DIR);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^spot-(\d+)-\d+$/.exec(name);
      if (m && !alive(Number(m[1]))) await run('ip', ['netns', 'del', name]).catch(() => {});
    }
  }

  async create(ip: string, aptConfPath: string): Promise<InstanceNetwork> {
    const n = ++this.#count;
    const ns = `${this.#prefix}${n}`;
    // veth names are at most 15 characters: pid (up to 7 digits) and a counter
    const host = `sv${process.pid.toString(36)}x${n.toString(36)}`.slice(0, 15);
    const peer = `sc${process.pid.toString(36)}x${n.toString(36)}`.slice(0, 15);
    const steps: string[][] = [
      ['netns', 'add', ns],
      ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', ns],
      ['addr', 'add', `${GATEWAY}/32`, 'dev', host],
      ['link', 'set', host, 'up'],
      ['route', 'add', `${ip}/32`, 'dev', host, 'src', GATEWAY],
      ['-n', ns, 'link', 'set', 'lo', 'up'],
      ['-n', ns, 'link', 'set', peer, 'name', 'eth0'],
      ['-n', ns, 'addr', 'add', `${ip}/32`, 'dev', 'eth0'],
      ['-n', ns, 'link', 'set', 'eth0', 'up'],
      ['-n', ns, 'route', 'add', `${GATEWAY}/32`, 'dev', 'eth0'],
    ];
    const remove = async () => {
      await run('ip', ['netns', 'del', ns]).catch(() => {});
      await run('ip', ['link', 'del', host]).catch(() => {});
      await rm(aptConfPath, { force: true });
    };
    try {
      for (const s of steps) await run('ip', s);
      const { port } = await this.#startProxy();
      await writeFile(
        aptConfPath,
        `// The local cloud's proxy to the Debian mirror (the only way out of this network)\n` +
          `Acquire::http::Proxy "http://${GATEWAY}:${port}/";\n`,
      );
    } catch (err) {
      await remove();
      throw err;
    }
    return { netnsPath: `${NETNS_DIR}/${ns}`, aptProxyConf: aptConfPath, remove };
  }

  /** The proxy, listening on GATEWAY once a host end carries that address. */
  #startProxy(): Promise<{ server: Server; port: number }> {
    this.#proxy ??= new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        let target: URL;
        try {
          target = new URL(req.url ?? '');
        } catch {
          res.writeHead(400).end('absolute URL expected\n');
          return;
        }
        if (target.protocol !== 'http:' || !this.#allowed.has(target.host)) {
          res.writeHead(403).end(`only the Debian mirror is reachable, not ${target.host}\n`);
          return;
        }
        const up = request(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', (err) => {
          if (!res.headersSent) res.writeHead(502);
          res.end(`${String(err)}\n`);
        });
        req.pipe(up);
      });
      server.on('connect', (req, socket) => {
        const [host = '', port = '443'] = (req.url ?? '').split(':');
        if (!this.#allowed.has(host) || port !== '443') {
          socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
          return;
        }
        const up = connect(Number(port), host, () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          up.pipe(socket);
          socket.pipe(up);
        });
        up.on('error', () => socket.destroy());
        socket.on('error', () => up.destroy());
      });
      server.once('error', reject);
      server.listen(0, GATEWAY, () => {
        server.unref();
        const addr = server.address();
        resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
      });
    });
    return this.#proxy;
  }

  async close(): Promise<void> {
    const p = await this.#proxy?.catch(() => undefined);
    this.#proxy = undefined;
    if (p) await new Promise<void>((r) => p.server.close(() => r()));
  }
}
