import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  TAG
} from "./chunk-DFAL24WV.js";

// src/plan/regions.ts
var IMAGE_PARAMETERS = {
  "ubuntu-24.04": {
    x86_64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    arm64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id"
  },
  "ubuntu-22.04": {
    x86_64: "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
    arm64: "/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id"
  },
  al2023: {
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
  }
};
function splitCounts(total, explicit) {
  const fixed = explicit.reduce((sum, c) => sum + (c ?? 0), 0);
  const free = explicit.filter((c) => c === void 0).length;
  const left = Math.max(0, total - fixed);
  const each = free > 0 ? Math.floor(left / free) : 0;
  let remainder = free > 0 ? left - each * free : 0;
  return explicit.map((c) => {
    if (c !== void 0) return c;
    const n = each + remainder;
    remainder = 0;
    return n;
  });
}
function planRegions(cloud, opts) {
  const counts = splitCounts(
    cloud.totalInstances,
    cloud.regions.map((r) => r.count)
  );
  const tags = {
    ...cloud.tags,
    Name: `spot-deployer/${opts.deploymentId}`,
    [TAG.deployment]: opts.deploymentId,
    [TAG.run]: opts.identity.runId,
    [TAG.repository]: opts.identity.repository,
    [TAG.ref]: opts.identity.ref,
    [TAG.sha]: opts.identity.sha,
    [TAG.digest]: opts.manifestDigest,
    [TAG.managedBy]: "portable-spot-deployer",
    [TAG.phase]: "deploying",
    ...cloud.ttlSeconds ? { [TAG.ttl]: String(cloud.ttlSeconds) } : {}
  };
  return cloud.regions.map((r, i) => {
    const image = r.image === "auto" ? { kind: "auto", os: cloud.os, parameters: IMAGE_PARAMETERS[cloud.os] } : { kind: "ami", id: r.image };
    const pools = r.subnets.length === 0 ? r.instanceTypes.map((instanceType) => ({ instanceType })) : r.instanceTypes.flatMap(
      (instanceType) => r.subnets.map((subnetId) => ({ instanceType, subnetId }))
    );
    return {
      region: r.name,
      count: counts[i] ?? 0,
      pools,
      image,
      tags,
      market: {
        ...cloud.maxPrice !== void 0 ? { maxPrice: cloud.maxPrice } : {},
        onDemandFallback: cloud.onDemandFallback
      },
      instance: {
        ...cloud.instanceProfile !== void 0 ? { instanceProfile: cloud.instanceProfile } : {},
        associatePublicIp: cloud.associatePublicIp,
        rootVolumeGb: cloud.rootVolumeGb,
        httpTokens: "required",
        shutdownBehavior: "terminate"
      }
    };
  }).filter((r) => r.count > 0);
}

export {
  splitCounts,
  planRegions
};
//# sourceMappingURL=chunk-GYQ757SJ.js.map
