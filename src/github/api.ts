// The GitHub REST client of the action: @actions/github's Octokit, imported on first use so
// that commands which never talk to GitHub do not load it at start-up.

/** An Octokit for `token` at `apiUrl` (default GITHUB_API_URL, else https://api.github.com). */
export async function octokitFor(token: string, apiUrl?: string) {
  const { getOctokit } = await import('@actions/github');
  const baseUrl = (apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(
    /\/+$/,
    '',
  );
  return getOctokit(token, { baseUrl });
}
