// The deploy-related inputs: parsed strictly, with messages that name the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyInputOverrides,
  parseDuration,
  parseMinHealthy,
  parseRegions,
  readInputs,
} from '../../src/inputs.ts';
import { minHealthyCount } from '../../src/deliver/fleet.ts';
import type { Deployment } from '../../src/manifest/model.ts';

test('min-healthy: all, a count or a percentage (rounded up, at least one)', () => {
  assert.deepEqual(parseMinHealthy(''), { kind: 'all' });
  assert.equal(minHealthyCount(parseMinHealthy('all'), 5), 5);
  assert.equal(minHealthyCount(parseMinHealthy('2'), 5), 2);
  assert.equal(minHealthyCount(parseMinHealthy('50%'), 5), 3);
  assert.equal(minHealthyCount(parseMinHealthy('1%'), 5), 1);
  for (const bad of ['0', '-1', '150%', 'most', '0%']) {
    assert.throws(() => parseMinHealthy(bad), /input 'min-healthy'/, bad);
  }
});

test('durations and regions', () => {
  assert.equal(parseDuration('online-timeout', '90'), 90);
  assert.equal(parseDuration('online-timeout', '15m'), 900);
  assert.equal(parseDuration('ttl', '2d', 'm'), 172800);
  assert.equal(parseDuration('ttl', '90', 'm'), 5400);
  assert.throws(() => parseDuration('online-timeout', '10 minutes'), /input 'online-timeout'/);
  assert.deepEqual(parseRegions('us-west-2, eu-west-1\nus-west-2'), ['us-west-2', 'eu-west-1']);
  assert.throws(() => parseRegions('mars'), /input 'regions': 'mars'/);
});

test('readInputs: defaults for a deploy, and booleans are strict', () => {
  const inputs = readInputs(() => '');
  assert.deepEqual(
    [
      inputs.minHealthy,
      inputs.keepFailed,
      inputs.onlineTimeoutSeconds,
      inputs.regions,
      inputs.maxPrice,
      inputs.onDemandFallback,
    ],
    [{ kind: 'all' }, false, 600, [], '', undefined],
  );
  assert.throws(
    () => readInputs((n) => (n === 'keep-failed' ? 'yes' : '')),
    /input 'keep-failed' must be true or false/,
  );
  assert.throws(() => readInputs((n) => (n === 'max-price' ? '$1' : '')), /input 'max-price'/);
});

test('inputs override the manifest: instance profile, ttl (or off), max price, on-demand fallback', () => {
  const d = {
    cloud: {
      instanceProfile: 'from-manifest',
      ttlSeconds: 60,
      onDemandFallback: false,
      maxPrice: '0.5',
    },
  } as unknown as Deployment;
  const same = applyInputOverrides(d, { instanceProfile: '', ttl: '', maxPrice: '' });
  assert.deepEqual(same.cloud, d.cloud);
  const changed = applyInputOverrides(d, {
    instanceProfile: 'ssm',
    ttl: '8h',
    maxPrice: '0.01',
    onDemandFallback: true,
  });
  assert.deepEqual(changed.cloud, {
    instanceProfile: 'ssm',
    ttlSeconds: 28800,
    onDemandFallback: true,
    maxPrice: '0.01',
  });
  assert.equal(
    'ttlSeconds' in applyInputOverrides(d, { instanceProfile: '', ttl: 'off', maxPrice: '' }).cloud,
    false,
  );
  assert.equal(d.cloud.ttlSeconds, 60, 'the loaded manifest is not changed');
});
