import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  TAG
} from "./chunk-DFAL24WV.js";

// src/operate/list.ts
function launchedMs(i) {
  const t = i.launchTime ? Date.parse(i.launchTime) : NaN;
  return Number.isFinite(t) ? t : void 0;
}
function ttlLeft(list, nowMs) {
  const ends = list.flatMap((i) => {
    const ttl = Number(i.tags[TAG.ttl] ?? "");
    const at = launchedMs(i);
    return ttl > 0 && at !== void 0 ? [at + ttl * 1e3] : [];
  });
  if (ends.length === 0) return void 0;
  return Math.max(0, Math.round((Math.min(...ends) - nowMs) / 1e3));
}
function summarize(found, nowMs) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of found) {
    const id = f.tags[TAG.deployment] ?? "";
    groups.set(id, [...groups.get(id) ?? [], f]);
  }
  return [...groups.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([deploymentId, list]) => {
    const launched = list.flatMap((i) => launchedMs(i) ?? []);
    const ttl = ttlLeft(list, nowMs);
    const spot = list.filter((i) => i.lifecycle === "spot").length;
    return {
      deploymentId,
      repository: list[0]?.tags[TAG.repository] ?? "",
      ref: list[0]?.tags[TAG.ref] ?? "",
      regions: [...new Set(list.map((i) => i.region))],
      instances: list.length,
      spot,
      onDemand: list.length - spot,
      ...launched.length > 0 ? { ageSeconds: Math.max(0, Math.round((nowMs - Math.min(...launched)) / 1e3)) } : {},
      ...ttl !== void 0 ? { ttlLeftSeconds: ttl } : {}
    };
  });
}
function formatSpan(seconds) {
  if (seconds === void 0) return "-";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  const pad = (n) => String(n).padStart(2, "0");
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s % 3600 / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor(s % 86400 / 3600))}h`;
}

export {
  summarize,
  formatSpan
};
//# sourceMappingURL=chunk-XJLXGMQD.js.map
