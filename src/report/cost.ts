// Estimated hourly cost from the spot price history: one DescribeSpotPriceHistory per
// region (the current price of every type/zone of the deployment's spot instances).

import {
  DescribeSpotPriceHistoryCommand,
  type EC2Client,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { abortable } from '../aws/clients.ts';
import { describeAwsError } from '../aws/errors.ts';

export interface Priced {
  region: string;
  type: string;
  zone?: string;
  lifecycle: 'spot' | 'on-demand';
}

export interface CostEstimate {
  /** USD per hour for the spot instances that have a price; undefined when none could be priced. */
  perHour?: number;
  priced: number;
  notes: string[];
}

export async function estimateHourlyCost(
  clientsFor: (region: string) => { ec2: EC2Client },
  instances: readonly Priced[],
  signal?: AbortSignal,
): Promise<CostEstimate> {
  const notes: string[] = [];
  const spot = instances.filter((i) => i.lifecycle === 'spot');
  const onDemand = instances.length - spot.length;
  if (onDemand > 0)
    notes.push(
      `${onDemand} on-demand instance${onDemand === 1 ? '' : 's'} not included (on-demand prices are not in the spot price history)`,
    );
  const regions = [...new Set(spot.map((i) => i.region))];
  let perHour: number | undefined;
  let priced = 0;
  await Promise.all(
    regions.map(async (region) => {
      const types = [...new Set(spot.filter((i) => i.region === region).map((i) => i.type))];
      // type → zone → [timestamp, price], keeping the latest.
      const latest = new Map<string, Map<string, [number, number]>>();
      try {
        const res = await clientsFor(region).ec2.send(
          new DescribeSpotPriceHistoryCommand({
            InstanceTypes: types as _InstanceType[],
            ProductDescriptions: ['Linux/UNIX'],
            StartTime: new Date(),
            MaxResults: 1000,
          }),
          abortable(signal),
        );
        for (const p of res.SpotPriceHistory ?? []) {
          if (!p.InstanceType || !p.SpotPrice) continue;
          const zone = p.AvailabilityZone ?? '';
          const at = p.Timestamp ? new Date(p.Timestamp).getTime() : 0;
          const byZone = latest.get(p.InstanceType) ?? new Map<string, [number, number]>();
          const prev = byZone.get(zone);
          if (!prev || prev[0] < at) byZone.set(zone, [at, Number(p.SpotPrice)]);
          latest.set(p.InstanceType, byZone);
        }
      } catch (err) {
        notes.push(`${region}: no spot price history (${describeAwsError(err)})`);
        return;
      }
      for (const i of spot.filter((x) => x.region === region)) {
        const byZone = latest.get(i.type);
        const price = byZone ? (byZone.get(i.zone ?? '') ?? [...byZone.values()][0]) : undefined;
        if (!price || !Number.isFinite(price[1])) {
          notes.push(`${region}: no spot price for ${i.type}${i.zone ? ` in ${i.zone}` : ''}`);
          continue;
        }
        perHour = (perHour ?? 0) + price[1];
        priced++;
      }
    }),
  );
  return { ...(perHour !== undefined ? { perHour } : {}), priced, notes };
}
