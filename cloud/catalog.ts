// What the local cloud "sells": regions and zones, instance types with their architecture and
// prices, the public images it has published in every region and the public SSM parameters that
// name them. All derived deterministically from names, so any region name works and the same
// region always has the same image ids, subnets and prices.

import { createHash } from 'node:crypto';
import { wildcardMatch } from './util.ts';

export const ACCOUNT_ID = '123456789012';

/** The regions DescribeRegions lists (any other region name works too when asked directly). */
export const KNOWN_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

export function hex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  }
  return out.slice(0, length);
}

function regionCode(region: string): string {
  // us-east-1 -> use1, eu-central-1 -> euc1 (the zone-id convention)
  const [geo = 'xx', dir = 'x', num = '1'] = region.split('-');
  return `${geo}${dir[0] ?? 'x'}${num}`;
}

export const ZONE_LETTERS = ['a', 'b', 'c'];

export interface Zone {
  name: string;
  zoneId: string;
  region: string;
  index: number;
  subnetId: string;
  cidr: string;
}

export function zonesOf(region: string): Zone[] {
  return ZONE_LETTERS.map((letter, index) => ({
    name: `${region}${letter}`,
    zoneId: `${regionCode(region)}-az${index + 1}`,
    region,
    index,
    subnetId: `subnet-${hex(`${region}/${letter}/subnet`, 17)}`,
    cidr: `172.31.${index * 16}.0/20`,
  }));
}

export function defaultVpcId(region: string): string {
  return `vpc-${hex(`${region}/vpc`, 17)}`;
}

export function defaultSecurityGroupId(region: string): string {
  return `sg-${hex(`${region}/sg`, 17)}`;
}

// ---- instance types ----

export type Arch = 'x86_64' | 'arm64';

export interface InstanceTypeInfo {
  name: string;
  arch: Arch;
  vcpus: number;
  memoryMiB: number;
  onDemandPrice: number; // USD per hour, us-east-1
  burstable: boolean;
}

const SIZES: Record<string, { vcpus: number; mem: number; factor: number }> = {
  nano: { vcpus: 2, mem: 0.5, factor: 0.0625 },
  micro: { vcpus: 2, mem: 1, factor: 0.125 },
  small: { vcpus: 2, mem: 2, factor: 0.25 },
  medium: { vcpus: 2, mem: 4, factor: 0.5 },
  large: { vcpus: 2, mem: 8, factor: 1 },
  xlarge: { vcpus: 4, mem: 16, factor: 2 },
  '2xlarge': { vcpus: 8, mem: 32, factor: 4 },
  '4xlarge': { vcpus: 16, mem: 64, factor: 8 },
};

/** family -> [price of .large, memory multiplier vs. general purpose, sizes offered] */
const FAMILIES: Record<string, [number, number, string[]]> = {
  t2: [0.0928, 1, ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']],
  t3: [0.0832, 1, ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']],
  t3a: [0.0752, 1, ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']],
  t4g: [0.0672, 1, ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']],
  m5: [0.096, 1, ['large', 'xlarge', '2xlarge', '4xlarge']],
  m6i: [0.096, 1, ['large', 'xlarge', '2xlarge', '4xlarge']],
  m6g: [0.077, 1, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge']],
  m7i: [0.1008, 1, ['large', 'xlarge', '2xlarge', '4xlarge']],
  m7g: [0.0816, 1, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge']],
  c5: [0.085, 0.5, ['large', 'xlarge', '2xlarge', '4xlarge']],
  c6i: [0.085, 0.5, ['large', 'xlarge', '2xlarge', '4xlarge']],
  c6g: [0.068, 0.5, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge']],
  c7i: [0.0893, 0.5, ['large', 'xlarge', '2xlarge', '4xlarge']],
  c7g: [0.0725, 0.5, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge']],
  r6i: [0.126, 2, ['large', 'xlarge', '2xlarge', '4xlarge']],
  r7g: [0.1071, 2, ['medium', 'large', 'xlarge', '2xlarge', '4xlarge']],
};

/** Graviton families: a `g` among the letters after the generation digit (t4g, m7g, c6gn...). */
export function archOfFamily(family: string): Arch {
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) || family === 'a1' ? 'arm64' : 'x86_64';
}

export const INSTANCE_TYPES: Map<string, InstanceTypeInfo> = new Map();
for (const [family, [largePrice, memFactor, sizes]] of Object.entries(FAMILIES)) {
  for (const size of sizes) {
    const s = SIZES[size]!;
    const name = `${family}.${size}`;
    INSTANCE_TYPES.set(name, {
      name,
      arch: archOfFamily(family),
      vcpus: s.vcpus,
      memoryMiB: Math.round(s.mem * memFactor * 1024),
      onDemandPrice: Math.round(largePrice * s.factor * 10000) / 10000,
      burstable: family.startsWith('t'),
    });
  }
}

/**
 * Where types are not offered (offerings differ by region and by zone): `TYPE@REGION` or
 * `TYPE@ZONE`, TYPE may hold `*`. The newest generations are missing from one region, and
 * two zones lack one family each, as real regions' newer zones and older ones do.
 */
export const NOT_OFFERED: readonly string[] = [
  '*7g.*@sa-east-1',
  '*7i.*@sa-east-1',
  'c7i.*@us-west-2c',
  'm7i.*@us-east-1c',
];

/** Whether `type` is offered in the region (zone undefined) or in that zone of it. */
export function isOffered(
  rules: readonly string[],
  type: string,
  region: string,
  zone?: string,
): boolean {
  return !rules.some((r) => {
    const at = r.lastIndexOf('@');
    const where = r.slice(at + 1);
    return wildcardMatch(r.slice(0, at), type) && (where === region || where === zone);
  });
}

/** Regions differ a little in price; the spot price also differs per zone and is ~30% of on-demand. */
function regionFactor(region: string): number {
  return region === 'us-east-1' || region === 'us-east-2' || region === 'us-west-2'
    ? 1
    : 1 + parseInt(hex(region, 2), 16) / 1024;
}

export function onDemandPrice(type: InstanceTypeInfo, region: string): number {
  return Math.round(type.onDemandPrice * regionFactor(region) * 10000) / 10000;
}

export function spotPrice(type: InstanceTypeInfo, zone: string): number {
  const region = zone.slice(0, -1);
  const jitter = 0.25 + (parseInt(hex(`${zone}/${type.name}/spot`, 4), 16) / 0xffff) * 0.15;
  return Math.max(0.0011, Math.round(onDemandPrice(type, region) * jitter * 10000) / 10000);
}

// ---- images ----

export interface ImageInfo {
  imageId: string;
  name: string;
  description: string;
  arch: Arch;
  ownerId: string;
  ownerAlias: string;
  rootDeviceName: string;
  platformName: string;
  platformVersion: string;
  creationDate: string;
  /** The public SSM parameters that resolve to this image. */
  parameters: string[];
}

interface ImageFamily {
  key: string;
  name: (arch: Arch) => string;
  description: (arch: Arch) => string;
  ownerId: string;
  ownerAlias: string;
  rootDeviceName: string;
  platformName: string;
  platformVersion: string;
  parameters: (arch: Arch) => string[];
}

const debArch = (arch: Arch) => (arch === 'x86_64' ? 'amd64' : 'arm64');

const UBUNTU = (version: string, codename: string): ImageFamily => ({
  key: `ubuntu-${version}`,
  name: (arch) =>
    `ubuntu/images/hvm-ssd-gp3/ubuntu-${codename}-${version}-${debArch(arch)}-server-20250115`,
  description: (arch) => `Canonical, Ubuntu, ${version} LTS, ${debArch(arch)} ${codename} image`,
  ownerId: '099720109477',
  ownerAlias: '',
  rootDeviceName: '/dev/sda1',
  platformName: 'Ubuntu',
  platformVersion: version,
  parameters: (arch) => [
    `/aws/service/canonical/ubuntu/server/${version}/stable/current/${debArch(arch)}/hvm/ebs-gp3/ami-id`,
    `/aws/service/canonical/ubuntu/server/${version}/stable/current/${debArch(arch)}/hvm/ebs-gp2/ami-id`,
    `/aws/service/canonical/ubuntu/server/${codename}/stable/current/${debArch(arch)}/hvm/ebs-gp3/ami-id`,
  ],
});

const IMAGE_FAMILIES: ImageFamily[] = [
  UBUNTU('24.04', 'noble'),
  UBUNTU('22.04', 'jammy'),
  {
    key: 'al2023',
    name: (arch) => `al2023-ami-2023.6.20250115.0-kernel-6.1-${arch}`,
    description: (arch) => `Amazon Linux 2023 AMI 2023.6.20250115.0 ${arch} HVM kernel-6.1`,
    ownerId: '137112412989',
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    parameters: (arch) => [
      `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
      `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-${arch}`,
      `/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-${arch}`,
    ],
  },
  {
    key: 'debian-12',
    name: (arch) => `debian-12-${debArch(arch)}-20250112-1990`,
    description: () => 'Debian 12 (20250112-1990)',
    ownerId: '136693071363',
    ownerAlias: '',
    rootDeviceName: '/dev/xvda',
    platformName: 'Debian GNU/Linux',
    platformVersion: '12',
    parameters: (arch) => [`/aws/service/debian/release/12/latest/${debArch(arch)}`],
  },
  {
    key: 'debian-13',
    name: (arch) => `debian-13-${debArch(arch)}-20250814-2204`,
    description: () => 'Debian 13 (20250814-2204)',
    ownerId: '136693071363',
    ownerAlias: '',
    rootDeviceName: '/dev/xvda',
    platformName: 'Debian GNU/Linux',
    platformVersion: '13',
    parameters: (arch) => [`/aws/service/debian/release/13/latest/${debArch(arch)}`],
  },
];

const imagesByRegion = new Map<string, ImageInfo[]>();

/** The public images published in a region (every region has the same families). */
export function imagesOf(region: string): ImageInfo[] {
  let images = imagesByRegion.get(region);
  if (!images) {
    images = [];
    for (const f of IMAGE_FAMILIES) {
      for (const arch of ['x86_64', 'arm64'] as const) {
        images.push({
          imageId: `ami-0${hex(`${region}/${f.key}/${arch}`, 16)}`,
          name: f.name(arch),
          description: f.description(arch),
          arch,
          ownerId: f.ownerId,
          ownerAlias: f.ownerAlias,
          rootDeviceName: f.rootDeviceName,
          platformName: f.platformName,
          platformVersion: f.platformVersion,
          creationDate: '2025-01-15T00:00:00.000Z',
          parameters: f.parameters(arch),
        });
      }
    }
    imagesByRegion.set(region, images);
  }
  return images;
}

export function findImage(region: string, imageId: string): ImageInfo | undefined {
  return imagesOf(region).find((i) => i.imageId === imageId);
}

export function imageForParameter(region: string, name: string): ImageInfo | undefined {
  return imagesOf(region).find((i) => i.parameters.includes(name));
}
