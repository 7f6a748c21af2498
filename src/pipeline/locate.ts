// The deploy's locate phase: where the deployment runs now, by tags (aws/locate.ts), logged.
// An instance already shutting-down (retired by an earlier replace or destroy, which go on
// at shutting-down, or reclaimed) is on its way out: not part of what runs now.

import type { FoundInstance } from '../aws/instances.ts';
import { locateDeployment, type Located } from '../aws/locate.ts';
import type { Host } from '../host.ts';
import type { Inputs } from '../inputs.ts';
import { TAG, type Plan } from '../plan/types.ts';

/** Where the deployment runs now: the plan's regions, the `regions` input and the last
 * record's (fetched while the plan's regions are searched). */
export async function locate(
  p: { plan: Plan; inputs: Pick<Inputs, 'regions'> },
  host: Host,
): Promise<Located> {
  const id = p.plan.deploymentId;
  const located = await locateDeployment(
    host,
    { deploymentId: id },
    {
      regions: [...p.plan.regions.map((r) => r.region), ...p.inputs.regions],
      record: () => host.records.restore(id),
    },
  );
  const leaving = located.instances.filter((i) => i.state === 'shutting-down');
  const instances = located.instances.filter((i) => i.state !== 'shutting-down');
  await host.log.group(`Look for ${id} in ${located.regions.join(', ')}`, async () => {
    for (const w of located.warnings) host.log.info(w);
    host.log.info(describeFound(instances));
    if (leaving.length > 0) {
      host.log.info(
        `already shutting-down, not counted: ${leaving.map((i) => `${i.id} (${i.region})`).join(', ')}`,
      );
    }
  });
  return { ...located, instances };
}

function describeFound(f: readonly FoundInstance[]): string {
  if (f.length === 0) return 'no live instance: a first deploy';
  const list = f.map(
    (i) =>
      `${i.id} (${i.region}, ${i.state}, ${i.tags[TAG.phase] ?? 'ready'}, manifest ${(i.tags[TAG.digest] ?? '').slice(0, 12)})`,
  );
  return `${f.length} live instance${f.length === 1 ? '' : 's'}: ${list.join(', ')}`;
}
