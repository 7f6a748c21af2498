// Projects for the benchmark, made in temp dirs: the nodejs-app example with the instance
// count and regions of a scenario, optionally carrying a payload of random (incompressible)
// files to upload.

import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const ROOT = join(import.meta.dirname, '..');
export const EXAMPLE = join(ROOT, 'examples', 'nodejs-app');
export const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1'] as const;

export interface ProjectOptions {
  instances: number;
  regions: number;
  /** Instance types of every region, in order (default t3.micro, t3a.micro). */
  instanceTypes?: string[];
  /** Bytes of random files to add under payload/ (uploaded to /opt/payload). */
  payloadBytes?: number;
}

export interface Payload {
  files: number;
  bytes: number;
  largest: number;
}

/** Copies the example into `dir` and sets the count, regions and payload. */
export function makeProject(dir: string, o: ProjectOptions): Payload | undefined {
  cpSync(EXAMPLE, dir, { recursive: true });
  const config = {
    aws: {
      total_instances: o.instances,
      os: 'ubuntu-24.04',
      instance_storage_gb: 16,
      spot: { on_demand_fallback: true },
      ttl: '4h',
      tags: { project: 'bench' },
    },
    regions: Object.fromEntries(
      REGIONS.slice(0, o.regions).map((r) => [
        r,
        { instance_types: o.instanceTypes ?? ['t3.micro', 't3a.micro'], image: 'auto' },
      ]),
    ),
  };
  writeFileSync(join(dir, '.spot', 'config.yaml'), stringify(config));
  if (!o.payloadBytes) return undefined;
  const payload = writePayload(join(dir, 'payload'), o.payloadBytes);
  const file = join(dir, '.spot', 'deployment.yaml');
  const doc = parse(readFileSync(file, 'utf8')) as {
    deployment: { uploads: Array<Record<string, unknown>> };
  };
  doc.deployment.uploads.push({ source: '../payload/', destination: '/opt/payload' });
  writeFileSync(file, stringify(doc));
  return payload;
}

/** A small deterministic generator for file sizes (mulberry32). */
function sizes(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `total` bytes of random files: one large file of a quarter of the total (cut into parts on
 * the way), the rest in files of 1 to 96 KiB with seeded sizes, in two directories.
 */
export function writePayload(dir: string, total: number): Payload {
  const rnd = sizes(total);
  const list: number[] = [Math.floor(total / 4)];
  let left = total - (list[0] ?? 0);
  while (left > 0) {
    const n = Math.min(left, 1024 + Math.floor(rnd() * 95 * 1024));
    list.push(n);
    left -= n;
  }
  mkdirSync(join(dir, 'a'), { recursive: true });
  mkdirSync(join(dir, 'b'), { recursive: true });
  list.forEach((n, i) => {
    writeFileSync(
      join(dir, i % 2 ? 'a' : 'b', `f${String(i).padStart(4, '0')}.bin`),
      randomBytes(n),
    );
  });
  return { files: list.length, bytes: total, largest: Math.max(...list) };
}
