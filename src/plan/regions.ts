// Launch requests per region: counts split as the original tool split them, capacity
// pools in the user's order, image selection, tags and market options.

import type { CloudConfig, OsName } from '../manifest/model.ts';
import { TAG, type ImageSelector, type RegionPlan, type RunIdentity } from './types.ts';

/** Public SSM parameters that name the current AMI of each supported OS. */
export const IMAGE_PARAMETERS: Record<OsName, { x86_64: string; arm64: string }> = {
  'ubuntu-24.04': {
    x86_64: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
    arm64: '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
  },
  'ubuntu-22.04': {
    x86_64: '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id',
    arm64: '/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id',
  },
  al2023: {
    x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  },
};

/** Split `total` over regions: explicit counts stand; the rest is split evenly, remainder to the first. */
export function splitCounts(total: number, explicit: Array<number | undefined>): number[] {
  const fixed = explicit.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  const free = explicit.filter((c) => c === undefined).length;
  const left = Math.max(0, total - fixed);
  const each = free > 0 ? Math.floor(left / free) : 0;
  let remainder = free > 0 ? left - each * free : 0;
  return explicit.map((c) => {
    if (c !== undefined) return c;
    const n = each + remainder;
    remainder = 0;
    return n;
  });
}

export interface RegionPlanOptions {
  deploymentId: string;
  identity: RunIdentity;
  manifestDigest: string;
}

export function planRegions(cloud: CloudConfig, opts: RegionPlanOptions): RegionPlan[] {
  const counts = splitCounts(
    cloud.totalInstances,
    cloud.regions.map((r) => r.count),
  );
  const tags: Record<string, string> = {
    ...cloud.tags,
    Name: `spot-deployer/${opts.deploymentId}`,
    [TAG.deployment]: opts.deploymentId,
    [TAG.run]: opts.identity.runId,
    [TAG.repository]: opts.identity.repository,
    [TAG.ref]: opts.identity.ref,
    [TAG.sha]: opts.identity.sha,
    [TAG.digest]: opts.manifestDigest,
    [TAG.managedBy]: 'portable-spot-deployer',
    [TAG.phase]: 'deploying',
    ...(cloud.ttlSeconds ? { [TAG.ttl]: String(cloud.ttlSeconds) } : {}),
  };
  return cloud.regions
    .map((r, i): RegionPlan => {
      const image: ImageSelector =
        r.image === 'auto'
          ? { kind: 'auto', os: cloud.os, parameters: IMAGE_PARAMETERS[cloud.os] }
          : { kind: 'ami', id: r.image };
      const pools =
        r.subnets.length === 0
          ? r.instanceTypes.map((instanceType) => ({ instanceType }))
          : r.instanceTypes.flatMap((instanceType) =>
              r.subnets.map((subnetId) => ({ instanceType, subnetId })),
            );
      return {
        region: r.name,
        count: counts[i] ?? 0,
        pools,
        image,
        tags,
        market: {
          ...(cloud.maxPrice !== undefined ? { maxPrice: cloud.maxPrice } : {}),
          onDemandFallback: cloud.onDemandFallback,
        },
        instance: {
          ...(cloud.instanceProfile !== undefined
            ? { instanceProfile: cloud.instanceProfile }
            : {}),
          associatePublicIp: cloud.associatePublicIp,
          rootVolumeGb: cloud.rootVolumeGb,
          httpTokens: 'required',
          shutdownBehavior: 'terminate',
        },
      };
    })
    .filter((r) => r.count > 0);
}
