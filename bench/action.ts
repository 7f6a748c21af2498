// Runs the bundled action the way the GitHub runner does: `node <dist>/index.js` with INPUT_*
// variables, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, dummy AWS credentials
// and the standard endpoint variables pointing at a local cloud. Timed from spawn to exit.

import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProbe, type ProbeResult } from './probe.ts';
import { tempDir, track } from './temp.ts';
import { parseFileCommands } from '../__fixtures__/action.ts';

export interface ActionRun {
  code: number | null;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
  /** Date.now() at spawn and at exit (the local cloud's call records use the same clock). */
  startedAt: number;
  endedAt: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` messages (what core.setFailed reported). */
  errors: string[];
  /** Peak RSS and CPU time of the action process (when run with a probe). */
  probe?: ProbeResult;
}

export interface RunOptions {
  /** The bundle directory holding index.js. */
  dist: string;
  /** The repository checkout the action sees (GITHUB_WORKSPACE and working directory). */
  workspace: string;
  /** Action inputs by their action.yml names. */
  inputs: Record<string, string>;
  cloudUrl?: string;
  /** GITHUB_RUN_ID. */
  runId: string;
  /** A preload module from writeProbe(): the run then reports peak RSS and CPU time. */
  probe?: string;
}

export async function runAction(o: RunOptions): Promise<ActionRun> {
  const dir = tempDir('run-');
  try {
    const files = {
      output: join(dir, 'output'),
      state: join(dir, 'state'),
      summary: join(dir, 'summary'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: o.runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REPOSITORY: 'acme/bench',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKSPACE: o.workspace,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_REGION: 'us-west-2',
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...(o.cloudUrl ? { AWS_ENDPOINT_URL_EC2: o.cloudUrl, AWS_ENDPOINT_URL_SSM: o.cloudUrl } : {}),
      BENCH_PROBE_OUT: join(dir, 'probe.json'),
    };
    for (const [name, value] of Object.entries(o.inputs)) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }
    const startedAt = Date.now();
    const t0 = performance.now();
    const args = [...(o.probe ? ['--import', o.probe] : []), join(o.dist, 'index.js')];
    const child = track(
      spawn(process.execPath, args, { cwd: o.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    const ms = performance.now() - t0;
    const endedAt = Date.now();
    // 'exit' may come before the pipes are drained.
    await new Promise<void>((resolve) => {
      if (child.stdout.readableEnded && child.stderr.readableEnded) resolve();
      else child.on('close', () => resolve());
    });
    const read = (f: string) => readFileSync(f, 'utf8');
    return {
      code,
      ms,
      startedAt,
      endedAt,
      stdout,
      stderr,
      outputs: parseFileCommands(read(files.output)),
      summary: read(files.summary),
      errors: stdout
        .split('\n')
        .filter((l) => l.startsWith('::error'))
        .map((l) => l.replace(/^::error[^:]*::/, '').replace(/%0A/g, '\n')),
      ...(o.probe ? { probe: readProbe(join(dir, 'probe.json')) } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run failed when it exited non-zero or reported an error; this says why, in one line. */
export function failureOf(r: ActionRun): string | undefined {
  if (r.code === 0 && r.errors.length === 0) return undefined;
  const first = r.errors[0]?.split('\n')[0] ?? r.stderr.trim().split('\n').at(-1) ?? '';
  return `exit ${r.code}: ${first}`.slice(0, 300);
}
