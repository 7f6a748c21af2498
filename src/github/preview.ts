// The preview comment as the commands use it: on a pull request event and with a
// github-token, deploy writes the instances and their health, destroy marks the comment
// destroyed. Never throws and never fails a command: every problem is one warning.

import { contextFromEnv } from '../identity.ts';
import type { Log } from '../log.ts';
import type { InstanceRecord } from '../report/outputs.ts';
import {
  renderPreviewComment,
  runFromEnv,
  upsertPreviewComment,
  type PreviewInstance,
  type PreviewModel,
  type UpsertResult,
} from './comment.ts';

type Env = Record<string, string | undefined>;

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** The pull request of the event that started the run (GITHUB_EVENT_PATH), if any: read
 * from `env` (the host's), as @actions/github's context would from process.env. */
export async function pullRequestOf(env: Env): Promise<PullRequestRef | undefined> {
  if (!env.GITHUB_EVENT_PATH || !env.GITHUB_REPOSITORY) return undefined;
  const context = contextFromEnv(env);
  const number = (context.payload as { pull_request?: { number?: unknown } }).pull_request?.number;
  if (typeof number !== 'number') return undefined;
  return { owner: context.repo.owner, repo: context.repo.repo, number };
}

export function previewInstances(records: readonly InstanceRecord[]): PreviewInstance[] {
  return records.map((r) => ({
    id: r.id,
    region: r.region,
    type: r.type,
    lifecycle: r.lifecycle,
    ...(r['public-ip'] ? { publicIp: r['public-ip'] } : {}),
    ...(r['private-ip'] ? { privateIp: r['private-ip'] } : {}),
    health: r.health,
  }));
}

export interface PreviewOptions {
  /** Values never to show (secrets). */
  mask?: readonly string[];
  /** false: only edit an existing comment (destroy). */
  createIfMissing?: boolean;
  /** The run's environment, as the host gives it (the event, the repository, the API). */
  env: Env;
}

/** Model without `at` and `run`, which are filled in from the clock and the runner. */
export type PreviewContent =
  | Omit<Extract<PreviewModel, { status: 'deployed' }>, 'at' | 'run'>
  | Omit<Extract<PreviewModel, { status: 'failed' }>, 'at' | 'run'>
  | Omit<Extract<PreviewModel, { status: 'destroyed' }>, 'at' | 'run'>;

/**
 * Writes the deployment's preview comment when the run is for a pull request and a token
 * is given; returns what happened (undefined when there was nothing to do).
 */
export async function updatePreview(
  token: string,
  content: PreviewContent,
  log: Log,
  opts: PreviewOptions,
): Promise<UpsertResult | undefined> {
  const { env } = opts;
  let pr: PullRequestRef | undefined;
  try {
    pr = await pullRequestOf(env);
  } catch (err) {
    log.warning(
      `could not read the pull request from the event: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
  if (!pr) return undefined;
  if (token === '') {
    log.info(`no github-token: no preview comment on pull request #${pr.number}`);
    return undefined;
  }
  const run = runFromEnv(env);
  const model = {
    ...content,
    at: new Date().toISOString(),
    ...(run ? { run } : {}),
  } as PreviewModel;
  const result = await upsertPreviewComment({
    token,
    owner: pr.owner,
    repo: pr.repo,
    issueNumber: pr.number,
    deploymentId: content.deploymentId,
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    body: renderPreviewComment(model, opts.mask ? { mask: opts.mask } : {}),
    ...(opts.createIfMissing === false ? { createIfMissing: false } : {}),
  });
  if (!result.ok) log.warning(result.warning);
  else if (result.action === 'absent')
    log.info(
      `no preview comment of ${content.deploymentId} on pull request #${pr.number} to update`,
    );
  else
    log.info(
      `preview comment ${result.action} on pull request #${pr.number}${result.url ? `: ${result.url}` : ''}`,
    );
  return result;
}
