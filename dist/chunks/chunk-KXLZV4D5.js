import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  locateDeployment
} from "./chunk-LXZS54HF.js";
import {
  fallbackRegion,
  loadDeployment
} from "./chunk-QL5CQV3S.js";
import {
  DeployError
} from "./chunk-4OVCB57H.js";

// src/pipeline/search.ts
import { resolve } from "node:path";
async function manifestRegions(path, log, fallback) {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
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
  const given = [
    ...await manifestRegions(inputs.path, host.log, fallbackRegion(host.env, inputs.regions)),
    ...inputs.regions
  ];
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

export {
  manifestRegions,
  searchDeployment
};
//# sourceMappingURL=chunk-KXLZV4D5.js.map
