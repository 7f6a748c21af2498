// The command line through dist/cli.js, offline: the deployment id derived in a git checkout
// equals the id the action derives for a push of that branch; usage errors exit 2; bundle
// packs the bytes a deploy with tarball_source uploads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runAction } from '../../__fixtures__/action.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const WEB = join(ROOT, '__tests__', 'deploy', 'fixtures', 'web');

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

function checkout(remote: string, branch: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'checkout-'));
  cpSync(WEB, dir, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', remote);
  git('checkout', '-q', '-b', branch);
  return dir;
}

test('the id derived in a git checkout is the one the action derives for a push of the branch', async () => {
  for (const [remote, branch] of [
    ['git@github.com:Octo-Org/shop.git', 'feature/login-page'],
    ['https://github.com/octo/web-site', 'main'],
  ] as const) {
    const dir = checkout(remote, branch);
    const planned = await cli(['plan', dir, '--out', join(dir, 'plan'), '--json']);
    assert.equal(planned.code, 0, planned.stderr);
    const fromCli = (JSON.parse(planned.stdout) as { deploymentId: string }).deploymentId;
    const repository = remote.replace(/^.*github\.com[:/]/, '').replace(/\.git$/, '');
    const ran = await runAction({
      cloudUrl: 'http://127.0.0.1:9',
      runId: '1',
      bundle: true,
      cwd: dir,
      inputs: { command: 'plan', path: dir, 'plan-out': join(dir, 'action-plan') },
      env: {
        GITHUB_REPOSITORY: repository,
        GITHUB_REF: `refs/heads/${branch}`,
        GITHUB_EVENT_NAME: 'push',
      },
    });
    assert.equal(ran.code, 0, ran.stdout);
    assert.equal(fromCli, `${repository}/${branch}`);
    assert.equal(ran.outputs['deployment-id'], fromCli);
    const explicit = await cli([
      'plan',
      dir,
      '--out',
      join(dir, 'p2'),
      '--json',
      '--deployment-id',
      'mine',
    ]);
    assert.equal((JSON.parse(explicit.stdout) as { deploymentId: string }).deploymentId, 'mine');
  }
});

test('usage errors exit 2 and say what is missing', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'no-git-'));
  cpSync(WEB, outside, { recursive: true });
  const noId = await cli(['logs', outside]);
  assert.equal(noId.code, 2);
  assert.match(noId.stderr, /not in a git checkout .*pass --deployment-id/);
  const cases: Array<[string[], RegExp]> = [
    [['exec', outside, '--deployment-id', 'x'], /exec needs a command after --/],
    [['nonsense'], /unknown command 'nonsense'/],
    [[], /no command/],
    [['plan', outside, '--out', 'p', '--secrets', 'A=1'], /--secrets-file/],
    [['list', '--regions'], /argument missing|requires|regions/i],
    [['bundle', outside], /bundle needs --out/],
    [['list', '--bogus'], /bogus/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage:/);
  }
  const badValue = await cli(['logs', outside, '--deployment-id', 'x', '--lines', 'many']);
  assert.equal(badValue.code, 1);
  assert.match(badValue.stderr, /input 'lines' must be a whole number/);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /spot-deployer exec \[DIR\]/);
});

test('bundle writes the bytes a deploy with tarball_source uploads, and their sha256', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  const app = join(ROOT, 'examples', 'tarball');
  const out = join(dir, 'site.tar.gz');
  const r = await cli(['bundle', app, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { sha256: string; bytes: number; file: string };
  const data = readFileSync(out);
  assert.equal(res.sha256, createHash('sha256').update(data).digest('hex'));
  assert.equal(res.bytes, data.length);
  // The plan's tarball step checks exactly this sum.
  const plan = await cli(['plan', app, '--out', join(dir, 'plan'), '--deployment-id', 'x']);
  assert.equal(plan.code, 0, plan.stderr);
  const step = readdirSync(join(dir, 'plan', 'commands')).find((f) => f.includes('tarball'));
  assert.ok(step);
  assert.match(
    readFileSync(join(dir, 'plan', 'commands', step), 'utf8'),
    new RegExp(`^sum=${res.sha256}$`, 'm'),
  );
  // Twice the same bytes.
  const again = await cli(['bundle', app, '--out', join(dir, 'again.tar.gz')]);
  assert.match(again.stdout, new RegExp(`^${res.sha256}  `));
  const noSource = await cli(['bundle', WEB, '--out', join(dir, 'x.tar.gz')]);
  assert.equal(noSource.code, 1);
  assert.match(noSource.stderr, /no tarball_source to bundle/);
});

test('status and destroy with no AWS credentials anywhere: an AWS error, exit 1 (not an internal error)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'no-aws-'));
  const env = {
    HOME: home,
    AWS_REGION: 'us-west-2',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_CONFIG_FILE: join(home, 'none'),
    // Never reached: the SDK finds no credentials before it sends anything.
    AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9',
  };
  for (const command of ['status', 'destroy']) {
    const r = await cli([command, WEB, '--deployment-id', 'acme/web/main'], env);
    assert.equal(r.code, 1, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /^error: AWS: .*credentials/im, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});
