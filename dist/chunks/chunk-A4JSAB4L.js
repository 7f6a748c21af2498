import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  ENV_NAME,
  UNIT_NAME,
  envNameProblem
} from "./chunk-NIG5AYO3.js";
import {
  ActionError
} from "./chunk-5LWETDWB.js";

// src/inputs.ts
var COMMANDS = [
  "deploy",
  "destroy",
  "status",
  "plan",
  "validate",
  "logs",
  "exec",
  "reap"
];
var STRATEGIES = ["replace", "update", "recreate"];
var InputError = class extends ActionError {
  constructor(message) {
    super("input", message);
    this.name = "InputError";
  }
};
function parseCommand(value) {
  const v = value.trim() || "deploy";
  if (COMMANDS.includes(v)) return v;
  throw new InputError(`input 'command' must be one of ${COMMANDS.join(", ")}; got '${v}'`);
}
function parseStrategy(value) {
  const v = value.trim() || "replace";
  if (STRATEGIES.includes(v)) return v;
  throw new InputError(`input 'strategy' must be one of ${STRATEGIES.join(", ")}; got '${v}'`);
}
function parseSecrets(text) {
  const out = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!ENV_NAME.test(name)) {
      throw new InputError(
        `input 'secrets', line ${i + 1}: expected NAME=value with NAME like [A-Za-z_][A-Za-z0-9_]*`
      );
    }
    const problem = envNameProblem(name);
    if (problem) throw new InputError(`input 'secrets', line ${i + 1}: ${problem}`);
    out[name] = line.slice(eq + 1);
  });
  return out;
}
function parseDuration(name, text, bareUnit = "s") {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) {
    throw new InputError(
      `input '${name}' must be a duration like 90s, 15m, 8h or 2d; got '${text}'`
    );
  }
  const unit = m[2] ?? bareUnit;
  return n * { s: 1, m: 60, h: 3600, d: 86400 }[unit];
}
function parseMinHealthy(text) {
  const v = text.trim();
  if (v === "" || v === "all") return { kind: "all" };
  if (/^\d+$/.test(v) && Number(v) >= 1) return { kind: "count", n: Number(v) };
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100)
    return { kind: "percent", p: Number(pct[1]) };
  throw new InputError(
    `input 'min-healthy' must be 'all', a count of 1 or more, or a percentage like 50%; got '${v}'`
  );
}
function parseBoolean(name, text) {
  const v = text.trim().toLowerCase();
  if (v === "") return void 0;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InputError(`input '${name}' must be true or false; got '${text}'`);
}
function parseRegions(text) {
  const names = text.split(/[\s,]+/).filter((s) => s !== "");
  for (const n of names) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(n)) {
      throw new InputError(`input 'regions': '${n}' is not a region name like us-west-2`);
    }
  }
  return [...new Set(names)];
}
function parseCount(name, text, fallback) {
  const v = text.trim();
  if (v === "") return fallback;
  if (/^\d+$/.test(v) && Number(v) >= 1 && Number.isSafeInteger(Number(v))) return Number(v);
  throw new InputError(`input '${name}' must be a whole number of 1 or more; got '${v}'`);
}
function parseServices(text) {
  const names = text.split(/[\s,]+/).filter((s) => s !== "");
  for (const n of names) {
    if (!UNIT_NAME.test(n)) {
      throw new InputError(`input 'service': '${n}' is not a systemd service name`);
    }
  }
  return [...new Set(names.map((n) => n.replace(/\.service$/, "")))];
}
function parseMaxPrice(text) {
  const v = text.trim();
  if (v !== "" && !/^\d+(\.\d+)?$/.test(v)) {
    throw new InputError(`input 'max-price' must be a price in USD per hour like 0.05; got '${v}'`);
  }
  return v;
}
function applyInputOverrides(deployment, inputs) {
  const cloud = { ...deployment.cloud };
  if (inputs.instanceProfile !== "") cloud.instanceProfile = inputs.instanceProfile;
  if (inputs.ttl === "off") delete cloud.ttlSeconds;
  else if (inputs.ttl !== "") cloud.ttlSeconds = parseDuration("ttl", inputs.ttl, "m");
  if (inputs.maxPrice !== "") cloud.maxPrice = inputs.maxPrice;
  if (inputs.onDemandFallback !== void 0) cloud.onDemandFallback = inputs.onDemandFallback;
  return { ...deployment, cloud };
}
function checkedSince(text) {
  const v = text.trim();
  if (v !== "") parseDuration("since", v, "m");
  return v;
}
function readInputs(read) {
  const ttl = read("ttl").trim();
  if (ttl !== "" && ttl !== "off") parseDuration("ttl", ttl, "m");
  const onDemandFallback = parseBoolean("on-demand-fallback", read("on-demand-fallback"));
  return {
    command: parseCommand(read("command")),
    path: read("path").trim() || ".",
    deploymentId: read("deployment-id").trim(),
    instanceProfile: read("instance-profile").trim(),
    secrets: parseSecrets(read("secrets")),
    ttl,
    planOut: read("plan-out").trim() || "spot-plan",
    regions: parseRegions(read("regions")),
    minHealthy: parseMinHealthy(read("min-healthy")),
    keepFailed: parseBoolean("keep-failed", read("keep-failed")) ?? false,
    waitTerminated: parseBoolean("wait-terminated", read("wait-terminated")) ?? false,
    onlineTimeoutSeconds: parseDuration("online-timeout", read("online-timeout").trim() || "10m"),
    timeoutSeconds: parseDuration("timeout", read("timeout").trim() || "45m", "m"),
    maxPrice: parseMaxPrice(read("max-price")),
    ...onDemandFallback !== void 0 ? { onDemandFallback } : {},
    strategy: parseStrategy(read("strategy")),
    force: parseBoolean("force", read("force")) ?? false,
    preferSpot: parseBoolean("prefer-spot", read("prefer-spot")) ?? true,
    failOnDegraded: parseBoolean("fail-on-degraded", read("fail-on-degraded")) ?? false,
    githubToken: read("github-token").trim(),
    services: parseServices(read("service")),
    since: checkedSince(read("since")),
    lines: parseCount("lines", read("lines"), 200),
    run: read("run")
  };
}

export {
  parseDuration,
  parseRegions,
  applyInputOverrides,
  readInputs
};
//# sourceMappingURL=chunk-A4JSAB4L.js.map
