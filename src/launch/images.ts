// Which image each instance type of a region launches, and that image's root device name.
// Per region: one DescribeInstanceTypes (architectures of the pool types), one GetParameters
// for `auto` (both architectures at once), one DescribeImages (root device, architecture).

import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  type EC2Client,
  type Image,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { RegionPlan } from '../plan/types.ts';
import { abortable } from '../aws/clients.ts';
import { awsErrorCode, DeployError, describeAwsError } from '../aws/errors.ts';

export type Architecture = 'x86_64' | 'arm64';

export interface ImageChoice {
  imageId: string;
  architecture: Architecture;
  /** Root device of the image, which the gp3 mapping must name. */
  rootDevice: string;
}

export interface ResolvedImages {
  /** Instance type → image it launches. */
  byType: Map<string, ImageChoice>;
  /** Instance types that cannot launch the region's image, with the reason. */
  skipped: Map<string, string>;
}

/** Where the root device is when DescribeImages cannot tell (public images of each OS). */
const DEFAULT_ROOT_DEVICE = { ubuntu: '/dev/sda1', al2023: '/dev/xvda' } as const;

/**
 * Architectures of the instance types the region offers. DescribeInstanceTypes fails the
 * whole call with InvalidInstanceType when one type does not exist in the region: then each
 * type is asked alone, and those the region lacks are left out (their pools are skipped).
 */
export async function instanceArchitectures(
  ec2: EC2Client,
  types: string[],
  signal?: AbortSignal,
): Promise<Map<string, Architecture[]>> {
  try {
    return await describeArchitectures(ec2, types, signal);
  } catch (err) {
    if (awsErrorCode(err) !== 'InvalidInstanceType' || types.length === 0) {
      throw new DeployError(
        `could not look up instance types ${types.join(', ')}: ${describeAwsError(err)}`,
      );
    }
  }
  const out = new Map<string, Architecture[]>();
  for (const type of types) {
    try {
      for (const [k, v] of await describeArchitectures(ec2, [type], signal)) out.set(k, v);
    } catch (err) {
      if (awsErrorCode(err) === 'InvalidInstanceType') continue;
      throw new DeployError(`could not look up instance type ${type}: ${describeAwsError(err)}`);
    }
  }
  return out;
}

async function describeArchitectures(
  ec2: EC2Client,
  types: string[],
  signal?: AbortSignal,
): Promise<Map<string, Architecture[]>> {
  const out = new Map<string, Architecture[]>();
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: types as _InstanceType[],
        ...(NextToken ? { NextToken } : {}),
      }),
      abortable(signal),
    );
    for (const t of page.InstanceTypes ?? []) {
      if (!t.InstanceType) continue;
      const archs = (t.ProcessorInfo?.SupportedArchitectures ?? []).filter(
        (a): a is Architecture => a === 'x86_64' || a === 'arm64',
      );
      out.set(t.InstanceType, archs);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

export async function resolveImages(
  clients: { ec2: EC2Client; ssm: SSMClient },
  rp: RegionPlan,
  signal?: AbortSignal,
): Promise<ResolvedImages> {
  const types = [...new Set(rp.pools.map((p) => p.instanceType))];
  const archs = await instanceArchitectures(clients.ec2, types, signal);

  // Image id per architecture.
  const idByArch = new Map<Architecture, string>();
  if (rp.image.kind === 'auto') {
    const names = rp.image.parameters;
    let values: Map<string, string>;
    try {
      const res = await clients.ssm.send(
        new GetParametersCommand({ Names: [names.x86_64, names.arm64] }),
        abortable(signal),
      );
      values = new Map((res.Parameters ?? []).map((p) => [p.Name ?? '', p.Value ?? '']));
    } catch (err) {
      throw new DeployError(
        `${rp.region}: could not resolve image 'auto' (${rp.image.os}) through SSM public parameters: ${describeAwsError(err)}`,
      );
    }
    for (const arch of ['x86_64', 'arm64'] as const) {
      const v = values.get(names[arch]);
      if (v) idByArch.set(arch, v);
    }
  }

  // Root device and architecture of each image id.
  const imageIds = rp.image.kind === 'ami' ? [rp.image.id] : [...new Set(idByArch.values())].sort();
  const images = new Map<string, Image>();
  if (imageIds.length > 0) {
    try {
      const res = await clients.ec2.send(
        new DescribeImagesCommand({ ImageIds: imageIds }),
        abortable(signal),
      );
      for (const img of res.Images ?? []) if (img.ImageId) images.set(img.ImageId, img);
    } catch (err) {
      // An explicit AMI must exist; for the public images the device names are well known.
      if (rp.image.kind === 'ami') {
        throw new DeployError(`${rp.region}: image ${rp.image.id}: ${describeAwsError(err)}`);
      }
    }
  }

  const rootDeviceOf = (id: string): string => {
    const name = images.get(id)?.RootDeviceName;
    if (name) return name;
    if (rp.image.kind === 'auto') {
      return rp.image.os === 'al2023' ? DEFAULT_ROOT_DEVICE.al2023 : DEFAULT_ROOT_DEVICE.ubuntu;
    }
    throw new DeployError(`${rp.region}: image ${id} was not found in the region`);
  };

  const byType = new Map<string, ImageChoice>();
  const skipped = new Map<string, string>();
  for (const type of types) {
    const supported = archs.get(type);
    if (!supported) {
      skipped.set(type, `instance type ${type} is not offered in ${rp.region}`);
      continue;
    }
    if (rp.image.kind === 'ami') {
      const arch = images.get(rp.image.id)?.Architecture;
      if (arch !== 'x86_64' && arch !== 'arm64') {
        skipped.set(type, `image ${rp.image.id} has architecture ${arch ?? 'unknown'}`);
      } else if (!supported.includes(arch)) {
        skipped.set(type, `${type} is ${supported.join('/')}, image ${rp.image.id} is ${arch}`);
      } else {
        byType.set(type, {
          imageId: rp.image.id,
          architecture: arch,
          rootDevice: rootDeviceOf(rp.image.id),
        });
      }
      continue;
    }
    const arch = supported.includes('x86_64')
      ? 'x86_64'
      : supported.includes('arm64')
        ? 'arm64'
        : undefined;
    const id = arch ? idByArch.get(arch) : undefined;
    if (!arch || !id) {
      skipped.set(
        type,
        arch
          ? `no ${rp.image.os} image for ${arch} (SSM parameter ${rp.image.parameters[arch]} not found)`
          : `${type} has no x86_64 or arm64 support`,
      );
      continue;
    }
    byType.set(type, { imageId: id, architecture: arch, rootDevice: rootDeviceOf(id) });
  }
  return { byType, skipped };
}
