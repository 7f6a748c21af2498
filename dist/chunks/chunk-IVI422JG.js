import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  splitCounts
} from "./chunk-GYQ757SJ.js";
import {
  loadDeployment
} from "./chunk-QL5CQV3S.js";
import {
  errorMessage,
  formatDiagnostic
} from "./chunk-5LWETDWB.js";

// src/operate/manifest.ts
import { resolve } from "node:path";
async function manifestServices(path, fallback) {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    const d = res.deployment;
    if (!d) {
      const errors = res.diagnostics.filter((x) => x.severity === "error");
      const first = errors[0];
      return {
        problem: `no usable manifest at '${path}'${first ? `: ${formatDiagnostic(first)}` : ""}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ""}`
      };
    }
    const counts = splitCounts(
      d.cloud.totalInstances,
      d.cloud.regions.map((r) => r.count)
    );
    return {
      services: d.services.filter((s) => s.start).map((s) => s.name),
      planned: counts.reduce((a, b) => a + b, 0)
    };
  } catch (err) {
    return { problem: `no usable manifest at '${path}': ${errorMessage(err)}` };
  }
}

export {
  manifestServices
};
//# sourceMappingURL=chunk-IVI422JG.js.map
