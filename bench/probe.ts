// A preload module (`node --import PROBE`) that writes, when the process exits, its peak
// resident set and its CPU time to the file named by BENCH_PROBE_OUT.
//
// The peak is VmHWM of /proc/self/status, the high-water mark of this process image.
// process.resourceUsage().maxRSS is not used: Linux carries the parent's peak across fork and
// exec into it, so a child of this (large) benchmark process would report at least the
// benchmark's own size.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  const hwm = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(
    process.env.BENCH_PROBE_OUT,
    JSON.stringify({ maxRssKiB: Number(hwm?.[1] ?? NaN), cpuUs: u.userCPUTime + u.systemCPUTime }),
  );
});
`;

export interface ProbeResult {
  maxRssMiB: number;
  cpuMs: number;
}

/** Writes the preload module into `dir`; returns its path. */
export function writeProbe(dir: string): string {
  const path = join(dir, 'bench-probe.mjs');
  writeFileSync(path, SOURCE);
  return path;
}

export function readProbe(file: string): ProbeResult {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { maxRssKiB: number; cpuUs: number };
  return { maxRssMiB: r.maxRssKiB / 1024, cpuMs: r.cpuUs / 1000 };
}
