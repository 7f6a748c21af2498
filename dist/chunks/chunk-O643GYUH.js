import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  octokitFor
} from "./chunk-TFPGGUJ2.js";
import {
  contextFromEnv
} from "./chunk-DPXUJE6X.js";

// src/github/comment.ts
function commentMarker(deploymentId) {
  return `<!-- portable-spot-deployer:deployment=${deploymentId} -->`;
}
var HEALTH_ICON = {
  healthy: "\u2705 healthy",
  unhealthy: "\u274C unhealthy",
  pending: "\u23F3 pending",
  unknown: "\u2754 unknown"
};
function escapeMarkdown(text) {
  return text.replace(/[\r\n]+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]|#~])/g, "\\$1");
}
function code(text) {
  return `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, " ")}\``;
}
function runText(run) {
  if (!run) return "";
  const label = `run ${escapeMarkdown(run.id)}`;
  if (!run.url) return ` by ${label}`;
  const url = run.url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ` by [${label}](${url})`;
}
function when(at) {
  return escapeMarkdown(at.replace(/\.\d{3}Z$/, "Z"));
}
function table(instances, maxRows) {
  if (instances.length === 0) return ["_No instances are running._"];
  const sorted = [...instances].sort(
    (a, b) => a.region.localeCompare(b.region) || a.id.localeCompare(b.id)
  );
  const lines = [
    "| Instance | Region | Type | Lifecycle | Public address | Private address | Health |",
    "| --- | --- | --- | --- | --- | --- | --- |"
  ];
  for (const i of sorted.slice(0, maxRows)) {
    const cells = [
      code(i.id),
      escapeMarkdown(i.region),
      escapeMarkdown(i.type),
      escapeMarkdown(i.lifecycle),
      i.publicIp ? code(i.publicIp) : "\u2014",
      i.privateIp ? code(i.privateIp) : "\u2014",
      HEALTH_ICON[i.health] ?? escapeMarkdown(i.health)
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  if (sorted.length > maxRows) {
    lines.push("", `\u2026and ${sorted.length - maxRows} more (see the action's \`instances\` output).`);
  }
  return lines;
}
function summary(instances) {
  const regions = [...new Set(instances.map((i) => i.region))].sort();
  const healthy = instances.filter((i) => i.health === "healthy").length;
  const n = instances.length;
  const health = healthy === n ? "all healthy" : `${healthy} of ${n} healthy`;
  return `**${n} instance${n === 1 ? "" : "s"}** in ${regions.map(escapeMarkdown).join(", ")}, ${health}.`;
}
function renderPreviewComment(model, options = {}) {
  const maxRows = options.maxRows ?? 200;
  const id = code(model.deploymentId);
  const lines = [commentMarker(model.deploymentId)];
  switch (model.status) {
    case "deployed": {
      lines.push(`### \u{1F680} Preview ${id} is deployed`, "");
      if (model.instances.length > 0) lines.push(summary(model.instances), "");
      lines.push(...table(model.instances, maxRows), "");
      const sha = model.sha ? `commit ${code(model.sha.slice(0, 12))}, ` : "";
      const digest = model.manifestDigest ? `, manifest ${code(model.manifestDigest.replace(/^sha256:/, "").slice(0, 12))}` : "";
      lines.push(`<sub>Deployed ${sha}${when(model.at)}${runText(model.run)}${digest}.</sub>`);
      break;
    }
    case "failed": {
      lines.push(`### \u26A0\uFE0F Preview ${id}: the last deploy failed`, "");
      lines.push(`> ${escapeMarkdown(model.reason)}`, "");
      if (model.instances.length > 0) lines.push(summary(model.instances), "");
      lines.push(...table(model.instances, maxRows), "");
      const sha = model.sha ? `commit ${code(model.sha.slice(0, 12))}, ` : "";
      lines.push(`<sub>Failed ${sha}${when(model.at)}${runText(model.run)}.</sub>`);
      break;
    }
    case "destroyed": {
      lines.push(`### \u{1F9F9} Preview ${id} was destroyed`, "");
      const count = model.terminated === void 0 ? "Its instances were terminated" : model.terminated === 0 ? "No instances were left to terminate" : `${model.terminated} instance${model.terminated === 1 ? " was" : "s were"} terminated`;
      lines.push(`${count} on ${when(model.at)}${runText(model.run)}.`);
      break;
    }
  }
  let body = lines.join("\n") + "\n";
  for (const secret of options.mask ?? []) {
    if (secret.length > 0) body = body.split(secret).join("***");
  }
  return body;
}
function runFromEnv(env) {
  const id = env.GITHUB_RUN_ID;
  if (!id) return void 0;
  const attempt = env.GITHUB_RUN_ATTEMPT;
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const repo = env.GITHUB_REPOSITORY;
  const ref = { id: attempt && attempt !== "1" ? `${id} (attempt ${attempt})` : id };
  if (repo) {
    const again = attempt && attempt !== "1" ? `/attempts/${attempt}` : "";
    ref.url = `${server}/${repo}/actions/runs/${id}${again}`;
  }
  return ref;
}
var PER_PAGE = 100;
async function upsertPreviewComment(req) {
  const marker = commentMarker(req.deploymentId);
  const body = req.body.startsWith(marker) ? req.body : `${marker}
${req.body}`;
  const where = `${req.owner}/${req.repo}#${req.issueNumber}`;
  try {
    if (!req.token) {
      return {
        ok: false,
        warning: `no github-token: the preview comment on ${where} was not written`
      };
    }
    const octokit = await octokitFor(req.token, req.apiUrl);
    const params = { owner: req.owner, repo: req.repo, issue_number: req.issueNumber };
    let found;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...params,
      per_page: PER_PAGE
    });
    for await (const page of pages) {
      found = page.data.find((c) => (c.body ?? "").trimStart().startsWith(marker));
      if (found) break;
    }
    if (found) {
      if (found.body === body) {
        return { ok: true, action: "unchanged", commentId: found.id, url: found.html_url };
      }
      const { data: data2 } = await octokit.rest.issues.updateComment({
        owner: req.owner,
        repo: req.repo,
        comment_id: found.id,
        body
      });
      return { ok: true, action: "updated", commentId: data2.id, url: data2.html_url };
    }
    if (req.createIfMissing === false) return { ok: true, action: "absent" };
    const { data } = await octokit.rest.issues.createComment({ ...params, body });
    return { ok: true, action: "created", commentId: data.id, url: data.html_url };
  } catch (err) {
    return { ok: false, warning: describeFailure(err, where, req.token) };
  }
}
function describeFailure(err, where, token) {
  const status = err.status;
  const raw = err instanceof Error ? err.message : String(err);
  const message = (token ? raw.split(token).join("***") : raw).split(" - https://")[0] ?? raw;
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
      if (typeof status === "number" && status > 0) return `${lead} (${status}: ${message})`;
      return `${lead}: ${message} (is GITHUB_API_URL reachable?)`;
  }
}

// src/github/preview.ts
async function pullRequestOf(env) {
  if (!env.GITHUB_EVENT_PATH || !env.GITHUB_REPOSITORY) return void 0;
  const context = contextFromEnv(env);
  const number = context.payload.pull_request?.number;
  if (typeof number !== "number") return void 0;
  return { owner: context.repo.owner, repo: context.repo.repo, number };
}
function previewInstances(records) {
  return records.map((r) => ({
    id: r.id,
    region: r.region,
    type: r.type,
    lifecycle: r.lifecycle,
    ...r["public-ip"] ? { publicIp: r["public-ip"] } : {},
    ...r["private-ip"] ? { privateIp: r["private-ip"] } : {},
    health: r.health
  }));
}
async function updatePreview(token, content, log, opts) {
  const { env } = opts;
  let pr;
  try {
    pr = await pullRequestOf(env);
  } catch (err) {
    log.warning(
      `could not read the pull request from the event: ${err instanceof Error ? err.message : String(err)}`
    );
    return void 0;
  }
  if (!pr) return void 0;
  if (token === "") {
    log.info(`no github-token: no preview comment on pull request #${pr.number}`);
    return void 0;
  }
  const run = runFromEnv(env);
  const model = {
    ...content,
    at: (/* @__PURE__ */ new Date()).toISOString(),
    ...run ? { run } : {}
  };
  const result = await upsertPreviewComment({
    token,
    owner: pr.owner,
    repo: pr.repo,
    issueNumber: pr.number,
    deploymentId: content.deploymentId,
    ...env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {},
    body: renderPreviewComment(model, opts.mask ? { mask: opts.mask } : {}),
    ...opts.createIfMissing === false ? { createIfMissing: false } : {}
  });
  if (!result.ok) log.warning(result.warning);
  else if (result.action === "absent")
    log.info(
      `no preview comment of ${content.deploymentId} on pull request #${pr.number} to update`
    );
  else
    log.info(
      `preview comment ${result.action} on pull request #${pr.number}${result.url ? `: ${result.url}` : ""}`
    );
  return result;
}

export {
  previewInstances,
  updatePreview
};
//# sourceMappingURL=chunk-O643GYUH.js.map
