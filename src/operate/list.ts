// What `list` shows: the managed instances of the searched regions grouped by deployment,
// with counts, age and time to live left. Pure; the cost comes from report/cost.ts.

import type { FoundInstance } from '../aws/instances.ts';
import { TAG } from '../plan/types.ts';

export interface DeploymentSummary {
  deploymentId: string;
  repository: string;
  ref: string;
  regions: string[];
  instances: number;
  spot: number;
  onDemand: number;
  /** Seconds since the oldest instance launched. */
  ageSeconds?: number;
  /** Seconds until the first instance's TTL ends (from its launch); absent without a TTL. */
  ttlLeftSeconds?: number;
  /** Estimated USD per hour of the spot instances; absent when none could be priced. */
  hourlyCost?: number;
}

function launchedMs(i: FoundInstance): number | undefined {
  const t = i.launchTime ? Date.parse(i.launchTime) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

function ttlLeft(list: readonly FoundInstance[], nowMs: number): number | undefined {
  const ends = list.flatMap((i) => {
    const ttl = Number(i.tags[TAG.ttl] ?? '');
    const at = launchedMs(i);
    return ttl > 0 && at !== undefined ? [at + ttl * 1000] : [];
  });
  if (ends.length === 0) return undefined;
  return Math.max(0, Math.round((Math.min(...ends) - nowMs) / 1000));
}

export function summarize(found: readonly FoundInstance[], nowMs: number): DeploymentSummary[] {
  const groups = new Map<string, FoundInstance[]>();
  for (const f of found) {
    const id = f.tags[TAG.deployment] ?? '';
    groups.set(id, [...(groups.get(id) ?? []), f]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([deploymentId, list]) => {
      const launched = list.flatMap((i) => launchedMs(i) ?? []);
      const ttl = ttlLeft(list, nowMs);
      const spot = list.filter((i) => i.lifecycle === 'spot').length;
      return {
        deploymentId,
        repository: list[0]?.tags[TAG.repository] ?? '',
        ref: list[0]?.tags[TAG.ref] ?? '',
        regions: [...new Set(list.map((i) => i.region))],
        instances: list.length,
        spot,
        onDemand: list.length - spot,
        ...(launched.length > 0
          ? { ageSeconds: Math.max(0, Math.round((nowMs - Math.min(...launched)) / 1000)) }
          : {}),
        ...(ttl !== undefined ? { ttlLeftSeconds: ttl } : {}),
      };
    });
}

/** 3725 → "1h02m"; 59 → "59s"; 90061 → "1d01h". */
export function formatSpan(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}h`;
}
