// The pull request preview comment: one comment per deployment on the pull request,
// created on the first deploy, edited on every later deploy, marked destroyed on destroy.
// The comment is found again by a hidden marker on its first line that carries the
// deployment id, so several deployments of one pull request keep separate comments.
//
// `renderPreviewComment` is pure (model in, Markdown out); `upsertPreviewComment` is the
// thin layer that talks to the GitHub REST API. Nothing secret ever goes in: the model
// holds ids, regions, types, addresses and health only, and free text can be masked.

import { octokitFor } from './api.ts';

/** What the comment shows for one instance. */
export interface PreviewInstance {
  id: string;
  region: string;
  /** Instance type, e.g. t3.small. */
  type: string;
  /** 'spot' or 'on-demand'. */
  lifecycle: string;
  publicIp?: string;
  privateIp?: string;
  /** 'healthy', 'unhealthy', 'pending' or 'unknown' (any other text is shown as it is). */
  health: string;
}

/** The run that wrote the comment, shown as a link when `url` is known. */
export interface RunRef {
  id: string;
  url?: string;
}

export type PreviewModel =
  | {
      status: 'deployed';
      deploymentId: string;
      instances: PreviewInstance[];
      /** Commit deployed (shown shortened). */
      sha?: string;
      manifestDigest?: string;
      /** ISO 8601 time of the deploy. */
      at: string;
      run?: RunRef;
    }
  | {
      status: 'failed';
      deploymentId: string;
      /** One line a user can act on; masked and escaped before it is shown. */
      reason: string;
      /** Whatever is running now (may be empty). */
      instances: PreviewInstance[];
      sha?: string;
      at: string;
      run?: RunRef;
    }
  | {
      status: 'destroyed';
      deploymentId: string;
      /** How many instances the destroy terminated, when known. */
      terminated?: number;
      at: string;
      run?: RunRef;
    };

export interface RenderOptions {
  /** Values that must never appear in the comment (secrets); replaced by ***. */
  mask?: readonly string[];
  /** Rows shown at most; the rest are counted. Keeps the body under GitHub's 65,536 characters. */
  maxRows?: number;
}

/** The hidden first line that identifies the comment of a deployment. */
export function commentMarker(deploymentId: string): string {
  // Deployment ids are AWS tag values, which cannot hold '>', so '-->' cannot occur inside.
  return `<!-- portable-spot-deployer:deployment=${deploymentId} -->`;
}

const HEALTH_ICON: Record<string, string> = {
  healthy: '✅ healthy',
  unhealthy: '❌ unhealthy',
  pending: '⏳ pending',
  unknown: '❔ unknown',
};

/** Escapes text for a Markdown table cell or a line: no HTML, no pipes, no line breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

function code(text: string): string {
  // Inline code cannot escape a backtick; none of our values hold one, but never break out.
  return `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
}

function runText(run: RunRef | undefined): string {
  if (!run) return '';
  const label = `run ${escapeMarkdown(run.id)}`;
  if (!run.url) return ` by ${label}`;
  const url = run.url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ` by [${label}](${url})`;
}

function when(at: string): string {
  return escapeMarkdown(at.replace(/\.\d{3}Z$/, 'Z'));
}

function table(instances: readonly PreviewInstance[], maxRows: number): string[] {
  if (instances.length === 0) return ['_No instances are running._'];
  const sorted = [...instances].sort(
    (a, b) => a.region.localeCompare(b.region) || a.id.localeCompare(b.id),
  );
  const lines = [
    '| Instance | Region | Type | Lifecycle | Public address | Private address | Health |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const i of sorted.slice(0, maxRows)) {
    const cells = [
      code(i.id),
      escapeMarkdown(i.region),
      escapeMarkdown(i.type),
      escapeMarkdown(i.lifecycle),
      i.publicIp ? code(i.publicIp) : '—',
      i.privateIp ? code(i.privateIp) : '—',
      HEALTH_ICON[i.health] ?? escapeMarkdown(i.health),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (sorted.length > maxRows) {
    lines.push('', `…and ${sorted.length - maxRows} more (see the action's \`instances\` output).`);
  }
  return lines;
}

function summary(instances: readonly PreviewInstance[]): string {
  const regions = [...new Set(instances.map((i) => i.region))].sort();
  const healthy = instances.filter((i) => i.health === 'healthy').length;
  const n = instances.length;
  const health = healthy === n ? 'all healthy' : `${healthy} of ${n} healthy`;
  return `**${n} instance${n === 1 ? '' : 's'}** in ${regions.map(escapeMarkdown).join(', ')}, ${health}.`;
}

/**
 * The comment body for a model: the marker line, a heading with the status, the
 * instances table (deployed, failed) or the destruction note (destroyed). Pure.
 */
export function renderPreviewComment(model: PreviewModel, options: RenderOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  const id = code(model.deploymentId);
  const lines: string[] = [commentMarker(model.deploymentId)];
  switch (model.status) {
    case 'deployed': {
      lines.push(`### 🚀 Preview ${id} is deployed`, '');
      if (model.instances.length > 0) lines.push(summary(model.instances), '');
      lines.push(...table(model.instances, maxRows), '');
      const sha = model.sha ? `commit ${code(model.sha.slice(0, 12))}, ` : '';
      const digest = model.manifestDigest
        ? `, manifest ${code(model.manifestDigest.replace(/^sha256:/, '').slice(0, 12))}`
        : '';
      lines.push(`<sub>Deployed ${sha}${when(model.at)}${runText(model.run)}${digest}.</sub>`);
      break;
    }
    case 'failed': {
      lines.push(`### ⚠️ Preview ${id}: the last deploy failed`, '');
      lines.push(`> ${escapeMarkdown(model.reason)}`, '');
      if (model.instances.length > 0) lines.push(summary(model.instances), '');
      lines.push(...table(model.instances, maxRows), '');
      const sha = model.sha ? `commit ${code(model.sha.slice(0, 12))}, ` : '';
      lines.push(`<sub>Failed ${sha}${when(model.at)}${runText(model.run)}.</sub>`);
      break;
    }
    case 'destroyed': {
      lines.push(`### 🧹 Preview ${id} was destroyed`, '');
      const count =
        model.terminated === undefined
          ? 'Its instances were terminated'
          : model.terminated === 0
            ? 'No instances were left to terminate'
            : `${model.terminated} instance${model.terminated === 1 ? ' was' : 's were'} terminated`;
      lines.push(`${count} on ${when(model.at)}${runText(model.run)}.`);
      break;
    }
  }
  let body = lines.join('\n') + '\n';
  for (const secret of options.mask ?? []) {
    if (secret.length > 0) body = body.split(secret).join('***');
  }
  return body;
}

/** The link to the current workflow run, from the runner's environment (undefined outside Actions). */
export function runFromEnv(env: Record<string, string | undefined>): RunRef | undefined {
  const id = env.GITHUB_RUN_ID;
  if (!id) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  const ref: RunRef = { id: attempt && attempt !== '1' ? `${id} (attempt ${attempt})` : id };
  if (repo) {
    const again = attempt && attempt !== '1' ? `/attempts/${attempt}` : '';
    ref.url = `${server}/${repo}/actions/runs/${id}${again}`;
  }
  return ref;
}

export interface UpsertRequest {
  /** A token allowed to write pull request comments (GITHUB_TOKEN with `pull-requests: write`). */
  token: string;
  owner: string;
  repo: string;
  /** The pull request number (pull requests are issues to the comments API). */
  issueNumber: number;
  deploymentId: string;
  /** The Markdown body, normally from renderPreviewComment; the marker is added when missing. */
  body: string;
  /** When false, an absent comment is not created (a destroy with no preview to mark). Default true. */
  createIfMissing?: boolean;
  /** REST API base URL; default GITHUB_API_URL, else https://api.github.com. */
  apiUrl?: string;
}

export type UpsertResult =
  | {
      ok: true;
      action: 'created' | 'updated' | 'unchanged' | 'absent';
      /** Absent only for 'absent'. */
      commentId?: number;
      url?: string;
    }
  | {
      ok: false;
      /** A sentence for core.warning: what failed and what to change. Never holds the token. */
      warning: string;
    };

const PER_PAGE = 100;

/**
 * Creates the deployment's comment on the pull request, or edits it when the marker is
 * found on any page of the comments. Never throws and never fails a deploy: every
 * failure of the GitHub API (permissions, network, rate limit) comes back as
 * `{ ok: false, warning }`, which the caller reports with core.warning and carries on.
 * @actions/github is loaded on the first call only, so commands that never comment do
 * not pay for Octokit at start-up.
 */
export async function upsertPreviewComment(req: UpsertRequest): Promise<UpsertResult> {
  const marker = commentMarker(req.deploymentId);
  const body = req.body.startsWith(marker) ? req.body : `${marker}\n${req.body}`;
  const where = `${req.owner}/${req.repo}#${req.issueNumber}`;
  try {
    if (!req.token) {
      return {
        ok: false,
        warning: `no github-token: the preview comment on ${where} was not written`,
      };
    }
    const octokit = await octokitFor(req.token, req.apiUrl);
    const params = { owner: req.owner, repo: req.repo, issue_number: req.issueNumber };

    let found: { id: number; body?: string | undefined; html_url: string } | undefined;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...params,
      per_page: PER_PAGE,
    });
    for await (const page of pages) {
      found = page.data.find((c) => (c.body ?? '').trimStart().startsWith(marker));
      if (found) break;
    }

    if (found) {
      if (found.body === body) {
        return { ok: true, action: 'unchanged', commentId: found.id, url: found.html_url };
      }
      const { data } = await octokit.rest.issues.updateComment({
        owner: req.owner,
        repo: req.repo,
        comment_id: found.id,
        body,
      });
      return { ok: true, action: 'updated', commentId: data.id, url: data.html_url };
    }
    if (req.createIfMissing === false) return { ok: true, action: 'absent' };
    const { data } = await octokit.rest.issues.createComment({ ...params, body });
    return { ok: true, action: 'created', commentId: data.id, url: data.html_url };
  } catch (err) {
    return { ok: false, warning: describeFailure(err, where, req.token) };
  }
}

/** Turns an Octokit error into a sentence a user can act on, with the token scrubbed. */
function describeFailure(err: unknown, where: string, token: string): string {
  const status = (err as { status?: unknown }).status;
  const raw = err instanceof Error ? err.message : String(err);
  const message = (token ? raw.split(token).join('***') : raw).split(' - https://')[0] ?? raw;
  const lead = `could not write the preview comment on ${where}`;
  switch (status) {
    case 401:
      return `${lead}: the github-token was rejected (401: ${message}); pass a valid token, e.g. \${{ github.token }}`;
    case 403:
      return `${lead} (403: ${message}); give the workflow 'permissions: pull-requests: write', or a token that can comment (pull requests from forks get a read-only token)`;
    case 404:
      return `${lead} (404: ${message}); the pull request does not exist or the token cannot see the repository`;
    case 410:
    case 422:
      return `${lead} (${status}: ${message}); the pull request may be locked or its comments disabled`;
    default:
      if (typeof status === 'number' && status > 0) return `${lead} (${status}: ${message})`;
      return `${lead}: ${message} (is GITHUB_API_URL reachable?)`;
  }
}
