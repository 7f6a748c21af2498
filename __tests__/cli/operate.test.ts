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

/** The flags a command's --help lists. */
async function helpFlags(command: string): Promise<Set<string>> {
  const r = await cli([command, '--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^usage: spot-deployer ${command} `, 'm'));
  return new Set([...r.stdout.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1] ?? ''));
}

test("each command's --help lists its flags: the action's inputs by their names, AWS, output", async () => {
  const expected: Record<string, string[]> = {
    deploy: [
      'deployment-id',
      'instance-profile',
      'strategy',
      'ttl',
      'regions',
      'force',
      'min-healthy',
      'on-demand-fallback',
      'keep-failed',
      'prefer-spot',
      'timeout',
      'online-timeout',
      'max-price',
      'secrets-file',
      'profile',
      'region',
      'json',
      'summary',
    ],
    status: ['deployment-id', 'regions', 'fail-on-degraded', 'profile', 'region', 'json'],
    destroy: ['deployment-id', 'regions', 'wait-terminated', 'profile', 'region', 'json'],
    list: ['regions', 'profile', 'region', 'json'],
    logs: ['deployment-id', 'service', 'since', 'lines', 'grep', 'instance', 'profile', 'json'],
    exec: ['deployment-id', 'instance', 'regions', 'profile', 'region', 'json'],
    bundle: ['out', 'json'],
    plan: ['out', 'deployment-id', 'json'],
    generate: ['force'],
    validate: [],
  };
  const listed = new Map<string, Set<string>>();
  for (const [command, flags] of Object.entries(expected)) {
    const got = await helpFlags(command);
    listed.set(command, got);
    for (const f of [...flags, 'help']) assert.ok(got.has(f), `${command} --help lists --${f}`);
  }
  // Every input of action.yml is a flag of some command, but those given otherwise: the
  // command (the verb), path (DIR), secrets (a file or the environment), run (after --),
  // and github-token (the terminal writes no preview comment and does not reap).
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const inputSection = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
  const inputs = [...inputSection.matchAll(/^ {2}([a-z-]+):$/gm)]
    .map((m) => m[1] ?? '')
    .filter((n) => !['command', 'path', 'secrets', 'run', 'github-token'].includes(n));
  assert.ok(inputs.length > 15, inputs.join());
  const anywhere = new Set([...listed.values()].flatMap((s) => [...s]));
  for (const input of inputs) assert.ok(anywhere.has(input), `--${input} is a flag`);
  // The main help names every command and the exit status.
  const main = await cli(['--help']);
  for (const command of Object.keys(expected))
    assert.match(main.stdout, new RegExp(`^ {2}spot-deployer ${command} `, 'm'));
  assert.match(main.stdout, /exit status: 0 success, 1 failure, 2 wrong usage/);
  const viaHelp = await cli(['help', 'logs']);
  assert.equal(viaHelp.code, 0);
  assert.match(viaHelp.stdout, /^usage: spot-deployer logs /m);
});

test('wrong usage: exit 2, one line naming the problem, no stack trace; a secret given as a flag value is refused unseen', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['list', '--strategy', 'update'], /list does not take --strategy/],
    [['bundle', '.', '--out', 'x.tar.gz', '--profile', 'p'], /bundle does not take --profile/],
    [['status', '--deployment-id', 'x', '--lines', '5'], /status does not take --lines/],
    [['deploy', '--frobnicate'], /unknown flag '--frobnicate'/],
    [['deploy', '--github-token=ghs_secret123'], /unknown flag '--github-token'/],
    [['logs', '--lines'], /'--lines <value>' argument missing/],
    [['list', '--', 'uname'], /list takes no command after --/],
    [['deploy', '--deployment-id', 'x', '--secrets', 'DB_PASSWORD=hunter2'], /--secrets-file/],
    [
      ['deploy', '--deployment-id', 'x', '--secrets-file', 'DB_PASSWORD=hunter2'],
      /--secrets-file takes a file of NAME=value lines, not a secret: 'DB_PASSWORD=…'/,
    ],
    [
      ['deploy', '--deployment-id', 'x', '--secrets-file=API_KEY=hunter2'],
      /not a secret: 'API_KEY=…'/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /^error: /);
    assert.match(lines[0] ?? '', message);
    assert.match(lines[0] ?? '', /--help' lists/);
    assert.doesNotMatch(r.stderr, /hunter2|ghs_secret123|\n\s+at /);
  }
});

test('logs without --service and without a usable manifest: exit 1, says why and asks for the services (before any AWS call)', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-manifest-'));
  const broken = join(ROOT, '__tests__', 'fixtures', 'broken', 'several-top-level-mistakes');
  // Never reached: the services are known (or not) before the instances are searched.
  const env = { AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9' };
  const none = await cli(['logs', empty, '--deployment-id', 'acme/web/main'], env);
  assert.equal(none.code, 1, none.stderr);
  assert.match(
    none.stderr,
    /^error: no service to read: no usable manifest at '[^']+': .*no deployment found.*; name the services \(input service, or --service/m,
  );
  const invalid = await cli(['logs', broken, '--deployment-id', 'acme/web/main'], env);
  assert.equal(invalid.code, 1, invalid.stderr);
  assert.match(
    invalid.stderr,
    /no usable manifest at '[^']+': \S+:\d+:\d+: error: .*\(and 1 more errors\)/,
  );
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
    // --json: still one document on standard output (what was set before the failure).
    const json = await cli([command, WEB, '--deployment-id', 'acme/web/main', '--json'], env);
    assert.equal(json.code, 1, json.stderr);
    assert.equal(typeof JSON.parse(json.stdout), 'object', json.stdout);
  }
});
