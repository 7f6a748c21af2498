// The machine the figures were taken on.

import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  kernel: string;
  /** 1-minute load average when the benchmark started and ended (other work on the machine). */
  loadStart: number;
  loadEnd?: number;
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: osName(),
    kernel: os.release(),
    loadStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function loadNow(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}
