// Shared pieces of the workflow tests: a local cloud on the simulated backend (instances
// without containers, where what is on the instance is not what a test checks), the AWS
// calls one run made, and edits to a copy of the fixture app.

import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import type { CallRecord } from '../../cloud/cloud.ts';
import { simulated } from '../faults/support.ts';

/** A cloud on the simulated backend (see faults/support.ts). */
export function simulatedCloud(extra: StartOptions = {}): Promise<RunningCloud> {
  return startCloud(simulated(extra));
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

/**
 * An HTTP proxy in front of the local cloud that can hold requests: `gate(body)` returns a
 * promise to wait for before the request goes on, or undefined to pass it at once. Lets a
 * test decide the order in which two runs reach the cloud (e.g. both past their checks
 * before either launches).
 */
export async function gatedProxy(
  target: string,
  gate: (body: string) => Promise<void> | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        await gate(body.toString('utf8'));
        const out = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', () => res.destroy());
        out.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
