// The RunInstances request for one capacity pool: pure, so its shape is tested directly.

import type { RunInstancesCommandInput, TagSpecification } from '@aws-sdk/client-ec2';
import type { CapacityPool, RegionPlan } from '../plan/types.ts';
import type { ImageChoice } from './images.ts';

export type Market = 'spot' | 'on-demand';

export interface RunRequestOptions {
  pool: CapacityPool;
  image: ImageChoice;
  market: Market;
  /** MaxCount; MinCount is always 1 (a partial fill is normal). */
  count: number;
  userDataBase64: string;
  clientToken: string;
}

export function tagSpecifications(
  tags: Record<string, string>,
  market: Market,
): TagSpecification[] {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const types =
    market === 'spot'
      ? (['instance', 'volume', 'spot-instances-request'] as const)
      : (['instance', 'volume'] as const);
  return types.map((ResourceType) => ({ ResourceType, Tags }));
}

export function runInstancesInput(rp: RegionPlan, o: RunRequestOptions): RunInstancesCommandInput {
  const s = rp.instance;
  const networkInterface = s.associatePublicIp || o.pool.subnetId !== undefined;
  return {
    ImageId: o.image.imageId,
    InstanceType: o.pool.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: 1,
    MaxCount: o.count,
    ...(o.market === 'spot'
      ? {
          InstanceMarketOptions: {
            MarketType: 'spot',
            SpotOptions: {
              SpotInstanceType: 'one-time',
              InstanceInterruptionBehavior: 'terminate',
              ...(rp.market.maxPrice !== undefined ? { MaxPrice: rp.market.maxPrice } : {}),
            },
          },
        }
      : {}),
    MetadataOptions: { HttpTokens: s.httpTokens, HttpEndpoint: 'enabled' },
    BlockDeviceMappings: [
      {
        DeviceName: o.image.rootDevice,
        Ebs: {
          VolumeSize: s.rootVolumeGb,
          VolumeType: 'gp3',
          Encrypted: true,
          DeleteOnTermination: true,
        },
      },
    ],
    ...(s.instanceProfile !== undefined ? { IamInstanceProfile: { Name: s.instanceProfile } } : {}),
    InstanceInitiatedShutdownBehavior: s.shutdownBehavior,
    ...(networkInterface
      ? {
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              AssociatePublicIpAddress: s.associatePublicIp,
              DeleteOnTermination: true,
              ...(o.pool.subnetId !== undefined ? { SubnetId: o.pool.subnetId } : {}),
            },
          ],
        }
      : {}),
    UserData: o.userDataBase64,
    TagSpecifications: tagSpecifications(rp.tags, o.market),
    ClientToken: o.clientToken,
  };
}
