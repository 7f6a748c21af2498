// Shared by the render tests: a throwaway repository on disk with a Deployment pointing at it,
// and the real validators (bash -n, shellcheck, cloud-init's schema, systemd-analyze).

import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Deployment } from '../../src/manifest/model.ts';
import type { UserData } from '../../src/plan/types.ts';

export const run = promisify(execFile);

export interface RepoFile {
  data: string | Buffer;
  mode?: number;
}

/** A temp directory with `.spot/` holding `files` (paths relative to .spot/). */
export async function makeRepo(files: Record<string, string | Buffer | RepoFile>): Promise<{
  root: string;
  baseDir: string;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'render-repo-'));
  const baseDir = join(root, '.spot');
  await mkdir(baseDir, { recursive: true });
  for (const [rel, spec] of Object.entries(files)) {
    const f: RepoFile = typeof spec === 'string' || Buffer.isBuffer(spec) ? { data: spec } : spec;
    const abs = join(baseDir, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, f.data);
    await chmod(abs, f.mode ?? 0o644);
  }
  return { root, baseDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A valid Deployment with nothing in it; override what a test needs. */
export function deployment(root: string, over: Partial<Deployment> = {}): Deployment {
  return {
    root,
    layout: 'spot',
    baseDir: join(root, '.spot'),
    files: ['.spot/config.yaml', '.spot/deployment.yaml'],
    cloud: {
      totalInstances: 1,
      regions: [{ name: 'us-west-2', instanceTypes: ['t3.small'], image: 'auto', subnets: [] }],
      tags: {},
      os: 'ubuntu-24.04',
      onDemandFallback: false,
      associatePublicIp: true,
      rootVolumeGb: 8,
    },
    packages: [],
    template: { kind: 'minimal' },
    env: {},
    uploads: [],
    scripts: [],
    services: [],
    warnings: [],
    ...over,
  };
}

/** The #cloud-config text cloud-init will see (gunzipped when the user data is compressed). */
export function cloudConfigText(ud: UserData): string {
  const bytes = Buffer.from(ud.bytesBase64, 'base64');
  return (ud.encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
}

const VALIDATOR = `
import json, sys, yaml
from cloudinit.config.schema import validate_cloudconfig_schema, get_schema, SchemaValidationError
schema = get_schema()
out = []
for doc in json.load(sys.stdin):
    try:
        if not doc.startswith('#cloud-config\\n'):
            raise ValueError('does not start with #cloud-config')
        cfg = yaml.safe_load(doc)
        if not isinstance(cfg, dict):
            raise ValueError('not a mapping')
        validate_cloudconfig_schema(cfg, schema, strict=True)
        out.append('')
    except SchemaValidationError as e:
        out.append(str(e) or 'invalid')
    except Exception as e:
        out.append('%s: %s' % (type(e).__name__, e))
json.dump(out, sys.stdout)
`;

/** Validates many #cloud-config documents in one python process; '' for each valid one. */
export async function validateCloudConfigs(docs: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/python3', ['-c', VALIDATOR], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`validator exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as string[]);
      } catch (e) {
        reject(new Error(`validator output: ${out} ${err} ${String(e)}`));
      }
    });
    p.stdin.end(JSON.stringify(docs));
  });
}

/** `bash -n` and `shellcheck -S warning` over scripts written to a temp dir; findings per name. */
export async function lintScripts(scripts: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'render-lint-'));
  try {
    const names = Object.keys(scripts);
    const paths: string[] = [];
    for (const [i, name] of names.entries()) {
      const p = join(dir, `${String(i).padStart(4, '0')}.sh`);
      await writeFile(p, scripts[name] ?? '');
      paths.push(p);
    }
    const findings: string[] = [];
    for (const [i, p] of paths.entries()) {
      const r = await run('bash', ['-n', p]).catch((e: { stderr?: string }) => e);
      if ('stderr' in r && r.stderr) findings.push(`${names[i]}: bash -n: ${r.stderr}`);
    }
    // One shellcheck process for all files (it is the slow part).
    const sc = await run('shellcheck', ['-S', 'warning', '-f', 'gcc', ...paths], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { stdout?: string; stderr?: string; code?: number }) => e);
    const text =
      ('stdout' in sc ? (sc.stdout ?? '') : '') + ('stderr' in sc ? (sc.stderr ?? '') : '');
    for (const line of text.split('\n').filter(Boolean)) {
      const idx = paths.findIndex((p) => line.startsWith(p));
      findings.push(`${idx >= 0 ? names[idx] : '?'}: shellcheck: ${line}`);
    }
    return findings;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
