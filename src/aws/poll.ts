// Time for pollers: a clock that tests can replace, and a backoff that starts short.

import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  now(): number;
  /** Rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : {});
  },
};

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/**
 * Instance state polls: EC2 takes seconds to start an instance and SSM longer. One call
 * serves every instance of a region, so a short first interval costs little.
 */
export const POLL: BackoffOptions = { initialMs: 500, maxMs: 5000, factor: 1.5 };

/**
 * Command result polls: most commands finish in well under a second, some take minutes.
 * Starting at 150 ms and growing by 1.4 sees a 300 ms command at 360 ms (it was 625 ms
 * from 250 ms x 1.5: the benchmark measured that lag on every step); a long command is
 * polled every 4 s, one ListCommandInvocations call per command for all its instances.
 */
export const COMMAND_POLL: BackoffOptions = { initialMs: 150, maxMs: 4000, factor: 1.4 };

/** Successive poll intervals: initialMs, then times factor, capped at maxMs. */
export function* backoff(o: BackoffOptions = POLL): Generator<number, never> {
  let ms = o.initialMs;
  for (;;) {
    yield Math.round(ms);
    ms = Math.min(o.maxMs, ms * o.factor);
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Ids grouped by region, regions in first-seen order. */
export function byRegion(
  items: ReadonlyArray<{ id: string; region: string }>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of items) {
    const list = out.get(i.region);
    if (list) list.push(i.id);
    else out.set(i.region, [i.id]);
  }
  return out;
}

/** Runs `fn` over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
