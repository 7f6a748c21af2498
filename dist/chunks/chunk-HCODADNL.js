import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  instanceOutputs
} from "./chunk-SNYK7PHB.js";

// src/host.ts
async function inPhase(host, name, fn) {
  host.progress?.({ kind: "phase", name, state: "running" });
  try {
    const value = await fn();
    host.progress?.({ kind: "phase", name, state: "done" });
    return value;
  } catch (err) {
    host.progress?.({ kind: "phase", name, state: "failed" });
    throw err;
  }
}
function setInstanceOutputs(host, deploymentId, records, regions) {
  for (const [name, value] of instanceOutputs(deploymentId, records, regions)) {
    host.output(name, value);
  }
}

export {
  inPhase,
  setInstanceOutputs
};
//# sourceMappingURL=chunk-HCODADNL.js.map
