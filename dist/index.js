import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  withCancellation
} from "./chunks/chunk-BY77YRZ3.js";
import {
  annotate
} from "./chunks/chunk-CNA45RYE.js";
import {
  debug,
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret
} from "./chunks/chunk-ZQI4S6B5.js";
import {
  readInputs
} from "./chunks/chunk-A4JSAB4L.js";
import "./chunks/chunk-NIG5AYO3.js";
import {
  ActionError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-5LWETDWB.js";
import "./chunks/chunk-SLSPYRCZ.js";

// src/main.ts
async function onActionHost(fn) {
  const { actionHost, coreLog } = await import("./chunks/action-host-4LCM3C6E.js");
  return withCancellation(coreLog, async (signal) => {
    const host = actionHost(signal);
    try {
      return await fn(host);
    } finally {
      host.close();
    }
  });
}
function reportFailure(err) {
  if (err instanceof ActionError) {
    for (const d of err.diagnostics) {
      annotate(d);
      info(formatDiagnostic(d));
    }
    setFailed(err.message);
    return;
  }
  setFailed(`unexpected error: ${errorMessage(err)}`);
  if (err instanceof Error && err.stack) debug(err.stack);
}
async function run() {
  try {
    const inputs = readInputs((name) => getInput(name));
    for (const value of Object.values(inputs.secrets)) {
      if (value !== "") setSecret(value);
    }
    switch (inputs.command) {
      case "validate": {
        const { validateCommand } = await import("./chunks/validate-TU5VMJS6.js");
        await validateCommand(inputs, { annotate, info }, process.env);
        break;
      }
      case "plan": {
        const { planCommand } = await import("./chunks/plan-5KJEG3WZ.js");
        const result = await planCommand(inputs, { annotate, info }, process.env);
        setOutput("plan-dir", result.dir);
        setOutput("deployment-id", result.plan.deploymentId);
        setOutput("manifest-digest", result.plan.manifestDigest);
        break;
      }
      case "deploy": {
        const { deployCommand } = await import("./chunks/deploy-247UL7U7.js");
        await onActionHost((host) => deployCommand(inputs, host));
        break;
      }
      case "destroy": {
        const { destroyCommand } = await import("./chunks/destroy-7QUROQ5T.js");
        await onActionHost((host) => destroyCommand(inputs, host));
        break;
      }
      case "status": {
        const { statusCommand } = await import("./chunks/status-U42S3C7F.js");
        await onActionHost((host) => statusCommand(inputs, host));
        break;
      }
      case "logs": {
        const { logsAction } = await import("./chunks/logs-EKOXF4LC.js");
        await onActionHost((host) => logsAction(inputs, host));
        break;
      }
      case "exec": {
        const { execAction } = await import("./chunks/exec-TZ2V2GN2.js");
        await onActionHost((host) => execAction(inputs, host));
        break;
      }
      case "reap": {
        const { reapCommand } = await import("./chunks/reap-NYXAEBVB.js");
        await onActionHost((host) => reapCommand(inputs, host));
        break;
      }
    }
  } catch (err) {
    reportFailure(err);
  }
}

// src/index.ts
await run();
//# sourceMappingURL=index.js.map
