import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  REBALANCE_FILE
} from "./chunk-WEEMSLTQ.js";
import {
  runCommand
} from "./chunk-HHV4SY3M.js";
import {
  survey
} from "./chunk-LXZS54HF.js";
import {
  _ep0,
  _mw0,
  command
} from "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  byRegion,
  chunk
} from "./chunk-P4BHK4MN.js";
import {
  CreateTags$,
  DeleteTags$,
  abortable
} from "./chunk-UE23O574.js";
import {
  DeployError
} from "./chunk-4OVCB57H.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commands/CreateTagsCommand.js
var CreateTagsCommand = class extends command(_ep0, _mw0, "CreateTags", CreateTags$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DeleteTagsCommand.js
var DeleteTagsCommand = class extends command(_ep0, _mw0, "DeleteTags", DeleteTags$) {
};

// src/verify/services.ts
var REBALANCE_LINE = "spot-deployer:rebalance=";
var shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
function serviceCheckScript(services, flags = false) {
  return [
    "#!/bin/bash",
    ...services.length > 0 ? [
      `for s in ${services.map(shellQuote).join(" ")}; do`,
      '  printf "%s=%s\\n" "$s" "$(systemctl is-active "$s.service" 2>/dev/null || true)"',
      "done"
    ] : [],
    ...flags ? [
      `printf '%s%s\\n' ${shellQuote(REBALANCE_LINE)} "$(tr -d '\\n' <${shellQuote(REBALANCE_FILE)} 2>/dev/null || true)"`
    ] : []
  ].join("\n");
}
function parseRebalance(output) {
  const line = output.split("\n").find((l) => l.startsWith(REBALANCE_LINE));
  const record = line?.slice(REBALANCE_LINE.length).trim();
  if (!record) return void 0;
  try {
    const time = JSON.parse(record).noticeTime;
    return typeof time === "string" && time !== "" ? time : "seen";
  } catch {
    return "seen";
  }
}
function parseServiceStates(output, services) {
  const out = {};
  for (const line of output.split("\n")) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (services.includes(name)) out[name] = line.slice(eq + 1).trim() || "unknown";
  }
  for (const s of services) out[s] ??= "unknown";
  return out;
}
function healthOf(r, services) {
  if (!r || r.status !== "Success") {
    return {
      health: "unknown",
      services: {},
      detail: `service check did not run: ${r ? r.status : "no result"}${r?.statusDetails ? ` (${r.statusDetails})` : ""}`
    };
  }
  const states = parseServiceStates(r.output ?? "", services);
  const bad = Object.entries(states).filter(([, st]) => st !== "active");
  const rebalance = parseRebalance(r.output ?? "");
  const flag = rebalance ? { rebalance } : {};
  return bad.length === 0 ? { health: "healthy", services: states, ...flag } : {
    health: "unhealthy",
    services: states,
    detail: bad.map(([n, st]) => `service ${n} is ${st}`).join(", "),
    ...flag
  };
}
async function checkServices(ctx, instanceIds, services, comment, flags = false) {
  const out = /* @__PURE__ */ new Map();
  if (services.length === 0 && !flags) {
    for (const id of instanceIds) out.set(id, { health: "healthy", services: {} });
    return out;
  }
  if (instanceIds.length === 0) return out;
  const results = await runCommand(ctx, instanceIds, {
    script: serviceCheckScript(services, flags),
    timeoutSeconds: 60,
    comment
  });
  for (const id of instanceIds) out.set(id, healthOf(results.get(id), services));
  return out;
}

// src/launch/concurrency.ts
var PHASE = {
  deploying: "deploying",
  ready: "ready",
  /** Kept by keep-failed after a failed deploy: not in progress any more, never healthy. */
  failed: "failed",
  /** Marked by status: EC2 recommends rebalancing it; the next deploy replaces it. */
  rebalance: "rebalance"
};
var UPDATING_PREFIX = "spot-deployer:updating:";
var LOCK_WINDOW_MS = 60 * 60 * 1e3;
var ACTIVE_STATES = /* @__PURE__ */ new Set(["pending", "running"]);
function runParts(runId) {
  const m = /^(\d+)-(\d+)$/.exec(runId);
  return m ? { run: m[1], attempt: Number(m[2]) } : { run: runId };
}
function isEarlierAttempt(other, mine) {
  const a = runParts(other);
  const b = runParts(mine);
  return a.attempt !== void 0 && b.attempt !== void 0 && a.run === b.run && a.attempt < b.attempt;
}
function holders(found, now, windowMs = LOCK_WINDOW_MS) {
  const byRun = /* @__PURE__ */ new Map();
  const add = (runId, what, since, f, repository) => {
    if (!Number.isFinite(since) || now - since >= windowMs) return;
    const h = byRun.get(runId);
    if (!h) {
      byRun.set(runId, {
        runId,
        what,
        since,
        instances: [{ id: f.id, region: f.region }],
        repository
      });
      return;
    }
    h.since = Math.min(h.since, since);
    if (!h.instances.some((i) => i.id === f.id)) h.instances.push({ id: f.id, region: f.region });
  };
  for (const f of found) {
    if (!ACTIVE_STATES.has(f.state)) continue;
    const repository = f.tags[TAG.repository] ?? "";
    const run = f.tags[TAG.run];
    if (f.tags[TAG.phase] === PHASE.deploying && run && f.launchTime) {
      add(run, "deploying", Date.parse(f.launchTime), f, repository);
    }
    for (const [key, value] of Object.entries(f.tags)) {
      if (key.startsWith(UPDATING_PREFIX) && key.length > UPDATING_PREFIX.length) {
        add(key.slice(UPDATING_PREFIX.length), "updating", Date.parse(value), f, repository);
      }
    }
  }
  return order([...byRun.values()]);
}
function order(list) {
  return [...list].sort(
    (a, b) => a.since - b.since || a.runId.localeCompare(b.runId, "en", { numeric: true }) || 0
  );
}
function others(list, myRunId) {
  return list.filter((h) => h.runId !== myRunId && !isEarlierAttempt(h.runId, myRunId));
}
function decide(list, myRunId) {
  const rivals = others(list, myRunId);
  if (rivals.length === 0) return { proceed: true };
  const mine = list.find((h) => h.runId === myRunId);
  const first = order(mine ? [...rivals, mine] : rivals)[0];
  return first.runId === myRunId ? { proceed: true } : { proceed: false, winner: first };
}
function runUrl(h, serverUrl) {
  const { run, attempt } = runParts(h.runId);
  if (!h.repository || attempt === void 0) return "";
  return `${serverUrl.replace(/\/+$/, "")}/${h.repository}/actions/runs/${run}${attempt > 1 ? `/attempts/${attempt}` : ""}`;
}
var CONCURRENCY_HINT = "Serialize the deploys of one deployment in the workflow: `concurrency: { group: spot-deploy-${{ github.repository }}-${{ github.ref }}, cancel-in-progress: false }` (for pull request previews: `spot-preview-${{ github.repository }}-${{ github.event.pull_request.number }}`).";
function describeHolder(h, serverUrl) {
  const url = runUrl(h, serverUrl);
  const ids = h.instances.map((i) => `${i.id} (${i.region})`);
  const shown = ids.length > 5 ? [...ids.slice(0, 5), `\u2026 ${ids.length - 5} more`] : ids;
  return `run ${h.runId}${url ? ` (${url})` : ""}, ${h.what} since ${new Date(h.since).toISOString()}: ` + shown.join(", ");
}
function busyMessage(deploymentId, rivals, serverUrl, windowMs = LOCK_WINDOW_MS) {
  const first = rivals[0];
  const until = new Date(first.since + windowMs).toISOString();
  return `another run is deploying '${deploymentId}' right now: ${rivals.map((h) => describeHolder(h, serverUrl)).join("; ")}. This run stopped before launching or changing anything, so the fleet is not doubled. ${CONCURRENCY_HINT} If that run is no longer running (it crashed), its marks stop counting at ${until}, or at once for a github-token that may read the repository's runs (\`permissions: actions: read\`); or remove its instances with command: destroy.`;
}
function lostMessage(deploymentId, winner, myRunId, serverUrl) {
  return `run ${winner.runId} started deploying '${deploymentId}' at the same time as this run (${myRunId}); both checked before either had started, and the earlier one goes on: ${describeHolder(winner, serverUrl)}. This run withdraws: it terminates the instances it launched and changes nothing else. ${CONCURRENCY_HINT}`;
}

// src/launch/phase.ts
var TAG_BATCH = 500;
async function setTags(ec2, ids, tags, signal) {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new CreateTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}
async function removeTags(ec2, ids, keys, signal) {
  const Tags = keys.map((Key) => ({ Key }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new DeleteTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}

// src/launch/strategy.ts
function liveHolders(ctx, found) {
  return holders(found, ctx.clock.now()).filter((h) => !ctx.endedRuns?.has(h.runId));
}
function concurrencyCheck(ctx) {
  return async () => {
    const found = await survey(ctx, ctx.regions, { deploymentId: ctx.deploymentId });
    const d = decide(liveHolders(ctx, found), ctx.runId);
    if (!d.proceed) {
      throw new DeployError(lostMessage(ctx.deploymentId, d.winner, ctx.runId, ctx.serverUrl));
    }
    ctx.log.info(`no other run is deploying ${ctx.deploymentId}`);
  };
}
async function tagInstances(ctx, instances, tags) {
  await Promise.all(
    [...byRegion(instances)].map(
      ([region, ids]) => setTags(ctx.clientsFor(region).ec2, ids, tags, ctx.signal)
    )
  );
}
async function untagInstances(ctx, instances, keys) {
  await Promise.all(
    [...byRegion(instances)].map(
      ([region, ids]) => removeTags(ctx.clientsFor(region).ec2, ids, keys, ctx.signal)
    )
  );
}
function updatedTags(plan) {
  return {
    [TAG.phase]: "ready",
    [TAG.digest]: plan.manifestDigest,
    [TAG.sha]: plan.identity.sha,
    [TAG.ref]: plan.identity.ref
  };
}

export {
  checkServices,
  PHASE,
  UPDATING_PREFIX,
  LOCK_WINDOW_MS,
  holders,
  others,
  busyMessage,
  liveHolders,
  concurrencyCheck,
  tagInstances,
  untagInstances,
  updatedTags
};
//# sourceMappingURL=chunk-HHGKN6WZ.js.map
