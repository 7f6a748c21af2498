// The action path: run() from src/main.ts with the runner's INPUT_* variables; manifest
// errors come out as ::error file=...,line=...,col=...:: annotations, warnings as ::warning.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/main.ts';
import { captureStdout } from '../../__fixtures__/stdout.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<{ stdout: string; exitCode: unknown }> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env))
    if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
  Object.assign(process.env, env);
  try {
    return await captureStdout(run);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

test('validate of an example succeeds without annotations', async () => {
  const { stdout, exitCode } = await runAction({
    command: 'validate',
    path: relative(process.cwd(), join(ROOT, 'examples/nodejs-app')),
  });
  assert.notEqual(exitCode, 1);
  assert.doesNotMatch(stdout, /::(error|warning)/);
  assert.match(stdout, /valid: \.spot\/ layout, 1 instance\(s\) in us-west-2/);
});

test('validate of a broken manifest annotates the file, line and column and fails the step', async () => {
  const dir = relative(process.cwd(), join(ROOT, '__tests__/fixtures/broken/counts-exceed-total'));
  const { stdout, exitCode } = await runAction({ command: 'validate', path: dir });
  assert.equal(exitCode, 1);
  const lines = stdout.split('\n');
  assert.ok(
    lines.includes(
      `::error file=${dir}/.spot/config.yaml,line=2,col=20::the regions' counts add up to 3, more than total_instances (2)`,
    ),
    stdout,
  );
  assert.ok(lines.includes('::error::the deployment manifest has 1 error'), stdout);
  assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
});

test('warnings for obsolete settings become ::warning annotations', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'spot-action-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, '.spot'));
  await writeFile(
    join(dir, '.spot/config.yaml'),
    'aws:\n  ssh_key_name: mykey\nregions:\n  us-west-2: {}\n',
  );
  await writeFile(
    join(dir, '.spot/deployment.yaml'),
    'version: 1\ndeployment:\n  packages: [curl]\n',
  );
  const { stdout, exitCode } = await runAction({ command: 'validate', path: dir });
  assert.notEqual(exitCode, 1);
  const warning = stdout.split('\n').find((l) => l.startsWith('::warning '));
  assert.ok(warning, stdout);
  assert.match(
    warning,
    /^::warning file=.*\/\.spot\/config\.yaml,line=2,col=3::'aws\.ssh_key_name' is obsolete and ignored/,
  );
});

test('plan through the action writes the plan and sets its outputs', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'spot-action-plan-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  const outputFile = join(out, 'github-output');
  await writeFile(outputFile, '');
  const { exitCode } = await runAction(
    { command: 'plan', path: join(ROOT, 'examples/convention'), 'plan-out': join(out, 'plan') },
    { GITHUB_OUTPUT: outputFile },
  );
  assert.notEqual(exitCode, 1);
  const outputs = await readFile(outputFile, 'utf8');
  assert.match(outputs, new RegExp(`^plan-dir<<.*\\n${join(out, 'plan')}$`, 'm'));
  assert.match(outputs, /^manifest-digest<</m);
  const plan = JSON.parse(await readFile(join(out, 'plan', 'plan.json'), 'utf8')) as {
    services: string[];
  };
  assert.deepEqual(plan.services, ['web']);
});
