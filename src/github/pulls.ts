// Whether a pull request is still open, for `reap` (GET /repos/{owner}/{repo}/pulls/{n}).

import { octokitFor } from './api.ts';

export type PullState = 'open' | 'closed' | 'missing';

export async function pullStates(
  token: string,
  repository: string,
  numbers: readonly number[],
  /** The host's GITHUB_API_URL (default https://api.github.com). */
  apiUrl?: string | undefined,
): Promise<Map<number, PullState>> {
  const [owner = '', repo = ''] = repository.split('/');
  const octokit = await octokitFor(token, apiUrl);
  const out = new Map<number, PullState>();
  for (const pull_number of numbers) {
    try {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number });
      out.set(pull_number, data.state === 'open' ? 'open' : 'closed');
    } catch (err) {
      if ((err as { status?: number }).status === 404) out.set(pull_number, 'missing');
      else throw err;
    }
  }
  return out;
}
