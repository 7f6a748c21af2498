// The regions a deployment may span: those the caller knows, then those its last record
// names. Pure, and free of the AWS SDK (the record module loads it without the SDK).

/** What a deployment record says about where the deployment ran. */
export interface RegionHint {
  regions: readonly string[];
  instances: ReadonlyArray<{ region: string }>;
}

/** The regions to search: the given ones, then those the record names that they do not. */
export function regionsToSearch(given: readonly string[], record?: RegionHint): string[] {
  const all = [
    ...given,
    ...(record?.regions ?? []),
    ...(record?.instances.map((i) => i.region) ?? []),
  ];
  return [...new Set(all.filter((r) => r !== ''))];
}
