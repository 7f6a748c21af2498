// Shared pieces of the fault tests: the local cloud's inventory as the tests judge it (what
// of a run or a deployment is still alive), the post step as the runner runs it after a
// failed or cancelled main step, and the runner's way of cancelling a step.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloud, type RunningCloud, type StartOptions } from '../../cloud/server.ts';
import type { InstanceView } from '../../cloud/cloud.ts';
import type { ActionRun } from '../../__fixtures__/action.ts';
import { action, eventually, explain, instancesOfRun, newRunId } from '../../__fixtures__/e2e.ts';
import { makeApp, type AppOptions } from '../../__fixtures__/app.ts';
import { TAG } from '../../src/plan/types.ts';

/** Options for a cloud on the simulated backend: instances boot in 300 ms, every command
 * succeeds in 20 ms (the plan's health step, which runs nothing here, passes). */
export function simulated(extra: StartOptions = {}): StartOptions {
  return {
    ...extra,
    backend: 'simulated',
    simulated: {
      bootMs: 300,
      commandMs: 20,
      ...extra.simulated,
    },
  };
}

export interface Deployed {
  cloud: RunningCloud;
  runId: string;
  deploymentId: string;
  r: ActionRun;
  /** RunInstances as [type, market, answer], in order. */
  launches: string[][];
}

/** Starts a cloud with `options`, deploys an app made with `app` and `inputs` on it. */
export async function deployApp(
  options: StartOptions,
  app: AppOptions,
  inputs: Record<string, string> = {},
  name = 'faults/capacity',
): Promise<Deployed> {
  const cloud = await startCloud(options);
  const { dir } = await makeApp(app);
  const runId = newRunId();
  const deploymentId = `${name}-${runId}`;
  const r = await action(cloud, {
    runId,
    inputs: {
      command: 'deploy',
      path: dir,
      'deployment-id': deploymentId,
      'online-timeout': '60s',
      ...inputs,
    },
  });
  const launches = cloud
    .calls()
    .filter((c) => c.operation === 'RunInstances')
    .map((c) => {
      const p = c.params as {
        InstanceType?: string;
        InstanceMarketOptions?: { MarketType?: string };
      };
      return [
        p.InstanceType ?? '',
        p.InstanceMarketOptions?.MarketType ?? 'on-demand',
        c.error ?? 'ok',
      ];
    });
  return { cloud, runId, deploymentId, r, launches };
}

/** Not terminated: still running, billing, or on its way out. */
export const alive = (i: InstanceView): boolean => i.state !== 'terminated';

/** The ids of a deployment's instances that are not terminated, sorted. */
export function liveIds(cloud: RunningCloud, deploymentId: string): string[] {
  return cloud
    .instances()
    .filter((i) => i.tags[TAG.deployment] === deploymentId && alive(i))
    .map((i) => i.id)
    .sort();
}

/**
 * The deployment's instances left alive are exactly `ids` (a successful deploy leaves its
 * healthy set and nothing else); waits for instances still shutting down.
 */
export async function assertExactlyAlive(
  cloud: RunningCloud,
  deploymentId: string,
  ids: readonly string[],
): Promise<void> {
  const want = [...ids].sort();
  await eventually(
    () => JSON.stringify(liveIds(cloud, deploymentId)) === JSON.stringify(want),
    10_000,
  );
  assert.deepEqual(liveIds(cloud, deploymentId), want, 'the instances left alive');
  for (const i of cloud.instances().filter((x) => want.includes(x.id))) {
    assert.equal(i.state, 'running', `${i.id} is running`);
  }
}

/** Nothing of the run is alive (waits for instances still shutting down). */
export async function assertNothingOfRun(cloud: RunningCloud, runId: string): Promise<void> {
  await eventually(() => !instancesOfRun(cloud, runId).some(alive), 10_000);
  assert.deepEqual(
    instancesOfRun(cloud, runId)
      .filter(alive)
      .map((i) => `${i.id} ${i.state}`),
    [],
    'instances of the run left alive',
  );
}

/** The post step after `main`, as the runner runs it (`post-if: always()`); returns its run. */
export async function postStep(
  cloud: RunningCloud,
  runId: string,
  main: ActionRun,
): Promise<ActionRun> {
  const post = await action(cloud, { runId, entry: 'post', state: main.state, inputs: {} });
  assert.equal(post.code, 0, explain(post));
  assert.deepEqual(post.errors, [], 'the post step reports no error');
  return post;
}

export interface Cancellation {
  /** Signals sent, with ms since the SIGINT. */
  sent: Array<{ signal: NodeJS.Signals; atMs: number }>;
  /** ms from SIGINT to the process' exit. */
  exitedAfterMs?: number;
}

/**
 * Cancels `child` the way the GitHub runner cancels a step: SIGINT, then SIGTERM 7.5 s later
 * if it still runs, then SIGKILL 2.5 s after that.
 */
export function cancelLikeTheRunner(child: ChildProcess): Cancellation {
  const c: Cancellation = { sent: [] };
  const t0 = Date.now();
  const send = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    c.sent.push({ signal, atMs: Date.now() - t0 });
    child.kill(signal);
  };
  const term = setTimeout(() => send('SIGTERM'), 7_500);
  const kill = setTimeout(() => send('SIGKILL'), 10_000);
  child.once('exit', () => {
    c.exitedAfterMs = Date.now() - t0;
    clearTimeout(term);
    clearTimeout(kill);
  });
  send('SIGINT');
  return c;
}

/** Calls `fn` every 50 ms until it returns true (or the child exits). */
export function watch(child: ChildProcess, fn: () => boolean): void {
  const timer = setInterval(() => {
    if (fn()) clearInterval(timer);
  }, 50);
  child.once('exit', () => clearInterval(timer));
}

/** Gives the app's script a `timeout:` (seconds). */
export function setScriptTimeout(appDir: string, seconds: number): void {
  const file = join(appDir, '.spot', 'deployment.yaml');
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/^( +)order: 1$/m, `$1order: 1\n$1timeout: ${seconds}`);
  assert.notEqual(edited, text);
  writeFileSync(file, edited);
}
