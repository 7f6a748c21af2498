// Every instance this tool manages in one region, whatever its deployment: one
// DescribeInstances (all pages) filtered by the deployment tag's key and the live states.
// `list` and `reap` start here; a deployment's own instances come from destroy/find.ts.

import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { abortable } from './clients.ts';
import { LIVE_STATES, toFound, type FoundInstance } from '../destroy/find.ts';
import { TAG } from '../plan/types.ts';

export async function findManaged(
  ec2: EC2Client,
  region: string,
  signal?: AbortSignal,
): Promise<FoundInstance[]> {
  const out: FoundInstance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag-key', Values: [TAG.deployment] },
          { Name: 'instance-state-name', Values: LIVE_STATES },
        ],
        MaxResults: 1000,
        ...(NextToken ? { NextToken } : {}),
      }),
      abortable(signal),
    );
    const found = (page.Reservations ?? []).flatMap((r) =>
      (r.Instances ?? []).map((i) => toFound(region, i)),
    );
    out.push(
      ...found.filter((f) => f.id && f.tags[TAG.deployment] && LIVE_STATES.includes(f.state)),
    );
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
