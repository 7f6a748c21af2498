// Runs the action the way the runner does: `node src/index.ts` (then `node src/cleanup.ts`
// for the post step) with INPUT_* variables, GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files, dummy AWS credentials and the standard endpoint variables
// pointing at a local cloud. Nothing in the product knows it is being tested.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** The `::error::` lines, i.e. what core.setFailed reported. */
  errors: string[];
}

/** Parses the runner's file-command format: `name<<DELIM\nvalue\nDELIM` (and `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export interface RunOptions {
  cloudUrl: string;
  /** Action inputs by their action.yml names. */
  inputs: Record<string, string>;
  /** GITHUB_RUN_ID; a run's id is tagged on its instances. */
  runId: string;
  /** 'main' (src/index.ts) or 'post' (src/cleanup.ts, given the main step's state). */
  entry?: 'main' | 'post';
  state?: Record<string, string>;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Run the bundle (dist/index.js, dist/cleanup/index.js) instead of the sources. */
  bundle?: boolean;
  /** Called with the child once it runs (e.g. to send it a signal). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  cwd?: string;
}

export async function runAction(o: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
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
    GITHUB_REPOSITORY: 'acme/e2e',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: o.cwd ?? ROOT,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_REGION: 'us-west-2',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_EC2: o.cloudUrl,
    AWS_ENDPOINT_URL_SSM: o.cloudUrl,
    ...o.env,
  };
  for (const [name, value] of Object.entries(o.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(o.state ?? {})) env[`STATE_${name}`] = value;
  const script = o.bundle
    ? join(ROOT, 'dist', o.entry === 'post' ? 'cleanup/index.js' : 'index.js')
    : join(ROOT, 'src', o.entry === 'post' ? 'cleanup.ts' : 'index.ts');
  const child = spawn(process.execPath, [script], {
    cwd: o.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  o.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  const read = (f: string) => readFileSync(f, 'utf8');
  const result: ActionRun = {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseFileCommands(read(files.output)),
    state: parseFileCommands(read(files.state)),
    summary: read(files.summary),
    errors: stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .map((l) => l.replace(/^::error[^:]*::/, '').replace(/%0A/g, '\n')),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}
