// Acceptance of operating a deployment, against the local cloud: a deployment made by the
// bundled action (dist/index.js), then, with credentials only in a named profile of a
// credentials file, the bundled command line (dist/cli.js): list --json shows it with its
// counts, logs shows what its service wrote, exec -- uname -a prints one result per
// instance. Then the action's logs, exec and reap under @github/local-action as a workflow
// runs them: reap destroys the preview once its pull request is closed (fake GitHub API).
// Second, the whole life of a deployment from the command line: deploy (in a pseudo-
// terminal: the live view's phases and instance table), status --json, list --json, logs,
// exec, destroy, destroy again; and a deploy stopped by Ctrl-C leaves nothing running.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCloud, type RunningCloud } from '../../cloud/server.ts';
import { makeApp } from '../../__fixtures__/app.ts';
import { action, explain, instancesOfDeployment, newRunId } from '../../__fixtures__/e2e.ts';
import { startFakeGitHubApi } from '../support/fake-github-api.ts';
import { profileEnv, run, type Ran } from './operate-support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const execFileP = promisify(execFile);

let cloud: RunningCloud;
before(async () => {
  cloud = await startCloud({});
});
after(async () => {
  await cloud?.close();
});

/** Credentials and region only in a named profile: no AWS_* key or region variable. */
const operatorEnv = () => profileEnv(cloud.url, 'operator', 'us-west-2');

const ran = (r: Ran) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** The repository's action (action.yml, src/main.ts) run by GitHub's @github/local-action. */
async function localAction(env: Record<string, string>): Promise<Ran> {
  const dir = mkdtempSync(join(tmpdir(), 'local-action-'));
  const file = join(dir, '.env');
  writeFileSync(
    file,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return run(join(ROOT, 'node_modules/.bin/local-action'), ['run', '.', 'src/main.ts', file], {
    PATH: process.env.PATH ?? '',
    HOME: dir,
  });
}

/** Runs the CLI commands one after the other in a tmux pane; returns the screen's text. */
async function onTerminal(env: Record<string, string>, commands: string[][]): Promise<string> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries(env).map(([k, v]) => q(`${k}=${v}`));
  const line = commands
    .map((c) => ['env', '-i', ...vars, q(process.execPath), q(CLI), ...c.map(q)].join(' '))
    .join('; ');
  const tmux = (...a: string[]) =>
    execFileP('tmux', ['-L', `spot-${process.pid}`, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  await tmux(
    'new-session',
    '-d',
    '-s',
    'cli',
    '-x',
    '200',
    '-y',
    '60',
    `${line}; echo __DONE__; sleep 120`,
  );
  try {
    for (let i = 0; i < 600; i++) {
      const { stdout } = await tmux('capture-pane', '-p', '-t', 'cli');
      if (stdout.includes('__DONE__')) return stdout;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the commands did not finish in the terminal');
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
}

test(
  'a deployment operated from a terminal (list, logs, exec) and from a workflow (logs, exec, reap)',
  { timeout: 300_000 },
  async () => {
    const app = await makeApp();
    const deploymentId = `octo/shop/pr-${process.pid}`;
    const deployed = await action(cloud, {
      runId: newRunId(),
      bundle: true,
      inputs: {
        command: 'deploy',
        path: app.dir,
        'deployment-id': deploymentId,
        'online-timeout': '120s',
        ttl: '2h',
      },
    });
    assert.equal(deployed.code, 0, explain(deployed));
    const ids = JSON.parse(deployed.outputs['instance-ids'] ?? '[]') as string[];
    assert.equal(ids.length, 1);
    const env = operatorEnv();
    const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], env);
    const target = [app.dir, '--profile', 'operator', '--deployment-id', deploymentId];

    // list --json: the deployment, its counts, age, TTL and tags
    const describesBefore = cloud.calls().filter((c) => c.operation === 'DescribeInstances').length;
    const listed = await cli('list', '--profile', 'operator', '--json');
    assert.equal(listed.code, 0, ran(listed));
    const list = JSON.parse(listed.stdout) as {
      regions: string[];
      deployments: Array<Record<string, unknown>>;
    };
    assert.deepEqual(list.regions, ['us-west-2']);
    const mine = list.deployments.find((d) => d.deploymentId === deploymentId);
    assert.ok(mine, ran(listed));
    assert.equal(mine.instances, 1);
    assert.equal(mine.spot, 1);
    assert.equal(mine.onDemand, 0);
    assert.equal(mine.repository, 'acme/e2e');
    assert.equal(mine.ref, 'refs/heads/main');
    assert.deepEqual(mine.regions, ['us-west-2']);
    assert.ok(typeof mine.ttlLeftSeconds === 'number' && mine.ttlLeftSeconds <= 7200);
    assert.ok(typeof mine.ageSeconds === 'number');
    assert.ok(typeof mine.hourlyCost === 'number' && mine.hourlyCost > 0, ran(listed));
    const describes = cloud.calls().filter((c) => c.operation === 'DescribeInstances').length;
    assert.equal(describes - describesBefore, 1, 'one DescribeInstances for the one region');

    // logs: the requests the health check made, as the service logged them
    const logs = await cli('logs', ...target, '--lines', '50');
    assert.equal(logs.code, 0, ran(logs));
    assert.match(logs.stdout, new RegExp(`^${ids[0]} .*GET /index\\.html`, 'm'));
    for (const line of logs.stdout.trimEnd().split('\n')) assert.ok(line.startsWith(`${ids[0]} `));
    const grepped = await cli(
      'logs',
      ...target,
      '--grep',
      '"GET /index\\.html HTTP/1\\.[01]" 200',
      '--json',
    );
    assert.equal(grepped.code, 0, ran(grepped));
    const g = JSON.parse(grepped.stdout) as { instances: Array<{ id: string; stdout: string }> };
    assert.equal(g.instances.length, 1);
    const kept = g.instances[0]?.stdout.trimEnd().split('\n') ?? [];
    assert.ok(
      kept.length > 0 && kept.every((l) => /"GET \/index\.html HTTP\/1\.[01]" 200/.test(l)),
      grepped.stdout,
    );

    // exec: one result per instance; the argv arrives word for word
    const uname = await cli('exec', ...target, '--', 'uname', '-a');
    assert.equal(uname.code, 0, ran(uname));
    assert.equal(
      [...uname.stdout.matchAll(/^== (i-\w+) \(us-west-2\): Success, exit 0$/gm)].length,
      1,
    );
    assert.match(uname.stdout, new RegExp(`^${ids[0]} Linux `, 'm'));
    const words = await cli(
      'exec',
      ...target,
      '--json',
      '--',
      'printf',
      '[%s]',
      'a b',
      "'c'",
      '$HOME;x',
    );
    assert.equal(words.code, 0, ran(words));
    const w = JSON.parse(words.stdout) as { instances: Array<{ stdout: string }> };
    assert.equal(w.instances[0]?.stdout, "[a b]['c'][$HOME;x]");
    // a long output: its real end, within SSM's 24,000 characters
    const long = await cli('exec', ...target, '--json', '--', 'seq', '1', '100000');
    assert.equal(long.code, 0, ran(long));
    const tailOut =
      (JSON.parse(long.stdout) as { instances: Array<{ stdout: string }> }).instances[0]?.stdout ??
      '';
    assert.ok(tailOut.length <= 24_000, `${tailOut.length} characters`);
    assert.match(tailOut, /^\[spot-deployer: \d+ earlier bytes cut\]\n/);
    assert.match(tailOut, /\n99999\n100000\n$/);
    const failing = await cli('exec', ...target, '--', 'false');
    assert.equal(failing.code, 1, ran(failing));

    // on a terminal (a tmux pseudo-terminal, whose screen is read back): the live view's
    // phases and the instance table, drawn in place
    const screen = await onTerminal(env, [
      ['list', '--profile', 'operator'],
      ['exec', ...target, '--', 'uname', '-s'],
    ]);
    assert.match(screen, /^spot-deployer list$/m, screen);
    assert.match(screen, /^ {2}✓ search us-west-2: \d+ instances?$/m, screen);
    assert.match(
      screen,
      new RegExp(
        `^${deploymentId.replace(/\//g, '\\/')} +acme/e2e +refs/heads/main +us-west-2 +1 \\(1 spot, 0 on-demand\\)`,
        'm',
      ),
      screen,
    );
    assert.match(screen, /^ {2}✓ find instances: 1$/m, screen);
    assert.match(screen, /^ {2}✓ run$/m, screen);
    assert.match(screen, /^instance +region +zone +type +market +state +health$/m, screen);
    assert.match(
      screen,
      new RegExp(`^${ids[0]} +us-west-2 +\\S+ +t3a?\\.micro +spot +running +Success exit 0$`, 'm'),
      screen,
    );
    assert.doesNotMatch(screen, /^ {2}… run$/m, 'the running phase was drawn over');
    assert.match(screen, new RegExp(`^${ids[0]} Linux$`, 'm'), screen);

    // the action's logs and exec, as a workflow_dispatch step runs them
    const workflow = {
      GITHUB_REPOSITORY: 'octo/shop',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_RUN_ID: '4242',
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_REGION: 'us-west-2',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_EC2: cloud.url,
      AWS_ENDPOINT_URL_SSM: cloud.url,
      INPUT_PATH: app.dir,
      'INPUT_DEPLOYMENT-ID': deploymentId,
    };
    const actionLogs = await localAction({
      ...workflow,
      INPUT_COMMAND: 'logs',
      INPUT_SERVICE: 'site',
      INPUT_SINCE: '1h',
      INPUT_LINES: '20',
    });
    assert.doesNotMatch(actionLogs.stdout, /::error::/, ran(actionLogs));
    assert.match(actionLogs.stdout, new RegExp(`::group::${ids[0]} \\(us-west-2\\): \\d+ lines`));
    assert.match(actionLogs.stdout, /GET \/index\.html/);
    assert.match(actionLogs.stdout, /logs of site from 1 instance of /);
    const counted = Number(
      /::group::i-\w+ \(us-west-2\): (\d+) lines/.exec(actionLogs.stdout)?.[1],
    );
    assert.ok(counted >= 1 && counted <= 20, `${counted} lines`);
    const actionExec = await localAction({
      ...workflow,
      INPUT_COMMAND: 'exec',
      INPUT_RUN: 'echo "migrated $(id -un)"',
    });
    assert.doesNotMatch(actionExec.stdout, /::error::/, ran(actionExec));
    assert.match(actionExec.stdout, /migrated root/);
    assert.match(actionExec.stdout, /the command succeeded on 1 instance/);
    const actionFail = await localAction({
      ...workflow,
      INPUT_COMMAND: 'exec',
      INPUT_RUN: 'exit 3',
    });
    assert.match(actionFail.stdout, /::error::the command failed on 1 of 1 instances/);

    // reap: an open pull request keeps its preview; closed, it is destroyed
    const api = await startFakeGitHubApi();
    try {
      const pr = `octo/shop#${process.pid}`;
      const reap = {
        ...workflow,
        INPUT_COMMAND: 'reap',
        'INPUT_GITHUB-TOKEN': 'ghs_reapToken000',
        // reap, as destroy, goes on at shutting-down unless told to wait for terminated
        'INPUT_WAIT-TERMINATED': 'true',
        GITHUB_API_URL: api.url,
        GITHUB_EVENT_NAME: 'schedule',
      };
      api.pulls.set(pr, 'open');
      const kept = await localAction(reap);
      assert.doesNotMatch(kept.stdout, /::error::/, ran(kept));
      assert.equal(instancesOfDeployment(cloud, deploymentId)[0]?.state, 'running');
      api.pulls.set(pr, 'closed');
      const reaped = await localAction(reap);
      assert.doesNotMatch(reaped.stdout, /::error::/, ran(reaped));
      assert.match(reaped.stdout, /reaped 1 preview deployment/);
      assert.deepEqual(
        instancesOfDeployment(cloud, deploymentId).map((i) => i.state),
        ['terminated'],
      );
      assert.ok(
        api.calls.some((c) => c.path === `/repos/octo/shop/pulls/${process.pid}`),
        JSON.stringify(api.calls),
      );
    } finally {
      await api.close();
    }
  },
);

/** A git checkout of `dir` whose push of `branch` has the id OWNER/REPO/BRANCH. */
function checkout(dir: string, branch: string): void {
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'ignore' });
  git('init', '-q', '-b', branch);
  git('remote', 'add', 'origin', 'git@github.com:octo/term.git');
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

test(
  'a deployment made, read and destroyed from the command line; Ctrl-C during a deploy cleans up',
  { timeout: 400_000 },
  async () => {
    const app = await makeApp();
    const branch = `term-${process.pid}`;
    checkout(app.dir, branch);
    const deploymentId = `octo/term/${branch}`;
    const env = operatorEnv();
    const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], env);
    const aws = ['--profile', 'operator'];

    // deploy on a terminal: the phases drawn in place, then the instance table; a secret
    // from --secrets-file
    const secret = `tok-${process.pid}-first`;
    const secretsFile = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.env');
    writeFileSync(secretsFile, `# the API's token\nAPI_TOKEN=${secret}\n`);
    const screen = await onTerminal(env, [
      [
        'deploy',
        app.dir,
        ...aws,
        '--online-timeout',
        '120s',
        '--ttl',
        '2h',
        '--secrets-file',
        secretsFile,
      ],
    ]);
    assert.ok(!screen.includes(secret), screen);
    const live = instancesOfDeployment(cloud, deploymentId).filter((i) => LIVE.has(i.state));
    assert.equal(live.length, 1, screen);
    const id = live[0]?.id ?? '';
    assert.match(screen, new RegExp(`^spot-deployer deploy ${deploymentId}$`, 'm'), screen);
    for (const phase of ['planning', 'launch', 'running', 'ssm online', 'deliver', 'verify']) {
      assert.match(screen, new RegExp(`^ {2}✓ ${phase}$`, 'm'), screen);
    }
    assert.doesNotMatch(screen, /^ {2}… /m, 'every running phase was drawn over');
    assert.match(screen, /^instance +region +zone +type +market +state +health$/m, screen);
    assert.match(
      screen,
      new RegExp(`^${id} +us-west-2 +us-west-2\\w +t3a?\\.micro +spot +running +healthy$`, 'm'),
      screen,
    );

    // status --json: the action's outputs, as one document
    const status = await cli('status', app.dir, ...aws, '--json');
    assert.equal(status.code, 0, ran(status));
    const doc = JSON.parse(status.stdout) as Record<string, unknown>;
    assert.equal(doc['deployment-id'], deploymentId);
    assert.deepEqual(doc['instance-ids'], [id]);
    assert.deepEqual(doc.regions, ['us-west-2']);
    const [record] = doc.instances as Array<Record<string, string>>;
    assert.equal(record?.id, id);
    assert.equal(record?.health, 'healthy');
    assert.equal(record?.lifecycle, 'spot');
    assert.deepEqual(doc['private-ips'], [record?.['private-ip']]);

    // list --json: the deployment with its counts and the checkout's repository and branch
    const listed = await cli('list', ...aws, '--json');
    assert.equal(listed.code, 0, ran(listed));
    const mine = (
      JSON.parse(listed.stdout) as { deployments: Array<Record<string, unknown>> }
    ).deployments.find((d) => d.deploymentId === deploymentId);
    assert.ok(mine, ran(listed));
    assert.equal(mine.instances, 1);
    assert.equal(mine.spot, 1);
    assert.equal(mine.repository, 'octo/term');
    assert.equal(mine.ref, `refs/heads/${branch}`);

    // logs and exec, addressed by the id the checkout gives
    const logs = await cli('logs', app.dir, ...aws, '--lines', '20');
    assert.equal(logs.code, 0, ran(logs));
    assert.match(logs.stdout, new RegExp(`^${id} .*GET /index\\.html`, 'm'));
    const uname = await cli('exec', app.dir, ...aws, '--', 'uname', '-a');
    assert.equal(uname.code, 0, ran(uname));
    assert.match(uname.stdout, new RegExp(`^== ${id} \\(us-west-2\\): Success, exit 0$`, 'm'));
    assert.match(uname.stdout, new RegExp(`^${id} Linux `, 'm'));
    // as root, on the one instance named
    const whoami = await cli('exec', app.dir, ...aws, '--instance', id, '--', 'id', '-un');
    assert.equal(whoami.code, 0, ran(whoami));
    assert.match(whoami.stdout, new RegExp(`^${id} root$`, 'm'));
    assert.equal([...whoami.stdout.matchAll(/^== /gm)].length, 1, whoami.stdout);
    // a named service, the last ten minutes (journalctl --since on the instance's systemd)
    const recent = await cli(
      'logs',
      app.dir,
      ...aws,
      '--service',
      'site',
      '--since',
      '10m',
      '--lines',
      '20',
    );
    assert.equal(recent.code, 0, ran(recent));
    const recentLines = recent.stdout.trimEnd().split('\n');
    assert.ok(recentLines.length >= 1 && recentLines.length <= 20, recent.stdout);
    assert.match(recent.stdout, new RegExp(`^${id} .*GET /index\\.html`, 'm'));

    // the secret reached the instance (sealed on the way); one from SPOT_DEPLOYER_SECRETS,
    // delivered in place (--strategy update --force: the plan is the same), replaces it
    const secretsOn = (value: string) =>
      cli(
        'exec',
        app.dir,
        ...aws,
        '--',
        'grep',
        '-c',
        '-F',
        value,
        '/etc/spot-deployer/secrets.env',
      );
    assert.match((await secretsOn(secret)).stdout, new RegExp(`^${id} 1$`, 'm'));
    const rotated = `tok-${process.pid}-rotated`;
    const redeploy = await run(
      process.execPath,
      [CLI, 'deploy', app.dir, ...aws, '--strategy', 'update', '--force', '--json'],
      { ...env, SPOT_DEPLOYER_SECRETS: `API_TOKEN=${rotated}\n` },
    );
    assert.equal(redeploy.code, 0, ran(redeploy));
    assert.deepEqual((JSON.parse(redeploy.stdout) as Record<string, unknown>)['instance-ids'], [
      id,
    ]);
    assert.ok(!`${redeploy.stdout}${redeploy.stderr}`.includes(rotated), ran(redeploy));
    assert.match((await secretsOn(rotated)).stdout, new RegExp(`^${id} 1$`, 'm'));
    const sent = JSON.stringify(cloud.calls().filter((c) => c.operation === 'SendCommand'));
    assert.ok(!sent.includes(secret) && !sent.includes(rotated), 'no secret in clear in a command');

    // destroy leaves nothing (waiting for terminated); a second destroy has nothing to do
    const destroyed = await cli('destroy', app.dir, ...aws, '--wait-terminated', '--json');
    assert.equal(destroyed.code, 0, ran(destroyed));
    assert.deepEqual((JSON.parse(destroyed.stdout) as Record<string, unknown>)['instance-ids'], [
      id,
    ]);
    assert.deepEqual(
      instancesOfDeployment(cloud, deploymentId).map((i) => i.state),
      ['terminated'],
    );
    const again = await cli('destroy', app.dir, ...aws);
    assert.equal(again.code, 0, ran(again));
    assert.match(again.stderr, /nothing to destroy: no live instance tagged/, ran(again));
    // not a terminal: plain phase lines on standard output, nothing drawn in place
    assert.match(again.stdout, /^✓ find and terminate instances/m, ran(again));
    assert.ok(!again.stdout.includes('\x1b['), again.stdout);

    // Ctrl-C (SIGINT) while the deploy delivers: the run's instances are terminated
    const slow = await makeApp({ setupScript: '#!/bin/bash\nsleep 600\n' });
    const cancelId = `octo/term/cancel-${process.pid}`;
    const child = spawn(
      process.execPath,
      [CLI, 'deploy', slow.dir, ...aws, '--deployment-id', cancelId, '--online-timeout', '120s'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Delivery has begun: the round carrying the steps is sent (its groups come at its end).
    while (!/^(▸ )?Steps? .*in one command/m.test(stderr)) {
      assert.equal(child.exitCode, null, `the deploy ended before it delivered:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(instancesOfDeployment(cloud, cancelId).some((i) => i.state === 'running'));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 1, stderr);
    assert.match(stderr, /received SIGINT: cancelling/, stderr);
    assert.match(stderr, /error: .*cancel/i, stderr);
    // not a terminal: the phases as plain lines, one each time one changes
    assert.match(stdout, /^… planning$/m, stdout);
    assert.match(stdout, /^✓ planning$/m, stdout);
    assert.ok(!stdout.includes('\x1b['), stdout);
    assert.deepEqual(
      instancesOfDeployment(cloud, cancelId).filter((i) => LIVE.has(i.state)),
      [],
      'no instance of the cancelled deploy is left running',
    );
  },
);
