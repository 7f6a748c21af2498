// Where destroy, status, logs and exec look for a deployment: the regions of the manifest
// (when there is a readable one), of the `regions` input and of the last deployment record.

import { resolve } from 'node:path';
import { DeployError } from '../aws/errors.ts';
import { locateDeployment, type Located } from '../aws/locate.ts';
import type { Host } from '../host.ts';
import type { Inputs } from '../inputs.ts';
import type { Log } from '../log.ts';
import { fallbackRegion, loadDeployment, type FallbackRegion } from '../validate/load.ts';

/** The manifest's regions, when there is a readable manifest; destroy works without one. */
export async function manifestRegions(
  path: string,
  log: Log,
  fallback: FallbackRegion | undefined,
): Promise<string[]> {
  try {
    const res = await loadDeployment(resolve(path), { fallbackRegion: fallback });
    if (res.deployment) return res.deployment.cloud.regions.map((r) => r.name);
    log.info(
      `no usable manifest at '${path}' (${res.diagnostics.filter((d) => d.severity === 'error').length} errors); searching the other regions`,
    );
  } catch (err) {
    log.info(
      `no usable manifest at '${path}' (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return [];
}

/**
 * Where the deployment runs: in the manifest's regions, the `regions` input's and the last
 * deployment record's (destroy and status).
 */
export async function searchDeployment(
  inputs: Pick<Inputs, 'path' | 'regions'>,
  deploymentId: string,
  host: Host,
): Promise<Located> {
  const given = [
    ...(await manifestRegions(inputs.path, host.log, fallbackRegion(host.env, inputs.regions))),
    ...inputs.regions,
  ];
  const located = await locateDeployment(
    host,
    { deploymentId },
    { regions: given, record: () => host.records.restore(deploymentId) },
  );
  for (const w of located.warnings) host.log.info(w);
  if (located.regions.length === 0) {
    throw new DeployError(
      `no region to search for deployment '${deploymentId}': no readable manifest at '${inputs.path}', ` +
        `no deployment record, and no 'regions' input; pass the regions (e.g. regions: us-west-2)`,
    );
  }
  return located;
}
