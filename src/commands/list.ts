// command: list — every deployment this tool manages in the searched regions, from its
// instances' tags (aws/managed.ts: one DescribeInstances per region), with an estimated
// hourly cost of its spot instances (report/cost.ts).

import { findManaged } from '../aws/managed.ts';
import type { FoundInstance } from '../aws/instances.ts';
import type { Host } from '../host.ts';
import { summarize, type DeploymentSummary } from '../operate/list.ts';
import { TAG } from '../plan/types.ts';
import { estimateHourlyCost } from '../report/cost.ts';

export interface ListProgress {
  /** A region was searched: how many managed instances it has. */
  searched(region: string, instances: number): void;
}

export async function listCommand(
  regions: readonly string[],
  host: Pick<Host, 'clientsFor' | 'clock' | 'signal'>,
  progress?: ListProgress,
): Promise<{ regions: string[]; deployments: DeploymentSummary[] }> {
  const found = (
    await Promise.all(
      regions.map(async (region) => {
        const list = await findManaged(host.clientsFor(region).ec2, region, host.signal);
        progress?.searched(region, list.length);
        return list;
      }),
    )
  ).flat();
  const deployments = summarize(found, host.clock.now());
  await Promise.all(
    deployments.map(async (d) => {
      const mine = found.filter((f: FoundInstance) => f.tags[TAG.deployment] === d.deploymentId);
      const cost = await estimateHourlyCost(
        (r) => host.clientsFor(r),
        mine.map((f) => ({
          region: f.region,
          type: f.instanceType,
          lifecycle: f.lifecycle,
          ...(f.zone ? { zone: f.zone } : {}),
        })),
        host.signal,
      );
      if (cost.perHour !== undefined) d.hourlyCost = cost.perHour;
    }),
  );
  return { regions: [...regions], deployments };
}
