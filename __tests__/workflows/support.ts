// Shared pieces of the workflow tests: a local cloud on the simulated backend (instances
// without containers, where what is on the instance is not what a test checks), the AWS
// calls one run made, and edits to a copy of the fixture app.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import type { CallRecord } from '../../cloud/cloud.ts';

/** A simulated cloud whose service check says the fixture's service is active. */
export function simulatedCloud(extra: StartOptions = {}): Promise<RunningCloud> {
  return startCloud({
    ...extra,
    backend: 'simulated',
    simulated: {
      bootMs: 300,
      commandMs: 20,
      stdout: (script) => (script.includes('systemctl is-active') ? 'site=active\n' : ''),
      ...extra.simulated,
    },
  });
}

/** Calls recorded by the cloud from now on: `mark()` then `since()`. */
export function callLog(cloud: RunningCloud): { since(): CallRecord[] } {
  const start = cloud.calls().length;
  return { since: () => cloud.calls().slice(start) };
}

export function count(calls: readonly CallRecord[], operation: string): number {
  return calls.filter((c) => c.operation === operation).length;
}

/** Rewrites a file of the app's `.spot/` directory. */
export function editSpot(appDir: string, file: string, fn: (text: string) => string): void {
  const path = join(appDir, '.spot', file);
  writeFileSync(path, fn(readFileSync(path, 'utf8')));
}

/** Moves the app to another region (config.yaml holds one region). */
export function moveRegion(appDir: string, from: string, to: string): void {
  editSpot(appDir, 'config.yaml', (t) => {
    if (!t.includes(`${from}:`)) throw new Error(`config.yaml has no region ${from}`);
    return t.replace(`${from}:`, `${to}:`);
  });
}
