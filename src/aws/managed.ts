// Every instance this tool manages in one region, whatever its deployment: one
// DescribeInstances (all pages, through the SDK's paginator) filtered by the deployment
// tag's key and the live states. `list` and `reap` start here; a deployment's own
// instances come from destroy/find.ts.

import { paginateDescribeInstances, type EC2Client } from '@aws-sdk/client-ec2';
import { abortable } from './clients.ts';
import { LIVE_STATES, toFound, type FoundInstance } from './instances.ts';
import { TAG } from '../plan/types.ts';

export async function findManaged(
  ec2: EC2Client,
  region: string,
  signal?: AbortSignal,
): Promise<FoundInstance[]> {
  const out: FoundInstance[] = [];
  const filters = [
    { Name: 'tag-key', Values: [TAG.deployment] },
    { Name: 'instance-state-name', Values: LIVE_STATES },
  ];
  const pages = paginateDescribeInstances(
    { client: ec2, pageSize: 1000 },
    { Filters: filters },
    abortable(signal),
  );
  for await (const page of pages) {
    for (const i of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const f = toFound(region, i);
      if (f.id && f.tags[TAG.deployment] && LIVE_STATES.includes(f.state)) out.push(f);
    }
  }
  return out;
}
