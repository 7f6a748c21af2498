import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/plan/types.ts
var TAG = {
  deployment: "spot-deployer:deployment",
  run: "spot-deployer:run",
  repository: "spot-deployer:repository",
  ref: "spot-deployer:ref",
  sha: "spot-deployer:sha",
  digest: "spot-deployer:manifest-digest",
  managedBy: "spot-deployer:managed-by",
  /** 'deploying' from creation until the deploy found the instance healthy, then 'ready';
   * 'rebalance' once status saw EC2 recommend rebalancing it (the next deploy replaces it). */
  phase: "spot-deployer:phase",
  /** The TTL in seconds, when there is one (the instance powers off this long after boot). */
  ttl: "spot-deployer:ttl"
};

export {
  TAG
};
//# sourceMappingURL=chunk-DFAL24WV.js.map
