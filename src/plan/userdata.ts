// Cloud-init user data, built as data and serialised with `yaml`.
// (First version; the full rendering is its own piece of work.)

import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { Deployment } from '../manifest/model.ts';
import type { UserData } from './types.ts';

export const USER_DATA_LIMIT = 16 * 1024;

export interface UserDataOptions {
  ttlSeconds?: number;
}

export function renderUserData(deployment: Deployment, _opts: UserDataOptions): UserData {
  const config: Record<string, unknown> = {
    package_update: deployment.packages.length > 0,
    packages: deployment.packages,
  };
  const text = '#cloud-config\n' + stringify(config);
  const raw = Buffer.from(text, 'utf8');
  const gz = raw.length > USER_DATA_LIMIT ? gzipSync(raw, { level: 9 }) : undefined;
  const bytes = gz ?? raw;
  return {
    text,
    bytesBase64: bytes.toString('base64'),
    encoding: gz ? 'gzip' : 'plain',
    rawSize: raw.length,
    sentSize: bytes.length,
  };
}
