// Waiting for instances: first EC2 `running`, then SSM `Online`. One describe call per
// region per poll covers all of that region's instances; polls start short and back off.

import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { abortable } from '../aws/clients.ts';
import { describeInstances } from '../aws/instances.ts';
import { awsErrorCode, describeAwsError, DeployError, isThrottlingError } from '../aws/errors.ts';
import { backoff, chunk, type BackoffOptions, type Clock } from '../aws/poll.ts';
import type { Log } from '../log.ts';
import type { Fleet, Member } from './fleet.ts';

export interface WaitContext {
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

export const GONE: ReadonlySet<string> = new Set([
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
]);

/** DescribeInstances by id lives with the other EC2 look-ups. */
export { describeInstances };

/** Copies what EC2 says about an instance onto the member. */
export function observe(m: Member, i: Instance): void {
  if (i.State?.Name) m.state = i.State.Name;
  if (i.Placement?.AvailabilityZone) m.zone = i.Placement.AvailabilityZone;
  if (i.PublicIpAddress) m.publicIp = i.PublicIpAddress;
  if (i.PrivateIpAddress) m.privateIp = i.PrivateIpAddress;
  if (i.SubnetId) m.subnetId = i.SubnetId;
}

/** Why an instance left: a spot interruption is named as such. */
export function goneReason(m: Member, i: Instance): string {
  const code = i.StateReason?.Code ?? '';
  const msg = i.StateReason?.Message ?? '';
  const state = i.State?.Name ?? 'gone';
  const spot = i.InstanceLifecycle === 'spot' || m.lifecycle === 'spot';
  if (/spot/i.test(code) || /spot/i.test(msg) || (spot && code.startsWith('Server.'))) {
    return `spot interruption: EC2 reclaimed the instance (${state}${code ? `, ${code}` : ''}${msg && msg !== code ? `: ${msg}` : ''})`;
  }
  return `instance is ${state}${code ? ` (${code}${msg && msg !== code ? `: ${msg}` : ''})` : ''}`;
}

/** A poll throttled past the SDK's retries is skipped, not fatal: the wait's deadline bounds it. */
function throttled(ctx: WaitContext, region: string, operation: string): void {
  ctx.log.info(`${region}: ${operation} throttled; asking again at the next poll`);
}

/**
 * Polls until every healthy instance is running. Instances that end up shutting down or
 * terminated drop out (named spot interruptions); those still pending at the deadline too.
 */
export async function waitRunning(
  ctx: WaitContext,
  fleet: Fleet,
  timeoutMs: number,
): Promise<void> {
  const deadline = ctx.clock.now() + timeoutMs;
  const waiting = new Set(fleet.healthy().map((m) => m.id));
  const delays = backoff(ctx.poll);
  for (;;) {
    const byRegion = fleet.healthyByRegion();
    await Promise.all(
      [...byRegion].map(async ([region, members]) => {
        const ids = members.filter((m) => waiting.has(m.id)).map((m) => m.id);
        if (ids.length === 0) return;
        let seen: Instance[];
        try {
          seen = await describeInstances(ctx.clientsFor(region).ec2, ids, ctx.signal);
        } catch (err) {
          // Just launched: EC2 may not list the ids yet (eventual consistency).
          if (awsErrorCode(err) === 'InvalidInstanceID.NotFound') return;
          // Throttled past the SDK's retries: this poll saw nothing; the next one asks again.
          if (isThrottlingError(err)) return throttled(ctx, region, 'DescribeInstances');
          throw new DeployError(`${region}: DescribeInstances failed: ${describeAwsError(err)}`);
        }
        for (const i of seen) {
          const m = i.InstanceId ? fleet.get(i.InstanceId) : undefined;
          if (!m) continue;
          observe(m, i);
          if (m.state === 'running') {
            waiting.delete(m.id);
            ctx.log.info(
              `${m.id} (${region}): running in ${m.zone ?? '?'}, ${m.privateIp ?? 'no private IP'}` +
                (m.publicIp ? `, ${m.publicIp}` : ''),
            );
          } else if (GONE.has(m.state)) {
            waiting.delete(m.id);
            fleet.fail(m.id, 'launch', goneReason(m, i));
            ctx.log.warning(`${m.id} (${region}): ${m.failure?.cause ?? m.state}`);
          }
        }
      }),
    );
    if (waiting.size === 0) return;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  for (const id of waiting) {
    fleet.fail(
      id,
      'launch',
      `not running after ${Math.round(timeoutMs / 1000)} s (state ${fleet.get(id)?.state ?? 'unknown'})`,
    );
  }
}

/** Instance ids of a region that SSM reports Online (DescribeInstanceInformation allows 50 ids per filter). */
export async function onlineIds(
  ssm: SSMClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const online = new Set<string>();
  for (const batch of chunk(ids, 50)) {
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: batch }],
          MaxResults: 50,
          ...(NextToken ? { NextToken } : {}),
        }),
        abortable(signal),
      );
      for (const info of page.InstanceInformationList ?? []) {
        if (info.InstanceId && info.PingStatus === 'Online') online.add(info.InstanceId);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return online;
}

/** The longest interval between two polls for SSM Online. */
export const ONLINE_POLL_MAX_MS = 2000;

export const NOT_ONLINE_CAUSES =
  'likely causes: the instance profile lacks the AmazonSSMManagedInstanceCore policy, ' +
  'the instance has no outbound HTTPS to the SSM endpoints (no public IP, NAT gateway or VPC endpoints ' +
  'for ssm, ssmmessages and ec2messages), or the image has no SSM agent';

/**
 * Polls until every healthy instance is Online in SSM. Each poll also looks at the EC2 state
 * of those still waiting (one DescribeInstances per region), so an instance reclaimed or
 * shut down meanwhile drops out at once, named, instead of at the deadline.
 */
export async function waitOnline(ctx: WaitContext, fleet: Fleet, timeoutMs: number): Promise<void> {
  const started = ctx.clock.now();
  const deadline = started + timeoutMs;
  const waiting = new Set(fleet.healthy().map((m) => m.id));
  // Every command waits for this one: the polls grow to 2 s at most (not the instance polls'
  // 5 s), so Online is seen about 1 s late on average rather than 2.5 s.
  const delays = backoff({ ...ctx.poll, maxMs: Math.min(ctx.poll.maxMs, ONLINE_POLL_MAX_MS) });
  for (;;) {
    await Promise.all(
      [...fleet.healthyByRegion()].map(async ([region, members]) => {
        const ids = members.filter((m) => waiting.has(m.id)).map((m) => m.id);
        if (ids.length === 0) return;
        const { ec2, ssm } = ctx.clientsFor(region);
        const [online, seen] = await Promise.all([
          onlineIds(ssm, ids, ctx.signal).catch((err: unknown) => {
            if (isThrottlingError(err)) return undefined;
            throw new DeployError(
              `${region}: DescribeInstanceInformation failed: ${describeAwsError(err)}` +
                (awsErrorCode(err) === 'AccessDeniedException'
                  ? ' (the deploying role needs ssm:DescribeInstanceInformation)'
                  : ''),
            );
          }),
          describeInstances(ec2, ids, ctx.signal).catch((err: unknown) => {
            if (awsErrorCode(err) === 'InvalidInstanceID.NotFound') return [];
            if (isThrottlingError(err)) return undefined;
            throw new DeployError(`${region}: DescribeInstances failed: ${describeAwsError(err)}`);
          }),
        ]);
        if (!online || !seen) {
          return throttled(
            ctx,
            region,
            !online ? 'DescribeInstanceInformation' : 'DescribeInstances',
          );
        }
        for (const i of seen) {
          const m = i.InstanceId ? fleet.get(i.InstanceId) : undefined;
          if (!m) continue;
          observe(m, i);
          if (GONE.has(m.state) && !online.has(m.id)) {
            waiting.delete(m.id);
            fleet.fail(m.id, 'ssm-online', goneReason(m, i));
            ctx.log.warning(`${m.id} (${region}): ${m.failure?.cause ?? m.state}`);
          }
        }
        for (const id of online) {
          waiting.delete(id);
          ctx.log.info(
            `${id} (${region}): Online in SSM after ${((ctx.clock.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      }),
    );
    if (waiting.size === 0) return;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  for (const id of waiting) {
    fleet.fail(
      id,
      'ssm-online',
      `not Online in SSM after ${Math.round(timeoutMs / 1000)} s; ${NOT_ONLINE_CAUSES}`,
    );
  }
}
