// The deployment id a push workflow would derive, from a git checkout: the repository of the
// `origin` remote (https or ssh URL) and the current branch, through identity.ts's rule.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { refDeploymentId } from '../identity.ts';

/** `owner/repo` of a GitHub-style remote URL (https, ssh://, scp-like git@host:owner/repo). */
export function repositoryOfRemote(url: string): string | undefined {
  const u = url.trim();
  const m =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/(.+?)(?:\.git)?\/?$/.exec(u) ??
    /^(?:[^@/:]+@)?[^/:]+:(?!\/)(.+?)(?:\.git)?\/?$/.exec(u);
  const path = m?.[1] ?? '';
  const parts = path.split('/');
  return parts.length >= 2 && parts.every((p) => p !== '') ? parts.slice(-2).join('/') : undefined;
}

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['-C', dir, ...args], { encoding: 'utf8' });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The checkout as a push workflow's environment names it: GITHUB_REPOSITORY (of the
 * `origin` remote), GITHUB_REF (the current branch) and GITHUB_SHA; those git can tell. */
export async function gitEnv(dir: string): Promise<Record<string, string>> {
  const [url, branch, sha] = await Promise.all([
    git(dir, ['config', '--get', 'remote.origin.url']),
    git(dir, ['symbolic-ref', '--quiet', 'HEAD']),
    git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']),
  ]);
  const repository = url ? repositoryOfRemote(url) : undefined;
  return {
    ...(repository ? { GITHUB_REPOSITORY: repository } : {}),
    ...(branch ? { GITHUB_REF: branch } : {}),
    ...(sha ? { GITHUB_SHA: sha } : {}),
  };
}

/** The id for a push of the checkout's current branch; undefined outside git (or detached). */
export async function deploymentIdFromGit(dir: string): Promise<string | undefined> {
  const env = await gitEnv(dir);
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_REF) return undefined;
  return refDeploymentId(env.GITHUB_REPOSITORY, env.GITHUB_REF);
}
