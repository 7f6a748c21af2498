import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/launch/state.ts
var STATE = {
  /** JSON RunRecord, saved before the first launch request. */
  run: "spot-deployer-run",
  /** JSON registry snapshot (region → instance ids), saved after every launch. */
  launched: "spot-deployer-launched",
  /** 'success' once the deploy finished healthy; anything else means the post step cleans up. */
  result: "spot-deployer-result"
};
function parseRunRecord(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v.runId === "string" && v.runId !== "" && typeof v.deploymentId === "string" && v.deploymentId !== "" && Array.isArray(v.regions) && v.regions.every((r) => typeof r === "string")) {
      return {
        runId: v.runId,
        deploymentId: v.deploymentId,
        regions: v.regions,
        keepFailed: v.keepFailed === true
      };
    }
  } catch {
  }
  return void 0;
}
function parseLaunched(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v !== "object" || v === null) return {};
    const out = {};
    for (const [region, ids] of Object.entries(v)) {
      if (Array.isArray(ids))
        out[region] = ids.filter(
          (id) => typeof id === "string" && /^i-[0-9a-f]+$/.test(id)
        );
    }
    return out;
  } catch {
    return {};
  }
}

export {
  STATE,
  parseRunRecord,
  parseLaunched
};
//# sourceMappingURL=chunk-FGP2QIDB.js.map
