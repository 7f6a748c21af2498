#!/usr/bin/env node
import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  UsageError,
  applyAwsFlags,
  inputsOf,
  parseCommandLine
} from "./chunks/chunk-QMKBBRKP.js";
import {
  describeAwsError
} from "./chunks/chunk-4OVCB57H.js";
import "./chunks/chunk-DIYO26VZ.js";
import "./chunks/chunk-C4HKCQZY.js";
import {
  ActionError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-5LWETDWB.js";
import "./chunks/chunk-SLSPYRCZ.js";

// src/cli.ts
function fromAws(e) {
  if (typeof e !== "object" || e === null) return false;
  const name = e.name;
  return "$metadata" in e || name === "CredentialsProviderError" || name === "TokenProviderError";
}
var USAGE = `usage:
  spot-deployer validate [DIR]
  spot-deployer plan [DIR] --out PLAN_DIR [--json]
  spot-deployer generate [DIR] [--force]
  spot-deployer bundle [DIR] --out FILE.tar.gz [--json]
  spot-deployer deploy [DIR] [--instance-profile NAME] [--strategy replace|update|recreate]
      [--ttl 8h] [--min-healthy all|N|N%] [--on-demand-fallback] [--keep-failed] [--force]
      [--timeout 45m] [--online-timeout 10m] [--max-price USD] [--secrets-file FILE]
      [--summary FILE.md] [--json]
  spot-deployer status [DIR] [--json]
  spot-deployer destroy [DIR] [--wait-terminated] [--json]
  spot-deployer list [--regions R1,R2] [--json]
  spot-deployer logs [DIR] [--service NAME] [--since 10m] [--lines 200] [--grep RE] [--instance ID] [--json]
  spot-deployer exec [DIR] [--instance ID] [--json] -- COMMAND [ARG...]
options for the AWS commands: --profile NAME, --region REGION, --regions R1,R2,
  --deployment-id ID (default: OWNER/REPO/BRANCH of the checkout's origin and branch)`;
async function runCommand(args, io) {
  const reporter = {
    annotate: (d) => io.err.write(formatDiagnostic(d) + "\n"),
    info: (m) => io.out.write(m + "\n")
  };
  const terminal = () => import("./chunks/commands-J4DWP5RY.js");
  const lifecycle = () => import("./chunks/lifecycle-UZCTSD4E.js");
  switch (args.command) {
    case "validate": {
      const { validateCommand } = await import("./chunks/validate-YSRHHXCH.js");
      await validateCommand({ path: args.dir }, reporter);
      return 0;
    }
    case "plan": {
      if (!args.flags.out) throw new UsageError("plan needs --out PLAN_DIR");
      const { deploymentIdFromGit } = await import("./chunks/git-XOUC2ZEH.js");
      const id = args.flags["deployment-id"] ?? await deploymentIdFromGit(args.dir) ?? "";
      const inputs = await inputsOf(args, id, io.env);
      const { planCommand } = await import("./chunks/plan-PXGAXAUK.js");
      const quiet = { ...reporter, info: () => void 0 };
      const res = await planCommand(inputs, args.flags.json ? quiet : reporter, io.env);
      if (args.flags.json) {
        const { deploymentId, manifestDigest } = res.plan;
        io.out.write(
          JSON.stringify({ dir: res.dir, deploymentId, manifestDigest }, null, 2) + "\n"
        );
      }
      return 0;
    }
    case "generate": {
      const { generateCommand } = await import("./chunks/generate-UY22MYS2.js");
      await generateCommand({ path: args.dir, force: args.flags.force === true }, reporter);
      return 0;
    }
    case "bundle":
      return (await terminal()).bundleMain(args, io);
    case "deploy":
      return (await lifecycle()).deployMain(args, io);
    case "status":
      return (await lifecycle()).statusMain(args, io);
    case "destroy":
      return (await lifecycle()).destroyMain(args, io);
    case "list":
      return (await terminal()).listMain(args, io);
    case "logs":
      return (await terminal()).logsMain(args, io);
    case "exec":
      return (await terminal()).execMain(args, io);
    default:
      throw new UsageError(args.command ? `unknown command '${args.command}'` : "no command");
  }
}
async function cli(argv, out = process.stdout, err = process.stderr, env = process.env) {
  const io = { out, err, env };
  try {
    const args = parseCommandLine(argv);
    if (args.flags.help) {
      out.write(USAGE + "\n");
      return 0;
    }
    applyAwsFlags(args, env);
    return await runCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`${e.message}
${USAGE}
`);
      return 2;
    }
    if (e instanceof ActionError) {
      for (const d of e.diagnostics) err.write(formatDiagnostic(d) + "\n");
      err.write(`error: ${e.message}
`);
      return 1;
    }
    if (fromAws(e)) {
      err.write(`error: AWS: ${describeAwsError(e)}
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
