// The GitHub REST client of the action: @actions/github's Octokit, imported on first use so
// that commands which never talk to GitHub do not load it at start-up.

/** An Octokit for `token` at `apiUrl` (the host's GITHUB_API_URL; default
 * https://api.github.com). The caller passes it: nothing here reads process.env. */
export async function octokitFor(token: string, apiUrl: string | undefined) {
  const { getOctokit } = await import('@actions/github');
  const baseUrl = (apiUrl || 'https://api.github.com').replace(/\/+$/, '');
  return getOctokit(token, { baseUrl });
}
