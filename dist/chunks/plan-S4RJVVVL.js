import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  buildPlan
} from "./chunk-WRB4VGOQ.js";
import "./chunk-KHDV4FTP.js";
import {
  resolveDeploymentId,
  resolveIdentity
} from "./chunk-2KHFG423.js";
import "./chunk-MGZNPMRM.js";
import {
  loadOrThrow
} from "./chunk-6KKB7GI2.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-JVXDG6VL.js";
import {
  applyInputOverrides
} from "./chunk-7HBRRO2B.js";
import "./chunk-762IFG6K.js";
import "./chunk-A4JNTSKT.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/plan.ts
import { resolve } from "node:path";

// src/plan/write.ts
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
async function writePlan(plan, dir) {
  await mkdir(dir, { recursive: true });
  const commandsDir = join(dir, "commands");
  await rm(commandsDir, { recursive: true, force: true });
  await mkdir(commandsDir, { recursive: true });
  const written = [];
  const put = async (path, data, mode = 420) => {
    await writeFile(path, data, { mode });
    written.push(path);
  };
  await put(join(dir, "plan.json"), JSON.stringify(plan, null, 2) + "\n");
  await put(join(dir, "user-data"), Buffer.from(plan.userData.bytesBase64, "base64"));
  for (const step of plan.steps) {
    await put(join(commandsDir, `${step.id}.sh`), step.script, 493);
  }
  return written;
}

// src/commands/plan.ts
async function planCommand(inputs, reporter) {
  const deployment = applyInputOverrides(await loadOrThrow(inputs.path, reporter), {
    instanceProfile: inputs.instanceProfile ?? "",
    ttl: inputs.ttl ?? "",
    maxPrice: inputs.maxPrice ?? "",
    ...inputs.onDemandFallback !== void 0 ? { onDemandFallback: inputs.onDemandFallback } : {}
  });
  const identity = resolveIdentity(process.env);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, process.env),
    identity,
    secretNames: Object.keys(inputs.secrets).sort()
  });
  const dir = resolve(inputs.planOut);
  const written = await writePlan(plan, dir);
  reporter.info(`plan written to ${dir} (${written.length} files)`);
  return { plan, dir };
}
export {
  planCommand
};
//# sourceMappingURL=plan-S4RJVVVL.js.map
