// Shared by the tests that run the command line against the local cloud: an environment
// whose AWS credentials are only in a named profile, and a run of a program that keeps its
// exit code and output whatever the code.

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(file: string, args: string[], env: Record<string, string>): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Credentials only in profile `name` of a credentials file under a new HOME (no AWS_* key
 * or region variable), its region in the config file if given; the local cloud's endpoints. */
export function profileEnv(
  cloudUrl: string,
  name: string,
  region?: string,
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-profile-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[${name}]\naws_access_key_id = AKID${name.toUpperCase()}\naws_secret_access_key = ${name}-secret\n`,
  );
  writeFileSync(join(dir, 'config'), `[profile ${name}]\n${region ? `region = ${region}\n` : ''}`);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_EC2: cloudUrl,
    AWS_ENDPOINT_URL_SSM: cloudUrl,
  };
}
