import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  STATE,
  parseLaunched,
  parseRunRecord
} from "../chunks/chunk-FGP2QIDB.js";
import {
  getState,
  group,
  info,
  setFailed,
  warning
} from "../chunks/chunk-ZQI4S6B5.js";
import {
  errorMessage
} from "../chunks/chunk-5LWETDWB.js";
import "../chunks/chunk-SLSPYRCZ.js";

// src/post.ts
async function runCleanup() {
  try {
    const run = parseRunRecord(getState(STATE.run));
    if (!run) {
      info("spot-deployer: nothing launched by this run; no cleanup needed.");
      return;
    }
    if (getState(STATE.result) === "success") {
      info(
        `spot-deployer: the deploy of ${run.deploymentId} finished healthy; nothing to clean up.`
      );
      return;
    }
    const launched = parseLaunched(getState(STATE.launched));
    const regions = [.../* @__PURE__ */ new Set([...run.regions, ...Object.keys(launched)])];
    if (run.keepFailed) {
      const ids = Object.values(launched).flat();
      warning(
        `spot-deployer: the deploy of ${run.deploymentId} did not finish; keep-failed is set, so ${ids.length > 0 ? `instances ${ids.join(", ")} are` : "its instances are"} left running. Remove them with command: destroy.`
      );
      return;
    }
    const [{ actionHost }, { destroyTagged }] = await Promise.all([
      import("../chunks/action-host-4LCM3C6E.js"),
      import("../chunks/destroy-MIOJVVZE.js")
    ]);
    const host = actionHost();
    try {
      const res = await group(
        `Clean up run ${run.runId} of ${run.deploymentId}`,
        () => destroyTagged(
          {
            clientsFor: host.clientsFor,
            log: { info, warning, group: (_t, fn) => fn() },
            clock: host.clock,
            poll: host.poll.instances,
            timeoutMs: 3e5
          },
          regions,
          { deploymentId: run.deploymentId, runId: run.runId },
          launched
        )
      );
      if (res.terminated.length === 0) {
        info(
          `spot-deployer: no instance of run ${run.runId} is left in ${regions.join(", ")}.`
        );
      } else {
        info(
          `spot-deployer: the deploy did not finish; terminated ${res.terminated.length} instance${res.terminated.length === 1 ? "" : "s"} of run ${run.runId}: ${res.terminated.join(", ")}.`
        );
      }
      if (res.remaining.length > 0) {
        setFailed(
          `spot-deployer: ${res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ")} not terminated yet; run command: destroy`
        );
      }
    } finally {
      host.close();
    }
  } catch (err) {
    setFailed(
      `spot-deployer cleanup failed: ${errorMessage(err)}; run command: destroy to remove what is left`
    );
  }
}

// src/cleanup.ts
await runCleanup();
//# sourceMappingURL=index.js.map
