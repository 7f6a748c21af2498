// Small pieces shared by the EC2 and SSM halves of the local cloud.

import { createHash } from 'node:crypto';

/** An error the endpoint answers in AWS's shape; `code` becomes the SDK's err.name. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** mulberry32: a small seeded generator, so ids and injected faults repeat run to run. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  alnum(length: number): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    while (s.length < length) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** EC2 filter values: `*` any run of characters, `?` one character, `\` escapes. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length)
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(value);
}

/**
 * One page of `items` for a request `input` (its NextToken and MaxResults are read here;
 * `maxResults` is what the operation allows for it). The token names the offset and is bound
 * to the rest of the request (a token from another request is refused, as AWS refuses it).
 */
export function paginate<T>(
  items: T[],
  input: Record<string, unknown>,
  maxResults: number,
  invalidToken: () => AwsError,
): { page: T[]; nextToken: string | undefined } {
  const { NextToken, MaxResults: _max, ...request } = input;
  const nextToken = typeof NextToken === 'string' && NextToken !== '' ? NextToken : undefined;
  const bind = createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 16);
  let offset = 0;
  if (nextToken) {
    try {
      const parsed = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as {
        o?: unknown;
        b?: unknown;
      };
      if (typeof parsed.o !== 'number' || parsed.b !== bind || parsed.o < 0) throw new Error('bad');
      offset = parsed.o;
    } catch {
      throw invalidToken();
    }
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return {
    page,
    nextToken:
      next < items.length
        ? Buffer.from(JSON.stringify({ o: next, b: bind })).toString('base64url')
        : undefined,
  };
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The SSM agent's cut of one stream: keep the head, end with the suffix, within `max` chars. */
export function truncatePrefix(text: string, max: number, suffix = '--output truncated--'): string {
  if (text.length < max) return text;
  return max > suffix.length ? text.slice(0, max - suffix.length) + suffix : suffix.slice(0, max);
}

/**
 * The plugin output ListCommandInvocations shows (Details=true): stdout, then stderr under an
 * ERROR banner, the two sharing `capacity` characters, each cut with its own marker.
 */
export function pluginOutput(stdout: string, stderr: string, capacity = 2500): string {
  const banner = stderr.length > 0 ? '\n----------ERROR-------\n' : '';
  const outMark = '\n---Output truncated---';
  const errMark = '\n---Error truncated----';
  const room = capacity - banner.length;
  if (stdout.length + stderr.length < room) return stdout + banner + stderr;
  const half = room / 2;
  if (stdout.length > half && stderr.length > half) {
    const each = Math.floor((room - outMark.length - errMark.length) / 2);
    return stdout.slice(0, each) + outMark + banner + stderr.slice(0, each) + errMark;
  }
  if (stdout.length < half) {
    return stdout + banner + stderr.slice(0, room - errMark.length - stdout.length) + errMark;
  }
  return stdout.slice(0, room - outMark.length - stderr.length) + outMark + banner + stderr;
}
