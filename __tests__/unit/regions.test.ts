import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCounts } from '../../src/plan/regions.ts';

test('counts are split evenly with the remainder to the first region', () => {
  assert.deepEqual(splitCounts(3, [undefined, undefined]), [2, 1]);
  assert.deepEqual(splitCounts(10, [undefined, undefined, undefined]), [4, 3, 3]);
  assert.deepEqual(splitCounts(1, [undefined, undefined]), [1, 0]);
});

test('explicit region counts stand and the rest is shared', () => {
  assert.deepEqual(splitCounts(5, [2, undefined, undefined]), [2, 2, 1]);
});
