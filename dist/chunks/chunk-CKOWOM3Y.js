import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  fallbackRegion,
  loadDeployment
} from "./chunk-QL5CQV3S.js";
import {
  UserError
} from "./chunk-5LWETDWB.js";

// src/commands/validate.ts
import { isAbsolute, relative, resolve } from "node:path";
function fromCwd(path, d) {
  const abs = resolve(path, d.file);
  const rel = relative(process.cwd(), abs);
  return { ...d, file: rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? abs : rel };
}
async function loadOrThrow(path, reporter, fallback) {
  const result = await loadDeployment(resolve(path), { fallbackRegion: fallback });
  const diagnostics = result.diagnostics.map((d) => fromCwd(path, d));
  const errors = diagnostics.filter((d) => d.severity === "error");
  for (const w of diagnostics.filter((d) => d.severity !== "error")) reporter.annotate(w);
  if (errors.length > 0 || !result.deployment) {
    throw new UserError(
      `the deployment manifest has ${errors.length} error${errors.length === 1 ? "" : "s"}`,
      errors
    );
  }
  return result.deployment;
}
async function validateCommand(inputs, reporter, env) {
  const deployment = await loadOrThrow(inputs.path, reporter, fallbackRegion(env, inputs.regions));
  reporter.info(
    `valid: ${deployment.layout === "spot" ? ".spot/" : "deployment/"} layout, ${deployment.cloud.totalInstances} instance(s) in ${deployment.cloud.regions.map((r) => r.name).join(", ")}`
  );
  return deployment;
}

export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=chunk-CKOWOM3Y.js.map
