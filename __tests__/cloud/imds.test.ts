// The local cloud's instance metadata service (IMDSv2 token flow, the spot paths) and the
// reclaim that now comes with a notice, over real HTTP with the AWS SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MetadataService, type MetadataFacts } from '../../cloud/imds.ts';
import { startCloud, type StartOptions } from '../../cloud/server.ts';
import { until } from './support.ts';

const facts: MetadataFacts = {
  instanceId: 'i-0123456789abcdef0',
  instanceType: 't3.micro',
  zone: 'us-west-2a',
  region: 'us-west-2',
  lifecycle: 'spot',
  amiId: 'ami-0abc',
  localIpv4: '10.0.0.5',
  httpTokens: 'required',
};

async function token(url: string, ttl = '60'): Promise<string> {
  const r = await fetch(`${url}/latest/api/token`, {
    method: 'PUT',
    headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-aws-ec2-metadata-token-ttl-seconds'), ttl);
  return r.text();
}

const get = (url: string, path: string, tok?: string) =>
  fetch(`${url}/latest/meta-data/${path}`, {
    headers: tok ? { 'X-aws-ec2-metadata-token': tok } : {},
  });

async function withService(
  f: Partial<MetadataFacts>,
  fn: (svc: MetadataService) => Promise<void>,
): Promise<void> {
  const svc = await MetadataService.start({ facts: () => ({ ...facts, ...f }) });
  try {
    await fn(svc);
  } finally {
    await svc.close();
  }
}

test('IMDSv2: a token from PUT /latest/api/token opens the metadata; without one, 401', async () => {
  await withService({}, async (svc) => {
    assert.match(svc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const tok = await token(svc.url);
    const id = await get(svc.url, 'instance-id', tok);
    assert.equal(id.status, 200);
    assert.equal(await id.text(), facts.instanceId);
    for (const [path, want] of [
      ['placement/availability-zone', 'us-west-2a'],
      ['placement/region', 'us-west-2'],
      ['instance-type', 't3.micro'],
      ['instance-life-cycle', 'spot'],
    ]) {
      const r = await get(svc.url, path!, tok);
      assert.equal(await r.text(), want, path);
    }
    assert.equal((await get(svc.url, 'instance-id')).status, 401, 'no token');
    assert.equal((await get(svc.url, 'instance-id', 'forged')).status, 401, 'unknown token');
    const listing = await (await get(svc.url, '', tok)).text();
    assert.ok(listing.split('\n').includes('placement/'), listing);
    assert.ok(!listing.split('\n').includes('spot/'), 'no spot/ before a notice');
  });
});

test('IMDSv2: the token PUT needs a TTL of 1..21600 s and no X-Forwarded-For', async () => {
  await withService({}, async (svc) => {
    const put = (headers: Record<string, string>) =>
      fetch(`${svc.url}/latest/api/token`, { method: 'PUT', headers });
    assert.equal((await put({})).status, 400);
    assert.equal((await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '0' })).status, 400);
    assert.equal((await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '21601' })).status, 400);
    assert.equal(
      (
        await put({
          'X-aws-ec2-metadata-token-ttl-seconds': '60',
          'X-Forwarded-For': '203.0.113.1',
        })
      ).status,
      403,
    );
    assert.equal((await fetch(`${svc.url}/latest/api/token`)).status, 405, 'GET of the token');
  });
});

test('IMDSv2: an expired token is refused', async () => {
  await withService({}, async (svc) => {
    const tok = await token(svc.url, '1');
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await get(svc.url, 'instance-id', tok)).status, 401);
  });
});

test('HttpTokens optional: IMDSv1 (no token) is answered, a bad token still is not', async () => {
  await withService({ httpTokens: 'optional' }, async (svc) => {
    const r = await get(svc.url, 'instance-id');
    assert.equal(r.status, 200);
    assert.equal(await r.text(), facts.instanceId);
    assert.equal((await get(svc.url, 'instance-id', 'forged')).status, 401);
  });
});

test('spot/instance-action and the rebalance path answer 404 until posted, then JSON', async () => {
  await withService({}, async (svc) => {
    const tok = await token(svc.url);
    assert.equal((await get(svc.url, 'spot/instance-action', tok)).status, 404);
    assert.equal((await get(svc.url, 'events/recommendations/rebalance', tok)).status, 404);
    svc.rebalance('2026-12-01T20:00:00Z');
    const rb = await get(svc.url, 'events/recommendations/rebalance', tok);
    assert.equal(rb.status, 200);
    assert.deepEqual(await rb.json(), { noticeTime: '2026-12-01T20:00:00Z' });
    assert.equal((await get(svc.url, 'spot/instance-action', tok)).status, 404, 'rebalance only');
    svc.notice({ action: 'terminate', time: '2026-12-01T20:02:00Z' });
    const act = await get(svc.url, 'spot/instance-action', tok);
    assert.equal(act.status, 200);
    assert.deepEqual(await act.json(), { action: 'terminate', time: '2026-12-01T20:02:00Z' });
    assert.equal(
      await (await get(svc.url, 'spot/termination-time', tok)).text(),
      '2026-12-01T20:02:00Z',
    );
  });
});

const fast: StartOptions = {
  backend: 'simulated',
  latency: { pendingToRunningMs: 20, runningToOnlineMs: 0, terminateMs: 20 },
  simulated: { bootMs: 40, commandMs: 10 },
  // describe() asks by id right after the launch: no eventual-consistency window here
  fidelity: { consistencyMs: 0 },
};
const credentials = { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'not-a-secret' };

async function launchSpot(cloudUrl: string, ec2: EC2Client, count: number): Promise<string[]> {
  const ssm = new SSMClient({ region: 'us-west-2', endpoint: cloudUrl, credentials });
  const ami = await ssm.send(
    new GetParameterCommand({
      Name: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    }),
  );
  ssm.destroy();
  const r = await ec2.send(
    new RunInstancesCommand({
      ImageId: ami.Parameter!.Value!,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      InstanceMarketOptions: { MarketType: 'spot' },
    }),
  );
  return r.Instances!.map((i) => i.InstanceId!);
}

async function describe(ec2: EC2Client, id: string): Promise<Instance> {
  const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return d.Reservations![0]!.Instances![0]!;
}

test('an interrupt posts the notice, the instance runs through the window, then is reclaimed', async () => {
  // A long window, so that the instance is certainly still running while we look.
  const cloud = await startCloud({ ...fast, noticeMs: 4000 });
  const ec2 = new EC2Client({ region: 'us-west-2', endpoint: cloud.url, credentials });
  try {
    const [id] = await launchSpot(cloud.url, ec2, 1);
    await until('running', async () =>
      (await describe(ec2, id!)).State?.Name === 'running' ? true : undefined,
    );
    const view = cloud.instances().find((i) => i.id === id)!;
    assert.ok(view.metadataUrl, 'the instance has a metadata endpoint');
    const url = view.metadataUrl;
    const tok = await token(url);
    assert.equal((await get(url, 'spot/instance-action', tok)).status, 404);

    const posted = await fetch(`${cloud.url}/_cloud/instances/${id}/interrupt`, { method: 'POST' });
    assert.equal(posted.status, 200);
    const act = await get(url, 'spot/instance-action', tok);
    assert.equal(act.status, 200);
    const notice = (await act.json()) as { action: string; time: string };
    assert.equal(notice.action, 'terminate');
    assert.match(notice.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const during = await describe(ec2, id!);
    assert.equal(during.State?.Name, 'running', 'still running during the notice window');
    assert.ok(Date.parse(notice.time) > Date.parse(cloud.instances()[0]!.noticeTime!));

    const gone = await until('reclaimed', async () => {
      const i = await describe(ec2, id!);
      return i.State?.Name === 'terminated' ? i : undefined;
    });
    assert.equal(gone.StateReason?.Code, 'Server.SpotInstanceTermination');
    // the metadata service went with the instance
    await assert.rejects(fetch(`${url}/latest/api/token`, { method: 'PUT' }));
  } finally {
    ec2.destroy();
    await cloud.close();
  }
});

test('a rebalance recommendation is posted on its own: the instance keeps running', async () => {
  const cloud = await startCloud({ ...fast, rebalances: [{ nth: 2, afterMs: 10 }] });
  const ec2 = new EC2Client({ region: 'us-west-2', endpoint: cloud.url, credentials });
  try {
    const ids = await launchSpot(cloud.url, ec2, 2);
    const urlOf = (id: string) => cloud.instances().find((i) => i.id === id)!.metadataUrl!;
    const second = urlOf(ids[1]!);
    const tok = await token(second);
    const rec = await until('recommendation', async () => {
      const r = await get(second, 'events/recommendations/rebalance', tok);
      return r.status === 200 ? ((await r.json()) as { noticeTime: string }) : undefined;
    });
    assert.match(rec.noticeTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await get(second, 'spot/instance-action', tok)).status, 404);
    const first = urlOf(ids[0]!);
    const tok1 = await token(first);
    assert.equal((await get(first, 'events/recommendations/rebalance', tok1)).status, 404);

    // the admin call does the same for the first one
    const posted = await fetch(`${cloud.url}/_cloud/instances/${ids[0]}/rebalance`, {
      method: 'POST',
    });
    assert.equal(posted.status, 200);
    assert.equal((await get(first, 'events/recommendations/rebalance', tok1)).status, 200);
    for (const id of ids) assert.equal((await describe(ec2, id)).State?.Name, 'running');
  } finally {
    ec2.destroy();
    await cloud.close();
  }
});

test('a terminate during the notice window wins: user reason, and the interrupt settles', async () => {
  const cloud = await startCloud({ ...fast, noticeMs: 60_000 });
  const ec2 = new EC2Client({ region: 'us-west-2', endpoint: cloud.url, credentials });
  try {
    const [id] = await launchSpot(cloud.url, ec2, 1);
    const inst = cloud.cloud.instances.get(id!)!;
    await until('running', async () => (inst.state === 'running' ? true : undefined));
    const reclaim = cloud.cloud.interrupt(inst);
    assert.equal(cloud.cloud.interrupt(inst), reclaim, 'a second interrupt is the same one');
    await cloud.cloud.terminate(inst);
    await reclaim;
    assert.equal(inst.state, 'terminated');
    assert.equal(inst.stateReason?.Code, 'Client.UserInitiatedShutdown');
  } finally {
    ec2.destroy();
    await cloud.close();
  }
});
