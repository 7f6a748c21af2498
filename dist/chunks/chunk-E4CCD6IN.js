import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyLocated
} from "./chunk-VELJBD3Y.js";
import {
  searchDeployment
} from "./chunk-KXLZV4D5.js";
import {
  instanceTable,
  table
} from "./chunk-FQMHTO7E.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  resolveDeploymentId
} from "./chunk-DPXUJE6X.js";
import {
  DeployError
} from "./chunk-4OVCB57H.js";

// src/commands/destroy.ts
var DESTROY_TIMEOUT_SECONDS = 600;
function destroyContext(host, waitTerminated = false) {
  return {
    goal: waitTerminated ? "terminated" : "shutting-down",
    clientsFor: host.clientsFor,
    log: host.log,
    clock: host.clock,
    poll: host.poll.instances,
    timeoutMs: DESTROY_TIMEOUT_SECONDS * 1e3,
    ...host.signal ? { signal: host.signal } : {}
  };
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
    () => destroyLocated(destroyContext(host, inputs.waitTerminated), located)
  );
  host.output("instance-ids", JSON.stringify(res.terminated));
  host.output("regions", JSON.stringify(regions));
  const lines = [`## Spot destroy \`${deploymentId}\``, ""];
  if (res.found.length === 0) {
    const msg = `nothing to destroy: no live instance tagged ${TAG.deployment}=${deploymentId} in ${regions.join(", ")} (already destroyed, or never deployed)`;
    log.info(msg);
    lines.push(msg[0]?.toUpperCase() + msg.slice(1) + ".");
  } else {
    const down = new Set(res.shuttingDown ?? []);
    const n = res.terminated.length;
    const still = down.size > 0 ? ` (${down.size} still shutting-down, no longer billed: ${[...down].join(", ")})` : "";
    log.info(`terminated ${n} instance${n === 1 ? "" : "s"} of ${deploymentId}${still}`);
    lines.push(
      `Terminated ${n} instance${n === 1 ? "" : "s"} in ${regions.join(", ")}${still}.`,
      "",
      instanceTable(
        res.found.map((f) => ({
          id: f.id,
          region: f.region,
          zone: f.zone ?? "",
          type: f.instanceType,
          lifecycle: f.lifecycle,
          state: down.has(f.id) ? "shutting-down" : res.terminated.includes(f.id) ? "terminated" : f.state,
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
      `${res.remaining.length} instance${res.remaining.length === 1 ? " is" : "s are"} not ${inputs.waitTerminated ? "terminated" : "shutting down"} after ${DESTROY_TIMEOUT_SECONDS} s: ` + res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ") + "; run destroy again to check"
    );
  }
  return { deploymentId, terminated: res.terminated, regions };
}

export {
  DESTROY_TIMEOUT_SECONDS,
  destroyContext,
  destroyCommand
};
//# sourceMappingURL=chunk-E4CCD6IN.js.map
