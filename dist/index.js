import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  debug,
  error,
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-MODBEIA4.js";
import {
  UserError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-4G5IXWVH.js";
import "./chunks/chunk-MY3JGSCD.js";

// src/inputs.ts
var COMMANDS = ["deploy", "destroy", "status", "plan", "validate"];
var InputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "InputError";
  }
};
function parseCommand(value) {
  const v = value.trim() || "deploy";
  if (COMMANDS.includes(v)) return v;
  throw new InputError(`input 'command' must be one of ${COMMANDS.join(", ")}; got '${v}'`);
}
function parseSecrets(text) {
  const out = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(
        `input 'secrets', line ${i + 1}: expected NAME=value with NAME like [A-Za-z_][A-Za-z0-9_]*`
      );
    }
    out[name] = line.slice(eq + 1);
  });
  return out;
}
function readInputs(read) {
  return {
    command: parseCommand(read("command")),
    path: read("path").trim() || ".",
    deploymentId: read("deployment-id").trim(),
    instanceProfile: read("instance-profile").trim(),
    secrets: parseSecrets(read("secrets")),
    ttl: read("ttl").trim(),
    planOut: read("plan-out").trim() || "spot-plan"
  };
}

// src/main.ts
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
        const { validateCommand } = await import("./chunks/validate-TL2VDIZ6.js");
        await validateCommand(inputs, { annotate, info });
        break;
      }
      case "plan": {
        const { planCommand } = await import("./chunks/plan-LN23LEDB.js");
        const result = await planCommand(inputs, { annotate, info });
        setOutput("plan-dir", result.dir);
        setOutput("deployment-id", result.plan.deploymentId);
        setOutput("manifest-digest", result.plan.manifestDigest);
        break;
      }
      case "deploy":
      case "destroy":
      case "status":
        throw new UserError(`command '${inputs.command}' is not yet available in this version`);
    }
  } catch (err) {
    if (err instanceof UserError) {
      for (const d of err.diagnostics) {
        annotate(d);
        info(formatDiagnostic(d));
      }
      setFailed(err.message);
    } else if (err instanceof InputError) {
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
