// The job summary and the step outputs' shapes.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setInstanceOutputs } from '../../src/host.ts';
import type { InstanceRecord } from '../../src/report/outputs.ts';
import * as runner from '../../src/runner.ts';
import { formatBytes, renderDeploySummary } from '../../src/report/summary.ts';

const rec = (id: string, over: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id,
  region: 'us-east-1',
  zone: 'us-east-1a',
  type: 't3.micro',
  lifecycle: 'spot',
  state: 'running',
  'public-ip': '',
  'private-ip': '10.0.0.1',
  health: 'healthy',
  ...over,
});

test('the summary has the instance table, what was delivered, time per phase and the cost', () => {
  const md = renderDeploySummary({
    deploymentId: 'acme/web/main',
    outcome: 'failed',
    reason: 'delivery: 1 of 2 instances healthy, 2 needed (min-healthy):',
    requested: 2,
    instances: [
      rec('i-1'),
      { ...rec('i-2', { health: 'unhealthy' }), cause: 'step 02|x: Failed, exit code 3' },
    ],
    steps: [
      {
        id: '01-upload',
        description: 'upload app/',
        bytes: 2048,
        instances: 2,
        failed: 0,
        ms: 1500,
      },
    ],
    phases: [
      { name: 'launch', ms: 1000 },
      { name: 'deliver', ms: 1500 },
    ],
    launch: ['us-east-1: 2/2 — t3.micro in any zone (spot): 2/2'],
    costPerHour: 0.0071,
    costNotes: [],
    cleanup: ['terminated 2 instances of this run'],
  });
  assert.match(md, /## Spot deploy `acme\/web\/main`: failed/);
  assert.match(md, /\*\*Failed:\*\* delivery: 1 of 2/);
  assert.match(
    md,
    /\| `i-2` \| us-east-1 \| us-east-1a \| t3\.micro \| spot \| running \| {2}\| 10\.0\.0\.1 \| unhealthy: step 02\\\|x: Failed, exit code 3 \|/,
  );
  assert.match(md, /\| 01-upload \| upload app\/ \| 2\.0 KiB \| 2 \| 0 \| 1\.5 s \|/);
  assert.match(md, /\| launch \| 1\.0 s \|/);
  assert.match(md, /\$0\.0071 per hour/);
  assert.match(md, /- terminated 2 instances of this run/);
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
});

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  delete process.env.GITHUB_OUTPUT;
});

test('outputs: JSON arrays of ids and addresses (only those present), the instances, the regions', () => {
  dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  const file = join(dir, 'out');
  writeFileSync(file, '');
  process.env.GITHUB_OUTPUT = file;
  setInstanceOutputs(
    { output: runner.setOutput },
    'acme/web/main',
    [rec('i-1', { 'public-ip': '203.0.113.9' }), rec('i-2')],
    ['us-east-1'],
  );
  const text = readFileSync(file, 'utf8');
  const outputs = new Map<string, string>();
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs.set(m[1] as string, m[3] as string);
  assert.equal(outputs.get('deployment-id'), 'acme/web/main');
  assert.deepEqual(JSON.parse(outputs.get('instance-ids') ?? ''), ['i-1', 'i-2']);
  assert.deepEqual(JSON.parse(outputs.get('public-ips') ?? ''), ['203.0.113.9']);
  assert.deepEqual(JSON.parse(outputs.get('private-ips') ?? ''), ['10.0.0.1', '10.0.0.1']);
  assert.deepEqual(JSON.parse(outputs.get('regions') ?? ''), ['us-east-1']);
  const instances = JSON.parse(outputs.get('instances') ?? '') as InstanceRecord[];
  assert.deepEqual(Object.keys(instances[0] ?? {}), [
    'id',
    'region',
    'zone',
    'type',
    'lifecycle',
    'state',
    'public-ip',
    'private-ip',
    'health',
  ]);
});
