// Helpers shared by the local cloud's tests.
import { readFileSync, readdirSync } from 'node:fs';

/** Host processes whose cgroup is the container's. */
export function processesOf(container: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(`/spot-cloud/${container}/`)) {
        found.push(Number(entry));
      }
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Calls `fn` every `intervalMs` until it returns a value; throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
