import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  checkServices,
  instanceRecord,
  setInstanceOutputs
} from "./chunk-GIBJ2NAJ.js";
import {
  searchRegions
} from "./chunk-F54O7WJV.js";
import {
  coreLog,
  instanceTable,
  writeSummary
} from "./chunk-4DJKKYXP.js";
import {
  findTagged,
  onlineIds
} from "./chunk-2HABILYQ.js";
import {
  Clients
} from "./chunk-DTPRKKXX.js";
import {
  COMMAND_POLL,
  realClock
} from "./chunk-PGOONENN.js";
import "./chunk-VHTXZ2YU.js";
import "./chunk-ZZ2SNOZL.js";
import "./chunk-26QGXXSG.js";
import "./chunk-2KBZCNNM.js";
import "./chunk-5UZIY2RH.js";
import {
  describeAwsError
} from "./chunk-CPITSMUT.js";
import "./chunk-6QLUEHOR.js";
import {
  resolveDeploymentId
} from "./chunk-MEXPPU4T.js";
import {
  TAG
} from "./chunk-JVXDG6VL.js";
import {
  loadDeployment
} from "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-762IFG6K.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-DOESRUQL.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/status.ts
import { resolve } from "node:path";
async function serviceNames(path) {
  try {
    const res = await loadDeployment(resolve(path));
    return res.deployment?.services.filter((s) => s.start).map((s) => s.name);
  } catch {
    return void 0;
  }
}
async function statusCommand(inputs, opts = {}) {
  const log = opts.log ?? coreLog;
  const signal = opts.signal;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, process.env);
  const regions = await searchRegions(inputs, deploymentId, log);
  const services = await serviceNames(inputs.path);
  const clients = new Clients();
  try {
    const perRegion = await log.group(
      `Status of ${deploymentId} in ${regions.join(", ")}`,
      () => Promise.all(
        regions.map(async (region) => {
          const { ec2, ssm } = clients.for(region);
          const found = await findTagged(ec2, region, { deploymentId }, signal);
          const health = /* @__PURE__ */ new Map();
          const running = found.filter((f) => f.state === "running").map((f) => f.id);
          if (running.length > 0 && services !== void 0) {
            try {
              const online = [...await onlineIds(ssm, running, signal)];
              for (const id of running.filter((i) => !online.includes(i))) {
                health.set(id, { health: "unknown", services: {}, detail: "not Online in SSM" });
              }
              const checked = await checkServices(
                { ssm, clock: realClock, poll: COMMAND_POLL, ...signal ? { signal } : {} },
                online,
                services,
                `spot-deployer status ${deploymentId}`
              );
              for (const [id, h] of checked) health.set(id, h);
            } catch (err) {
              log.warning(`${region}: could not check services over SSM: ${describeAwsError(err)}`);
            }
          }
          log.info(`${region}: ${found.length} instance${found.length === 1 ? "" : "s"}`);
          return found.map((f) => toStatus(f, health.get(f.id), services));
        })
      )
    );
    const instances = perRegion.flat();
    setInstanceOutputs(
      deploymentId,
      instances.map(({ services: _s, cause: _c, ...r }) => r),
      [...new Set(instances.map((i) => i.region))]
    );
    for (const i of instances) {
      log.info(
        `${i.id} ${i.region} ${i.zone} ${i.type} ${i.lifecycle} ${i.state} ${i["public-ip"] || "-"} ${i["private-ip"] || "-"} ${i.health}` + (Object.keys(i.services).length > 0 ? ` [${Object.entries(i.services).map(([n, s]) => `${n}=${s}`).join(" ")}]` : "") + (i.cause ? ` (${i.cause})` : "")
      );
    }
    if (instances.length === 0) {
      log.info(
        `no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(", ")}`
      );
    }
    await writeSummary(
      [`## Spot status \`${deploymentId}\``, "", instanceTable(instances), ""].join("\n")
    );
    return { deploymentId, instances };
  } finally {
    clients.close();
  }
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
//# sourceMappingURL=status-PQIJHBMW.js.map
