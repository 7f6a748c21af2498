// A stand-in for the GitHub Actions cache service, version 1 REST protocol, on 127.0.0.1,
// that the real @actions/cache library talks to when ACTIONS_CACHE_URL points at it and
// ACTIONS_CACHE_SERVICE_V2 is unset:
//   GET   _apis/artifactcache/cache?keys=a,b&version=V   -> 200 entry | 204 miss
//   POST  _apis/artifactcache/caches {key,version,cacheSize} -> 201 {cacheId} | 409 taken
//   PATCH _apis/artifactcache/caches/ID  (Content-Range)    -> 204, one chunk
//   POST  _apis/artifactcache/caches/ID {size}              -> 204, committed
//   GET   archives/ID (the archiveLocation)                 -> the archive bytes
// Matching follows the service: for each key in order, an exact key first, then the newest
// entry whose key starts with it; only committed entries of the same version count.
// `env()` gives the variables the library needs; `broken = true` answers 500 to everything.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  chunks: { start: number; data: Buffer }[];
  size?: number;
  archive?: Buffer;
  /** Order of commitment; the higher, the newer. */
  created: number;
}

export interface CacheCall {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeCacheService {
  /** Base URL with the trailing slash the library expects. */
  url: string;
  entries: CacheEntry[];
  calls: CacheCall[];
  /** When true, every request is answered with 500. */
  broken: boolean;
  /** The environment @actions/cache reads: ACTIONS_CACHE_URL and a runtime token. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const API = '/_apis/artifactcache/';

export async function startFakeCacheService(): Promise<FakeCacheService> {
  const entries: CacheEntry[] = [];
  const calls: CacheCall[] = [];
  let nextId = 1;
  let clock = 0;
  let base = '';

  const json = (res: ServerResponse, status: number, body?: unknown): void => {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const lookup = (keys: string[], version: string): CacheEntry | undefined => {
    const ready = entries.filter((e) => e.version === version && e.archive !== undefined);
    for (const key of keys) {
      const exact = ready.find((e) => e.key === key);
      if (exact) return exact;
      const prefixed = ready
        .filter((e) => e.key.startsWith(key))
        .sort((a, b) => b.created - a.created)[0];
      if (prefixed) return prefixed;
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', base);
    calls.push({
      method,
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
    });
    if (service.broken) {
      json(res, 500, { message: 'the cache service is having a bad day' });
      return;
    }

    if (method === 'GET' && url.pathname === `${API}cache`) {
      const keys = (url.searchParams.get('keys') ?? '').split(',').filter(Boolean);
      const hit = lookup(keys, url.searchParams.get('version') ?? '');
      if (!hit) {
        json(res, 204);
        return;
      }
      json(res, 200, {
        cacheKey: hit.key,
        scope: 'refs/heads/main',
        creationTime: new Date(hit.created).toISOString(),
        archiveLocation: `${base}archives/${hit.id}`,
      });
      return;
    }
    if (method === 'GET' && url.pathname === `${API}caches`) {
      const key = url.searchParams.get('key') ?? '';
      const found = entries.filter((e) => e.key === key);
      json(res, 200, { totalCount: found.length, artifactCaches: [] });
      return;
    }
    if (method === 'POST' && url.pathname === `${API}caches`) {
      const req = JSON.parse(body.toString('utf8')) as { key: string; version: string };
      if (entries.some((e) => e.key === req.key && e.version === req.version)) {
        json(res, 409, {
          message: `Cache already exists. Scope: refs/heads/main, Key: ${req.key}`,
        });
        return;
      }
      const entry: CacheEntry = {
        id: nextId++,
        key: req.key,
        version: req.version,
        chunks: [],
        created: 0,
      };
      entries.push(entry);
      json(res, 201, { cacheId: entry.id });
      return;
    }
    const m = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(url.pathname);
    const entry = m ? entries.find((e) => e.id === Number(m[1])) : undefined;
    if (m && !entry) {
      json(res, 404, { message: 'no such cache' });
      return;
    }
    if (entry && method === 'PATCH') {
      const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers['content-range'] ?? '');
      if (!range || Number(range[2]) - Number(range[1]) + 1 !== body.length) {
        json(res, 400, { message: 'bad Content-Range' });
        return;
      }
      entry.chunks.push({ start: Number(range[1]), data: body });
      json(res, 204);
      return;
    }
    if (entry && method === 'POST') {
      const { size } = JSON.parse(body.toString('utf8')) as { size: number };
      const archive = Buffer.concat(
        [...entry.chunks].sort((a, b) => a.start - b.start).map((c) => c.data),
      );
      if (archive.length !== size) {
        json(res, 400, {
          message: `size ${size} does not match the ${archive.length} bytes uploaded`,
        });
        return;
      }
      entry.archive = archive;
      entry.size = size;
      entry.created = ++clock;
      json(res, 204);
      return;
    }
    const a = /^\/archives\/(\d+)$/.exec(url.pathname);
    const archive = a ? entries.find((e) => e.id === Number(a[1]))?.archive : undefined;
    if (method === 'GET' && archive) {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': archive.length,
      });
      res.end(archive);
      return;
    }
    json(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const service: FakeCacheService = {
    url: base,
    entries,
    calls,
    broken: false,
    env: () => ({ ACTIONS_CACHE_URL: base, ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token' }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return service;
}
