// Start-up: how long `node <dist>/index.js` takes to validate the example and how much memory
// it peaks at, against `node -e 0` on the same machine; which bundle files validate loads.
//
// Time: wall time from spawn to exit measured in this process, runs of the action and of the
// baseline interleaved after warm-up runs. Peak memory: separate runs with a tiny preload
// (`node --import probe.mjs`) that writes the process's peak resident set (VmHWM of
// /proc/self/status) and its CPU time (process.resourceUsage()) when the process exits. Loaded files:
// one more run whose preload records every module URL through module.registerHooks.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadNow } from './machine.ts';
import { readProbe, writeProbe } from './probe.ts';
import { track } from './temp.ts';
import { EXAMPLE } from './project.ts';

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { runs: s.length, median, min: s[0] ?? 0, max: s.at(-1) ?? 0 };
}

export interface StartupResult {
  command: string;
  wallMs: Stats;
  maxRssMiB: Stats;
  /** User + system CPU time of the process (less sensitive to other load than wall time). */
  cpuMs: Stats;
  baselineWallMs: Stats;
  baselineMaxRssMiB: Stats;
  baselineCpuMs: Stats;
  /** Exit code and ::error:: lines of the last action run (validate must succeed). */
  exitCode: number | null;
  errors: string[];
  /** Bundle files (relative to the bundle dir) that the validate run loaded. */
  loaded: string[];
  /** Each loaded chunk imported alone (with what it imports) by `node -e`: where start-up goes. */
  imports: Array<{ file: string; wallMs: number; maxRssMiB: number }>;
  /** 1-minute load average when this measurement started. */
  load: number;
}

const PROBE_MODULES = `import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
const urls = new Set();
registerHooks({
  load(url, context, next) {
    urls.add(url);
    return next(url, context);
  },
});
process.on('exit', () => {
  writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ urls: [...urls] }));
});
`;

interface ChildResult {
  code: number | null;
  ms: number;
  stdout: string;
}

function runNode(args: string[], env: Record<string, string>, cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(
      spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, ms: performance.now() - t0, stdout }));
  });
}

export async function measureStartup(
  dist: string,
  tmp: string,
  runs: number,
): Promise<StartupResult> {
  const load = loadNow();
  const rssProbe = writeProbe(tmp);
  const modulesProbe = join(tmp, 'probe-modules.mjs');
  const probeOut = join(tmp, 'probe.json');
  writeFileSync(modulesProbe, PROBE_MODULES);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmp,
    GITHUB_WORKSPACE: EXAMPLE,
    INPUT_COMMAND: 'validate',
    INPUT_PATH: '.',
    BENCH_PROBE_OUT: probeOut,
  };
  const action = [join(dist, 'index.js')];
  const baseline = ['-e', '0'];
  const cwd = EXAMPLE;

  for (let i = 0; i < 3; i++) {
    await runNode(action, env, cwd);
    await runNode(baseline, env, cwd);
  }
  const wall: number[] = [];
  const base: number[] = [];
  let last: ChildResult | undefined;
  for (let i = 0; i < runs; i++) {
    last = await runNode(action, env, cwd);
    wall.push(last.ms);
    base.push((await runNode(baseline, env, cwd)).ms);
  }
  const rss: number[] = [];
  const baseRss: number[] = [];
  const cpu: number[] = [];
  const baseCpu: number[] = [];
  const probe = () => readProbe(probeOut);
  for (let i = 0; i < Math.max(5, Math.floor(runs / 2)); i++) {
    await runNode(['--import', rssProbe, ...action], env, cwd);
    const a = probe();
    rss.push(a.maxRssMiB);
    cpu.push(a.cpuMs);
    await runNode(['--import', rssProbe, ...baseline], env, cwd);
    const b = probe();
    baseRss.push(b.maxRssMiB);
    baseCpu.push(b.cpuMs);
  }
  await runNode(['--import', modulesProbe, ...action], env, cwd);
  const urls = (JSON.parse(readFileSync(probeOut, 'utf8')) as { urls: string[] }).urls;
  const loaded = urls
    .filter((u) => u.startsWith('file:'))
    .map((u) => relative(dist, fileURLToPath(u)))
    .filter((p) => !p.startsWith('..'))
    .sort();

  // Where the time goes: each chunk validate loads, imported alone, and `node -e 0`; the
  // runs go round the list so that other load on the machine spreads over all of them.
  const targets = ['', ...loaded.filter((f) => f !== 'index.js')];
  const samples = targets.map(() => ({ t: [] as number[], m: [] as number[] }));
  for (let i = 0; i < 7; i++) {
    for (const [k, file] of targets.entries()) {
      const url = pathToFileURL(join(dist, file)).href;
      const args = file
        ? [
            '--import',
            rssProbe,
            '--input-type=module',
            '-e',
            `await import(${JSON.stringify(url)})`,
          ]
        : ['--import', rssProbe, '-e', '0'];
      const ms = (await runNode(args, env, cwd)).ms;
      samples[k]?.t.push(ms);
      samples[k]?.m.push(probe().maxRssMiB);
    }
  }
  const imports: StartupResult['imports'] = targets.map((file, k) => ({
    file: file || '(nothing: node -e 0)',
    wallMs: stats(samples[k]?.t ?? []).median,
    maxRssMiB: stats(samples[k]?.m ?? []).median,
  }));
  imports.sort((a, b) => b.wallMs - a.wallMs);

  const stdout = last?.stdout ?? '';
  return {
    command: `INPUT_COMMAND=validate node dist/index.js (examples/nodejs-app)`,
    wallMs: stats(wall),
    maxRssMiB: stats(rss),
    cpuMs: stats(cpu),
    baselineWallMs: stats(base),
    baselineMaxRssMiB: stats(baseRss),
    baselineCpuMs: stats(baseCpu),
    exitCode: last?.code ?? null,
    errors: stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .map((l) => l.slice(0, 200)),
    loaded,
    imports,
    load,
  };
}
