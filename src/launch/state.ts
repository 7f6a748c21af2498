// What the main step leaves for the post step (core.saveState → core.getState). Kept apart
// from the deploy code so the post entry loads the AWS SDK only when there is work to do.

export const STATE = {
  /** JSON RunRecord, saved before the first launch request. */
  run: 'spot-deployer-run',
  /** JSON registry snapshot (region → instance ids), saved after every launch. */
  launched: 'spot-deployer-launched',
  /** 'success' once the deploy finished healthy; anything else means the post step cleans up. */
  result: 'spot-deployer-result',
} as const;

export interface RunRecord {
  runId: string;
  deploymentId: string;
  regions: string[];
  keepFailed: boolean;
}

export function parseRunRecord(text: string): RunRecord | undefined {
  try {
    const v = JSON.parse(text) as Partial<RunRecord>;
    if (
      typeof v.runId === 'string' &&
      v.runId !== '' &&
      typeof v.deploymentId === 'string' &&
      v.deploymentId !== '' &&
      Array.isArray(v.regions) &&
      v.regions.every((r) => typeof r === 'string')
    ) {
      return {
        runId: v.runId,
        deploymentId: v.deploymentId,
        regions: v.regions,
        keepFailed: v.keepFailed === true,
      };
    }
  } catch {
    // Not ours or damaged: treated as absent.
  }
  return undefined;
}

export function parseLaunched(text: string): Record<string, string[]> {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) return {};
    const out: Record<string, string[]> = {};
    for (const [region, ids] of Object.entries(v)) {
      if (Array.isArray(ids))
        out[region] = ids.filter(
          (id): id is string => typeof id === 'string' && /^i-[0-9a-f]+$/.test(id),
        );
    }
    return out;
  } catch {
    return {};
  }
}
