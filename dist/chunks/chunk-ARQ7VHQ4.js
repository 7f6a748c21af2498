import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-4G5IXWVH.js";

// src/commands/validate.ts
import { resolve } from "node:path";

// src/validate/load.ts
async function loadDeployment(_root) {
  return {
    diagnostics: [
      {
        file: ".",
        line: 0,
        col: 0,
        severity: "error",
        message: "manifest loading is not built yet"
      }
    ]
  };
}

// src/commands/validate.ts
async function loadOrThrow(path, reporter) {
  const result = await loadDeployment(resolve(path));
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  for (const w of result.diagnostics.filter((d) => d.severity === "warning")) reporter.annotate(w);
  if (errors.length > 0 || !result.deployment) {
    throw new UserError(
      `the deployment manifest has ${errors.length} error${errors.length === 1 ? "" : "s"}`,
      errors
    );
  }
  return result.deployment;
}
async function validateCommand(inputs, reporter) {
  const deployment = await loadOrThrow(inputs.path, reporter);
  reporter.info(
    `valid: ${deployment.layout === "spot" ? ".spot/" : "deployment/"} layout, ${deployment.cloud.totalInstances} instance(s) in ${deployment.cloud.regions.map((r) => r.name).join(", ")}`
  );
  return deployment;
}

export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=chunk-ARQ7VHQ4.js.map
