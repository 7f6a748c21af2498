import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  checkServices
} from "./chunk-OLGPAFR5.js";
import {
  setInstanceOutputs
} from "./chunk-HCODADNL.js";
import {
  instanceRecord
} from "./chunk-SNYK7PHB.js";
import "./chunk-PWLWLGDW.js";
import {
  searchDeployment
} from "./chunk-Y6K3OK7C.js";
import {
  instanceTable
} from "./chunk-FQMHTO7E.js";
import {
  resolveDeploymentId
} from "./chunk-7IZJ57RE.js";
import {
  onlineIds
} from "./chunk-ASGYA6V6.js";
import "./chunk-VVJLVYN2.js";
import {
  TAG
} from "./chunk-GXHY36T6.js";
import "./chunk-V2M23LJS.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import {
  fallbackRegion,
  loadDeployment
} from "./chunk-V3JK2CWH.js";
import "./chunk-BZUWDCDP.js";
import "./chunk-XTVJNGXJ.js";
import {
  describeAwsError
} from "./chunk-4OVCB57H.js";
import "./chunk-C4HKCQZY.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/status.ts
import { resolve } from "node:path";
async function serviceNames(path, fallback) {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    return res.deployment?.services.filter((s) => s.start).map((s) => s.name);
  } catch {
    return void 0;
  }
}
async function statusCommand(inputs, host) {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const services = await serviceNames(inputs.path, fallbackRegion(host.env, inputs.regions));
  const perRegion = await log.group(
    `Status of ${deploymentId} in ${regions.join(", ")}`,
    () => Promise.all(
      regions.map(async (region) => {
        const found = located.instances.filter((f) => f.region === region);
        const health = services === void 0 ? /* @__PURE__ */ new Map() : await regionHealth(host, region, found, services, deploymentId);
        log.info(`${region}: ${found.length} instance${found.length === 1 ? "" : "s"}`);
        return found.map((f) => toStatus(f, health.get(f.id), services));
      })
    )
  );
  const instances = perRegion.flat();
  setInstanceOutputs(
    host,
    deploymentId,
    instances.map(({ services: _s, cause: _c, ...r }) => r),
    [...new Set(instances.map((i) => i.region))]
  );
  for (const i of instances) log.info(statusLine(i));
  if (instances.length === 0) {
    log.info(`no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(", ")}`);
  }
  await host.summary(
    [`## Spot status \`${deploymentId}\``, "", instanceTable(instances), ""].join("\n")
  );
  return { deploymentId, instances };
}
function statusLine(i) {
  const services = Object.entries(i.services).map(([n, s]) => `${n}=${s}`);
  return `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i["public-ip"] || "-"} ${i["private-ip"] || "-"} ${i.health}` + (services.length > 0 ? ` [${services.join(" ")}]` : "") + (i.cause ? ` (${i.cause})` : "");
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
      `spot-deployer status ${deploymentId}`
    );
    for (const [id, h] of checked) health.set(id, h);
  } catch (err) {
    host.log.warning(`${region}: could not check services over SSM: ${describeAwsError(err)}`);
  }
  return health;
}
function toStatus(f, h, services) {
  const health = f.state !== "running" ? "unknown" : services === void 0 ? "unknown" : h?.health ?? "unknown";
  const cause = f.state !== "running" ? `instance is ${f.state}` : services === void 0 ? "no manifest to name the services" : h?.detail;
  return {
    ...instanceRecord(f, health),
    services: h?.services ?? {},
    ...cause ? { cause } : {}
  };
}
export {
  statusCommand
};
//# sourceMappingURL=status-TDD55API.js.map
