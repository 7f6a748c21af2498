// EC2 look-ups: a deployment's instances by tag (never by a local file; an instance without
// the deployment tag is never returned), and instances by id.

import {
  DescribeInstancesCommand,
  type EC2Client,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import { abortable } from './clients.ts';
import { chunk } from './poll.ts';
import { TAG } from '../plan/types.ts';

export interface FoundInstance {
  id: string;
  region: string;
  state: string;
  instanceType: string;
  lifecycle: 'spot' | 'on-demand';
  zone?: string;
  publicIp?: string;
  privateIp?: string;
  /** ISO 8601 launch time, as EC2 reports it. */
  launchTime?: string;
  /** Why it left `running`, as EC2's StateReason code (e.g. Server.SpotInstanceTermination). */
  stateReason?: string;
  /** When, as an ISO 8601 time, from the StateTransitionReason ("… (YYYY-MM-DD HH:MM:SS GMT)"). */
  stateTime?: string;
  tags: Record<string, string>;
}

/** Every state but terminated: what is (or may still be) running or billing. */
export const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

export interface TagQuery {
  deploymentId: string;
  /** Narrow to the instances one run launched. */
  runId?: string;
  /** Default LIVE_STATES. */
  states?: readonly string[];
}

export function tagFilters(q: TagQuery): Filter[] {
  return [
    { Name: `tag:${TAG.deployment}`, Values: [q.deploymentId] },
    ...(q.runId !== undefined ? [{ Name: `tag:${TAG.run}`, Values: [q.runId] }] : []),
    { Name: 'instance-state-name', Values: [...(q.states ?? LIVE_STATES)] },
  ];
}

/** The time in a StateTransitionReason such as "User initiated (2026-12-01 20:00:00 GMT)". */
function transitionTime(reason: string | undefined): string | undefined {
  const m = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? '');
  return m ? `${m[1]}T${m[2]}Z` : undefined;
}

export function toFound(region: string, i: Instance): FoundInstance {
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  const stateTime = transitionTime(i.StateTransitionReason);
  return {
    id: i.InstanceId ?? '',
    region,
    state: i.State?.Name ?? 'unknown',
    instanceType: i.InstanceType ?? '',
    lifecycle: i.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    ...(i.Placement?.AvailabilityZone ? { zone: i.Placement.AvailabilityZone } : {}),
    ...(i.PublicIpAddress ? { publicIp: i.PublicIpAddress } : {}),
    ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
    ...(i.LaunchTime ? { launchTime: new Date(i.LaunchTime).toISOString() } : {}),
    ...(i.StateReason?.Code ? { stateReason: i.StateReason.Code } : {}),
    ...(stateTime ? { stateTime } : {}),
    tags,
  };
}

/** The deployment's live instances in one region (all pages). */
export async function findTagged(
  ec2: EC2Client,
  region: string,
  q: TagQuery,
  signal?: AbortSignal,
): Promise<FoundInstance[]> {
  const out: FoundInstance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstancesCommand({
        Filters: tagFilters(q),
        MaxResults: 1000,
        ...(NextToken ? { NextToken } : {}),
      }),
      abortable(signal),
    );
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        const f = toFound(region, i);
        // The filter already says so; checked again because terminating is irreversible.
        if (!f.id || f.tags[TAG.deployment] !== q.deploymentId) continue;
        if (q.runId !== undefined && f.tags[TAG.run] !== q.runId) continue;
        if (!(q.states ?? LIVE_STATES).includes(f.state)) continue;
        out.push(f);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** DescribeInstances for ids of one region, all pages; InstanceIds accepts up to 1000 per call. */
export async function describeInstances(
  ec2: EC2Client,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<Instance[]> {
  const out: Instance[] = [];
  for (const batch of chunk(ids, 1000)) {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: batch, ...(NextToken ? { NextToken } : {}) }),
        abortable(signal),
      );
      for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return out;
}
