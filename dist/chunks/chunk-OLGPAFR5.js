import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  runCommand
} from "./chunk-PWLWLGDW.js";

// src/verify/services.ts
var shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
function serviceCheckScript(services) {
  return [
    "#!/bin/bash",
    `for s in ${services.map(shellQuote).join(" ")}; do`,
    '  printf "%s=%s\\n" "$s" "$(systemctl is-active "$s.service" 2>/dev/null || true)"',
    "done"
  ].join("\n");
}
function parseServiceStates(output, services) {
  const out = {};
  for (const line of output.split("\n")) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (services.includes(name)) out[name] = line.slice(eq + 1).trim() || "unknown";
  }
  for (const s of services) out[s] ??= "unknown";
  return out;
}
function healthOf(r, services) {
  if (!r || r.status !== "Success") {
    return {
      health: "unknown",
      services: {},
      detail: `service check did not run: ${r ? r.status : "no result"}${r?.statusDetails ? ` (${r.statusDetails})` : ""}`
    };
  }
  const states = parseServiceStates(r.output ?? "", services);
  const bad = Object.entries(states).filter(([, st]) => st !== "active");
  return bad.length === 0 ? { health: "healthy", services: states } : {
    health: "unhealthy",
    services: states,
    detail: bad.map(([n, st]) => `service ${n} is ${st}`).join(", ")
  };
}
async function checkServices(ctx, instanceIds, services, comment) {
  const out = /* @__PURE__ */ new Map();
  if (services.length === 0) {
    for (const id of instanceIds) out.set(id, { health: "healthy", services: {} });
    return out;
  }
  if (instanceIds.length === 0) return out;
  const results = await runCommand(ctx, instanceIds, {
    script: serviceCheckScript(services),
    timeoutSeconds: 60,
    comment
  });
  for (const id of instanceIds) out.set(id, healthOf(results.get(id), services));
  return out;
}

export {
  checkServices
};
//# sourceMappingURL=chunk-OLGPAFR5.js.map
