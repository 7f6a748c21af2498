// Service health over SSM: one command per region (per 50 instances) runs
// `systemctl is-active` for the plan's services and prints one `name=state` line each;
// for status, the same command also prints the rebalance recommendation the instance's
// watcher recorded (src/plan/render/watcher.ts).

import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from '../aws/poll.ts';
import { runCommand, type InvocationResult } from '../deliver/commands.ts';
import { REBALANCE_FILE } from '../plan/render/watcher.ts';

export type ServiceStates = Record<string, string>;

export interface InstanceHealth {
  /** 'healthy' when every service is active (or there are none), else 'unhealthy' or 'unknown'. */
  health: 'healthy' | 'unhealthy' | 'unknown';
  services: ServiceStates;
  /** Why not healthy, for the report. */
  detail?: string;
  /** The notice time of a rebalance recommendation the instance recorded (asked with `flags`). */
  rebalance?: string;
}

/** The line of the check's output that carries the rebalance record. */
const REBALANCE_LINE = 'spot-deployer:rebalance=';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function serviceCheckScript(services: readonly string[], flags = false): string {
  return [
    '#!/bin/bash',
    ...(services.length > 0
      ? [
          `for s in ${services.map(shellQuote).join(' ')}; do`,
          '  printf "%s=%s\\n" "$s" "$(systemctl is-active "$s.service" 2>/dev/null || true)"',
          'done',
        ]
      : []),
    ...(flags
      ? [
          `printf '%s%s\\n' ${shellQuote(REBALANCE_LINE)} "$(tr -d '\\n' <${shellQuote(REBALANCE_FILE)} 2>/dev/null || true)"`,
        ]
      : []),
  ].join('\n');
}

/** The notice time of the rebalance record in a check's output (`seen` when it has none). */
export function parseRebalance(output: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith(REBALANCE_LINE));
  const record = line?.slice(REBALANCE_LINE.length).trim();
  if (!record) return undefined;
  try {
    const time = (JSON.parse(record) as { noticeTime?: unknown }).noticeTime;
    return typeof time === 'string' && time !== '' ? time : 'seen';
  } catch {
    return 'seen';
  }
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
  const rebalance = parseRebalance(r.output ?? '');
  const flag = rebalance ? { rebalance } : {};
  return bad.length === 0
    ? { health: 'healthy', services: states, ...flag }
    : {
        health: 'unhealthy',
        services: states,
        detail: bad.map(([n, st]) => `service ${n} is ${st}`).join(', '),
        ...flag,
      };
}

export interface CheckContext {
  ssm: SSMClient;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

/** Checks the services on the instances of one region (all of them online in SSM); with
 * `flags`, reads their rebalance records in the same command. */
export async function checkServices(
  ctx: CheckContext,
  instanceIds: readonly string[],
  services: readonly string[],
  comment: string,
  flags = false,
): Promise<Map<string, InstanceHealth>> {
  const out = new Map<string, InstanceHealth>();
  if (services.length === 0 && !flags) {
    for (const id of instanceIds) out.set(id, { health: 'healthy', services: {} });
    return out;
  }
  if (instanceIds.length === 0) return out;
  const results = await runCommand(ctx, instanceIds, {
    script: serviceCheckScript(services, flags),
    timeoutSeconds: 60,
    comment,
  });
  for (const id of instanceIds) out.set(id, healthOf(results.get(id), services));
  return out;
}
