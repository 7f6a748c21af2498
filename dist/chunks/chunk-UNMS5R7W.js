import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  instanceTable,
  table
} from "./chunk-FQMHTO7E.js";
import {
  resolveDeploymentId
} from "./chunk-2KHFG423.js";
import {
  loadDeployment
} from "./chunk-TZFXLC47.js";
import {
  destroyLocated,
  locateDeployment
} from "./chunk-BQSIPHEI.js";
import {
  DeployError
} from "./chunk-PVKND4AJ.js";
import {
  TAG
} from "./chunk-JVXDG6VL.js";

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
async function searchDeployment(inputs, deploymentId, host) {
  const given = [...await manifestRegions(inputs.path, host.log), ...inputs.regions];
  const located = await locateDeployment(
    host,
    { deploymentId },
    { regions: given, record: () => host.records.restore(deploymentId) }
  );
  for (const w of located.warnings) host.log.info(w);
  if (located.regions.length === 0) {
    throw new DeployError(
      `no region to search for deployment '${deploymentId}': no readable manifest at '${inputs.path}', no deployment record, and no 'regions' input; pass the regions (e.g. regions: us-west-2)`
    );
  }
  return located;
}
async function destroyCommand(inputs, host) {
  const { log } = host;
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  host.output("deployment-id", deploymentId);
  const token = inputs.githubToken ?? "";
  if (token) host.mask(token);
  const located = await searchDeployment(inputs, deploymentId, host);
  const regions = located.regions;
  const res = await log.group(
    `Destroy ${deploymentId} in ${regions.join(", ")}`,
    () => destroyLocated(
      {
        clientsFor: host.clientsFor,
        log,
        clock: host.clock,
        poll: host.poll.instances,
        timeoutMs: DESTROY_TIMEOUT_SECONDS * 1e3,
        ...host.signal ? { signal: host.signal } : {}
      },
      located
    )
  );
  host.output("instance-ids", JSON.stringify(res.terminated));
  host.output("regions", JSON.stringify(regions));
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
  await host.summary(lines.join("\n") + "\n");
  if (res.remaining.length === 0) {
    await host.preview(
      token,
      { status: "destroyed", deploymentId, terminated: res.terminated.length },
      { createIfMissing: false }
    );
  }
  if (res.remaining.length > 0) {
    throw new DeployError(
      `${res.remaining.length} instance${res.remaining.length === 1 ? " is" : "s are"} not terminated after ${DESTROY_TIMEOUT_SECONDS} s: ` + res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ") + "; run destroy again to check"
    );
  }
  return { deploymentId, terminated: res.terminated, regions };
}

export {
  DESTROY_TIMEOUT_SECONDS,
  manifestRegions,
  searchDeployment,
  destroyCommand
};
//# sourceMappingURL=chunk-UNMS5R7W.js.map
