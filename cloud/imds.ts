// The instance metadata service, one per instance: the HTTP endpoint EC2 serves an instance at
// 169.254.169.254, here on an address the networking layer gives (default 127.0.0.1, one
// port per instance). The instance learns it from AWS_EC2_METADATA_SERVICE_ENDPOINT, which
// the AWS SDKs and CLI honour. Modelled on the EC2 user guide: "Use the Instance Metadata
// Service to access instance metadata" / "How Instance Metadata Service Version 2 works",
// "Spot Instance interruption notices", "EC2 instance rebalance recommendations".

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the metadata tree shows; read at each request, so it follows the instance. */
export interface MetadataFacts {
  instanceId: string;
  instanceType: string;
  zone: string;
  region: string;
  lifecycle: 'spot' | 'on-demand';
  amiId: string;
  localIpv4: string;
  /** RunInstances' MetadataOptions.HttpTokens: 'required' refuses IMDSv1 (default here). */
  httpTokens: 'required' | 'optional';
}

export interface SpotNotice {
  action: 'terminate' | 'stop' | 'hibernate';
  /** When EC2 acts (ISO 8601, UTC, whole seconds). */
  time: string;
}

const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
/** A token lives 1 s to 6 h. */
const MAX_TTL = 21_600;

/** An ISO 8601 UTC time without milliseconds, as the metadata service writes times. */
export function metadataTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface MetadataRequest {
  method: string;
  path: string;
  /** Whether X-aws-ec2-metadata-token was sent. */
  withToken: boolean;
  status: number;
}

/** The most recent requests kept for inspection. */
const KEPT_REQUESTS = 1000;

export class MetadataService {
  readonly url: string;
  /** The latest requests (at most 1000), oldest first. */
  readonly requests: MetadataRequest[] = [];
  #server: Server;
  #facts: () => MetadataFacts;
  #tokens = new Map<string, number>(); // token -> expiry (epoch ms)
  #notice: SpotNotice | undefined;
  #rebalance: string | undefined;

  private constructor(server: Server, url: string, facts: () => MetadataFacts) {
    this.#server = server;
    this.url = url;
    this.#facts = facts;
  }

  /** Listens on `host` (default 127.0.0.1), port `port` (default: any free one). */
  static async start(opts: {
    facts: () => MetadataFacts;
    host?: string;
    port?: number;
  }): Promise<MetadataService> {
    const host = opts.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const svc = new MetadataService(server, url, opts.facts);
    server.on('request', (req, res) => svc.#handle(req, res));
    return svc;
  }

  /** Publishes an interruption notice at spot/instance-action (and spot/termination-time). */
  notice(n: SpotNotice): void {
    this.#notice = n;
  }

  /** Publishes a rebalance recommendation at events/recommendations/rebalance. */
  rebalance(noticeTime: string): void {
    this.#rebalance = noticeTime;
  }

  get pendingNotice(): SpotNotice | undefined {
    return this.#notice;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://imds').pathname;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      this.requests.push({
        method: req.method ?? '',
        path,
        withToken: req.headers[TOKEN_HEADER] !== undefined,
        status,
      });
      if (this.requests.length > KEPT_REQUESTS) this.requests.shift();
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    req.resume();
    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return send(405, 'Method Not Allowed');
      // A request that went through a proxy is refused, so that a misconfigured proxy on the
      // instance cannot hand tokens out.
      if (req.headers['x-forwarded-for'] !== undefined) return send(403, 'Forbidden');
      const raw = req.headers[TTL_HEADER];
      const ttl = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!(ttl >= 1 && ttl <= MAX_TTL)) return send(400, 'Bad Request');
      const token = randomBytes(32).toString('base64url');
      this.#tokens.set(token, Date.now() + ttl * 1000);
      return send(200, token, { [TTL_HEADER]: String(ttl) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method Not Allowed');
    const facts = this.#facts();
    const token = req.headers[TOKEN_HEADER];
    if (token !== undefined) {
      const expiry = typeof token === 'string' ? this.#tokens.get(token) : undefined;
      if (expiry === undefined || expiry < Date.now()) return send(401, 'Unauthorized');
    } else if (facts.httpTokens === 'required') {
      return send(401, 'Unauthorized');
    }
    const answer = this.#lookup(path, facts);
    if (answer === undefined) return send(404, 'Not Found');
    return send(200, answer, answer.startsWith('{') ? { 'content-type': 'application/json' } : {});
  }

  /** A leaf's value, or a directory's listing (sub-directories end in '/'); undefined: 404. */
  #lookup(path: string, f: MetadataFacts): string | undefined {
    const tree: Record<string, string | undefined> = {
      'ami-id': f.amiId,
      'instance-id': f.instanceId,
      'instance-type': f.instanceType,
      'instance-life-cycle': f.lifecycle,
      'local-ipv4': f.localIpv4,
      'placement/availability-zone': f.zone,
      'placement/region': f.region,
      'spot/instance-action': this.#notice && JSON.stringify(this.#notice),
      'spot/termination-time': this.#notice?.time,
      'events/recommendations/rebalance':
        this.#rebalance && JSON.stringify({ noticeTime: this.#rebalance }),
    };
    const m = /^\/latest\/meta-data\/?(.*)$/.exec(path);
    if (!m) return path === '/latest' || path === '/latest/' ? 'meta-data/' : undefined;
    const rel = m[1] ?? '';
    const leaf = tree[rel];
    if (leaf !== undefined) return leaf;
    const dir = rel === '' || rel.endsWith('/') ? rel : `${rel}/`;
    const entries = new Set<string>();
    for (const [key, value] of Object.entries(tree)) {
      if (value === undefined || !key.startsWith(dir)) continue;
      const rest = key.slice(dir.length);
      const slash = rest.indexOf('/');
      entries.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return entries.size ? [...entries].sort().join('\n') : undefined;
  }
}
