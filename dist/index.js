import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DeployError
} from "./chunks/chunk-CPITSMUT.js";
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

// src/runner.ts
import { appendFileSync, existsSync } from "node:fs";
import { EOL } from "node:os";
var escapeData = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
var escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
var annotationFields = (p = {}) => [
  ["title", p.title],
  ["file", p.file],
  ["line", p.startLine],
  ["endLine", p.endLine],
  ["col", p.startColumn],
  ["endColumn", p.endColumn]
];
function issue(command, message, fields = []) {
  const list = fields.filter(([, v]) => v !== void 0 && v !== "" && v !== 0).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  process.stdout.write(`::${command}${list ? ` ${list}` : ""}::${escapeData(message)}${EOL}`);
}
function getInput(name) {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function info(message) {
  process.stdout.write(message + EOL);
}
function debug(message) {
  issue("debug", message);
}
function warning(message, props) {
  issue("warning", message, annotationFields(props));
}
function error(message, props) {
  issue("error", message, annotationFields(props));
}
function setSecret(value) {
  issue("add-mask", value);
}
function setFailed(message) {
  process.exitCode = 1;
  error(message);
}
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT ?? "";
  if (file === "") {
    process.stdout.write(EOL);
    issue("set-output", value, [["name", name]]);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const { randomUUID } = process.getBuiltinModule("node:crypto");
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error("Unexpected input: output name or value contains the delimiter");
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, "utf8");
}

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
        const { planCommand } = await import("./chunks/plan-SLHNLWYQ.js");
        const result = await planCommand(inputs, { annotate, info });
        setOutput("plan-dir", result.dir);
        setOutput("deployment-id", result.plan.deploymentId);
        setOutput("manifest-digest", result.plan.manifestDigest);
        break;
      }
      case "deploy": {
        const { deployCommand } = await import("./chunks/deploy-WWAR5BCV.js");
        await withCancellation(
          (signal) => deployCommand(inputs, { annotate, info }, { signal })
        );
        break;
      }
      case "destroy": {
        const { destroyCommand } = await import("./chunks/destroy-TUQL4WBT.js");
        await withCancellation((signal) => destroyCommand(inputs, { signal }));
        break;
      }
      case "status": {
        const { statusCommand } = await import("./chunks/status-E6GVNQCZ.js");
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
