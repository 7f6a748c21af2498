import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  buildPlan
} from "./chunk-KVFMOGFQ.js";
import "./chunk-6KFZP2ZV.js";
import "./chunk-WEEMSLTQ.js";
import "./chunk-3HBCK5FV.js";
import "./chunk-7B7HW6FF.js";
import "./chunk-GYQ757SJ.js";
import "./chunk-ET7XX2IW.js";
import "./chunk-DFAL24WV.js";
import {
  resolveDeploymentId,
  resolveIdentity
} from "./chunk-DPXUJE6X.js";
import "./chunk-MGZNPMRM.js";
import {
  loadOrThrow
} from "./chunk-CKOWOM3Y.js";
import {
  fallbackRegion
} from "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import {
  applyInputOverrides
} from "./chunk-A4JSAB4L.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
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
async function planCommand(inputs, reporter, env) {
  const deployment = applyInputOverrides(
    await loadOrThrow(inputs.path, reporter, fallbackRegion(env, inputs.regions ?? [])),
    {
      instanceProfile: inputs.instanceProfile ?? "",
      ttl: inputs.ttl ?? "",
      maxPrice: inputs.maxPrice ?? "",
      ...inputs.onDemandFallback !== void 0 ? { onDemandFallback: inputs.onDemandFallback } : {}
    }
  );
  const identity = resolveIdentity(env);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, env),
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
//# sourceMappingURL=plan-5KJEG3WZ.js.map
