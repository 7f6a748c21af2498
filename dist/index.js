import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DeployError
} from "./chunks/chunk-CPITSMUT.js";
import {
  debug,
  error,
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-6QLUEHOR.js";
import {
  InputError,
  readInputs
} from "./chunks/chunk-V4AE43C7.js";
import "./chunks/chunk-762IFG6K.js";
import {
  UserError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-4G5IXWVH.js";
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
function annotate(d) {
  const props = {
    file: d.file,
    ...d.line > 0 ? { startLine: d.line } : {},
    ...d.col > 0 ? { startColumn: d.col } : {}
  };
  if (d.severity === "error") error(d.message, props);
  else warning(d.message, props);
}
async function run() {
  try {
    const inputs = readInputs((name) => getInput(name));
    for (const value of Object.values(inputs.secrets)) {
      if (value !== "") setSecret(value);
    }
    switch (inputs.command) {
      case "validate": {
        const { validateCommand } = await import("./chunks/validate-ERVBBQDU.js");
        await validateCommand(inputs, { annotate, info });
        break;
      }
      case "plan": {
        const { planCommand } = await import("./chunks/plan-Y5XK4IVB.js");
        const result = await planCommand(inputs, { annotate, info });
        setOutput("plan-dir", result.dir);
        setOutput("deployment-id", result.plan.deploymentId);
        setOutput("manifest-digest", result.plan.manifestDigest);
        break;
      }
      case "deploy": {
        const { deployCommand } = await import("./chunks/deploy-SDC67RIY.js");
        await withCancellation(
          (signal) => deployCommand(inputs, { annotate, info }, { signal })
        );
        break;
      }
      case "destroy": {
        const { destroyCommand } = await import("./chunks/destroy-ZANZ7M3P.js");
        await withCancellation((signal) => destroyCommand(inputs, { signal }));
        break;
      }
      case "status": {
        const { statusCommand } = await import("./chunks/status-PQIJHBMW.js");
        await withCancellation((signal) => statusCommand(inputs, { signal }));
        break;
      }
    }
  } catch (err) {
    if (err instanceof UserError) {
      for (const d of err.diagnostics) {
        annotate(d);
        info(formatDiagnostic(d));
      }
      setFailed(err.message);
    } else if (err instanceof InputError || err instanceof DeployError) {
      setFailed(err.message);
    } else {
      setFailed(`unexpected error: ${errorMessage(err)}`);
      if (err instanceof Error && err.stack) debug(err.stack);
    }
  }
}

// src/index.ts
await run();
//# sourceMappingURL=index.js.map
