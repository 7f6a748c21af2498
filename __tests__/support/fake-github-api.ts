// A small stand-in for the GitHub REST API on 127.0.0.1: the three issue-comment
// endpoints the preview comment uses, the workflow run attempt the concurrency check reads,
// the pull request whose state reap reads, with GitHub's pagination (per_page, page, Link
// headers with absolute URLs), and a record of every call (method, path, body, auth
// header) for tests to assert on. Point GITHUB_API_URL (or the apiUrl option) at `url`.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The Authorization header, as sent (undefined when absent). */
  authorization: string | undefined;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface Failure {
  status: number;
  message: string;
  /** Only calls with this method fail; any method when absent. */
  method?: string;
  /** How many matching calls fail; every one when absent. */
  times?: number;
}

export interface FakeGitHubApi {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  calls: RecordedCall[];
  /** Comments per issue, keyed `owner/repo#number`. */
  comments: Map<string, FakeComment[]>;
  /** Adds comments to an issue as if other people had written them; returns them. */
  seed(issue: string, bodies: string[]): FakeComment[];
  /** Workflow run attempts, keyed `owner/repo/<run>-<attempt>`: their status (e.g.
   * 'in_progress', 'completed'). An attempt not here is 404. */
  runs: Map<string, string>;
  /** Pull requests, keyed `owner/repo#number`: their state ('open' or 'closed'). A pull
   * request not here is 404. */
  pulls: Map<string, 'open' | 'closed'>;
  /** Makes calls answer with an error, GitHub-style ({ message, documentation_url }). */
  fail(failure: Failure): void;
  close(): Promise<void>;
}

const LIST = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const ONE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const PULL = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/;
const ATTEMPT = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/attempts\/(\d+)$/;

export async function startFakeGitHubApi(): Promise<FakeGitHubApi> {
  const calls: RecordedCall[] = [];
  const comments = new Map<string, FakeComment[]>();
  const runs = new Map<string, string>();
  const pulls = new Map<string, 'open' | 'closed'>();
  let failure: Failure | undefined;
  let nextId = 1000;
  let url = '';

  const now = (): string => new Date().toISOString();
  const make = (owner: string, repo: string, issue: number, body: string): FakeComment => {
    const id = nextId++;
    return {
      id,
      body,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: `https://github.example/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now(),
      updated_at: now(),
    };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const method = req.method ?? 'GET';
    const full = new URL(req.url ?? '/', url);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    calls.push({
      method,
      path: full.pathname + full.search,
      body,
      authorization: req.headers.authorization,
    });

    if (failure && (failure.method === undefined || failure.method === method)) {
      const f = failure;
      if (f.times !== undefined && --f.times <= 0) failure = undefined;
      send(res, f.status, {
        message: f.message,
        documentation_url: 'https://docs.github.com/rest',
      });
      return;
    }

    const list = LIST.exec(full.pathname);
    if (list) {
      const [, owner = '', repo = '', num = '0'] = list;
      const key = `${owner}/${repo}#${num}`;
      const all = comments.get(key) ?? [];
      if (method === 'GET') {
        const perPage = Math.min(Number(full.searchParams.get('per_page') ?? 30) || 30, 100);
        const page = Math.max(Number(full.searchParams.get('page') ?? 1) || 1, 1);
        const last = Math.max(Math.ceil(all.length / perPage), 1);
        const link = (p: number, rel: string): string => {
          const u = new URL(full.pathname, url);
          u.searchParams.set('per_page', String(perPage));
          u.searchParams.set('page', String(p));
          return `<${u.href}>; rel="${rel}"`;
        };
        const links: string[] = [];
        if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        send(
          res,
          200,
          all.slice((page - 1) * perPage, page * perPage),
          links.length ? { link: links.join(', ') } : {},
        );
        return;
      }
      if (method === 'POST') {
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') {
          send(res, 422, { message: 'Validation Failed: body is required' });
          return;
        }
        const c = make(owner, repo, Number(num), text);
        comments.set(key, [...all, c]);
        send(res, 201, c);
        return;
      }
    }
    const one = ONE.exec(full.pathname);
    if (one && method === 'PATCH') {
      const id = Number(one[3]);
      const c = [...comments.values()].flat().find((x) => x.id === id);
      const text = (body as { body?: unknown } | undefined)?.body;
      if (!c) {
        send(res, 404, { message: 'Not Found' });
        return;
      }
      if (typeof text !== 'string') {
        send(res, 422, { message: 'Validation Failed: body is required' });
        return;
      }
      c.body = text;
      c.updated_at = now();
      send(res, 200, c);
      return;
    }
    const attempt = ATTEMPT.exec(full.pathname);
    if (attempt && method === 'GET') {
      const [, owner = '', repo = '', run = '0', n = '0'] = attempt;
      const status = runs.get(`${owner}/${repo}/${run}-${n}`);
      if (status === undefined) {
        send(res, 404, { message: 'Not Found' });
        return;
      }
      send(res, 200, { id: Number(run), run_attempt: Number(n), status });
      return;
    }
    const pull = PULL.exec(full.pathname);
    if (pull && method === 'GET') {
      const [, owner = '', repo = '', n = '0'] = pull;
      const state = pulls.get(`${owner}/${repo}#${n}`);
      if (state === undefined) {
        send(res, 404, { message: 'Not Found' });
        return;
      }
      send(res, 200, { number: Number(n), state, merged: false });
      return;
    }
    send(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    comments,
    runs,
    pulls,
    seed(issue, bodies) {
      const m = /^([^/]+)\/([^#]+)#(\d+)$/.exec(issue);
      if (!m) throw new Error(`issue must look like owner/repo#12, got ${issue}`);
      const made = bodies.map((b) => make(m[1] ?? '', m[2] ?? '', Number(m[3]), b));
      comments.set(issue, [...(comments.get(issue) ?? []), ...made]);
      return made;
    },
    fail(f) {
      failure = { ...f };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
