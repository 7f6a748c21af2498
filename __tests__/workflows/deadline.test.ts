// One deadline (input timeout), in-process against the local cloud's simulated backend:
// a deploy whose commands never finish in time stops when its timeout runs out, terminates
// what it launched, and fails naming what it was waiting for, long before the online
// timeout or the steps' own timeouts would have ended it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { realClock } from '../../src/aws/poll.ts';
import { deployCommand } from '../../src/commands/deploy.ts';
import { readInputs } from '../../src/inputs.ts';
import { STATE } from '../../src/launch/state.ts';
import { formatDuration } from '../../src/pipeline/deadline.ts';
import { TAG } from '../../src/plan/types.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { eventually } from '../../__fixtures__/e2e.ts';
import { fakeHost } from '../../__fixtures__/host.ts';
import { simulatedCloud } from './support.ts';

const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' };
const POLL = { initialMs: 100, maxMs: 500, factor: 1.5 };

test(
  'the deploy timeout: commands still running when it runs out; cleaned up, failed naming the wait',
  { timeout: 120_000 },
  async () => {
    // Every command takes a minute: the deliver phase is still waiting when 4 s are up.
    const cloud = await simulatedCloud({ simulated: { commandMs: 60_000 } });
    const clients = new Map<string, { ec2: EC2Client; ssm: SSMClient }>();
    try {
      const app = await makeApp({ total: 2 });
      const id = `e2e/deadline-${process.pid}`;
      const values: Record<string, string> = {
        command: 'deploy',
        path: app.dir,
        'deployment-id': id,
        'online-timeout': '60s',
        timeout: '4s',
      };
      const host = fakeHost({
        clock: realClock,
        poll: { instances: POLL, commands: POLL },
        clientsFor: (region) => {
          let c = clients.get(region);
          if (!c) {
            const o = { region, endpoint: cloud.url, credentials };
            c = { ec2: new EC2Client(o), ssm: new SSMClient(o) };
            clients.set(region, c);
          }
          return c;
        },
      });
      const err = await deployCommand(
        readInputs((name) => values[name] ?? ''),
        host,
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.ok(err, 'the deploy failed');
      assert.match(
        err.message,
        /^deploy failed: timed out after 4s \(input timeout\) while delivering the steps \(i-/,
      );
      assert.equal(host.state.get(STATE.result), undefined);
      const summary = host.summaries.join('\n');
      assert.match(summary, /terminated 2 instances of this run/);
      const mine = () => cloud.instances().filter((i) => i.tags[TAG.deployment] === id);
      assert.equal(mine().length, 2, 'both were launched');
      assert.ok(
        await eventually(() => mine().every((i) => i.state === 'terminated')),
        `left: ${mine()
          .map((i) => `${i.id} ${i.state}`)
          .join(', ')}`,
      );
    } finally {
      for (const c of clients.values()) {
        c.ec2.destroy();
        c.ssm.destroy();
      }
      await cloud.close();
    }
  },
);

test('the timeout input: 45m by default, a bare number in minutes; shown as written', () => {
  const read = (v: Record<string, string>) => readInputs((name) => v[name] ?? '').timeoutSeconds;
  assert.equal(read({}), 45 * 60);
  assert.equal(read({ timeout: '90' }), 90 * 60);
  assert.equal(read({ timeout: '1h' }), 3600);
  assert.throws(() => read({ timeout: 'soon' }), /input 'timeout' must be a duration/);
  assert.equal(formatDuration(45 * 60_000), '45m');
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(4000), '4s');
});
