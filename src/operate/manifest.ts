// The services a deployment's manifest starts, for the commands that read a running
// deployment: status (which services must be active) and logs (whose journal to read by
// default). Neither needs a manifest to find the instances, so a manifest that is missing
// or not valid is not an error here: the answer says why there is none, and each command
// decides (status reports health unknown, logs asks for the services by name).

import { resolve } from 'node:path';
import { errorMessage, formatDiagnostic } from '../diagnostics.ts';
import { splitCounts } from '../plan/regions.ts';
import { loadDeployment, type FallbackRegion } from '../validate/load.ts';

export type ManifestServices =
  | {
      /** The services the manifest starts (those it does not start are not expected). */
      services: string[];
      /** How many instances it plans, over its regions. */
      planned: number;
    }
  | { problem: string };

export async function manifestServices(
  path: string,
  fallback: FallbackRegion | undefined,
): Promise<ManifestServices> {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    const d = res.deployment;
    if (!d) {
      const errors = res.diagnostics.filter((x) => x.severity === 'error');
      const first = errors[0];
      return {
        problem: `no usable manifest at '${path}'${first ? `: ${formatDiagnostic(first)}` : ''}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`,
      };
    }
    const counts = splitCounts(
      d.cloud.totalInstances,
      d.cloud.regions.map((r) => r.count),
    );
    return {
      services: d.services.filter((s) => s.start).map((s) => s.name),
      planned: counts.reduce((a, b) => a + b, 0),
    };
  } catch (err) {
    return { problem: `no usable manifest at '${path}': ${errorMessage(err)}` };
  }
}
