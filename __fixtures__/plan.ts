// Plans and clocks for the deploy unit tests.

import type { Clock } from '../src/aws/poll.ts';
import { IMAGE_PARAMETERS } from '../src/plan/regions.ts';
import { TAG, type Plan, type RegionPlan, type RemoteStep } from '../src/plan/types.ts';

export const RUN_ID = '4242-1';
export const DEPLOYMENT_ID = 'acme/web/main';

export function regionPlan(region: string, over: Partial<RegionPlan> = {}): RegionPlan {
  return {
    region,
    count: 1,
    pools: [{ instanceType: 't3.micro' }],
    image: { kind: 'auto', os: 'ubuntu-24.04', parameters: IMAGE_PARAMETERS['ubuntu-24.04'] },
    tags: {
      team: 'web',
      Name: `spot-deployer/${DEPLOYMENT_ID}`,
      [TAG.deployment]: DEPLOYMENT_ID,
      [TAG.run]: RUN_ID,
      [TAG.managedBy]: 'portable-spot-deployer',
    },
    market: { onDemandFallback: false },
    instance: {
      instanceProfile: 'spot-ssm',
      associatePublicIp: false,
      rootVolumeGb: 20,
      httpTokens: 'required',
      shutdownBehavior: 'terminate',
    },
    ...over,
  };
}

export function step(id: string, over: Partial<RemoteStep> = {}): RemoteStep {
  return {
    id,
    kind: 'script',
    description: `run ${id}`,
    script: `echo ${id}`,
    timeoutSeconds: 300,
    payloadBytes: 0,
    ...over,
  };
}

export function makePlan(over: Partial<Plan> = {}): Plan {
  const userData = '#cloud-config\n';
  return {
    version: 1,
    deploymentId: DEPLOYMENT_ID,
    manifestDigest: 'f'.repeat(64),
    identity: { repository: 'acme/web', ref: 'refs/heads/main', sha: 'abc', runId: RUN_ID },
    regions: [regionPlan('us-east-1')],
    userData: {
      text: userData,
      bytesBase64: Buffer.from(userData).toString('base64'),
      encoding: 'plain',
      rawSize: userData.length,
      sentSize: userData.length,
    },
    steps: [step('01-prepare', { kind: 'prepare' })],
    services: [],
    secretNames: [],
    ...over,
  };
}

/** A clock whose sleeps return at once and advance time; `slept` records each sleep. */
export function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      t += ms;
    },
  };
}

export const FAST_POLL = { initialMs: 1000, maxMs: 5000, factor: 1.5 };
