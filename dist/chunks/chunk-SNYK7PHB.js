import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/report/outputs.ts
function instanceRecord(i, health) {
  return {
    id: i.id,
    region: i.region,
    zone: i.zone ?? "",
    type: i.instanceType,
    lifecycle: i.lifecycle,
    state: i.state,
    "public-ip": i.publicIp ?? "",
    "private-ip": i.privateIp ?? "",
    health
  };
}
function instanceOutputs(deploymentId, records, regions) {
  return [
    ["deployment-id", deploymentId],
    ["instance-ids", JSON.stringify(records.map((r) => r.id))],
    ["public-ips", JSON.stringify(records.map((r) => r["public-ip"]).filter((ip) => ip !== ""))],
    ["private-ips", JSON.stringify(records.map((r) => r["private-ip"]).filter((ip) => ip !== ""))],
    ["instances", JSON.stringify(records)],
    ["regions", JSON.stringify(regions)]
  ];
}

export {
  instanceRecord,
  instanceOutputs
};
//# sourceMappingURL=chunk-SNYK7PHB.js.map
