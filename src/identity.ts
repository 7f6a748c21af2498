// Who is deploying: the run identity tagged on every instance, and the deployment id.
// The deployment id defaults to one derived from the GitHub context: the repository plus
// the branch for a push, or plus `pr-<number>` for pull request events (opened,
// synchronize and closed give the same id, so the close event destroys the preview).

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from './diagnostics.ts';
import type { RunIdentity } from './plan/types.ts';

type Env = Record<string, string | undefined>;

/** The part of @actions/github's `context` this module reads. */
export interface GitHubContextLike {
  eventName: string;
  ref: string;
  payload: { pull_request?: { number?: number } | undefined; number?: number };
  repo: { owner: string; repo: string };
}

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

/** AWS tag values: up to 256 Unicode letters, digits, spaces and _ . : / = + - @ */
const TAG_VALUE_MAX = 256;
const NOT_TAG_CHAR = /[^\p{L}\p{N} _.:/=+\-@]/gu;

export function toTagValue(value: string): string {
  const clean = value.replace(NOT_TAG_CHAR, '-');
  if (clean.length <= TAG_VALUE_MAX) return clean;
  // Too long: keep a readable prefix and make it unique with a short digest of the whole.
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 12);
  return `${clean.slice(0, TAG_VALUE_MAX - 13)}-${digest}`;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);

/** The id of a pull request's preview: `owner/repo/pr-12`. */
export function previewDeploymentId(repository: string, pr: number): string {
  return toTagValue(`${repository || 'local'}/pr-${pr}`);
}

/** The id for a push of a branch or tag: `owner/repo/<branch or tag>`. */
export function refDeploymentId(repository: string, ref: string): string {
  return toTagValue(
    `${repository || 'local'}/${ref.replace(/^refs\/(heads|tags)\//, '') || 'default'}`,
  );
}

/** The pull request number of a preview deployment of `repository`, or undefined. */
export function previewNumber(repository: string, deploymentId: string): number | undefined {
  const m = /\/pr-(\d+)$/.exec(deploymentId);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && previewDeploymentId(repository, n) === deploymentId
    ? n
    : undefined;
}

/** The id for a context: `owner/repo/pr-12` for pull requests, `owner/repo/<branch or tag>` else. */
export function deploymentIdFromContext(ctx: GitHubContextLike): string {
  const repo = ctx.repo.owner && ctx.repo.repo ? `${ctx.repo.owner}/${ctx.repo.repo}` : '';
  const pr =
    ctx.payload.pull_request?.number ??
    (PR_EVENTS.has(ctx.eventName) ? ctx.payload.number : undefined);
  if (pr !== undefined) return previewDeploymentId(repo, pr);
  return refDeploymentId(repo, ctx.ref);
}

/**
 * An explicit id wins (checked to be a valid tag value); otherwise one derived from the
 * GitHub context. Outside GitHub (no GITHUB_REPOSITORY), `local/default`.
 */
export async function resolveDeploymentId(explicit: string, env: Env): Promise<string> {
  if (explicit !== '') {
    if (toTagValue(explicit) !== explicit) {
      throw new UserError(
        `input 'deployment-id' must be at most ${TAG_VALUE_MAX} characters of letters, digits, spaces and _ . : / = + - @`,
      );
    }
    return explicit;
  }
  if (!env.GITHUB_REPOSITORY) return 'local/default';
  return deploymentIdFromContext(contextFromEnv(env));
}

/** The run's context as @actions/github reads it, but from `env` (the host's) rather than
 * process.env: the event name, the ref, the repository and the event's payload file. */
export function contextFromEnv(env: Env): GitHubContextLike {
  const path = env.GITHUB_EVENT_PATH ?? '';
  const payload =
    path !== '' && existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as GitHubContextLike['payload'])
      : {};
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    payload,
    repo: { owner, repo },
  };
}
