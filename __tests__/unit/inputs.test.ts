import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, parseSecrets } from '../../src/inputs.ts';

test('secrets are NAME=value lines; comments and blank lines are skipped', () => {
  assert.deepEqual(parseSecrets('# db\nDB_URL=postgres://u:p@h/db?x=1\n\nTOKEN= spaced \n'), {
    DB_URL: 'postgres://u:p@h/db?x=1',
    TOKEN: ' spaced ',
  });
});

test('a secret name bash reserves is an input error naming the line, never the value', () => {
  for (const text of ['UID=s3cr3t-value', 'OK=1\nBASH_ENV=s3cr3t-value', '_=s3cr3t-value']) {
    assert.throws(
      () => parseSecrets(text),
      (e: unknown) =>
        e instanceof InputError &&
        /line \d+: .*reserved by bash/.test(e.message) &&
        !e.message.includes('s3cr3t'),
    );
  }
});

test('a line without a valid name is refused without echoing it', () => {
  assert.throws(
    () => parseSecrets('not a secret line s3cr3t'),
    (e: unknown) => e instanceof InputError && !e.message.includes('s3cr3t'),
  );
});
