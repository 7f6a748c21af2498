// Throwaway project directories for manifest tests.

import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';

export type FileSpec = string | Buffer | { symlink: string };

/** Creates a temporary directory holding `files` (paths relative to it); removed after the test. */
export async function project(t: TestContext, files: Record<string, FileSpec>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'spot-manifest-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    await mkdir(dirname(p), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) await symlink(content.symlink, p);
    else {
      await writeFile(p, content);
      if (rel.endsWith('.sh')) await chmod(p, 0o755);
    }
  }
  return root;
}

export const UNIT = `[Unit]
Description=test

[Service]
ExecStart=/usr/bin/python3 -m http.server 8000

[Install]
WantedBy=multi-user.target
`;

export const CONFIG = `aws:
  total_instances: 1
regions:
  - us-west-2:
      machine_type: t3.micro
`;

export const DEPLOYMENT = `version: 1
deployment:
  packages: [curl]
`;

/** A minimal valid .spot/ project, with overrides. */
export function spotFiles(over: Record<string, FileSpec> = {}): Record<string, FileSpec> {
  return { '.spot/config.yaml': CONFIG, '.spot/deployment.yaml': DEPLOYMENT, ...over };
}
