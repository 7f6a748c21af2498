#!/usr/bin/env node
import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  ActionError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-A4JNTSKT.js";
import "./chunks/chunk-SLSPYRCZ.js";

// src/cli.ts
import { parseArgs } from "node:util";
var USAGE = `usage:
  spot-deployer validate [DIR]
  spot-deployer plan [DIR] --out PLAN_DIR
  spot-deployer generate [DIR] [--force]`;
async function cli(argv, out = process.stdout, err = process.stderr) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        force: { type: "boolean", short: "f", default: false },
        help: { type: "boolean", short: "h", default: false }
      }
    });
  } catch (e) {
    err.write(`${errorMessage(e)}
${USAGE}
`);
    return 2;
  }
  const [command, dir = ".", ...rest] = parsed.positionals;
  if (parsed.values.help) {
    out.write(USAGE + "\n");
    return 0;
  }
  if (!command || rest.length > 0) {
    err.write(USAGE + "\n");
    return 2;
  }
  const reporter = {
    annotate: (d) => err.write(formatDiagnostic(d) + "\n"),
    info: (m) => out.write(m + "\n")
  };
  try {
    switch (command) {
      case "validate": {
        const { validateCommand } = await import("./chunks/validate-QEMVB5PL.js");
        await validateCommand({ path: dir }, reporter);
        return 0;
      }
      case "plan": {
        if (!parsed.values.out) {
          err.write(`plan needs --out PLAN_DIR
${USAGE}
`);
          return 2;
        }
        const { planCommand } = await import("./chunks/plan-S4RJVVVL.js");
        await planCommand(
          { path: dir, planOut: parsed.values.out, deploymentId: "", secrets: {} },
          reporter
        );
        return 0;
      }
      case "generate": {
        const { generateCommand } = await import("./chunks/generate-6KKTKA63.js");
        await generateCommand({ path: dir, force: parsed.values.force }, reporter);
        return 0;
      }
      default:
        err.write(`unknown command '${command}'
${USAGE}
`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ActionError) {
      for (const d of e.diagnostics) err.write(formatDiagnostic(d) + "\n");
      err.write(`error: ${e.message}
`);
      return 1;
    }
    err.write(`internal error: ${errorMessage(e)}
`);
    return 3;
  }
}
var invoked = process.argv[1] ?? "";
if (import.meta.url === `file://${invoked}` || /(?:^|\/)(?:cli\.[jt]s|spot-deployer)$/.test(invoked)) {
  process.exitCode = await cli(process.argv.slice(2));
}
export {
  cli
};
//# sourceMappingURL=cli.js.map
