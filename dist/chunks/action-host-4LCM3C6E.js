import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  updatePreview
} from "./chunk-O643GYUH.js";
import {
  octokitFor
} from "./chunk-TFPGGUJ2.js";
import "./chunk-DPXUJE6X.js";
import "./chunk-V2M23LJS.js";
import {
  COMMAND_POLL,
  POLL,
  realClock
} from "./chunk-P4BHK4MN.js";
import {
  Clients
} from "./chunk-UE23O574.js";
import "./chunk-XTVJNGXJ.js";
import {
  annotate
} from "./chunk-CNA45RYE.js";
import {
  appendSummary,
  debug,
  group,
  info,
  saveState,
  setOutput,
  setSecret,
  warning
} from "./chunk-ZQI4S6B5.js";
import "./chunk-4OVCB57H.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/github/record.ts
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
var KEY_PREFIX = "spot-deployer-record-";
function recordKeyPrefix(deploymentId) {
  const digest = createHash("sha256").update(deploymentId).digest("hex").slice(0, 32);
  return `${KEY_PREFIX}${digest}-`;
}
function recordKey(record) {
  const time = new Date(record.savedAt).toISOString().replace(/[-:.]/g, "");
  const run = record.runId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
  return `${recordKeyPrefix(record.deploymentId)}${time}-${run}`;
}
function paths(deps, env) {
  const dir = deps.dir ?? join(env.RUNNER_TEMP || tmpdir(), "spot-deployer-record");
  return { dir, file: join(dir, "record.json") };
}
var NO_SERVICE = "the GitHub Actions cache service is not available here (ACTIONS_CACHE_URL is not set: not running in GitHub Actions?)";
var NO_TOKEN = "the GitHub Actions cache service is not available here (ACTIONS_RUNTIME_TOKEN is not set)";
function plainlyUnavailable(env) {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return NO_SERVICE;
  if (!env.ACTIONS_RUNTIME_TOKEN) return NO_TOKEN;
  return void 0;
}
function unavailable(env, cache) {
  if (!cache.isFeatureAvailable()) return NO_SERVICE;
  if (!env.ACTIONS_RUNTIME_TOKEN) return NO_TOKEN;
  return void 0;
}
async function cacheApi(deps, env) {
  const early = deps.cache ? void 0 : plainlyUnavailable(env);
  if (early) return { why: early };
  const cache = deps.cache ?? await import("./cache-ILWVZEHM.js");
  const why = unavailable(env, cache);
  return why ? { why } : { cache };
}
function message(err) {
  return err instanceof Error ? err.message : String(err);
}
async function saveRecord(record, deps) {
  const { env } = deps;
  const lead = `the deployment record of '${record.deploymentId}' was not saved`;
  const consequence = "a later destroy finds instances by tags in the manifest's regions only";
  const { dir, file } = paths(deps, env);
  try {
    const api = await cacheApi(deps, env);
    if ("why" in api) return { warning: `${lead}: ${api.why}; ${consequence}` };
    const { cache } = api;
    const key = recordKey(record);
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(record, null, 2) + "\n", { mode: 384 });
    const id = await cache.saveCache([file], key);
    if (id === -1) {
      return {
        warning: `${lead}: the cache service refused or failed the save (see the cache messages above); ${consequence}`
      };
    }
    return { key };
  } catch (err) {
    return { warning: `${lead}: ${message(err)}; ${consequence}` };
  } finally {
    await rm(file, { force: true }).catch(() => void 0);
  }
}
async function restoreRecord(deploymentId, deps) {
  const { env } = deps;
  const lead = `no deployment record of '${deploymentId}'`;
  const consequence = "searching by tags in the manifest's regions only";
  const { file } = paths(deps, env);
  try {
    const api = await cacheApi(deps, env);
    if ("why" in api) return { warning: `${lead}: ${api.why}; ${consequence}` };
    const { cache } = api;
    await rm(file, { force: true });
    const prefix = recordKeyPrefix(deploymentId);
    const key = await cache.restoreCache([file], prefix, [prefix]);
    if (key === void 0) {
      return {
        warning: `${lead} in the Actions cache (never deployed from this branch, expired after 7 days unused, or the cache service failed: see any cache message above); ${consequence}`
      };
    }
    const record = parseRecord(await readFile(file, "utf8"));
    if (!record || record.deploymentId !== deploymentId) {
      return { key, warning: `${lead}: the cached record ${key} is unreadable; ${consequence}` };
    }
    return { record, key };
  } catch (err) {
    return { warning: `${lead}: ${message(err)}; ${consequence}` };
  } finally {
    await rm(file, { force: true }).catch(() => void 0);
  }
}
var isString = (v) => typeof v === "string";
function parseRecord(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch {
    return void 0;
  }
  if (typeof v !== "object" || v === null) return void 0;
  const r = v;
  const instances = r.instances;
  const regions = r.regions;
  if (r.version !== 1 || !isString(r.deploymentId) || !isString(r.manifestDigest) || !isString(r.savedAt) || !isString(r.runId) || !Array.isArray(regions) || !regions.every(isString) || !Array.isArray(instances) || !instances.every(
    (i) => typeof i === "object" && i !== null && isString(i.id) && isString(i.region)
  )) {
    return void 0;
  }
  return {
    version: 1,
    deploymentId: r.deploymentId,
    instances: instances.map(({ id, region }) => ({
      id,
      region
    })),
    regions: [...regions],
    manifestDigest: r.manifestDigest,
    savedAt: r.savedAt,
    runId: r.runId
  };
}

// src/github/runs.ts
async function endedRuns(token, runs, deps = {}) {
  const out = { ended: /* @__PURE__ */ new Set(), notes: [] };
  const checkable = runs.filter(
    (r) => /^\d+-\d+$/.test(r.runId) && /^[^/]+\/[^/]+$/.test(r.repository)
  );
  if (token === "" || checkable.length === 0) return out;
  const octokit = await octokitFor(token, deps.apiUrl);
  await Promise.all(
    checkable.map(async (r) => {
      const [run, attempt] = r.runId.split("-").map(Number);
      const [owner, repo] = r.repository.split("/");
      try {
        const { data } = await octokit.rest.actions.getWorkflowRunAttempt({
          owner,
          repo,
          run_id: run,
          attempt_number: attempt
        });
        if (data.status === "completed") out.ended.add(r.runId);
      } catch (err) {
        const e = err;
        out.notes.push(
          `could not ask GitHub whether run ${r.runId} of ${r.repository} has ended: ${e.status ? `${e.status} ` : ""}${e.message ?? String(err)}` + (e.status === 403 || e.status === 404 ? " (the github-token needs `actions: read` on that repository)" : "")
        );
      }
    })
  );
  return out;
}

// src/action-host.ts
var coreLog = {
  info: (m) => info(m),
  warning: (m) => warning(m),
  group: (title, fn) => group(title, fn)
};
async function writeSummary(markdown) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await appendSummary(markdown);
  } catch (err) {
    warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    );
  }
}
function actionHost(signal) {
  const clients = new Clients();
  return {
    clientsFor: (region) => clients.for(region),
    clock: realClock,
    poll: { instances: POLL, commands: COMMAND_POLL },
    log: coreLog,
    annotate,
    output: (name, value) => setOutput(name, value),
    mask: (value) => setSecret(value),
    saveState: (name, value) => saveState(name, value),
    summary: writeSummary,
    preview: (token, content, opts) => updatePreview(token, content, coreLog, { ...opts, env: process.env }),
    records: {
      restore: (id) => restoreRecord(id, { env: process.env }),
      save: (r) => saveRecord(r, { env: process.env })
    },
    endedRuns: (token, runs) => endedRuns(token, runs, { apiUrl: process.env.GITHUB_API_URL }),
    // The runner shows the log's groups; there is no live view to feed. The phases' times go
    // to the debug log (shown when the workflow's step debug logging is on).
    progress: (e) => {
      if (e.kind === "phase")
        debug(`phase ${e.name}: ${e.state} at ${(/* @__PURE__ */ new Date()).toISOString()}`);
    },
    ...signal ? { signal } : {},
    env: process.env,
    close: () => clients.close()
  };
}
export {
  actionHost,
  coreLog,
  writeSummary
};
//# sourceMappingURL=action-host-4LCM3C6E.js.map
