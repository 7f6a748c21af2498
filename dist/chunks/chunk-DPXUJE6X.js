import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-5LWETDWB.js";

// src/identity.ts
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
function resolveIdentity(env) {
  const runId = env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}` : `local-${randomUUID()}`;
  return {
    repository: env.GITHUB_REPOSITORY ?? "",
    ref: env.GITHUB_REF ?? "",
    sha: env.GITHUB_SHA ?? "",
    runId
  };
}
var TAG_VALUE_MAX = 256;
var NOT_TAG_CHAR = /[^\p{L}\p{N} _.:/=+\-@]/gu;
function toTagValue(value) {
  const clean = value.replace(NOT_TAG_CHAR, "-");
  if (clean.length <= TAG_VALUE_MAX) return clean;
  const digest = createHash("sha256").update(value).digest("hex").slice(0, 12);
  return `${clean.slice(0, TAG_VALUE_MAX - 13)}-${digest}`;
}
var PR_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target", "pull_request_review"]);
function previewDeploymentId(repository, pr) {
  return toTagValue(`${repository || "local"}/pr-${pr}`);
}
function refDeploymentId(repository, ref) {
  return toTagValue(
    `${repository || "local"}/${ref.replace(/^refs\/(heads|tags)\//, "") || "default"}`
  );
}
function previewNumber(repository, deploymentId) {
  const m = /\/pr-(\d+)$/.exec(deploymentId);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && previewDeploymentId(repository, n) === deploymentId ? n : void 0;
}
function deploymentIdFromContext(ctx) {
  const repo = ctx.repo.owner && ctx.repo.repo ? `${ctx.repo.owner}/${ctx.repo.repo}` : "";
  const pr = ctx.payload.pull_request?.number ?? (PR_EVENTS.has(ctx.eventName) ? ctx.payload.number : void 0);
  if (pr !== void 0) return previewDeploymentId(repo, pr);
  return refDeploymentId(repo, ctx.ref);
}
async function resolveDeploymentId(explicit, env) {
  if (explicit !== "") {
    if (toTagValue(explicit) !== explicit) {
      throw new UserError(
        `input 'deployment-id' must be at most ${TAG_VALUE_MAX} characters of letters, digits, spaces and _ . : / = + - @`
      );
    }
    return explicit;
  }
  if (!env.GITHUB_REPOSITORY) return "local/default";
  return deploymentIdFromContext(contextFromEnv(env));
}
function contextFromEnv(env) {
  const path = env.GITHUB_EVENT_PATH ?? "";
  const payload = path !== "" && existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    ref: env.GITHUB_REF ?? "",
    payload,
    repo: { owner, repo }
  };
}

export {
  resolveIdentity,
  refDeploymentId,
  previewNumber,
  resolveDeploymentId,
  contextFromEnv
};
//# sourceMappingURL=chunk-DPXUJE6X.js.map
