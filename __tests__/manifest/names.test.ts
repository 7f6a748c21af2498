// The small validators shared by the manifest checks and the convention scanner.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  durationSeconds,
  octalMode,
  PACKAGE_NAME,
  scalarString,
  unitNameProblem,
} from '../../src/manifest/names.ts';
import { checkDestination } from '../../src/validate/paths.ts';

test('destinations: absolute and normalized, trailing slash dropped', () => {
  assert.deepEqual(checkDestination('/opt/app/', 'd'), { ok: '/opt/app' });
  assert.deepEqual(checkDestination('/etc/app.conf', 'd'), { ok: '/etc/app.conf' });
  for (const bad of ['', 'opt/app', './opt', '/opt/./app', '/opt/../etc', '/opt//app', '/', '//']) {
    assert.ok('error' in checkDestination(bad, 'd'), `${JSON.stringify(bad)} should be refused`);
  }
  assert.ok('error' in checkDestination('/' + 'a'.repeat(5000), 'd'));
});

test('octal modes', () => {
  assert.equal(octalMode('644'), '0644');
  assert.equal(octalMode('0600'), '0600');
  assert.equal(octalMode('0o755'), '0755');
  assert.equal(octalMode('4755'), '4755');
  for (const bad of ['999', '64', '06444', 'rw-r--r--', '0x1ff', ''])
    assert.equal(octalMode(bad), undefined, bad);
});

test('durations', () => {
  assert.equal(durationSeconds(90), 90);
  assert.equal(durationSeconds('90'), 90);
  assert.equal(durationSeconds('90s'), 90);
  assert.equal(durationSeconds('10m'), 600);
  assert.equal(durationSeconds('8h'), 28800);
  assert.equal(durationSeconds('2d'), 172800);
  for (const bad of ['1.5h', '10 m', 'm', '-5', ''])
    assert.equal(durationSeconds(bad), undefined, bad);
  assert.equal(durationSeconds(1.5), undefined);
});

test('systemd unit names', () => {
  for (const ok of ['web', 'my-app_2', 'getty@tty1', 'a.b:c'])
    assert.equal(unitNameProblem(ok), undefined, ok);
  for (const bad of ['', 'my app', 'web@', 'a/b', 'x'.repeat(250), 'naïve']) {
    assert.notEqual(unitNameProblem(bad), undefined, bad);
  }
});

test('Debian package names', () => {
  for (const ok of ['curl', 'g++', 'python3-pip', 'libc6.1', 'docker.io'])
    assert.match(ok, PACKAGE_NAME);
  for (const bad of ['Nginx', 'a', '-x', 'foo bar', 'foo_bar', 'nginx=1.2'])
    assert.doesNotMatch(bad, PACKAGE_NAME);
});

test('scalar text keeps numbers as written', () => {
  assert.equal(scalarString(1.5, '1.50'), '1.50');
  assert.equal(scalarString(8080, '8080'), '8080');
  assert.equal(scalarString(true), 'true');
  assert.equal(scalarString('x', '"x"'), 'x');
});
