import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  PHASE,
  checkServices,
  tagInstances
} from "./chunk-HHGKN6WZ.js";
import {
  setInstanceOutputs
} from "./chunk-HCODADNL.js";
import {
  instanceRecord
} from "./chunk-SNYK7PHB.js";
import "./chunk-WEEMSLTQ.js";
import "./chunk-3HBCK5FV.js";
import "./chunk-7B7HW6FF.js";
import {
  manifestServices
} from "./chunk-IVI422JG.js";
import "./chunk-GYQ757SJ.js";
import "./chunk-HHV4SY3M.js";
import "./chunk-ET7XX2IW.js";
import {
  searchDeployment
} from "./chunk-KXLZV4D5.js";
import {
  instanceTable
} from "./chunk-FQMHTO7E.js";
import {
  onlineIds,
  survey
} from "./chunk-LXZS54HF.js";
import "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  resolveDeploymentId
} from "./chunk-DPXUJE6X.js";
import "./chunk-V2M23LJS.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import "./chunk-MGZNPMRM.js";
import {
  fallbackRegion
} from "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-XTVJNGXJ.js";
import {
  DeployError,
  describeAwsError
} from "./chunk-4OVCB57H.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/report/degraded.ts
var RETIRED = "Client.UserInitiatedShutdown";
function lostInstances(ended) {
  return ended.filter(
    (f) => (f.state === "shutting-down" || f.state === "terminated") && f.stateReason !== RETIRED
  );
}
function lostLine(f) {
  return `${f.id} (${f.region}, ${f.lifecycle}) ${f.state}: ${f.stateReason ?? "no state reason"}` + (f.stateTime ? ` at ${f.stateTime}` : "");
}
function assess(planned, instances, lost) {
  const healthy = instances.filter((i) => i.health === "healthy").length;
  const reasons = [];
  if (planned !== void 0 && healthy < planned) {
    reasons.push(`${healthy} of ${planned} planned instance${planned === 1 ? "" : "s"} healthy`);
  }
  const gone = new Set(lost.map((l) => l.id));
  const judged = planned === void 0 ? [] : instances;
  for (const i of judged.filter((x) => x.health !== "healthy" && !gone.has(x.id))) {
    reasons.push(`${i.id} is ${i.health}${i.cause ? `: ${i.cause}` : ""}`);
  }
  for (const i of instances.filter((x) => x.rebalance)) {
    reasons.push(`${i.id}: EC2 recommends rebalancing (notice ${i.rebalance})`);
  }
  return {
    ...planned !== void 0 ? { planned } : {},
    healthy,
    degraded: reasons.length > 0,
    reasons,
    lost: lost.map(lostLine)
  };
}
function assessmentMarkdown(a) {
  const head = `**${a.healthy}${a.planned !== void 0 ? ` of ${a.planned}` : ""} healthy**` + (a.degraded ? ": degraded" : "");
  const list = (title, lines) => lines.length > 0 ? ["", `${title}:`, "", ...lines.map((l) => `- ${l}`)] : [];
  return [
    head,
    ...list("Degraded", a.reasons),
    ...list("Lost (EC2 keeps terminated instances listed for about an hour)", a.lost)
  ].join("\n");
}

// src/commands/status.ts
async function statusCommand(inputs, host) {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const [facts, ended] = await Promise.all([
    manifestServices(inputs.path, fallbackRegion(host.env, inputs.regions)),
    // EC2 lists terminated instances for about an hour: what the deployment lost lately.
    survey(host, regions, { deploymentId, states: ["terminated"] })
  ]);
  const services = "services" in facts ? facts.services : void 0;
  const planned = "planned" in facts ? facts.planned : void 0;
  const perRegion = await log.group(
    `Status of ${deploymentId} in ${regions.join(", ")}`,
    () => Promise.all(
      regions.map(async (region) => {
        const found = located.instances.filter((f) => f.region === region);
        const health = await regionHealth(host, region, found, services ?? [], deploymentId);
        log.info(`${region}: ${found.length} instance${found.length === 1 ? "" : "s"}`);
        return found.map((f) => toStatus(f, health.get(f.id), services));
      })
    )
  );
  const instances = perRegion.flat();
  const assessment = assess(planned, instances, lostInstances([...located.instances, ...ended]));
  await markRebalance(host, located.instances, instances);
  report(host, deploymentId, instances, assessment);
  for (const i of instances) log.info(statusLine(i));
  if (instances.length === 0) {
    log.info(`no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(", ")}`);
  }
  await host.summary(
    [
      `## Spot status \`${deploymentId}\``,
      "",
      assessmentMarkdown(assessment),
      "",
      instanceTable(instances),
      ""
    ].join("\n")
  );
  if (assessment.degraded && inputs.failOnDegraded) {
    throw new DeployError(`${deploymentId} is degraded: ${assessment.reasons.join("; ")}`);
  }
  return { deploymentId, instances, ...assessment };
}
function report(host, deploymentId, instances, a) {
  setInstanceOutputs(
    host,
    deploymentId,
    instances.map(({ services: _s, cause: _c, rebalance: _r, ...r }) => r),
    [...new Set(instances.map((i) => i.region))]
  );
  host.output("planned-count", a.planned !== void 0 ? String(a.planned) : "");
  host.output("healthy-count", String(a.healthy));
  host.output("degraded", String(a.degraded));
  const of = a.planned !== void 0 ? ` of ${a.planned} planned` : "";
  (a.degraded ? host.log.warning : host.log.info)(
    `${deploymentId}: ${a.healthy}${of} healthy${a.degraded ? `; degraded: ${a.reasons.join("; ")}` : ""}`
  );
  for (const l of a.lost) host.log.info(`lost: ${l}`);
}
async function markRebalance(host, found, instances) {
  const ready = new Set(
    found.filter((f) => (f.tags[TAG.phase] ?? PHASE.ready) === PHASE.ready).map((f) => f.id)
  );
  const flagged = instances.filter((i) => i.rebalance && ready.has(i.id));
  if (flagged.length === 0) return;
  const mark = `${TAG.phase}=${PHASE.rebalance}`;
  await tagInstances(host, flagged, { [TAG.phase]: PHASE.rebalance }).then(
    () => host.log.info(
      `marked ${flagged.map((i) => i.id).join(", ")} ${mark}: the next deploy replaces them`
    ),
    (err) => host.log.warning(
      `could not mark ${flagged.map((i) => i.id).join(", ")} ${mark}: ${describeAwsError(err)}; a deploy will not know to replace them`
    )
  );
}
function statusLine(i) {
  const services = Object.entries(i.services).map(([n, s]) => `${n}=${s}`);
  return `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i["public-ip"] || "-"} ${i["private-ip"] || "-"} ${i.health}` + (services.length > 0 ? ` [${services.join(" ")}]` : "") + (i.cause ? ` (${i.cause})` : "") + (i.rebalance ? ` rebalance recommended (notice ${i.rebalance})` : "");
}
async function regionHealth(host, region, found, services, deploymentId) {
  const health = /* @__PURE__ */ new Map();
  const running = found.filter((f) => f.state === "running").map((f) => f.id);
  if (running.length === 0) return health;
  const ssm = host.clientsFor(region).ssm;
  const signal = host.signal;
  try {
    const online = [...await onlineIds(ssm, running, signal)];
    for (const id of running.filter((i) => !online.includes(i))) {
      health.set(id, { health: "unknown", services: {}, detail: "not Online in SSM" });
    }
    const checked = await checkServices(
      { ssm, clock: host.clock, poll: host.poll.commands, ...signal ? { signal } : {} },
      online,
      services,
      `spot-deployer status ${deploymentId}`,
      true
    );
    for (const [id, h] of checked) health.set(id, h);
  } catch (err) {
    host.log.warning(`${region}: could not check services over SSM: ${describeAwsError(err)}`);
  }
  return health;
}
function toStatus(f, h, services) {
  const rebalance = h?.rebalance ?? (f.tags[TAG.phase] === PHASE.rebalance ? "unknown, marked earlier" : void 0);
  const health = f.state !== "running" ? "unknown" : services === void 0 ? "unknown" : h?.health ?? "unknown";
  const cause = f.state !== "running" ? `instance is ${f.state}` : services === void 0 ? "no manifest to name the services" : h?.detail;
  return {
    ...instanceRecord(f, health),
    services: h?.services ?? {},
    ...cause ? { cause } : {},
    ...rebalance ? { rebalance } : {}
  };
}
export {
  statusCommand
};
//# sourceMappingURL=status-U42S3C7F.js.map
