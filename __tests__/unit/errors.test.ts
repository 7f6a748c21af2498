// One error type for what the user must act on (ActionError, with a kind) and one place
// that turns it into what the runner shows (main.ts reportFailure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeployError } from '../../src/aws/errors.ts';
import { ActionError, UserError } from '../../src/diagnostics.ts';
import { InputError } from '../../src/inputs.ts';
import { reportFailure } from '../../src/main.ts';
import { captureStdout } from '../../__fixtures__/stdout.ts';

test('the three kinds are one type', () => {
  assert.equal(new UserError('m').kind, 'manifest');
  assert.equal(new InputError('i').kind, 'input');
  assert.equal(new DeployError('d').kind, 'deploy');
  for (const e of [new UserError('m'), new InputError('i'), new DeployError('d')])
    assert.ok(e instanceof ActionError);
});

test('reportFailure: located problems as annotations, then the message; the step fails', async () => {
  const d = {
    file: '.spot/config.yaml',
    line: 3,
    col: 5,
    severity: 'error' as const,
    message: 'bad',
  };
  const { stdout: out, exitCode } = await captureStdout(() =>
    reportFailure(new UserError('1 error', [d])),
  );
  assert.match(out, /^::error file=\.spot\/config\.yaml,line=3,col=5::bad$/m);
  assert.match(out, /^\.spot\/config\.yaml:3:5: error: bad$/m);
  assert.match(out, /^::error::1 error$/m);
  assert.equal(exitCode, 1);
  for (const e of [new InputError("input 'x' is wrong"), new DeployError('no capacity')]) {
    const r = await captureStdout(() => reportFailure(e));
    assert.equal(r.stdout.trim(), `::error::${e.message}`);
    assert.equal(r.exitCode, 1);
  }
});

test('reportFailure: anything else is a bug, said as one, with its stack in the debug log', async () => {
  const { stdout: out, exitCode } = await captureStdout(() =>
    reportFailure(new TypeError('x is undefined')),
  );
  assert.match(out, /^::error::unexpected error: x is undefined$/m);
  assert.match(out, /^::debug::TypeError: x is undefined/m);
  assert.equal(exitCode, 1);
});
