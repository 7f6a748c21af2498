// Service health over SSM: one command per region (per 50 instances) runs
// `systemctl is-active` for the plan's services and prints one `name=state` line each.

import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from '../aws/poll.ts';
import { runCommand, type InvocationResult } from '../deliver/commands.ts';

export type ServiceStates = Record<string, string>;

export interface InstanceHealth {
  /** 'healthy' when every service is active (or there are none), else 'unhealthy' or 'unknown'. */
  health: 'healthy' | 'unhealthy' | 'unknown';
  services: ServiceStates;
  /** Why not healthy, for the report. */
  detail?: string;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function serviceCheckScript(services: readonly string[]): string {
  return [
    '#!/bin/bash',
    `for s in ${services.map(shellQuote).join(' ')}; do`,
    '  printf "%s=%s\\n" "$s" "$(systemctl is-active "$s.service" 2>/dev/null || true)"',
    'done',
  ].join('\n');
}

export function parseServiceStates(output: string, services: readonly string[]): ServiceStates {
  const out: ServiceStates = {};
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (services.includes(name)) out[name] = line.slice(eq + 1).trim() || 'unknown';
  }
  for (const s of services) out[s] ??= 'unknown';
  return out;
}

export function healthOf(
  r: InvocationResult | undefined,
  services: readonly string[],
): InstanceHealth {
  if (!r || r.status !== 'Success') {
    return {
      health: 'unknown',
      services: {},
      detail: `service check did not run: ${r ? r.status : 'no result'}${r?.statusDetails ? ` (${r.statusDetails})` : ''}`,
    };
  }
  const states = parseServiceStates(r.output ?? '', services);
  const bad = Object.entries(states).filter(([, st]) => st !== 'active');
  return bad.length === 0
    ? { health: 'healthy', services: states }
    : {
        health: 'unhealthy',
        services: states,
        detail: bad.map(([n, st]) => `service ${n} is ${st}`).join(', '),
      };
}

export interface CheckContext {
  ssm: SSMClient;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

/** Checks the services on the instances of one region (all of them online in SSM). */
export async function checkServices(
  ctx: CheckContext,
  instanceIds: readonly string[],
  services: readonly string[],
  comment: string,
): Promise<Map<string, InstanceHealth>> {
  const out = new Map<string, InstanceHealth>();
  if (services.length === 0) {
    for (const id of instanceIds) out.set(id, { health: 'healthy', services: {} });
    return out;
  }
  if (instanceIds.length === 0) return out;
  const results = await runCommand(ctx, instanceIds, {
    script: serviceCheckScript(services),
    timeoutSeconds: 60,
    comment,
  });
  for (const id of instanceIds) out.set(id, healthOf(results.get(id), services));
  return out;
}
