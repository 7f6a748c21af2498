// Whether the runs that hold a deployment's instances (see launch/concurrency.ts) have ended.
// A run that stopped without clearing its marks (its runner was lost, or it was cancelled
// past the grace period) would otherwise block every deploy of the deployment until its
// marks expire after an hour. With a token that may read the repository's Actions runs
// (`permissions: actions: read`), the action asks GitHub: an attempt whose status is
// `completed` holds nothing any more. Any doubt (no token, an error, another repository's
// run, a local run id) leaves the run counted as running: blocking is the safe side.

import { octokitFor } from './api.ts';

/** A run as the tags name it: `<run id>-<attempt>`, and the repository its instances carry. */
export interface RunRef {
  runId: string;
  repository: string;
}

export interface EndedRuns {
  /** Run ids (`<run>-<attempt>`) GitHub says are completed. */
  ended: Set<string>;
  /** Why a run could not be checked (for the log). */
  notes: string[];
}

export interface RunsDeps {
  /** REST API base URL (the host's GITHUB_API_URL); default https://api.github.com. */
  apiUrl?: string | undefined;
}

export async function endedRuns(
  token: string,
  runs: readonly RunRef[],
  deps: RunsDeps = {},
): Promise<EndedRuns> {
  const out: EndedRuns = { ended: new Set(), notes: [] };
  const checkable = runs.filter(
    (r) => /^\d+-\d+$/.test(r.runId) && /^[^/]+\/[^/]+$/.test(r.repository),
  );
  if (token === '' || checkable.length === 0) return out;
  const octokit = await octokitFor(token, deps.apiUrl);
  await Promise.all(
    checkable.map(async (r) => {
      const [run, attempt] = r.runId.split('-').map(Number) as [number, number];
      const [owner, repo] = r.repository.split('/') as [string, string];
      try {
        const { data } = await octokit.rest.actions.getWorkflowRunAttempt({
          owner,
          repo,
          run_id: run,
          attempt_number: attempt,
        });
        if (data.status === 'completed') out.ended.add(r.runId);
      } catch (err) {
        const e = err as { status?: number; message?: string };
        out.notes.push(
          `could not ask GitHub whether run ${r.runId} of ${r.repository} has ended: ` +
            `${e.status ? `${e.status} ` : ''}${e.message ?? String(err)}` +
            (e.status === 403 || e.status === 404
              ? ' (the github-token needs `actions: read` on that repository)'
              : ''),
        );
      }
    }),
  );
  return out;
}
