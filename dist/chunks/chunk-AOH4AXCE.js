import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  readInputs
} from "./chunk-A4JSAB4L.js";

// src/terminal/args.ts
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var text = { type: "string" };
var flag = { type: "boolean" };
var INPUT_FLAGS = {
  "deployment-id": text,
  "instance-profile": text,
  ttl: text,
  regions: text,
  "min-healthy": text,
  "keep-failed": flag,
  "wait-terminated": flag,
  "online-timeout": text,
  timeout: text,
  "max-price": text,
  "on-demand-fallback": flag,
  strategy: text,
  force: flag,
  "prefer-spot": flag,
  "fail-on-degraded": flag,
  service: text,
  since: text,
  lines: text
};
var OPTIONS = {
  ...INPUT_FLAGS,
  out: { type: "string", short: "o" },
  "plan-out": text,
  json: flag,
  profile: text,
  region: text,
  "secrets-file": text,
  summary: text,
  grep: text,
  instance: text,
  help: { type: "boolean", short: "h" }
};
function parseCommandLine(argv) {
  const dash = argv.indexOf("--");
  const head = dash >= 0 ? argv.slice(0, dash) : [...argv];
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  if (head.some((a) => a === "--secrets" || a.startsWith("--secrets="))) {
    throw new UsageError(
      "secrets are never taken from a flag value: use --secrets-file FILE (NAME=value lines) or SPOT_DEPLOYER_SECRETS"
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: head,
      allowPositionals: true,
      allowNegative: true,
      options: OPTIONS
    });
  } catch (e) {
    throw new UsageError(parseArgsProblem(e));
  }
  const [command = "", dir = ".", ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  return { command, dir, flags: parsed.values, rest };
}
function parseArgsProblem(e) {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown) return `unknown flag '${unknown[1]}'`;
  return message.split(/\.\s/)[0] ?? message;
}
function secretAsValue(value) {
  const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(value)?.[1];
  return name ? `--secrets-file takes a file of NAME=value lines, not a secret: '${name}=\u2026' is no file (secrets are never taken from a flag value)` : void 0;
}
async function inputsOf(args, deploymentId, env = process.env) {
  const f = args.flags;
  const secrets = f["secrets-file"] ? await readFile(f["secrets-file"], "utf8").catch((e) => {
    const file = f["secrets-file"] ?? "";
    throw new UsageError(
      (e.code === "ENOENT" ? secretAsValue(file) : void 0) ?? `cannot read --secrets-file ${file}: ${e.code ?? e.message}`
    );
  }) : env.SPOT_DEPLOYER_SECRETS ?? "";
  const read = (name) => {
    if (name === "path") return args.dir;
    if (name === "deployment-id") return deploymentId;
    if (name === "secrets") return secrets;
    if (name === "plan-out") return f["plan-out"] ?? f.out ?? "";
    const v = f[name];
    return v === void 0 ? "" : String(v);
  };
  return readInputs(read);
}
function applyAwsFlags(args, env) {
  if (args.flags.profile) env.AWS_PROFILE = args.flags.profile;
  if (args.flags.region) env.AWS_REGION = args.flags.region;
}

export {
  UsageError,
  parseCommandLine,
  inputsOf,
  applyAwsFlags
};
//# sourceMappingURL=chunk-AOH4AXCE.js.map
