// Who is deploying: the run identity tagged on every instance, and the deployment id.

import { randomUUID } from 'node:crypto';
import type { RunIdentity } from './plan/types.ts';

type Env = Record<string, string | undefined>;

export function resolveIdentity(env: Env): RunIdentity {
  const runId = env.GITHUB_RUN_ID
    ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`
    : `local-${randomUUID()}`;
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    runId,
  };
}

/** An explicit id wins; otherwise one derived from the repository and ref. */
export function resolveDeploymentId(explicit: string, env: Env): string {
  if (explicit !== '') return explicit;
  const repo = env.GITHUB_REPOSITORY ?? 'local';
  const ref = env.GITHUB_REF_NAME ?? 'default';
  return `${repo}/${ref}`;
}
