// Launch: per region, try the plan's capacity pools in order until the count is met, spot
// first and, when the user allows it, the same pools on-demand for what spot left. Capacity
// errors move to the next pool; any other error stops the launch with its code.

import { randomUUID } from 'node:crypto';
import { RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { CapacityPool, Plan, RegionPlan } from '../plan/types.ts';
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isAbortError,
  isCapacityError,
} from '../aws/errors.ts';
import type { Log } from '../log.ts';
import { abortable } from '../aws/clients.ts';
import { resolveImages } from './images.ts';
import type { InstanceRegistry } from './registry.ts';
import { runInstancesInput, type Market } from './request.ts';

export interface LaunchedInstance {
  id: string;
  region: string;
  instanceType: string;
  lifecycle: Market;
  zone?: string;
  subnetId?: string;
}

export interface LaunchAttempt {
  pool: CapacityPool;
  market: Market;
  requested: number;
  launched: number;
  /** AWS error code when the request failed, or 'skipped' when the pool could not be tried. */
  code?: string;
  message?: string;
}

export interface RegionLaunch {
  region: string;
  requested: number;
  instances: LaunchedInstance[];
  attempts: LaunchAttempt[];
  /** Instances launched on-demand because spot could not fill the count. */
  onDemand: number;
}

export interface LaunchContext {
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  registry: InstanceRegistry;
  log: Log;
  signal?: AbortSignal;
  /** A fresh idempotency token per request; replaceable in tests. */
  newToken?: () => string;
}

export function poolLabel(p: CapacityPool): string {
  return `${p.instanceType} in ${p.subnetId ?? 'any zone'}`;
}

export function formatAttempts(attempts: readonly LaunchAttempt[]): string {
  return attempts
    .map(
      (a) =>
        `${poolLabel(a.pool)} (${a.market}): ` +
        (a.code !== undefined
          ? a.code === 'skipped'
            ? `skipped, ${a.message ?? ''}`
            : a.launched > 0
              ? `${a.launched}/${a.requested}, then ${a.code}`
              : a.code
          : `${a.launched}/${a.requested}`),
    )
    .join('; ');
}

/** What the user can do about a launch error, when we know. */
function hint(code: string, message: string, rp: RegionPlan): string {
  if (/iam|instance ?profile/i.test(message) || code.startsWith('InvalidIamInstanceProfile')) {
    return (
      ` The instance profile '${rp.instance.instanceProfile ?? ''}' must exist in the account and its role must ` +
      `have the AmazonSSMManagedInstanceCore policy (set it with input 'instance-profile'); ` +
      `the deploying role needs iam:PassRole on that role.`
    );
  }
  if (code === 'UnauthorizedOperation') {
    return ' The deploying role lacks a permission: it needs ec2:RunInstances, ec2:CreateTags and iam:PassRole.';
  }
  return '';
}

export async function launchRegion(
  ctx: LaunchContext,
  rp: RegionPlan,
  userDataBase64: string,
): Promise<RegionLaunch> {
  const { ec2, ssm } = ctx.clientsFor(rp.region);
  const newToken = ctx.newToken ?? randomUUID;
  const images = await resolveImages({ ec2, ssm }, rp, ctx.signal);
  const result: RegionLaunch = {
    region: rp.region,
    requested: rp.count,
    instances: [],
    attempts: [],
    onDemand: 0,
  };
  const markets: Market[] = rp.market.onDemandFallback ? ['spot', 'on-demand'] : ['spot'];
  for (const market of markets) {
    for (const pool of rp.pools) {
      const remaining = rp.count - result.instances.length;
      if (remaining <= 0) return result;
      const image = images.byType.get(pool.instanceType);
      if (!image) {
        result.attempts.push({
          pool,
          market,
          requested: remaining,
          launched: 0,
          code: 'skipped',
          message: images.skipped.get(pool.instanceType) ?? 'no image',
        });
        continue;
      }
      const input = runInstancesInput(rp, {
        pool,
        image,
        market,
        count: remaining,
        userDataBase64,
        clientToken: newToken(),
      });
      try {
        const res = await ec2.send(new RunInstancesCommand(input), abortable(ctx.signal));
        const launched = (res.Instances ?? []).filter((i) => i.InstanceId);
        // Recorded before anything else can fail, so cleanup always knows them.
        ctx.registry.add(
          rp.region,
          launched.map((i) => i.InstanceId as string),
        );
        for (const i of launched) {
          result.instances.push({
            id: i.InstanceId as string,
            region: rp.region,
            instanceType: pool.instanceType,
            lifecycle: market,
            ...(i.Placement?.AvailabilityZone ? { zone: i.Placement.AvailabilityZone } : {}),
            ...(i.SubnetId ? { subnetId: i.SubnetId } : {}),
          });
        }
        if (market === 'on-demand') result.onDemand += launched.length;
        result.attempts.push({ pool, market, requested: remaining, launched: launched.length });
        ctx.log.info(
          `${rp.region}: ${launched.length}/${remaining} ${market} ${poolLabel(pool)}: ` +
            launched.map((i) => i.InstanceId).join(', '),
        );
      } catch (err) {
        if (isAbortError(err) || ctx.signal?.aborted) throw err;
        const code = awsErrorCode(err);
        const message = describeAwsError(err);
        result.attempts.push({ pool, market, requested: remaining, launched: 0, code, message });
        if (isCapacityError(err)) {
          ctx.log.info(`${rp.region}: ${market} ${poolLabel(pool)}: ${code}, trying the next pool`);
          continue;
        }
        throw new DeployError(
          `${rp.region}: RunInstances failed for ${poolLabel(pool)} (${market}): ${message}.` +
            hint(code, message, rp) +
            ` Tried: ${formatAttempts(result.attempts)}`,
        );
      }
    }
  }
  return result;
}

export interface LaunchResult {
  regions: RegionLaunch[];
  instances: LaunchedInstance[];
  requested: number;
}

/** Launches every region in parallel. Waits for all regions before reporting an error, so
 * that every instance launched anywhere is in the registry when the caller cleans up. */
export async function launchAll(ctx: LaunchContext, plan: Plan): Promise<LaunchResult> {
  const settled = await Promise.allSettled(
    plan.regions.map((rp) => launchRegion(ctx, rp, plan.userData.bytesBase64)),
  );
  const failed = settled.filter((s) => s.status === 'rejected');
  if (failed.length > 0) {
    const first = failed[0] as PromiseRejectedResult;
    if (failed.length === 1) throw first.reason;
    throw new DeployError(
      failed
        .map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason)))
        .join('\n'),
    );
  }
  const regions = settled.map((s) => (s as PromiseFulfilledResult<RegionLaunch>).value);
  return {
    regions,
    instances: regions.flatMap((r) => r.instances),
    requested: plan.regions.reduce((n, r) => n + r.count, 0),
  };
}

/** Lines explaining a shortfall: per region, what was asked, what came, and every pool's answer. */
export function shortfallReport(result: LaunchResult): string[] {
  return result.regions
    .filter((r) => r.instances.length < r.requested)
    .map(
      (r) =>
        `${r.region}: launched ${r.instances.length} of ${r.requested}; tried ${formatAttempts(r.attempts)}`,
    );
}
