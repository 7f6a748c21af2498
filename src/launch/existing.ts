// What a deployment runs before a deploy changes it: its live instances, found by tag in
// every region it may span, and whether they already run the plan (then the deploy has
// nothing to do). Pure: the instances are found by aws/locate.ts.

import type { FoundInstance } from '../aws/instances.ts';
import type { LaunchedInstance } from './launch.ts';
import type { Plan } from '../plan/types.ts';
import { TAG } from '../plan/types.ts';
import { PHASE } from './concurrency.ts';

/**
 * Why the instances do not already run the plan, or undefined when they do (as far as tags
 * tell: every instance running, marked ready, carrying the plan's digest, as many in each
 * region as the plan asks and none elsewhere). Whether they are Online in SSM is checked
 * after this, and only when this finds nothing.
 */
export function differences(found: readonly FoundInstance[], plan: Plan): string | undefined {
  if (found.length === 0) return 'the deployment has no instances';
  const stale = found.filter((f) => f.tags[TAG.digest] !== plan.manifestDigest);
  if (stale.length > 0) {
    const was = [...new Set(stale.map((f) => (f.tags[TAG.digest] ?? 'none').slice(0, 12)))];
    return (
      `the plan changed: manifest digest ${plan.manifestDigest.slice(0, 12)}, ` +
      `the instances have ${was.join(', ')}`
    );
  }
  const notRunning = found.filter((f) => f.state !== 'running');
  if (notRunning.length > 0) {
    return `not every instance is running: ${notRunning.map((f) => `${f.id} ${f.state}`).join(', ')}`;
  }
  const notReady = found.filter((f) => (f.tags[TAG.phase] ?? PHASE.ready) !== PHASE.ready);
  if (notReady.length > 0) {
    return `instances never finished a deploy: ${notReady.map((f) => `${f.id} (${f.tags[TAG.phase]})`).join(', ')}`;
  }
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f.region, (counts.get(f.region) ?? 0) + 1);
  const wanted = new Map(plan.regions.map((r) => [r.region, r.count]));
  for (const [region, n] of wanted) {
    if ((counts.get(region) ?? 0) !== n) {
      return `${region} has ${counts.get(region) ?? 0} instance${counts.get(region) === 1 ? '' : 's'}, the plan asks for ${n}`;
    }
  }
  for (const [region, n] of counts) {
    if (!wanted.has(region)) {
      return `${n} instance${n === 1 ? '' : 's'} in ${region}, which the plan no longer uses`;
    }
  }
  return undefined;
}

/**
 * What an in-place update cannot change: cloud settings that only a launch applies (regions,
 * counts, instance types). One line each, for warnings.
 */
export function updateCaveats(targets: readonly FoundInstance[], plan: Plan): string[] {
  const out: string[] = [];
  const wanted = new Map(plan.regions.map((r) => [r.region, r]));
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.region, (counts.get(t.region) ?? 0) + 1);
  for (const [region, n] of counts) {
    const rp = wanted.get(region);
    if (!rp) {
      out.push(`${n} instance${n === 1 ? '' : 's'} in ${region}, which the plan no longer uses`);
      continue;
    }
    if (n !== rp.count)
      out.push(`${region}: ${n} instance${n === 1 ? '' : 's'}, the plan asks for ${rp.count}`);
    const types = new Set(rp.pools.map((p) => p.instanceType));
    const odd = targets.filter((t) => t.region === region && !types.has(t.instanceType));
    if (odd.length > 0) {
      out.push(
        `${region}: ${odd.map((t) => `${t.id} is ${t.instanceType}`).join(', ')}; the plan launches ${[...types].join(', ')}`,
      );
    }
  }
  for (const rp of plan.regions) {
    if (!counts.has(rp.region))
      out.push(`${rp.region}: no instance, the plan asks for ${rp.count}`);
  }
  return out;
}

/** An instance found by tag, as the deliver phase takes it. */
export function asLaunched(f: FoundInstance): LaunchedInstance {
  return {
    id: f.id,
    region: f.region,
    instanceType: f.instanceType,
    lifecycle: f.lifecycle,
    ...(f.zone ? { zone: f.zone } : {}),
  };
}
