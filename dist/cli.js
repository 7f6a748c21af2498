#!/usr/bin/env node
import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  UsageError,
  applyAwsFlags,
  inputsOf,
  parseCommandLine
} from "./chunks/chunk-AOH4AXCE.js";
import {
  describeAwsError
} from "./chunks/chunk-4OVCB57H.js";
import "./chunks/chunk-A4JSAB4L.js";
import "./chunks/chunk-NIG5AYO3.js";
import {
  ActionError,
  errorMessage,
  formatDiagnostic
} from "./chunks/chunk-5LWETDWB.js";
import "./chunks/chunk-SLSPYRCZ.js";

// src/terminal/usage.ts
var FLAG_HELP = {
  "deployment-id": [
    "ID",
    "the deployment (default: OWNER/REPO/BRANCH of the checkout's origin remote and branch, as a push workflow derives it)"
  ],
  "instance-profile": ["NAME", "IAM instance profile of the instances (overrides the manifest's)"],
  strategy: [
    "replace|update|recreate",
    "how a deploy treats a deployment that already has instances (default replace)"
  ],
  ttl: ["DURATION", "time to live, e.g. 8h; off disables (default: the manifest's)"],
  regions: ["R1,R2", "regions to search beyond the manifest's"],
  force: ["", "deploy even when the instances already run the same plan"],
  "min-healthy": ["all|N|N%", "how many instances must end healthy (default all)"],
  "on-demand-fallback": [
    "",
    "launch on-demand what spot cannot fill; --no-on-demand-fallback: fail instead (default: the manifest's)"
  ],
  "keep-failed": ["", "leave failed instances running for debugging"],
  "prefer-spot": [
    "",
    "a heal replaces on-demand fallback instances with spot ones (default); --no-prefer-spot keeps them"
  ],
  timeout: ["DURATION", "how long the whole deploy may take (default 45m)"],
  "online-timeout": [
    "DURATION",
    "how long to wait for the instances to be Online in SSM (default 10m)"
  ],
  "max-price": ["USD", "maximum spot price per instance-hour"],
  "wait-terminated": ["", "wait until every instance is terminated, not only shutting-down"],
  "fail-on-degraded": ["", "exit 1 when the deployment is degraded"],
  service: ["NAME[,NAME]", "the services to read (default: every service the manifest starts)"],
  since: ["DURATION", "only entries newer than this, e.g. 10m"],
  lines: ["N", "the last N lines of each instance (default 200)"],
  grep: ["RE", "only the lines that match this extended regular expression"],
  instance: ["ID", "only this instance"],
  "secrets-file": [
    "FILE",
    "secrets to deliver, NAME=value lines (else the SPOT_DEPLOYER_SECRETS variable); never a flag value"
  ],
  summary: ["FILE.md", "append the job summary's Markdown to FILE.md"],
  out: ["PATH", "where to write"],
  "plan-out": ["PLAN_DIR", "the same as --out (the name of the action input)"],
  json: ["", "one JSON document on standard output (progress on standard error)"],
  profile: ["NAME", "the AWS profile of the shared config and credentials files (AWS_PROFILE)"],
  region: ["REGION", "the AWS region (AWS_REGION)"],
  help: ["", "this help"]
};
var AWS = ["profile", "region"];
var TARGET = ["deployment-id", "regions", ...AWS];
var COMMAND_SPECS = {
  validate: { synopsis: "[DIR]", summary: "check the manifest, offline", flags: [] },
  plan: {
    synopsis: "[DIR] --out PLAN_DIR [FLAGS]",
    summary: "write the plan a deploy would execute (plan.json, user-data, commands/), offline",
    flags: [
      "out",
      "plan-out",
      "deployment-id",
      "instance-profile",
      "ttl",
      "max-price",
      "on-demand-fallback",
      "regions",
      "region",
      "secrets-file",
      "json"
    ],
    flagHelp: {
      out: ["PLAN_DIR", "the directory to write the plan to"],
      json: ["", "print the directory, the deployment id and the manifest digest as JSON"],
      regions: ["R1,R2", "the region of a manifest that names none (the first)"],
      region: ["REGION", "the region of a manifest that names none (AWS_REGION)"]
    }
  },
  generate: {
    synopsis: "[DIR] [--force]",
    summary: "scaffold a commented .spot/ to start from",
    flags: ["force"],
    flagHelp: { force: ["", "overwrite an existing manifest"] }
  },
  bundle: {
    synopsis: "[DIR] --out FILE.tar.gz [--json]",
    summary: "pack tarball_source as a deploy packs it (the same bytes) and print its sha256, for tarball_url",
    flags: ["out", "json"],
    flagHelp: {
      out: ["FILE.tar.gz", "the file to write"],
      json: ["", "print the file, its sha256, its size and the source as JSON"]
    }
  },
  deploy: {
    synopsis: "[DIR] [FLAGS]",
    summary: "deploy the manifest: launch, deliver, start and health-check, as the action does",
    flags: [
      "deployment-id",
      "instance-profile",
      "strategy",
      "ttl",
      "regions",
      "force",
      "min-healthy",
      "on-demand-fallback",
      "keep-failed",
      "prefer-spot",
      "timeout",
      "online-timeout",
      "max-price",
      "secrets-file",
      "summary",
      "json",
      ...AWS
    ],
    flagHelp: {
      regions: ["R1,R2", "regions where the previous set may run, beyond the manifest's"],
      json: ["", "the action's outputs as one JSON document on standard output"]
    }
  },
  status: {
    synopsis: "[DIR] [FLAGS]",
    summary: "the deployment's instances, their health and what it lost",
    flags: [...TARGET, "fail-on-degraded", "summary", "json"],
    flagHelp: { json: ["", "the action's outputs as one JSON document on standard output"] }
  },
  destroy: {
    synopsis: "[DIR] [FLAGS]",
    summary: "terminate the deployment's instances, found by tag",
    flags: [...TARGET, "wait-terminated", "summary", "json"],
    flagHelp: { json: ["", "the action's outputs as one JSON document on standard output"] }
  },
  list: {
    synopsis: "[FLAGS]",
    summary: "every deployment this tool manages in the regions: id, repository, ref, instances, age, TTL left, cost",
    flags: ["regions", "json", ...AWS],
    flagHelp: { regions: ["R1,R2", "the regions to list (default: the region of --region)"] }
  },
  logs: {
    synopsis: "[DIR] [FLAGS]",
    summary: "the journal of the deployment's services on every running instance, each line prefixed with the instance",
    flags: [...TARGET, "service", "since", "lines", "grep", "instance", "json"]
  },
  exec: {
    synopsis: "[DIR] [FLAGS] -- COMMAND [ARG...]",
    summary: "run COMMAND as root on every running instance (passed as data, never through a shell); exit 1 if it failed on any",
    flags: [...TARGET, "instance", "json"]
  }
};
var EXIT = "exit status: 0 success, 1 failure, 2 wrong usage, 3 internal error";
var AWS_NOTE = "AWS credentials and region: the SDK standard chain (AWS_* variables, ~/.aws/config and credentials, SSO, --profile, --region); endpoints from AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL_SSM.";
function mainUsage() {
  const width = Math.max(
    ...Object.entries(COMMAND_SPECS).map(([n, s]) => n.length + s.synopsis.length + 1)
  );
  return [
    "usage: spot-deployer COMMAND [DIR] [FLAGS]   (DIR: where the manifest is, default .)",
    "",
    ...Object.entries(COMMAND_SPECS).flatMap(([name, s]) => [
      `  spot-deployer ${`${name} ${s.synopsis}`.padEnd(width)}  ${s.summary}`
    ]),
    "",
    "'spot-deployer COMMAND --help' lists the flags of a command.",
    AWS_NOTE,
    EXIT
  ].join("\n");
}
function commandUsage(command) {
  const spec = COMMAND_SPECS[command];
  if (!spec) return mainUsage();
  const rows = [...spec.flags, "help"].map((f) => {
    const [value, text] = spec.flagHelp?.[f] ?? FLAG_HELP[f];
    const short = f === "help" ? "-h, " : f === "out" ? "-o, " : "";
    return [`${short}--${f}${value ? ` ${value}` : ""}`, text];
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `usage: spot-deployer ${command} ${spec.synopsis}`,
    spec.summary,
    "",
    "flags:",
    ...rows.map(([l, t]) => `  ${l.padEnd(width)}  ${t}`),
    "",
    ...spec.flags.includes("profile") ? [AWS_NOTE] : [],
    EXIT
  ].join("\n");
}
function usageHint(command) {
  return COMMAND_SPECS[command] ? `usage: spot-deployer ${command} ${COMMAND_SPECS[command].synopsis}; 'spot-deployer ${command} --help' lists its flags` : "usage: spot-deployer COMMAND [DIR] [FLAGS]; 'spot-deployer --help' lists the commands";
}
function checkFlags(args) {
  const spec = COMMAND_SPECS[args.command];
  if (!spec) {
    throw new UsageError(args.command ? `unknown command '${args.command}'` : "no command");
  }
  const allowed = /* @__PURE__ */ new Set([...spec.flags, "help"]);
  const wrong = Object.keys(args.flags).filter((f) => !allowed.has(f));
  if (wrong.length > 0) {
    throw new UsageError(`${args.command} does not take ${wrong.map((f) => `--${f}`).join(", ")}`);
  }
  if (args.rest.length > 0 && args.command !== "exec") {
    throw new UsageError(`${args.command} takes no command after --`);
  }
}

// src/cli.ts
function fromAws(e) {
  if (typeof e !== "object" || e === null) return false;
  const name = e.name;
  return "$metadata" in e || name === "CredentialsProviderError" || name === "TokenProviderError";
}
function helpText(args) {
  if (args.command === "help") return args.dir === "." ? mainUsage() : commandUsage(args.dir);
  if (args.flags.help) return args.command ? commandUsage(args.command) : mainUsage();
  return void 0;
}
async function runCommand(args, io) {
  const reporter = {
    annotate: (d) => io.err.write(formatDiagnostic(d) + "\n"),
    info: (m) => io.out.write(m + "\n")
  };
  const terminal = () => import("./chunks/commands-OJ3XTBZE.js");
  const lifecycle = () => import("./chunks/lifecycle-CG3Z3TBK.js");
  switch (args.command) {
    case "validate": {
      const { validateCommand } = await import("./chunks/validate-TU5VMJS6.js");
      await validateCommand({ path: args.dir }, reporter, io.env);
      return 0;
    }
    case "plan": {
      if (!args.flags.out) throw new UsageError("plan needs --out PLAN_DIR");
      const { deploymentIdFromGit } = await import("./chunks/git-HPQPI2QY.js");
      const id = args.flags["deployment-id"] ?? await deploymentIdFromGit(args.dir) ?? "";
      const inputs = await inputsOf(args, id, io.env);
      const { planCommand } = await import("./chunks/plan-5KJEG3WZ.js");
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
      const { generateCommand } = await import("./chunks/generate-MFBAIKSC.js");
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
      throw new UsageError(`unknown command '${args.command}'`);
  }
}
async function cli(argv, out = process.stdout, err = process.stderr, env = process.env) {
  const io = { out, err, env };
  let command = argv[0] ?? "";
  try {
    const args = parseCommandLine(argv);
    command = args.command;
    const help = helpText(args);
    if (help !== void 0) {
      out.write(help + "\n");
      return 0;
    }
    checkFlags(args);
    applyAwsFlags(args, env);
    return await runCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`error: ${e.message} (${usageHint(command)})
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
