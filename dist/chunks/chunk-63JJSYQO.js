import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  refDeploymentId
} from "./chunk-DPXUJE6X.js";

// src/terminal/git.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
function repositoryOfRemote(url) {
  const u = url.trim();
  const m = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/(.+?)(?:\.git)?\/?$/.exec(u) ?? /^(?:[^@/:]+@)?[^/:]+:(?!\/)(.+?)(?:\.git)?\/?$/.exec(u);
  const path = m?.[1] ?? "";
  const parts = path.split("/");
  return parts.length >= 2 && parts.every((p) => p !== "") ? parts.slice(-2).join("/") : void 0;
}
async function git(dir, args) {
  try {
    const { stdout } = await promisify(execFile)("git", ["-C", dir, ...args], { encoding: "utf8" });
    return stdout.trim() || void 0;
  } catch {
    return void 0;
  }
}
async function gitEnv(dir) {
  const [url, branch, sha] = await Promise.all([
    git(dir, ["config", "--get", "remote.origin.url"]),
    git(dir, ["symbolic-ref", "--quiet", "HEAD"]),
    git(dir, ["rev-parse", "--verify", "--quiet", "HEAD"])
  ]);
  const repository = url ? repositoryOfRemote(url) : void 0;
  return {
    ...repository ? { GITHUB_REPOSITORY: repository } : {},
    ...branch ? { GITHUB_REF: branch } : {},
    ...sha ? { GITHUB_SHA: sha } : {}
  };
}
async function deploymentIdFromGit(dir) {
  const env = await gitEnv(dir);
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_REF) return void 0;
  return refDeploymentId(env.GITHUB_REPOSITORY, env.GITHUB_REF);
}

export {
  repositoryOfRemote,
  gitEnv,
  deploymentIdFromGit
};
//# sourceMappingURL=chunk-63JJSYQO.js.map
