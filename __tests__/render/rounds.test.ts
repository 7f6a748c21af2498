// A command that carries several steps (src/deliver/rounds.ts), run the way the SSM agent runs
// it on the instance's own root file system: each step as its own script under its own
// timeout, framed by marker lines the action reads; the first failing step shows the end of
// its output and the steps after it do not run. Shellcheck-clean, like every step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergedScript,
  mergedTimeout,
  newNonce,
  parseMarkers,
  type Part,
} from '../../src/deliver/rounds.ts';
import { stepScript } from '../../src/plan/render/prelude.ts';
import { secretsKeyScript } from '../../src/plan/secrets.ts';
import { step } from '../../__fixtures__/plan.ts';
import { lintScripts } from './helpers.ts';
import { Sandbox } from './sandbox.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.create();
});
after(async () => {
  await sandbox?.destroy();
});

function part(id: string, body: string, timeoutSeconds = 30, show = false): Part {
  const script = stepScript(id, `test step ${id}`, [], body);
  return { step: step(id, { script, timeoutSeconds }), script, timeoutSeconds, show };
}

const PARTS = [
  part('01-ok', 'for i in $(seq 1 500); do echo "quiet line $i"; done'),
  part('02-shown', 'echo "-----BEGIN PUBLIC KEY-----"\necho "-----END PUBLIC KEY-----"', 30, true),
  part(
    '03-fails',
    [
      'for i in $(seq 1 100); do echo "output line $i"; done',
      'echo "what went wrong" >&2',
      'exit 3',
    ].join('\n'),
  ),
  part('04-never', 'touch /etc/never-ran'),
];

test('the merged command, with every kind of step, is shellcheck-clean', async () => {
  const nonce = newNonce();
  assert.match(nonce, /^[0-9a-f]{12}$/);
  const key: Part = { ...part('02-secrets', ''), script: secretsKeyScript(), show: true };
  assert.deepEqual(await lintScripts({ merged: mergedScript([...PARTS, key], nonce) }), []);
  // its executionTimeout: each step's own, 10 s of kill grace each, and a minute
  assert.equal(mergedTimeout(PARTS), 4 * 30 + 4 * 10 + 60);
});

test('steps run in order until the first failure, which shows its own output and exit code', async () => {
  const nonce = newNonce();
  const r = await sandbox.exec(mergedScript(PARTS, nonce));
  assert.equal(r.exitCode, 3, r.stderr);
  const reports = parseMarkers(r.stdout, nonce);
  assert.deepEqual(
    reports.map((x) => [x.id, x.exitCode]),
    [
      ['01-ok', 0],
      ['02-shown', 0],
      ['03-fails', 3],
    ],
    'the step after the failure did not start',
  );
  // a successful step prints only its markers, unless its output is wanted
  assert.equal(reports[0]?.output, '');
  assert.equal(reports[1]?.output, '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----');
  assert.doesNotMatch(r.stdout, /quiet line/);
  // the failing step's output, whole here (it is short), and its stderr
  assert.match(reports[2]?.output ?? '', /^output line 1\n[\s\S]*\noutput line 100$/);
  assert.match(r.stderr, /what went wrong/);
  for (const x of reports) assert.ok((x.endMs ?? 0) >= (x.startMs ?? Infinity), x.id);
  assert.equal(await sandbox.readFile('/etc/never-ran'), undefined);
});

test('a step that hangs is stopped by its own timeout, and the command ends there', async () => {
  const nonce = newNonce();
  const parts = [
    part('01-hangs', 'echo "waiting for ever"\nsleep 600', 1),
    part('02-never', 'touch /etc/never-ran'),
  ];
  const r = await sandbox.exec(mergedScript(parts, nonce), 60_000);
  assert.equal(r.exitCode, 124, r.stderr);
  const reports = parseMarkers(r.stdout, nonce);
  assert.deepEqual(
    reports.map((x) => [x.id, x.exitCode]),
    [['01-hangs', 124]],
  );
  assert.match(reports[0]?.output ?? '', /waiting for ever/);
  assert.equal(await sandbox.readFile('/etc/never-ran'), undefined);
});

test("a step's output cannot pass for a marker: markers carry the command's nonce", () => {
  const nonce = 'abcdefabcdef';
  const out = [
    `[spot-deployer ${nonce}] start 01-a 10`,
    '[spot-deployer 000000000000] end 01-a 0 10 20',
    'printed by the step',
    `[spot-deployer ${nonce}] end 01-a 7 10 20`,
  ].join('\n');
  assert.deepEqual(parseMarkers(out, nonce), [
    {
      id: '01-a',
      startMs: 10,
      endMs: 20,
      exitCode: 7,
      output: '[spot-deployer 000000000000] end 01-a 0 10 20\nprinted by the step',
    },
  ]);
});
