import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  group,
  info,
  summary,
  warning
} from "./chunk-WREZP46J.js";

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
function regionsToSearch(manifestRegions, record) {
  const all = [
    ...manifestRegions,
    ...record?.regions ?? [],
    ...record?.instances.map((i) => i.region) ?? []
  ];
  return [...new Set(all.filter((r) => r !== ""))];
}
function paths(deps, env) {
  const dir = deps.dir ?? join(env.RUNNER_TEMP || tmpdir(), "spot-deployer-record");
  return { dir, file: join(dir, "record.json") };
}
function unavailable(env, cache) {
  if (!cache.isFeatureAvailable()) {
    return "the GitHub Actions cache service is not available here (ACTIONS_CACHE_URL is not set: not running in GitHub Actions?)";
  }
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    return "the GitHub Actions cache service is not available here (ACTIONS_RUNTIME_TOKEN is not set)";
  }
  return void 0;
}
function message(err) {
  return err instanceof Error ? err.message : String(err);
}
async function saveRecord(record, deps = {}) {
  const env = process.env;
  const lead = `the deployment record of '${record.deploymentId}' was not saved`;
  const consequence = "a later destroy finds instances by tags in the manifest's regions only";
  const { dir, file } = paths(deps, env);
  try {
    const cache = deps.cache ?? await import("./cache-4APFQEDT.js");
    const why = unavailable(env, cache);
    if (why) return { warning: `${lead}: ${why}; ${consequence}` };
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
async function restoreRecord(deploymentId, deps = {}) {
  const env = process.env;
  const lead = `no deployment record of '${deploymentId}'`;
  const consequence = "searching by tags in the manifest's regions only";
  const { file } = paths(deps, env);
  try {
    const cache = deps.cache ?? await import("./cache-4APFQEDT.js");
    const why = unavailable(env, cache);
    if (why) return { warning: `${lead}: ${why}; ${consequence}` };
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

// src/report/log.ts
var coreLog = {
  info: (m) => info(m),
  warning: (m) => warning(m),
  group: (title, fn) => group(title, fn)
};

// src/report/summary.ts
var esc = (s) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
var secs = (ms) => `${(ms / 1e3).toFixed(1)} s`;
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
function table(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)
  ].join("\n");
}
function instanceTable(instances) {
  if (instances.length === 0) return "_No instances._";
  return table(
    [
      "instance",
      "region",
      "zone",
      "type",
      "lifecycle",
      "state",
      "public IP",
      "private IP",
      "health"
    ],
    instances.map((i) => [
      `\`${i.id}\``,
      i.region,
      i.zone,
      i.type,
      i.lifecycle,
      i.state,
      i["public-ip"],
      i["private-ip"],
      i.cause ? `${i.health}: ${i.cause}` : i.health
    ])
  );
}
function renderDeploySummary(r) {
  const healthy = r.instances.filter((i) => i.health === "healthy").length;
  const total = r.phases.reduce((n, p) => n + p.ms, 0);
  const out = [
    `## Spot deploy \`${r.deploymentId}\`: ${r.outcome}`,
    "",
    `${healthy} of ${r.requested} instance${r.requested === 1 ? "" : "s"} healthy, ${secs(total)} in all.` + (r.reason ? `

**${r.outcome === "cancelled" ? "Cancelled" : "Failed"}:** ${r.reason}` : ""),
    "",
    "### Instances",
    "",
    instanceTable(r.instances),
    ""
  ];
  if (r.cleanup.length > 0) out.push(...r.cleanup.map((c) => `- ${c}`), "");
  if (r.steps.length > 0) {
    const bytes = r.steps.reduce((n, s) => n + s.bytes, 0);
    out.push(
      "### Delivered",
      "",
      table(
        ["step", "what", "payload", "instances", "failed", "time"],
        r.steps.map((s) => [
          s.id,
          s.description,
          formatBytes(s.bytes),
          String(s.instances),
          String(s.failed),
          secs(s.ms)
        ])
      ),
      "",
      `${r.steps.length} step${r.steps.length === 1 ? "" : "s"}, ${formatBytes(bytes)} of files per instance.`,
      ""
    );
  }
  out.push(
    "### Time",
    "",
    table(
      ["phase", "time"],
      r.phases.map((p) => [p.name, secs(p.ms)])
    ),
    ""
  );
  if (r.launch.length > 0) out.push("### Launch", "", ...r.launch.map((l) => `- ${l}`), "");
  out.push("### Cost", "");
  out.push(
    r.costPerHour !== void 0 ? `Estimated **$${r.costPerHour.toFixed(4)} per hour** at the current spot prices.` : "No cost estimate."
  );
  if (r.costNotes.length > 0) out.push("", ...r.costNotes.map((n) => `- ${n}`));
  out.push("");
  return out.join("\n");
}
async function writeSummary(markdown) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await summary.addRaw(markdown, true).write();
  } catch (err) {
    warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    );
  }
}

export {
  regionsToSearch,
  saveRecord,
  restoreRecord,
  coreLog,
  table,
  instanceTable,
  renderDeploySummary,
  writeSummary
};
//# sourceMappingURL=chunk-XH7SKPTC.js.map
