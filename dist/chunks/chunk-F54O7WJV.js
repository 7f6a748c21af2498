import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  coreLog,
  instanceTable,
  regionsToSearch,
  restoreRecord,
  table,
  updatePreview,
  writeSummary
} from "./chunk-4DJKKYXP.js";
import {
  destroyTagged
} from "./chunk-2HABILYQ.js";
import {
  Clients
} from "./chunk-DTPRKKXX.js";
import {
  POLL,
  realClock
} from "./chunk-PGOONENN.js";
import {
  DeployError
} from "./chunk-CPITSMUT.js";
import {
  setOutput,
  setSecret
} from "./chunk-6QLUEHOR.js";
import {
  resolveDeploymentId
} from "./chunk-MEXPPU4T.js";
import {
  TAG
} from "./chunk-JVXDG6VL.js";
import {
  loadDeployment
} from "./chunk-TZFXLC47.js";

// src/commands/destroy.ts
import { resolve } from "node:path";
var DESTROY_TIMEOUT_SECONDS = 600;
async function manifestRegions(path, log) {
  try {
    const res = await loadDeployment(resolve(path));
    if (res.deployment) return res.deployment.cloud.regions.map((r) => r.name);
    log.info(
      `no usable manifest at '${path}' (${res.diagnostics.filter((d) => d.severity === "error").length} errors); searching the other regions`
    );
  } catch (err) {
    log.info(
      `no usable manifest at '${path}' (${err instanceof Error ? err.message : String(err)})`
    );
  }
  return [];
}
async function searchRegions(inputs, deploymentId, log) {
  const fromManifest = await manifestRegions(inputs.path, log);
  const restored = await restoreRecord(deploymentId);
  if (restored.warning) log.info(restored.warning);
  const regions = regionsToSearch([...fromManifest, ...inputs.regions], restored.record);
  if (regions.length === 0) {
    throw new DeployError(
      `no region to search for deployment '${deploymentId}': no readable manifest at '${inputs.path}', no deployment record, and no 'regions' input; pass the regions (e.g. regions: us-west-2)`
    );
  }
  return regions;
}
async function destroyCommand(inputs, opts = {}) {
  const log = opts.log ?? coreLog;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, process.env);
  setOutput("deployment-id", deploymentId);
  const token = inputs.githubToken ?? "";
  if (token) setSecret(token);
  const regions = await searchRegions(inputs, deploymentId, log);
  const clients = new Clients();
  try {
    const res = await log.group(
      `Destroy ${deploymentId} in ${regions.join(", ")}`,
      () => destroyTagged(
        {
          clientsFor: (r) => clients.for(r),
          log,
          clock: realClock,
          poll: POLL,
          timeoutMs: DESTROY_TIMEOUT_SECONDS * 1e3,
          ...opts.signal ? { signal: opts.signal } : {}
        },
        regions,
        { deploymentId }
      )
    );
    setOutput("instance-ids", JSON.stringify(res.terminated));
    setOutput("regions", JSON.stringify(regions));
    const lines = [`## Spot destroy \`${deploymentId}\``, ""];
    if (res.found.length === 0) {
      const msg = `nothing to destroy: no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(", ")} (already destroyed, or never deployed)`;
      log.info(msg);
      lines.push(msg[0]?.toUpperCase() + msg.slice(1) + ".");
    } else {
      log.info(
        `terminated ${res.terminated.length} instance${res.terminated.length === 1 ? "" : "s"} of ${deploymentId}`
      );
      lines.push(
        `Terminated ${res.terminated.length} instance${res.terminated.length === 1 ? "" : "s"} in ${regions.join(", ")}.`,
        "",
        instanceTable(
          res.found.map((f) => ({
            id: f.id,
            region: f.region,
            zone: f.zone ?? "",
            type: f.instanceType,
            lifecycle: f.lifecycle,
            state: res.terminated.includes(f.id) ? "terminated" : f.state,
            "public-ip": f.publicIp ?? "",
            "private-ip": f.privateIp ?? "",
            health: ""
          }))
        )
      );
    }
    if (res.remaining.length > 0) {
      lines.push(
        "",
        table(
          ["instance", "region", "state"],
          res.remaining.map((r) => [r.id, r.region, r.state])
        )
      );
    }
    await writeSummary(lines.join("\n") + "\n");
    if (res.remaining.length === 0) {
      await updatePreview(
        token,
        { status: "destroyed", deploymentId, terminated: res.terminated.length },
        log,
        { createIfMissing: false }
      );
    }
    if (res.remaining.length > 0) {
      throw new DeployError(
        `${res.remaining.length} instance${res.remaining.length === 1 ? " is" : "s are"} not terminated after ${DESTROY_TIMEOUT_SECONDS} s: ` + res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ") + "; run destroy again to check"
      );
    }
    return { deploymentId, terminated: res.terminated, regions };
  } finally {
    clients.close();
  }
}

export {
  DESTROY_TIMEOUT_SECONDS,
  manifestRegions,
  searchRegions,
  destroyCommand
};
//# sourceMappingURL=chunk-F54O7WJV.js.map
