import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  annotate
} from "./chunks/chunk-RKHSGLTF.js";
import {
  readInputs
} from "./chunks/chunk-7HBRRO2B.js";
import "./chunks/chunk-762IFG6K.js";
import {
  debug,
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-6QLUEHOR.js";
import {
  ActionError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-A4JNTSKT.js";
import "./chunks/chunk-SLSPYRCZ.js";

// src/main.ts
async function withCancellation(fn) {
  const controller = new AbortController();
  const onSignal = (sig) => {
    if (controller.signal.aborted) {
      info(`received ${sig} again; still cleaning up`);
      return;
    }
    warning(`received ${sig}: cancelling, and terminating the instances this run launched`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
async function onActionHost(fn) {
  const { actionHost } = await import("./chunks/action-host-KXOMY5U6.js");
  return withCancellation(async (signal) => {
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
        const { validateCommand } = await import("./chunks/validate-QEMVB5PL.js");
        await validateCommand(inputs, { annotate, info });
        break;
      }
      case "plan": {
        const { planCommand } = await import("./chunks/plan-S4RJVVVL.js");
        const result = await planCommand(inputs, { annotate, info });
        setOutput("plan-dir", result.dir);
        setOutput("deployment-id", result.plan.deploymentId);
        setOutput("manifest-digest", result.plan.manifestDigest);
        break;
      }
      case "deploy": {
        const { deployCommand } = await import("./chunks/deploy-KFLPOVVN.js");
        await onActionHost((host) => deployCommand(inputs, host));
        break;
      }
      case "destroy": {
        const { destroyCommand } = await import("./chunks/destroy-KY4CT6CZ.js");
        await onActionHost((host) => destroyCommand(inputs, host));
        break;
      }
      case "status": {
        const { statusCommand } = await import("./chunks/status-KARQJH7O.js");
        await onActionHost((host) => statusCommand(inputs, host));
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
