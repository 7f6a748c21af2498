// Acceptance, networks: each instance has its own network namespace at the private IP EC2
// reports, so three instances of a web service listen on one port, a replace runs the old and
// the new set side by side, and the host reaches each instance at its own address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { mirrorHosts } from '../../cloud/network.ts';
import { action, eventually, explain, newRunId } from '../../__fixtures__/e2e.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';

const run = promisify(execFile);

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({});
});
after(async () => {
  await cloud?.close();
});

const records = (outputs: Record<string, string>) =>
  JSON.parse(outputs.instances ?? '[]') as InstanceRecord[];

/** What each instance serves at its private address, fetched from the host. */
async function served(recs: InstanceRecord[], port: number): Promise<string[]> {
  return Promise.all(
    recs.map(async (r) => {
      const res = await fetch(`http://${r['private-ip']}:${port}/index.html`, {
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(res.status, 200, `${r.id} at ${r['private-ip']}`);
      return (await res.text()).includes('second release') ? 'second' : 'first';
    }),
  );
}

test(
  'three instances of a web service on one port, then a changed redeploy with replace: each answers at its own private address',
  { timeout: 300_000 },
  async () => {
    const app = await makeApp({ total: 3 });
    const spot = (f: string) => join(app.dir, '.spot', f);
    const unit = spot('services/site.service');
    writeFileSync(unit, readFileSync(unit, 'utf8').replace('--bind 127.0.0.1', '--bind 0.0.0.0'));
    const inputs = {
      command: 'deploy',
      path: app.dir,
      'deployment-id': `e2e/network-${process.pid}`,
      'online-timeout': '120s',
    };

    const first = await action(cloud, { runId: newRunId(), inputs });
    assert.equal(first.code, 0, explain(first));
    const old = records(first.outputs);
    assert.equal(old.length, 3);
    assert.equal(new Set(old.map((r) => r['private-ip'])).size, 3, 'three addresses');
    assert.deepEqual(await served(old, app.port), ['first', 'first', 'first']);

    // apt's way out is the cloud's proxy, which serves the Debian mirror and nothing else;
    // without it nothing leaves the namespace.
    const [mirror] = mirrorHosts();
    const view = cloud.instances().find((i) => i.id === old[0]?.id);
    assert.ok(mirror && view);
    // (asynchronously: the proxy runs in this process)
    const { stdout: out } = await run(
      'nsenter',
      [
        '-t',
        String(view.machine?.leaderPid ?? ''),
        '-a',
        'bash',
        '-c',
        'eval "$(apt-config shell P Acquire::http::Proxy)"; ' +
          `curl -sS -o /dev/null -w '%{http_code} ' -x "$P" http://${mirror}/; ` +
          `curl -sS -o /dev/null -w '%{http_code} ' -x "$P" http://example.com/; ` +
          `curl -sS -m 3 -o /dev/null http://${mirror}/ 2>/dev/null || echo no-direct-route`,
      ],
      { timeout: 30_000 },
    );
    assert.match(out, /^(?!403|000)\d{3} 403 no-direct-route\n$/, out);

    const page = spot('www/index.html');
    writeFileSync(page, `${readFileSync(page, 'utf8')}<p>second release</p>\n`);
    const second = await action(cloud, {
      runId: newRunId(),
      inputs: { ...inputs, strategy: 'replace' },
    });
    assert.equal(second.code, 0, explain(second));
    const now = records(second.outputs);
    assert.equal(now.length, 3);
    assert.ok(
      now.every((r) => !old.some((o) => o.id === r.id)),
      'a new set',
    );
    assert.deepEqual(await served(now, app.port), ['second', 'second', 'second']);
    // replace goes on once the old set is shutting-down (no longer billed); terminated follows.
    const stateOf = (id: string) => cloud.instances().find((i) => i.id === id)?.state;
    await eventually(() => old.every((o) => stateOf(o.id) === 'terminated'));
    const states = new Map(cloud.instances().map((i) => [i.id, i.state]));
    assert.deepEqual(
      old.map((o) => states.get(o.id)),
      ['terminated', 'terminated', 'terminated'],
      'the old set is retired',
    );
  },
);
