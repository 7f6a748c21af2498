// The deployment record through the REAL @actions/cache library (v1 protocol: it shells
// out to tar and zstd/gzip) against a fake cache service on 127.0.0.1.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseRecord,
  recordKey,
  recordKeyPrefix,
  regionsToSearch,
  restoreRecord,
  saveRecord,
  type DeploymentRecord,
} from '../../src/github/record.ts';
import { startFakeCacheService, type FakeCacheService } from '../support/fake-cache-service.ts';

const ID = 'octo/shop/pr-12';

function record(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    version: 1,
    deploymentId: ID,
    instances: [
      { id: 'i-0aaa', region: 'us-west-2' },
      { id: 'i-0bbb', region: 'eu-west-1' },
    ],
    regions: ['us-west-2', 'eu-west-1'],
    manifestDigest: 'sha256:feedface',
    savedAt: '2025-05-01T10:00:00.000Z',
    runId: '42-1',
    ...overrides,
  };
}

let service: FakeCacheService;
let scratch: string;
let dir: string;
const ENV_KEYS = [
  'ACTIONS_CACHE_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

beforeEach(async () => {
  service = await startFakeCacheService();
  scratch = await mkdtemp(join(tmpdir(), 'record-test-'));
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, service.env(), {
    GITHUB_WORKSPACE: join(scratch, 'work', 'repo'),
    RUNNER_TEMP: join(scratch, 'temp'),
  });
  dir = join(scratch, 'temp', 'spot-deployer-record');
  // A runner's workspace always exists; tar runs in it.
  await mkdir(join(scratch, 'work', 'repo'), { recursive: true });
});

afterEach(async () => {
  await service.close();
  await rm(scratch, { recursive: true, force: true });
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

test('keys: one prefix per deployment, a new immutable key per save', () => {
  const prefix = recordKeyPrefix(ID);
  assert.match(prefix, /^spot-deployer-record-[0-9a-f]{32}-$/);
  assert.notEqual(recordKeyPrefix(`${ID}0`), prefix);
  assert.equal(recordKey(record()), `${prefix}20250501T100000000Z-42-1`);
  assert.equal(
    recordKey(record({ runId: 'local-a/b,c' })),
    `${prefix}20250501T100000000Z-local-a_b_c`,
  );
});

test('save then restore round-trips through the real cache library', async () => {
  const r = record();
  const s = await saveRecord(r, { env: process.env });
  assert.deepEqual(s, { key: recordKey(r) });
  assert.equal(existsSync(join(dir, 'record.json')), false, 'the record file is cleaned up');
  assert.equal(service.entries.length, 1);
  assert.ok((service.entries[0]?.size ?? 0) > 0);

  const got = await restoreRecord(ID, { env: process.env });
  assert.deepEqual(got, { record: r, key: recordKey(r) });
  assert.equal(existsSync(join(dir, 'record.json')), false);

  const methods = service.calls.map((c) => `${c.method} ${c.path.split('?')[0]}`);
  assert.deepEqual(methods, [
    'POST /_apis/artifactcache/caches',
    `PATCH /_apis/artifactcache/caches/${service.entries[0]?.id}`,
    `POST /_apis/artifactcache/caches/${service.entries[0]?.id}`,
    'GET /_apis/artifactcache/cache',
    `GET /archives/${service.entries[0]?.id}`,
  ]);
  const lookup = new URL(service.calls[3]?.path ?? '', service.url);
  assert.equal(lookup.searchParams.get('keys')?.split(',')[0], recordKeyPrefix(ID));
  for (const c of service.calls.slice(0, 4))
    assert.equal(c.authorization, 'Bearer fake-runtime-token');
});

test('two saves: the newest record is restored, another deployment is not', async () => {
  const older = record();
  const newer = record({
    savedAt: '2025-05-01T11:00:00.000Z',
    runId: '43-1',
    instances: [{ id: 'i-0ccc', region: 'ap-south-1' }],
    regions: ['ap-south-1'],
  });
  assert.ok((await saveRecord(older, { env: process.env })).key);
  assert.ok((await saveRecord(newer, { env: process.env })).key);
  assert.ok(
    (await saveRecord(record({ deploymentId: `${ID}0`, runId: '44-1' }), { env: process.env })).key,
  );
  assert.equal(service.entries.length, 3);

  const got = await restoreRecord(ID, { env: process.env });
  assert.deepEqual(got.record, newer);
  assert.equal(got.key, recordKey(newer));

  const none = await restoreRecord('octo/shop/pr-99', { env: process.env });
  assert.equal(none.record, undefined);
  assert.match(
    none.warning ?? '',
    /no deployment record of 'octo\/shop\/pr-99' in the Actions cache/,
  );
});

test('saving the same key twice is a warning, not a throw', async () => {
  assert.ok((await saveRecord(record(), { env: process.env })).key);
  const again = await saveRecord(record(), { env: process.env });
  assert.equal(again.key, undefined);
  assert.match(again.warning ?? '', /was not saved/);
});

test('unavailable cache: a warning, no throw, no request', async () => {
  delete process.env.ACTIONS_CACHE_URL;
  const s = await saveRecord(record(), { env: process.env });
  assert.equal(s.key, undefined);
  assert.match(s.warning ?? '', /cache service is not available.*ACTIONS_CACHE_URL/);
  const r = await restoreRecord(ID, { env: process.env });
  assert.equal(r.record, undefined);
  assert.match(r.warning ?? '', /searching by tags in the manifest's regions only/);

  process.env.ACTIONS_CACHE_URL = service.url;
  delete process.env.ACTIONS_RUNTIME_TOKEN;
  assert.match(
    (await saveRecord(record(), { env: process.env })).warning ?? '',
    /ACTIONS_RUNTIME_TOKEN/,
  );
  assert.equal(service.calls.length, 0);
});

test('the environment is the one the host gives, not the process environment: an empty one has no cache service', async () => {
  const s = await saveRecord(record(), { env: {} });
  assert.equal(s.key, undefined);
  assert.match(s.warning ?? '', /cache service is not available.*ACTIONS_CACHE_URL/);
  const r = await restoreRecord(ID, { env: { RUNNER_TEMP: process.env.RUNNER_TEMP } });
  assert.equal(r.record, undefined);
  assert.match(r.warning ?? '', /ACTIONS_CACHE_URL is not set/);
  assert.equal(service.calls.length, 0, 'process.env names a working service; it is not asked');
});

test('broken cache server: warnings, no throw', async () => {
  assert.ok((await saveRecord(record(), { env: process.env })).key);
  service.broken = true;
  const s = await saveRecord(record({ runId: '50-1' }), { env: process.env });
  assert.equal(s.key, undefined);
  assert.match(s.warning ?? '', /was not saved/);
  const r = await restoreRecord(ID, { env: process.env });
  assert.equal(r.record, undefined);
  assert.match(r.warning ?? '', /no deployment record/);
  assert.ok(service.calls.some((c) => c.method === 'GET'));
});

test('a cache hit with something else in it is reported, not trusted', async () => {
  // Save a record of another deployment under this deployment's key space.
  const fake = record({ deploymentId: 'someone/else' });
  const cache = await import('@actions/cache');
  const injected = {
    ...cache,
    saveCache: (p: string[]) => cache.saveCache(p, `${recordKeyPrefix(ID)}x`),
  };
  assert.ok((await saveRecord(fake, { env: process.env, cache: injected })).key);
  const r = await restoreRecord(ID, { env: process.env });
  assert.equal(r.record, undefined);
  assert.match(r.warning ?? '', /is unreadable/);
});

test('regionsToSearch: the manifest regions first, then those only the record knows', () => {
  assert.deepEqual(regionsToSearch(['us-west-2']), ['us-west-2']);
  assert.deepEqual(
    regionsToSearch(
      ['us-west-2', 'us-east-1'],
      record({ instances: [{ id: 'i-1', region: 'sa-east-1' }] }),
    ),
    ['us-west-2', 'us-east-1', 'eu-west-1', 'sa-east-1'],
  );
});

test('parseRecord accepts a record and rejects anything else', () => {
  assert.deepEqual(parseRecord(JSON.stringify(record())), record());
  assert.equal(parseRecord('not json'), undefined);
  assert.equal(parseRecord('null'), undefined);
  assert.equal(parseRecord(JSON.stringify({ ...record(), version: 2 })), undefined);
  assert.equal(parseRecord(JSON.stringify({ ...record(), instances: [{ id: 1 }] })), undefined);
});
