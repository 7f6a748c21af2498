// The pieces of list, logs and exec that need no cloud: the remote scripts (shellcheck, and
// run by a real bash with a stand-in journalctl), the list summary, the terminal view and
// output switch, the argument parser and the remote URL forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lintScripts } from '../render/helpers.ts';
import { execScript, logsScript, OUTPUT_TAIL_BYTES } from '../../src/operate/scripts.ts';
import { formatSpan, summarize } from '../../src/operate/list.ts';
import type { FoundInstance } from '../../src/aws/instances.ts';
import { TAG } from '../../src/plan/types.ts';
import { instanceLines, prefixLines, renderView, type ViewState } from '../../src/terminal/view.ts';
import { LiveView, outputMode } from '../../src/terminal/output.ts';
import { outputsDocument, terminalHost } from '../../src/terminal/host.ts';
import { inputsOf, parseCommandLine, UsageError } from '../../src/terminal/args.ts';
import { repositoryOfRemote } from '../../src/terminal/git.ts';
import { previewDeploymentId, previewNumber } from '../../src/identity.ts';

const execFileP = promisify(execFile);

/** A stream that keeps what is written, a terminal or not. */
const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (t: string) => chunks.push(t) };
};
/** SSM's limit on the standard output GetCommandInvocation returns. */
const SSM_STDOUT_LIMIT = 24_000;

async function bash(script: string, env: Record<string, string> = {}) {
  try {
    const r = await execFileP('bash', ['-c', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('the logs and exec scripts pass bash -n and shellcheck', async () => {
  const findings = await lintScripts({
    logs: logsScript({ services: ['web', "it's"], lines: 200, sinceSeconds: 600, grep: 'a|b' }),
    logsPlain: logsScript({ services: ['web'], lines: 5 }),
    exec: execScript(['bash', '-c', 'echo "$1"', 'x', "y'z"]),
  });
  assert.deepEqual(findings, []);
});

test('exec runs the argv word for word, never through a shell, and keeps its exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exec-'));
  const mark = join(dir, 'pwned');
  const argv = ['printf', '<%s>', 'a b', "'q'", `$(touch ${mark})`, '`id`', ';', 'new\nline'];
  const r = await bash(execScript(argv));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `<a b><'q'><$(touch ${mark})><\`id\`><;><new\nline>`);
  assert.ok(!existsSync(mark), 'nothing in the words was executed');
  const failed = await bash(execScript(['sh', '-c', 'echo out; echo err >&2; exit 7']));
  assert.equal(failed.code, 7);
  assert.equal(failed.stdout, 'out\nerr\n');
  assert.throws(() => execScript([]), /no command/);
  assert.throws(() => execScript(['a\0b']), /NUL/);
});

test('a long output keeps its real end, whole lines, within SSM 24,000 characters', async () => {
  const r = await bash(execScript(['seq', '1', '200000']));
  assert.equal(r.code, 0);
  assert.ok(r.stdout.length <= SSM_STDOUT_LIMIT, `${r.stdout.length} characters`);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^\[spot-deployer: \d+ earlier bytes cut\]$/);
  assert.equal(lines.at(-1), '200000');
  // Every kept line is whole, and they run on without a gap to the end.
  const numbers = lines.slice(1).map(Number);
  assert.ok(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] ?? 0) + 1));
  assert.ok(r.stdout.length > OUTPUT_TAIL_BYTES - 10);
  const short = await bash(execScript(['seq', '1', '3']));
  assert.equal(short.stdout, '1\n2\n3\n');
});

/** A stand-in journalctl that prints its arguments, then numbered lines. */
function fakeJournal(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  const bin = join(dir, 'journalctl');
  writeFileSync(
    bin,
    [
      '#!/bin/bash',
      'printf "args:" >"$ARGS_FILE"; printf " [%s]" "$@" >>"$ARGS_FILE"',
      'n=0; prev=; for a in "$@"; do [ "$prev" = -n ] && n=$a; prev=$a; done',
      'for i in $(seq 1 3000); do echo "line $i $([ $((i % 2)) = 0 ] && echo even || echo odd)"; done |',
      '  if [ "$n" -gt 0 ]; then tail -n "$n"; else cat; fi',
    ].join('\n') + '\n',
  );
  chmodSync(bin, 0o755);
  return dir;
}

test('logs passes the services and the pattern as data, and counts lines after grep', async () => {
  const dir = fakeJournal();
  const mark = join(dir, 'pwned');
  const args = join(dir, 'args');
  const env = { PATH: `${dir}:${process.env.PATH ?? ''}`, ARGS_FILE: args };
  const plain = await bash(
    logsScript({ services: ['web', "o'k"], lines: 5, sinceSeconds: 600 }),
    env,
  );
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(
    readFileSync(args, 'utf8'),
    "args: [--no-pager] [--quiet] [-o] [short-iso] [-u] [web.service] [-u] [o'k.service] [--since=-600s] [-n] [5]",
  );
  assert.deepEqual(
    plain.stdout.trimEnd().split('\n'),
    [2996, 2997, 2998, 2999, 3000].map((i) => `line ${i} ${i % 2 ? 'odd' : 'even'}`),
  );
  const grep = `even$|$(touch ${mark})`;
  const g = await bash(logsScript({ services: ['web'], lines: 4, grep }), env);
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(g.stdout.trimEnd().split('\n'), [
    'line 2994 even',
    'line 2996 even',
    'line 2998 even',
    'line 3000 even',
  ]);
  assert.ok(!existsSync(mark));
  const long = await bash(logsScript({ services: ['web'], lines: 3000, grep: 'line' }), env);
  assert.ok(long.stdout.length <= SSM_STDOUT_LIMIT);
  assert.match(long.stdout.trimEnd().split('\n').at(-1) ?? '', /^line 3000 even$/);
});

const inst = (o: Partial<FoundInstance> & { tags: Record<string, string> }): FoundInstance => ({
  id: 'i-1',
  region: 'us-west-2',
  state: 'running',
  instanceType: 't3.micro',
  lifecycle: 'spot',
  zone: 'us-west-2a',
  ...o,
});

test('list groups instances by deployment with counts, age and TTL left', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const a = { [TAG.deployment]: 'o/r/main', [TAG.repository]: 'o/r', [TAG.ref]: 'refs/heads/main' };
  const found = [
    inst({ id: 'i-1', launchTime: '2026-01-01T10:00:00.000Z', tags: { ...a, [TAG.ttl]: '28800' } }),
    inst({
      id: 'i-2',
      region: 'eu-west-1',
      lifecycle: 'on-demand',
      launchTime: '2026-01-01T11:00:00.000Z',
      tags: { ...a, [TAG.ttl]: '28800' },
    }),
    inst({ id: 'i-3', tags: { [TAG.deployment]: 'o/r/pr-4' } }),
  ];
  assert.deepEqual(summarize(found, now), [
    {
      deploymentId: 'o/r/main',
      repository: 'o/r',
      ref: 'refs/heads/main',
      regions: ['us-west-2', 'eu-west-1'],
      instances: 2,
      spot: 1,
      onDemand: 1,
      ageSeconds: 7200,
      ttlLeftSeconds: 6 * 3600,
    },
    {
      deploymentId: 'o/r/pr-4',
      repository: '',
      ref: '',
      regions: ['us-west-2'],
      instances: 1,
      spot: 1,
      onDemand: 0,
    },
  ]);
  assert.deepEqual([59, 3725, 90061, undefined].map(formatSpan), ['59s', '1h02m', '1d01h', '-']);
});

const view: ViewState = {
  title: 'spot-deployer exec',
  phases: [
    { name: 'find instances', state: 'done', detail: '2' },
    { name: 'run', state: 'running' },
  ],
  instances: [
    {
      id: 'i-0a',
      region: 'us-west-2',
      zone: 'us-west-2a',
      type: 't3.micro',
      lifecycle: 'spot',
      state: 'running',
      health: 'healthy',
    },
    {
      id: 'i-0b',
      region: 'eu-west-1',
      zone: '',
      type: 't3a.small',
      lifecycle: 'on-demand',
      state: 'pending',
      health: '',
    },
  ],
};

test('the view renders the phases and an aligned instance table', () => {
  assert.deepEqual(renderView(view), [
    'spot-deployer exec',
    '  ✓ find instances: 2',
    '  … run',
    '',
    'instance  region     zone        type       market     state    health',
    'i-0a      us-west-2  us-west-2a  t3.micro   spot       running  healthy',
    'i-0b      eu-west-1  -           t3a.small  on-demand  pending  -',
  ]);
  assert.equal(instanceLines([]).length, 1);
  assert.deepEqual(prefixLines('i-0a', 'one\ntwo\n\n'), ['i-0a one', 'i-0a two']);
  assert.deepEqual(prefixLines('i-0a', ''), []);
});

test('output: redrawn in place on a terminal, phase lines when plain, nothing with --json', () => {
  assert.equal(outputMode(sink(true), false), 'tty');
  assert.equal(outputMode(sink(false), false), 'plain');
  assert.equal(outputMode(sink(true), true), 'json');
  const tty = sink(true);
  const live = new LiveView(tty, 'tty');
  live.update(view);
  live.update({ ...view, phases: [{ name: 'run', state: 'done' }] });
  assert.equal(tty.chunks.length, 2);
  assert.ok(!tty.chunks[0]?.includes('\x1b['));
  assert.ok(tty.chunks[1]?.startsWith(`\x1b[${renderView(view).length}F\x1b[J`));
  const plain = sink(false);
  const lines = new LiveView(plain, 'plain');
  lines.update(view);
  lines.update(view);
  lines.finish({ ...view, phases: [{ name: 'run', state: 'done' }] });
  const text = plain.chunks.join('');
  assert.ok(!text.includes('\x1b'));
  assert.equal(text.match(/✓ find instances: 2/g)?.length, 1);
  assert.match(text, /✓ run\n/);
  assert.match(text, /^i-0b +eu-west-1/m);
  const json = sink(false);
  new LiveView(json, 'json').finish(view);
  assert.deepEqual(json.chunks, []);
});

test('command line: flags, -- for exec, secrets never from a flag, usage errors', () => {
  const a = parseCommandLine(['exec', 'app', '--instance', 'i-1', '--', 'ls', '--json', '-la']);
  assert.deepEqual(
    [a.command, a.dir, a.flags.instance, a.flags.json, a.rest],
    ['exec', 'app', 'i-1', undefined, ['ls', '--json', '-la']],
  );
  const b = parseCommandLine(['list', '--regions', 'us-west-2,eu-west-1', '--json', '--no-force']);
  assert.deepEqual(
    [b.command, b.dir, b.flags.regions, b.flags.json, b.flags.force],
    ['list', '.', 'us-west-2,eu-west-1', true, false],
  );
  assert.throws(
    () => parseCommandLine(['plan', '--secrets', 'A=b']),
    (e) => e instanceof UsageError && /--secrets-file/.test(e.message),
  );
  assert.throws(() => parseCommandLine(['plan', '--secrets=A=b']), UsageError);
  assert.throws(() => parseCommandLine(['list', '--bogus']), UsageError);
  assert.throws(() => parseCommandLine(['logs', 'a', 'b']), UsageError);
});

test('command line: --fail-on-degraded and --no-prefer-spot reach the inputs; prefer-spot is on by default', async () => {
  const given = await inputsOf(
    parseCommandLine(['status', '--fail-on-degraded', '--no-prefer-spot']),
    'acme/web/main',
    {},
  );
  assert.deepEqual([given.failOnDegraded, given.preferSpot], [true, false]);
  const plain = await inputsOf(parseCommandLine(['deploy']), 'acme/web/main', {});
  assert.deepEqual([plain.failOnDegraded, plain.preferSpot], [false, true]);
});

test('the repository of a remote, https or ssh; preview ids round-trip', () => {
  for (const url of [
    'https://github.com/octo/shop.git',
    'https://github.com/octo/shop',
    'https://user:tok@github.com/octo/shop.git',
    'git@github.com:octo/shop.git',
    'ssh://git@github.com/octo/shop.git',
    'ssh://git@ghe.example:2222/octo/shop',
    'git@github.com:octo/shop/',
  ]) {
    assert.equal(repositoryOfRemote(url), 'octo/shop', url);
  }
  assert.equal(repositoryOfRemote('/srv/git/shop.git'), undefined);
  assert.equal(repositoryOfRemote('https://github.com/shop'), undefined);
  assert.equal(previewNumber('octo/shop', previewDeploymentId('octo/shop', 12)), 12);
  assert.equal(previewNumber('octo/shop', 'octo/other/pr-12'), undefined);
  assert.equal(previewNumber('octo/shop', 'octo/shop/main'), undefined);
});

test('terminal host: progress drawn as the view (phases by name, the fleet), log above it, masks, outputs as one JSON document', async () => {
  const tty = sink(true);
  const err = sink(false);
  const live = new LiveView(tty, 'tty');
  const host = terminalHost({
    io: { out: tty, err, env: {} },
    live,
    title: 'spot-deployer deploy acme/web/main',
    env: { GITHUB_REPOSITORY: 'acme/web' },
  });
  try {
    host.progress?.({ kind: 'phase', name: 'launch', state: 'running' });
    host.progress?.({ kind: 'phase', name: 'verify', state: 'running' });
    host.progress?.({ kind: 'phase', name: 'launch', state: 'done' });
    const instance = {
      id: 'i-0a',
      region: 'eu-west-1',
      zone: 'eu-west-1a',
      type: 't3.micro',
      lifecycle: 'spot' as const,
      state: 'running',
      health: 'healthy',
    };
    host.progress?.({ kind: 'instances', instances: [instance] });
    assert.deepEqual(
      host.view().phases.map((p) => `${p.name}:${p.state}`),
      ['launch:done', 'verify:running'],
    );
    host.mask('s3cret');
    host.log.info('token s3cret used');
    const [logged = '', redrawn = ''] = tty.chunks.slice(-2);
    // The log line replaces the view (secrets hidden), which is drawn again under it.
    const drawn = renderView(host.view()).length;
    assert.equal(logged, `\x1b[${drawn}F\x1b[Jtoken *** used\n`);
    assert.ok(redrawn.startsWith('spot-deployer deploy acme/web/main\n'), redrawn);
    assert.match(redrawn, /^i-0a +eu-west-1 +eu-west-1a +t3\.micro +spot +running +healthy$/m);
    assert.deepEqual(err.chunks, []);
    host.output('deployment-id', 'acme/web/main');
    host.output('instance-ids', '["i-0a"]');
    host.output('changed', 'true');
    assert.deepEqual(outputsDocument(host.outputs), {
      'deployment-id': 'acme/web/main',
      'instance-ids': ['i-0a'],
      changed: 'true',
    });
    assert.equal(host.env.GITHUB_REPOSITORY, 'acme/web');
    assert.ok((await host.records.restore('acme/web/main')).warning);
  } finally {
    host.close();
  }
  // Not a terminal: the log goes to standard error, standard output keeps the result.
  const out = sink(false);
  const err2 = sink(false);
  const plain = terminalHost({
    io: { out, err: err2, env: {} },
    live: new LiveView(out, 'json'),
    title: 't',
    env: {},
  });
  plain.log.warning('careful');
  plain.close();
  assert.deepEqual([out.chunks, err2.chunks], [[], ['warning: careful\n']]);
});

test('the example reap workflow runs command reap on a schedule with github-token and read access to pull requests', async () => {
  const { parse } = await import('yaml');
  const file = join(import.meta.dirname, '..', '..', 'examples', 'workflows', 'reap.yml');
  const wf = parse(readFileSync(file, 'utf8')) as {
    on: { schedule?: Array<{ cron: string }> };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Array<{ with?: Record<string, string> }> }>;
  };
  assert.ok((wf.on.schedule?.length ?? 0) > 0);
  assert.equal(wf.permissions['pull-requests'], 'read');
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const reap = steps.find((s) => s.with?.command === 'reap');
  assert.ok(reap);
  assert.equal(reap.with?.['github-token'], '${{ github.token }}');
});

test('the services status and logs expect: those the manifest starts and its planned count, or why there are none', async () => {
  const { manifestServices } = await import('../../src/operate/manifest.ts');
  const web = join(import.meta.dirname, '..', 'deploy', 'fixtures', 'web');
  assert.deepEqual(await manifestServices(web, undefined), { services: ['site'], planned: 1 });
  const none = await manifestServices(mkdtempSync(join(tmpdir(), 'empty-')), undefined);
  assert.ok('problem' in none);
  assert.match(none.problem, /^no usable manifest at '.*': .*no deployment found/);
  const broken = join(
    import.meta.dirname,
    '..',
    'fixtures',
    'broken',
    'several-top-level-mistakes',
  );
  const invalid = await manifestServices(broken, undefined);
  assert.ok('problem' in invalid);
  assert.match(invalid.problem, /:\d+:\d+: error: .*\(and 1 more errors\)$/);
});

test("command line: the deploy flags reach the action's inputs under the same names", async () => {
  const args = parseCommandLine([
    'deploy',
    'app',
    '--instance-profile',
    'ssm-role',
    '--strategy',
    'update',
    '--ttl',
    '8h',
    '--regions',
    'us-west-2,eu-west-1',
    '--force',
    '--min-healthy',
    '50%',
    '--on-demand-fallback',
    '--keep-failed',
    '--timeout',
    '30m',
    '--online-timeout',
    '5m',
    '--max-price',
    '0.05',
  ]);
  const i = await inputsOf(args, 'acme/web/main', {});
  assert.deepEqual(
    [
      i.path,
      i.deploymentId,
      i.instanceProfile,
      i.strategy,
      i.ttl,
      i.regions,
      i.force,
      i.minHealthy,
      i.onDemandFallback,
      i.keepFailed,
      i.timeoutSeconds,
      i.onlineTimeoutSeconds,
      i.maxPrice,
    ],
    [
      'app',
      'acme/web/main',
      'ssm-role',
      'update',
      '8h',
      ['us-west-2', 'eu-west-1'],
      true,
      { kind: 'percent', p: 50 },
      true,
      true,
      1800,
      300,
      '0.05',
    ],
  );
  const off = await inputsOf(parseCommandLine(['deploy', '--no-on-demand-fallback']), 'x', {});
  assert.equal(off.onDemandFallback, false);
  const unset = await inputsOf(parseCommandLine(['deploy']), 'x', {});
  assert.equal(unset.onDemandFallback, undefined, "the manifest's choice");
  const fromEnv = await inputsOf(parseCommandLine(['deploy']), 'x', {
    SPOT_DEPLOYER_SECRETS: 'A=1\n# note\nB=two words\n',
  });
  assert.deepEqual(fromEnv.secrets, { A: '1', B: 'two words' });
});
