// The EC2 operations of the local cloud. Inputs and outputs are SDK-shaped objects (the same
// member names as @aws-sdk/client-ec2); ec2-serde.ts turns them into and from the wire format.

import { createHash } from 'node:crypto';
import {
  INSTANCE_TYPES,
  KNOWN_REGIONS,
  NOT_OFFERED,
  isOffered,
  defaultSecurityGroupId,
  defaultVpcId,
  findImage,
  imagesOf,
  onDemandPrice,
  spotPrice,
  zonesOf,
  type ImageInfo,
  type InstanceTypeInfo,
  type Zone,
} from './catalog.ts';
import { STATE_CODES, type Cloud, type Instance, type LaunchTemplate } from './cloud.ts';
import { AwsError, paginate, wildcardMatch } from './util.ts';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Handler = (cloud: Cloud, region: string, input: Input) => Output | Promise<Output>;

const USER_DATA_LIMIT = 16 * 1024;

interface TagSpec {
  ResourceType?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function instanceType(name: string | undefined): InstanceTypeInfo {
  if (!name)
    throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceType');
  const t = INSTANCE_TYPES.get(name);
  if (!t) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${name}' for InstanceType.`);
  }
  return t;
}

function validateTags(
  tags: Array<{ Key?: string; Value?: string }>,
  what: string,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tags) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (!key || key.length > 128) {
      throw new AwsError(
        'InvalidParameterValue',
        `Tag key must be between 1 and 128 characters (${what})`,
      );
    }
    if (value.length > 256) {
      throw new AwsError(
        'InvalidParameterValue',
        `Tag value exceeds the maximum length of 256 characters (${what})`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new AwsError(
        'InvalidParameterValue',
        "Tag keys starting with 'aws:' are reserved for internal use",
      );
    }
    out.set(key, value);
  }
  if (out.size > 50)
    throw new AwsError('TagLimitExceeded', 'The maximum number of tags for a resource is 50.');
  return out;
}

/** Tags per resource type from TagSpecifications, checked as EC2 checks them. */
function tagsByType(specs: TagSpec[], allowed: string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const spec of specs) {
    const type = spec.ResourceType ?? '';
    if (!allowed.includes(type)) {
      throw new AwsError(
        'InvalidParameterValue',
        `'${type}' is not a valid taggable resource type for this operation.`,
      );
    }
    if (out.has(type)) {
      throw new AwsError(
        'InvalidParameterValue',
        `The same resource type may not be specified more than once in tag specifications`,
      );
    }
    out.set(type, validateTags(arr(spec.Tags), type));
  }
  return out;
}

function fingerprint(input: Input): string {
  const { ClientToken: _t, DryRun: _d, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

function zoneByName(region: string, name: string): Zone {
  const z = zonesOf(region).find((x) => x.name === name);
  if (!z) {
    throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${name}]`);
  }
  return z;
}

function zoneBySubnet(region: string, subnetId: string): Zone {
  const z = zonesOf(region).find((x) => x.subnetId === subnetId);
  if (!z)
    throw new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  return z;
}

// ---- capacity ----

interface CapacityRule {
  market: 'spot' | 'on-demand' | undefined;
  type: string;
  scope: string | undefined;
  limit: number;
}

function capacityRules(cloud: Cloud): CapacityRule[] {
  return Object.entries(cloud.options.capacity ?? {}).map(([key, limit]) => {
    const m = /^(?:(spot|on-demand):)?([^@]+)(?:@(.+))?$/.exec(key);
    if (!m) throw new Error(`bad capacity key ${key}`);
    return {
      market: m[1] as CapacityRule['market'],
      type: m[2]!,
      scope: m[3],
      limit,
    };
  });
}

function ruleMatches(
  r: CapacityRule,
  market: string,
  type: string,
  zone: string,
  region: string,
): boolean {
  return (
    (r.market === undefined || r.market === market) &&
    (r.type === '*' || r.type === type) &&
    (r.scope === undefined ? true : r.scope === zone || r.scope === region)
  );
}

/** How many more instances of this pool fit under every capacity rule. */
function available(cloud: Cloud, market: string, type: string, zone: Zone): number {
  let room = Infinity;
  for (const r of capacityRules(cloud)) {
    if (!ruleMatches(r, market, type, zone.name, zone.region)) continue;
    const used = [...cloud.instances.values()].filter(
      (i) =>
        (i.state === 'pending' || i.state === 'running') &&
        (r.scope === undefined ? i.region === zone.region : true) &&
        ruleMatches(r, i.lifecycle, i.type.name, i.zone.name, i.region),
    ).length;
    room = Math.min(room, Math.max(0, r.limit - used));
  }
  return room;
}

function insufficient(
  cloud: Cloud,
  type: string,
  zone: Zone | undefined,
  others: string[],
): AwsError {
  const where = zone
    ? `the Availability Zone you requested (${zone.name})`
    : 'any Availability Zone';
  const alt = others.length
    ? ` You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${others.join(', ')}.`
    : '';
  return new AwsError(
    'InsufficientInstanceCapacity',
    `We currently do not have sufficient ${type} capacity in ${where}. Our system will be working on provisioning additional capacity.${alt}`,
    cloud.fidelity.capacityErrorStatus,
  );
}

// ---- launching ----

interface LaunchSpec {
  image: ImageInfo;
  type: InstanceTypeInfo;
  market: 'spot' | 'on-demand';
  maxPrice: string | undefined;
  zone: Zone | undefined;
  subnetExplicit: boolean;
  publicIp: boolean | undefined;
  userData: Buffer;
  instanceTags: Map<string, string>;
  volumeTags: Map<string, string>;
  iamInstanceProfile: { Arn: string; Id: string } | undefined;
  metadataOptions: Record<string, unknown>;
  blockDeviceMappings: Array<Record<string, unknown>>;
  shutdownBehavior: 'stop' | 'terminate';
  clientToken: string | undefined;
  keyName: string | undefined;
  ebsOptimized: boolean;
  securityGroupIds: string[];
}

function resolveImage(region: string, imageId: string | undefined): ImageInfo {
  if (!imageId)
    throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId');
  if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) {
    throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  }
  const image = findImage(region, imageId);
  if (!image)
    throw new AwsError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  return image;
}

function resolveProfile(
  cloud: Cloud,
  p: Record<string, unknown> | undefined,
): { Arn: string; Id: string } | undefined {
  if (!p) return undefined;
  const name = str(p.Name) ?? str(p.Arn)?.split('/').pop();
  if (!name) return undefined;
  const known = cloud.options.instanceProfiles;
  const window = cloud.fidelity.propagatingProfiles?.[name];
  let propagating = false;
  if (window !== undefined) {
    // Made just before the first launch that names it: refused from then for the window, so
    // the first request is always refused however late it comes.
    const created = cloud.profilesFirstNamed.get(name) ?? Date.now();
    cloud.profilesFirstNamed.set(name, created);
    propagating = Date.now() - created < window;
  }
  if ((known && !known.includes(name)) || propagating) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  }
  return {
    Arn: `arn:aws:iam::${cloud.accountId}:instance-profile/${name}`,
    Id: `AIPA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`,
  };
}

function decodeUserData(raw: string | undefined): Buffer {
  if (!raw) return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(raw)) {
    throw new AwsError('InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
  }
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > USER_DATA_LIMIT) {
    throw new AwsError('InvalidParameterValue', `User data is limited to ${USER_DATA_LIMIT} bytes`);
  }
  return bytes;
}

function launchSpecFrom(
  cloud: Cloud,
  region: string,
  input: Input,
  tagTypes: string[],
): LaunchSpec {
  const image = resolveImage(region, str(input.ImageId));
  const type = instanceType(str(input.InstanceType));
  if (type.arch !== image.arch) {
    throw new AwsError(
      'InvalidParameterValue',
      `The architecture '${type.arch}' of the specified instance type does not match the architecture '${image.arch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  }
  const market = input.InstanceMarketOptions as Record<string, unknown> | undefined;
  const isSpot = market?.MarketType === 'spot';
  if (isSpot && cloud.fidelity.noSpotServiceLinkedRole) {
    throw new AwsError(
      'AuthFailure.ServiceLinkedRoleCreationNotPermitted',
      'The provided credentials do not have permission to create the service-linked role for EC2 Spot Instances.',
      403,
    );
  }
  if (
    market?.MarketType !== undefined &&
    market.MarketType !== 'spot' &&
    market.MarketType !== 'capacity-block'
  ) {
    throw new AwsError(
      'InvalidParameterValue',
      `Invalid value '${String(market.MarketType)}' for MarketType`,
    );
  }
  const spotOptions = (market?.SpotOptions ?? {}) as Record<string, unknown>;
  const interruption = str(spotOptions.InstanceInterruptionBehavior) ?? 'terminate';
  const spotType = str(spotOptions.SpotInstanceType) ?? 'one-time';
  if (isSpot && spotType === 'one-time' && interruption !== 'terminate') {
    throw new AwsError(
      'InvalidParameterCombination',
      'The instance interruption behavior must be terminate for one-time Spot Instance requests.',
    );
  }
  const nics = arr<Record<string, unknown>>(input.NetworkInterfaces);
  const topSubnet = str(input.SubnetId);
  if (nics.length > 0 && topSubnet) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Network interfaces and an instance-level subnet ID may not be specified on the same request',
    );
  }
  if (nics.length > 0 && arr(input.SecurityGroupIds).length > 0) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Network interfaces and an instance-level security groups may not be specified on the same request',
    );
  }
  const nic0 = nics.find((n) => Number(n.DeviceIndex ?? 0) === 0) ?? nics[0];
  const subnetId = topSubnet ?? str(nic0?.SubnetId);
  const placementZone = str(
    (input.Placement as Record<string, unknown> | undefined)?.AvailabilityZone,
  );
  let zone: Zone | undefined;
  if (subnetId) {
    zone = zoneBySubnet(region, subnetId);
    if (placementZone && placementZone !== zone.name) {
      throw new AwsError(
        'InvalidParameterValue',
        `The specified Availability Zone (${placementZone}) does not match the subnet's Availability Zone (${zone.name}).`,
      );
    }
  } else if (placementZone) {
    zone = zoneByName(region, placementZone);
  }
  const tags = tagsByType(arr<TagSpec>(input.TagSpecifications), tagTypes);
  const shutdown = str(input.InstanceInitiatedShutdownBehavior) ?? 'stop';
  if (shutdown !== 'stop' && shutdown !== 'terminate') {
    throw new AwsError(
      'InvalidParameterValue',
      `Invalid value '${shutdown}' for instanceInitiatedShutdownBehavior`,
    );
  }
  if (isSpot && shutdown === 'stop' && spotType === 'one-time') {
    // EC2 refuses stop for one-time spot instances only when asked to stop on interruption;
    // an OS shutdown of a one-time spot instance terminates it.
  }
  const publicIpRaw = nic0?.AssociatePublicIpAddress;
  return {
    image,
    type,
    market: isSpot ? 'spot' : 'on-demand',
    maxPrice: str(spotOptions.MaxPrice),
    zone,
    subnetExplicit: subnetId !== undefined,
    publicIp: typeof publicIpRaw === 'boolean' ? publicIpRaw : undefined,
    userData: decodeUserData(str(input.UserData)),
    instanceTags: tags.get('instance') ?? new Map(),
    volumeTags: tags.get('volume') ?? new Map(),
    iamInstanceProfile: resolveProfile(
      cloud,
      input.IamInstanceProfile as Record<string, unknown> | undefined,
    ),
    metadataOptions: (input.MetadataOptions ?? {}) as Record<string, unknown>,
    blockDeviceMappings: arr<Record<string, unknown>>(input.BlockDeviceMappings),
    shutdownBehavior:
      isSpot && spotType === 'one-time' ? 'terminate' : (shutdown as 'stop' | 'terminate'),
    clientToken: str(input.ClientToken),
    keyName: str(input.KeyName),
    ebsOptimized: input.EbsOptimized === true,
    securityGroupIds: [...arr<string>(input.SecurityGroupIds), ...arr<string>(nic0?.Groups)],
  };
}

function checkSpotPrice(spec: LaunchSpec, zone: Zone): void {
  if (spec.market !== 'spot' || spec.maxPrice === undefined) return;
  const price = spotPrice(spec.type, zone.name);
  if (Number(spec.maxPrice) < price) {
    throw new AwsError(
      'SpotMaxPriceTooLow',
      `Your Spot request price of ${spec.maxPrice} is lower than the minimum required Spot request fulfillment price of ${price}.`,
    );
  }
}

/** The rules of what is not offered where (the knob, or the catalogue's default). */
function notOffered(cloud: Cloud): readonly string[] {
  return cloud.fidelity.notOffered ?? NOT_OFFERED;
}

/** The zones of a region that offer the type; Unsupported when it is not offered where asked. */
function offeringZones(
  cloud: Cloud,
  region: string,
  type: string,
  asked: Zone | undefined,
): Zone[] {
  const rules = notOffered(cloud);
  const zones = isOffered(rules, type, region)
    ? zonesOf(region).filter((z) => isOffered(rules, type, region, z.name))
    : [];
  if (zones.length === 0) {
    throw new AwsError(
      'Unsupported',
      `The requested configuration is currently not supported. Instance type ${type} is not offered in ${region}.`,
    );
  }
  if (asked && !zones.some((z) => z.name === asked.name)) {
    throw new AwsError(
      'Unsupported',
      `Your requested instance type (${type}) is not supported in your requested Availability Zone (${asked.name}). Please retry your request by not specifying an Availability Zone or choosing ${zones.map((z) => z.name).join(', ')}.`,
    );
  }
  return zones;
}

/** Picks the zone and count for a launch of between min and max instances, or throws. */
function placeLaunch(
  cloud: Cloud,
  region: string,
  spec: LaunchSpec,
  min: number,
  max: number,
): { zone: Zone; count: number } {
  const offering = offeringZones(cloud, region, spec.type.name, spec.zone);
  const zones = spec.zone ? [spec.zone] : offering;
  for (const zone of zones) {
    const room = available(cloud, spec.market, spec.type.name, zone);
    if (room >= min) {
      checkSpotPrice(spec, zone);
      return { zone, count: Math.min(max, room) };
    }
  }
  const others = offering
    .filter(
      (z) => z.name !== spec.zone?.name && available(cloud, spec.market, spec.type.name, z) >= min,
    )
    .map((z) => z.name);
  throw insufficient(cloud, spec.type.name, spec.zone, spec.zone ? others : []);
}

function newInstance(
  cloud: Cloud,
  region: string,
  spec: LaunchSpec,
  zone: Zone,
  reservationId: string,
  index: number,
): Instance {
  const id = `i-0${cloud.ids.hex(16)}`;
  const nth = cloud.nextOrdinal();
  const privateIp = cloud.privateIpFor(zone, nth);
  const wantsPublic = spec.publicIp ?? true; // default subnets map public IPs on launch
  const publicIp = wantsPublic ? `198.51.${100 + ((nth >> 8) % 4)}.${nth % 256}` : undefined;
  const mappings = spec.blockDeviceMappings.length
    ? spec.blockDeviceMappings
    : [
        {
          DeviceName: spec.image.rootDeviceName,
          Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true },
        },
      ];
  const inst: Instance = {
    id,
    nth,
    region,
    zone,
    reservationId,
    type: spec.type,
    image: spec.image,
    state: 'pending',
    stateReason: { Code: 'pending', Message: 'pending' },
    stateTransitionReason: '',
    launchTime: new Date(),
    tags: new Map(spec.instanceTags),
    volumeTags: new Map(spec.volumeTags),
    lifecycle: spec.market,
    spotRequestId: spec.market === 'spot' ? `sir-${cloud.ids.alnum(8)}` : undefined,
    spotMaxPrice: spec.maxPrice,
    privateIp,
    publicIp,
    subnetId: zone.subnetId,
    vpcId: defaultVpcId(region),
    securityGroups: (spec.securityGroupIds.length
      ? spec.securityGroupIds
      : [defaultSecurityGroupId(region)]
    ).map((g) => ({ GroupId: g, GroupName: g === defaultSecurityGroupId(region) ? 'default' : g })),
    clientToken: spec.clientToken,
    amiLaunchIndex: index,
    userData: spec.userData,
    iamInstanceProfile: spec.iamInstanceProfile,
    metadataOptions: spec.metadataOptions,
    blockDevices: mappings.map((m) => {
      const ebs = (m.Ebs ?? {}) as Record<string, unknown>;
      return {
        deviceName: str(m.DeviceName) ?? spec.image.rootDeviceName,
        volumeId: `vol-0${cloud.ids.hex(16)}`,
        deleteOnTermination: ebs.DeleteOnTermination !== false,
        volumeSize: Number(ebs.VolumeSize ?? 8),
        volumeType: str(ebs.VolumeType) ?? 'gp3',
        encrypted: ebs.Encrypted === true,
      };
    }),
    shutdownBehavior: spec.shutdownBehavior,
    ebsOptimized: spec.ebsOptimized,
    keyName: spec.keyName,
    agent: 'pending',
    agentRegisteredAt: undefined,
    lastPing: undefined,
    bootError: undefined,
    machine: undefined,
    started: Promise.resolve(),
    terminating: undefined,
    timers: new Set(),
  };
  cloud.instances.set(id, inst);
  cloud.start(inst, `${id}-${cloud.tag}`);
  return inst;
}

// ---- output shapes ----

function tagList(tags: Map<string, string>): Array<{ Key: string; Value: string }> {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

export function instanceShape(inst: Instance): Output {
  const dns = `ip-${inst.privateIp.replace(/\./g, '-')}.${inst.region === 'us-east-1' ? 'ec2.internal' : `${inst.region}.compute.internal`}`;
  const publicDns = inst.publicIp
    ? `ec2-${inst.publicIp.replace(/\./g, '-')}.${inst.region === 'us-east-1' ? 'compute-1' : `${inst.region}.compute`}.amazonaws.com`
    : '';
  const live = inst.state === 'pending' || inst.state === 'running';
  const meta = inst.metadataOptions;
  return {
    InstanceId: inst.id,
    ImageId: inst.image.imageId,
    State: { Code: STATE_CODES[inst.state], Name: inst.state },
    PrivateDnsName: live || inst.state === 'shutting-down' ? dns : '',
    PublicDnsName: live ? publicDns : '',
    StateTransitionReason: inst.stateTransitionReason,
    KeyName: inst.keyName,
    AmiLaunchIndex: inst.amiLaunchIndex,
    ProductCodes: [],
    InstanceType: inst.type.name,
    LaunchTime: inst.launchTime,
    Placement: {
      AvailabilityZone: inst.zone.name,
      AvailabilityZoneId: inst.zone.zoneId,
      GroupName: '',
      Tenancy: 'default',
    },
    Monitoring: { State: 'disabled' },
    SubnetId: live ? inst.subnetId : undefined,
    VpcId: live ? inst.vpcId : undefined,
    PrivateIpAddress: inst.state === 'terminated' ? undefined : inst.privateIp,
    PublicIpAddress: live ? inst.publicIp : undefined,
    StateReason: inst.state === 'running' ? undefined : inst.stateReason,
    Architecture: inst.type.arch,
    RootDeviceType: 'ebs',
    RootDeviceName: inst.image.rootDeviceName,
    BlockDeviceMappings:
      inst.state === 'terminated'
        ? []
        : inst.blockDevices.map((b) => ({
            DeviceName: b.deviceName,
            Ebs: {
              VolumeId: b.volumeId,
              Status: inst.state === 'shutting-down' ? 'detaching' : 'attached',
              AttachTime: inst.launchTime,
              DeleteOnTermination: b.deleteOnTermination,
            },
          })),
    VirtualizationType: 'hvm',
    InstanceLifecycle: inst.lifecycle === 'spot' ? 'spot' : undefined,
    SpotInstanceRequestId: inst.spotRequestId,
    ClientToken: inst.clientToken ?? '',
    Tags: inst.tags.size ? tagList(inst.tags) : undefined,
    SecurityGroups: live ? inst.securityGroups : [],
    SourceDestCheck: true,
    Hypervisor: 'xen',
    IamInstanceProfile: inst.iamInstanceProfile,
    NetworkInterfaces: live
      ? [
          {
            NetworkInterfaceId: `eni-${inst.id.slice(2)}`,
            SubnetId: inst.subnetId,
            VpcId: inst.vpcId,
            Description: '',
            OwnerId: '123456789012',
            Status: 'in-use',
            PrivateIpAddress: inst.privateIp,
            PrivateDnsName: dns,
            SourceDestCheck: true,
            Groups: inst.securityGroups,
            Attachment: {
              AttachmentId: `eni-attach-${inst.id.slice(2)}`,
              DeviceIndex: 0,
              Status: 'attached',
              AttachTime: inst.launchTime,
              DeleteOnTermination: true,
              NetworkCardIndex: 0,
            },
            Association: inst.publicIp
              ? { PublicIp: inst.publicIp, PublicDnsName: publicDns, IpOwnerId: 'amazon' }
              : undefined,
            PrivateIpAddresses: [
              {
                PrivateIpAddress: inst.privateIp,
                PrivateDnsName: dns,
                Primary: true,
                Association: inst.publicIp
                  ? { PublicIp: inst.publicIp, PublicDnsName: publicDns, IpOwnerId: 'amazon' }
                  : undefined,
              },
            ],
            InterfaceType: 'interface',
          },
        ]
      : [],
    EbsOptimized: inst.ebsOptimized,
    EnaSupport: true,
    CpuOptions: { CoreCount: Math.max(1, inst.type.vcpus / 2), ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: {
      State: inst.state === 'pending' ? 'pending' : 'applied',
      HttpTokens: str(meta.HttpTokens) ?? 'required',
      HttpPutResponseHopLimit: Number(meta.HttpPutResponseHopLimit ?? 2),
      HttpEndpoint: str(meta.HttpEndpoint) ?? 'enabled',
      HttpProtocolIpv6: str(meta.HttpProtocolIpv6) ?? 'disabled',
      InstanceMetadataTags: str(meta.InstanceMetadataTags) ?? 'disabled',
    },
    EnclaveOptions: { Enabled: false },
    BootMode: 'uefi-preferred',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: inst.launchTime,
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: 'uefi',
  };
}

function reservationShape(cloud: Cloud, reservationId: string, instances: Instance[]): Output {
  return {
    ReservationId: reservationId,
    OwnerId: cloud.accountId,
    RequesterId: instances[0]?.requesterId,
    Groups: [],
    Instances: instances.map(instanceShape),
  };
}

// ---- operations ----

function dryRun(input: Input): void {
  if (input.DryRun === true) {
    throw new AwsError(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    );
  }
}

const runInstances: Handler = (cloud, region, input) => {
  const min = Number(input.MinCount ?? NaN);
  const max = Number(input.MaxCount ?? NaN);
  if (!Number.isInteger(min))
    throw new AwsError('MissingParameter', 'The request must contain the parameter MinCount');
  if (!Number.isInteger(max))
    throw new AwsError('MissingParameter', 'The request must contain the parameter MaxCount');
  if (min < 1 || max < 1) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${min < 1 ? min : max}) for parameter ${min < 1 ? 'minCount' : 'maxCount'} is invalid. Expected a value greater than zero.`,
    );
  }
  if (min > max) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${min}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${max}).`,
    );
  }
  if (input.LaunchTemplate) {
    input = mergeLaunchTemplate(cloud, region, input);
  }
  const token = str(input.ClientToken);
  const key = token ? `${region}/${token}` : undefined;
  const fp = fingerprint(input);
  const seen = replayed(cloud, key, fp);
  if (seen) return seen;
  const spec = launchSpecFrom(cloud, region, input, [
    'instance',
    'volume',
    'spot-instances-request',
    'network-interface',
  ]);
  dryRun(input);
  const { zone, count } = placeLaunch(cloud, region, spec, min, max);
  const reservationId = `r-0${cloud.ids.hex(16)}`;
  const instances = Array.from({ length: count }, (_, i) =>
    newInstance(cloud, region, spec, zone, reservationId, i),
  );
  const result = reservationShape(cloud, reservationId, instances);
  if (key) cloud.clientTokens.set(key, { fingerprint: fp, result });
  return result;
};

const FILTERS: Record<string, (i: Instance) => string[]> = {
  'instance-id': (i) => [i.id],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(STATE_CODES[i.state])],
  'instance-type': (i) => [i.type.name],
  'instance-lifecycle': (i) => (i.lifecycle === 'spot' ? ['spot'] : []),
  'availability-zone': (i) => [i.zone.name],
  'image-id': (i) => [i.image.imageId],
  'reservation-id': (i) => [i.reservationId],
  'subnet-id': (i) => [i.subnetId],
  'vpc-id': (i) => [i.vpcId],
  'private-ip-address': (i) => [i.privateIp],
  'ip-address': (i) => (i.publicIp ? [i.publicIp] : []),
  'spot-instance-request-id': (i) => (i.spotRequestId ? [i.spotRequestId] : []),
  'client-token': (i) => (i.clientToken ? [i.clientToken] : []),
  architecture: (i) => [i.type.arch],
  'tag-key': (i) => [...i.tags.keys()],
  'tag-value': (i) => [...i.tags.values()],
  'iam-instance-profile.arn': (i) => (i.iamInstanceProfile ? [i.iamInstanceProfile.Arn] : []),
};

function instanceFilter(
  filters: Array<{ Name?: string; Values?: string[] }>,
): (i: Instance) => boolean {
  const tests = filters.map((f) => {
    const name = f.Name ?? '';
    const values = f.Values ?? [];
    let get: ((i: Instance) => string[]) | undefined = FILTERS[name];
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (i) => (i.tags.has(key) ? [i.tags.get(key)!] : []);
    }
    if (!get) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    const read = get;
    return (i: Instance) => read(i).some((v) => values.some((p) => wildcardMatch(p, v)));
  });
  return (i) => tests.every((t) => t(i));
}

function checkInstanceIds(cloud: Cloud, region: string, ids: string[]): Instance[] {
  const missing: string[] = [];
  const found: Instance[] = [];
  for (const id of ids) {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) {
      throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    }
    const inst = cloud.instances.get(id);
    // Eventual consistency: ids RunInstances returned moments ago are not known yet here.
    const young = inst && Date.now() - inst.launchTime.getTime() < cloud.fidelity.consistencyMs;
    if (!inst || inst.region !== region || young) missing.push(id);
    else found.push(inst);
  }
  if (missing.length === 1) {
    throw new AwsError(
      'InvalidInstanceID.NotFound',
      `The instance ID '${missing[0]}' does not exist`,
    );
  }
  if (missing.length > 1) {
    throw new AwsError(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${missing.join(', ')}' do not exist`,
    );
  }
  return found;
}

function maxResults(input: Input, min: number, max: number, dflt: number): number {
  if (input.MaxResults === undefined) return dflt;
  const n = Number(input.MaxResults);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${String(input.MaxResults)} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${max}.`,
    );
  }
  return n;
}

/** The answer already given to a request with this client token (idempotency), if any; a
 * different request under the same token is refused, as EC2 refuses it. */
function replayed(cloud: Cloud, key: string | undefined, fp: string): Output | undefined {
  const seen = key ? cloud.clientTokens.get(key) : undefined;
  if (!seen) return undefined;
  if (seen.fingerprint !== fp) {
    throw new AwsError(
      'IdempotentParameterMismatch',
      'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
    );
  }
  return seen.result as Output;
}

const invalidToken = () =>
  new AwsError('InvalidNextToken', 'The specified token is invalid or expired');

const describeInstances: Handler = (cloud, region, input) => {
  const ids = arr<string>(input.InstanceIds);
  if (ids.length && input.MaxResults !== undefined) {
    throw new AwsError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  const filter = instanceFilter(arr(input.Filters));
  const pool = ids.length ? checkInstanceIds(cloud, region, ids) : cloud.instancesIn(region);
  const matched = pool.filter(filter);
  const { page, nextToken } = paginate(
    matched,
    input,
    maxResults(input, 5, 1000, 1000),
    invalidToken,
  );
  const reservations = new Map<string, Instance[]>();
  for (const inst of page) {
    const list = reservations.get(inst.reservationId) ?? [];
    list.push(inst);
    reservations.set(inst.reservationId, list);
  }
  return {
    Reservations: [...reservations].map(([rid, list]) => reservationShape(cloud, rid, list)),
    NextToken: nextToken,
  };
};

const terminateInstances: Handler = (cloud, region, input) => {
  const ids = arr<string>(input.InstanceIds);
  if (!ids.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
  const found = checkInstanceIds(cloud, region, ids);
  dryRun(input);
  return {
    TerminatingInstances: found.map((inst) => {
      const before = inst.state;
      void cloud.terminate(inst);
      return {
        InstanceId: inst.id,
        PreviousState: { Code: STATE_CODES[before], Name: before },
        CurrentState: { Code: STATE_CODES[inst.state], Name: inst.state },
      };
    }),
  };
};

const createTags: Handler = (cloud, region, input) => {
  const resources = arr<string>(input.Resources);
  const tags = validateTags(arr(input.Tags), 'tags');
  const instIds = resources.filter((r) => r.startsWith('i-'));
  const insts = checkInstanceIds(cloud, region, instIds);
  dryRun(input);
  for (const inst of insts) {
    for (const [k, v] of tags) inst.tags.set(k, v);
    if (inst.tags.size > 50)
      throw new AwsError('TagLimitExceeded', 'The maximum number of tags for a resource is 50.');
  }
  return {};
};

const deleteTags: Handler = (cloud, region, input) => {
  const insts = checkInstanceIds(
    cloud,
    region,
    arr<string>(input.Resources).filter((r) => r.startsWith('i-')),
  );
  dryRun(input);
  const tags = arr<{ Key?: string; Value?: string }>(input.Tags);
  for (const inst of insts) {
    if (!tags.length) inst.tags.clear();
    for (const t of tags) {
      if (t.Key && (t.Value === undefined || inst.tags.get(t.Key) === t.Value))
        inst.tags.delete(t.Key);
    }
  }
  return {};
};

function typeShape(t: InstanceTypeInfo): Output {
  return {
    InstanceType: t.name,
    CurrentGeneration: true,
    FreeTierEligible: t.name === 't2.micro' || t.name === 't3.micro',
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: {
      SupportedArchitectures: [t.arch],
      SustainedClockSpeedInGhz: t.arch === 'arm64' ? 2.6 : 3.1,
      Manufacturer: t.arch === 'arm64' ? 'AWS' : 'Intel',
    },
    VCpuInfo: {
      DefaultVCpus: t.vcpus,
      DefaultCores: Math.max(1, t.vcpus / 2),
      DefaultThreadsPerCore: t.arch === 'arm64' ? 1 : 2,
    },
    MemoryInfo: { SizeInMiB: t.memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: {
      EbsOptimizedSupport: 'default',
      EncryptionSupport: 'supported',
      NvmeSupport: 'required',
    },
    NetworkInfo: {
      NetworkPerformance: 'Up to 5 Gigabit',
      MaximumNetworkInterfaces: 3,
      Ipv4AddressesPerInterface: 6,
      Ipv6Supported: true,
      EnaSupport: 'required',
    },
    PlacementGroupInfo: { SupportedStrategies: ['partition', 'spread'] },
    HibernationSupported: false,
    BurstablePerformanceSupported: t.burstable,
    DedicatedHostsSupported: false,
    AutoRecoverySupported: true,
    SupportedBootModes: t.arch === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}

const describeInstanceTypes: Handler = (cloud, region, input) => {
  const names = arr<string>(input.InstanceTypes);
  const here = (n: string) => INSTANCE_TYPES.has(n) && isOffered(notOffered(cloud), n, region);
  const unknown = names.filter((n) => !here(n));
  if (unknown.length) {
    throw new AwsError(
      'InvalidInstanceType',
      `The following supplied instance types do not exist: [${unknown.join(', ')}]`,
    );
  }
  let types = names.length
    ? names.map((n) => INSTANCE_TYPES.get(n)!)
    : [...INSTANCE_TYPES.values()].filter((t) => here(t.name));
  for (const f of arr<{ Name?: string; Values?: string[] }>(input.Filters)) {
    const values = f.Values ?? [];
    const get: Record<string, (t: InstanceTypeInfo) => string[]> = {
      'instance-type': (t) => [t.name],
      'processor-info.supported-architecture': (t) => [t.arch],
      'current-generation': () => ['true'],
      'vcpu-info.default-vcpus': (t) => [String(t.vcpus)],
      'memory-info.size-in-mib': (t) => [String(t.memoryMiB)],
      'burstable-performance-supported': (t) => [String(t.burstable)],
      'supported-usage-class': () => ['on-demand', 'spot'],
    };
    const read = get[f.Name ?? ''];
    if (!read) throw new AwsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    types = types.filter((t) => read(t).some((v) => values.some((p) => wildcardMatch(p, v))));
  }
  const { page, nextToken } = paginate(types, input, maxResults(input, 5, 100, 100), invalidToken);
  return { InstanceTypes: page.map(typeShape), NextToken: nextToken };
};

const describeInstanceTypeOfferings: Handler = (cloud, region, input) => {
  const kind = str(input.LocationType) ?? 'region';
  const zones = zonesOf(region);
  const locations: Array<{ name: string; zone?: string }> =
    kind === 'region'
      ? [{ name: region }]
      : kind === 'availability-zone'
        ? zones.map((z) => ({ name: z.name, zone: z.name }))
        : kind === 'availability-zone-id'
          ? zones.map((z) => ({ name: z.zoneId, zone: z.name }))
          : [];
  if (locations.length === 0) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${kind}' for LocationType`);
  }
  let offerings = locations.flatMap((loc) =>
    [...INSTANCE_TYPES.keys()]
      .filter((t) => isOffered(notOffered(cloud), t, region, loc.zone))
      .map((t) => ({ InstanceType: t, LocationType: kind, Location: loc.name })),
  );
  for (const f of arr<{ Name?: string; Values?: string[] }>(input.Filters)) {
    const values = f.Values ?? [];
    const key =
      f.Name === 'instance-type' ? 'InstanceType' : f.Name === 'location' ? 'Location' : undefined;
    if (!key) throw new AwsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    offerings = offerings.filter((o) => values.some((p) => wildcardMatch(p, o[key])));
  }
  const { page, nextToken } = paginate(
    offerings,
    input,
    maxResults(input, 5, 1000, 1000),
    invalidToken,
  );
  return { InstanceTypeOfferings: page, NextToken: nextToken };
};

function imageShape(img: ImageInfo): Output {
  return {
    ImageId: img.imageId,
    ImageLocation: `${img.ownerId}/${img.name}`,
    State: 'available',
    OwnerId: img.ownerId,
    CreationDate: img.creationDate,
    Public: true,
    Architecture: img.arch,
    ImageType: 'machine',
    Name: img.name,
    Description: img.description,
    ImageOwnerAlias: img.ownerAlias || undefined,
    RootDeviceType: 'ebs',
    RootDeviceName: img.rootDeviceName,
    BlockDeviceMappings: [
      {
        DeviceName: img.rootDeviceName,
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: `snap-${img.imageId.slice(4)}`,
          VolumeSize: 8,
          VolumeType: 'gp3',
          Encrypted: false,
        },
      },
    ],
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BootMode: 'uefi-preferred',
    DeprecationTime: '2027-01-15T00:00:00.000Z',
  };
}

const describeImages: Handler = (_cloud, region, input) => {
  const ids = arr<string>(input.ImageIds);
  let images = imagesOf(region);
  if (ids.length) {
    const missing = ids.filter((id) => !images.some((i) => i.imageId === id));
    if (missing.length) {
      throw new AwsError(
        'InvalidAMIID.NotFound',
        `The image id '[${missing.join(', ')}]' does not exist`,
      );
    }
    images = images.filter((i) => ids.includes(i.imageId));
  }
  const owners = arr<string>(input.Owners);
  if (owners.length) {
    images = images.filter((i) =>
      owners.some((o) => o === i.ownerId || (i.ownerAlias !== '' && o === i.ownerAlias)),
    );
  }
  for (const f of arr<{ Name?: string; Values?: string[] }>(input.Filters)) {
    const values = f.Values ?? [];
    const get: Record<string, (i: ImageInfo) => string[]> = {
      name: (i) => [i.name],
      architecture: (i) => [i.arch],
      'image-id': (i) => [i.imageId],
      'owner-id': (i) => [i.ownerId],
      'owner-alias': (i) => [i.ownerAlias],
      state: () => ['available'],
      'root-device-type': () => ['ebs'],
      'virtualization-type': () => ['hvm'],
      'is-public': () => ['true'],
    };
    const read = get[f.Name ?? ''];
    if (!read) throw new AwsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    images = images.filter((i) => read(i).some((v) => values.some((p) => wildcardMatch(p, v))));
  }
  return { Images: images.map(imageShape) };
};

const describeRegions: Handler = (_cloud, region, input) => {
  const names = arr<string>(input.RegionNames);
  const all = [...new Set([...KNOWN_REGIONS, region])];
  const list = names.length ? names : all;
  return {
    Regions: list.map((r) => ({
      RegionName: r,
      Endpoint: `ec2.${r}.amazonaws.com`,
      OptInStatus: 'opt-in-not-required',
    })),
  };
};

const describeAvailabilityZones: Handler = (_cloud, region, input) => {
  const names = arr<string>(input.ZoneNames);
  const zones = zonesOf(region).filter((z) => !names.length || names.includes(z.name));
  return {
    AvailabilityZones: zones.map((z) => ({
      State: 'available',
      OptInStatus: 'opt-in-not-required',
      Messages: [],
      RegionName: region,
      ZoneName: z.name,
      ZoneId: z.zoneId,
      GroupName: region,
      NetworkBorderGroup: region,
      ZoneType: 'availability-zone',
    })),
  };
};

const describeSubnets: Handler = (_cloud, region, input) => {
  const ids = arr<string>(input.SubnetIds);
  const zones = zonesOf(region);
  for (const id of ids) {
    if (!zones.some((z) => z.subnetId === id)) {
      throw new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    }
  }
  let list = zones.filter((z) => !ids.length || ids.includes(z.subnetId));
  for (const f of arr<{ Name?: string; Values?: string[] }>(input.Filters)) {
    const values = f.Values ?? [];
    const get: Record<string, (z: Zone) => string[]> = {
      'availability-zone': (z) => [z.name],
      'availability-zone-id': (z) => [z.zoneId],
      'default-for-az': () => ['true'],
      'subnet-id': (z) => [z.subnetId],
      'vpc-id': () => [defaultVpcId(region)],
      'map-public-ip-on-launch': () => ['true'],
      state: () => ['available'],
    };
    const read = get[f.Name ?? ''];
    if (!read) throw new AwsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    list = list.filter((z) => read(z).some((v) => values.some((p) => wildcardMatch(p, v))));
  }
  return {
    Subnets: list.map((z) => ({
      AvailabilityZone: z.name,
      AvailabilityZoneId: z.zoneId,
      AvailableIpAddressCount: 4091,
      CidrBlock: z.cidr,
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      State: 'available',
      SubnetId: z.subnetId,
      VpcId: defaultVpcId(region),
      OwnerId: '123456789012',
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      SubnetArn: `arn:aws:ec2:${region}:123456789012:subnet/${z.subnetId}`,
    })),
  };
};

const describeVpcs: Handler = (_cloud, region) => ({
  Vpcs: [
    {
      CidrBlock: '172.31.0.0/16',
      DhcpOptionsId: `dopt-${defaultVpcId(region).slice(4)}`,
      State: 'available',
      VpcId: defaultVpcId(region),
      OwnerId: '123456789012',
      InstanceTenancy: 'default',
      IsDefault: true,
    },
  ],
});

const describeSpotPriceHistory: Handler = (_cloud, region, input) => {
  const types = arr<string>(input.InstanceTypes);
  const products = arr<string>(input.ProductDescriptions);
  const zoneName = str(input.AvailabilityZone);
  const zones = zonesOf(region).filter((z) => !zoneName || z.name === zoneName);
  const wanted = types.length ? types.map((t) => instanceType(t)) : [...INSTANCE_TYPES.values()];
  const rows: Output[] = [];
  const now = new Date();
  for (const t of wanted) {
    for (const z of zones) {
      for (const product of ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)']) {
        if (products.length && !products.includes(product)) continue;
        rows.push({
          AvailabilityZone: z.name,
          InstanceType: t.name,
          ProductDescription: product,
          SpotPrice: spotPrice(t, z.name).toFixed(6),
          Timestamp: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000),
        });
      }
    }
  }
  const { page, nextToken } = paginate(rows, input, maxResults(input, 1, 1000, 1000), invalidToken);
  return { SpotPriceHistory: page, NextToken: nextToken ?? '' };
};

// ---- launch templates and instant fleets ----

function findTemplate(cloud: Cloud, region: string, spec: Record<string, unknown>): LaunchTemplate {
  const id = str(spec.LaunchTemplateId);
  const name = str(spec.LaunchTemplateName);
  for (const lt of cloud.launchTemplates.values()) {
    if (lt.region === region && ((id && lt.id === id) || (name && lt.name === name))) return lt;
  }
  if (id)
    throw new AwsError(
      'InvalidLaunchTemplateId.NotFound',
      `The specified launch template, with template ID ${id}, does not exist.`,
    );
  throw new AwsError(
    'InvalidLaunchTemplateName.NotFoundException',
    `The specified launch template, with template name ${name ?? ''}, does not exist.`,
  );
}

function templateData(lt: LaunchTemplate, version: string | undefined): Record<string, unknown> {
  const n =
    version === undefined || version === '$Default'
      ? lt.defaultVersion
      : version === '$Latest'
        ? lt.versions.length
        : Number(version);
  const data = lt.versions[n - 1];
  if (!data)
    throw new AwsError(
      'InvalidLaunchTemplateVersion.NotFound',
      `The specified launch template version ${version ?? ''} does not exist.`,
    );
  return data;
}

function mergeLaunchTemplate(cloud: Cloud, region: string, input: Input): Input {
  const spec = input.LaunchTemplate as Record<string, unknown>;
  const data = templateData(findTemplate(cloud, region, spec), str(spec.Version));
  return { ...data, ...input };
}

function templateShape(lt: LaunchTemplate): Output {
  return {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    CreateTime: lt.createdAt,
    CreatedBy: 'arn:aws:iam::123456789012:user/local',
    DefaultVersionNumber: lt.defaultVersion,
    LatestVersionNumber: lt.versions.length,
    Tags: tagList(lt.tags),
  };
}

const createLaunchTemplate: Handler = (cloud, region, input) => {
  const name = str(input.LaunchTemplateName);
  if (!name)
    throw new AwsError(
      'MissingParameter',
      'The request must contain the parameter LaunchTemplateName',
    );
  if ([...cloud.launchTemplates.values()].some((l) => l.region === region && l.name === name)) {
    throw new AwsError(
      'InvalidLaunchTemplateName.AlreadyExistsException',
      `Launch template name already in use.`,
    );
  }
  const tags = tagsByType(arr<TagSpec>(input.TagSpecifications), ['launch-template']);
  dryRun(input);
  const lt: LaunchTemplate = {
    id: `lt-${cloud.ids.hex(17)}`,
    name,
    region,
    createdAt: new Date(),
    versions: [(input.LaunchTemplateData ?? {}) as Record<string, unknown>],
    defaultVersion: 1,
    tags: tags.get('launch-template') ?? new Map(),
  };
  cloud.launchTemplates.set(lt.id, lt);
  return { LaunchTemplate: templateShape(lt) };
};

const deleteLaunchTemplate: Handler = (cloud, region, input) => {
  const lt = findTemplate(cloud, region, input);
  dryRun(input);
  cloud.launchTemplates.delete(lt.id);
  return { LaunchTemplate: templateShape(lt) };
};

const describeLaunchTemplates: Handler = (cloud, region, input) => {
  const ids = arr<string>(input.LaunchTemplateIds);
  const names = arr<string>(input.LaunchTemplateNames);
  const list = [...cloud.launchTemplates.values()].filter(
    (l) =>
      l.region === region &&
      (!ids.length || ids.includes(l.id)) &&
      (!names.length || names.includes(l.name)),
  );
  return { LaunchTemplates: list.map(templateShape) };
};

const createFleet: Handler = (cloud, region, input) => {
  if (input.Type !== 'instant') {
    throw new AwsError(
      'InvalidParameterValue',
      `This local cloud serves CreateFleet only with Type=instant (got ${String(input.Type ?? 'maintain')})`,
    );
  }
  const target = (input.TargetCapacitySpecification ?? {}) as Record<string, unknown>;
  const total = Number(target.TotalTargetCapacity ?? 0);
  if (!Number.isInteger(total) || total < 1) {
    throw new AwsError(
      'InvalidTargetCapacitySpecification',
      'TotalTargetCapacity must be a positive integer.',
    );
  }
  const defaultType = str(target.DefaultTargetCapacityType) ?? 'on-demand';
  const spotWanted = Number(target.SpotTargetCapacity ?? (defaultType === 'spot' ? total : 0));
  const onDemandWanted = Number(
    target.OnDemandTargetCapacity ?? (defaultType === 'on-demand' ? total : total - spotWanted),
  );
  const fleetTags = tagsByType(arr<TagSpec>(input.TagSpecifications), [
    'fleet',
    'instance',
    'volume',
  ]);
  const token = str(input.ClientToken);
  const key = token ? `${region}/fleet/${token}` : undefined;
  const fp = fingerprint(input);
  const seen = replayed(cloud, key, fp);
  if (seen) return seen;
  interface Pool {
    config: Record<string, unknown>;
    override: Record<string, unknown>;
    data: Input;
  }
  const pools: Pool[] = [];
  for (const config of arr<Record<string, unknown>>(input.LaunchTemplateConfigs)) {
    const ltSpec = (config.LaunchTemplateSpecification ?? {}) as Record<string, unknown>;
    const data = templateData(findTemplate(cloud, region, ltSpec), str(ltSpec.Version));
    const overrides = arr<Record<string, unknown>>(config.Overrides);
    for (const override of overrides.length ? overrides : [{}])
      pools.push({ config, override, data });
  }
  if (!pools.length)
    throw new AwsError(
      'MissingParameter',
      'The request must contain the parameter LaunchTemplateConfigs',
    );
  dryRun(input);
  const errors: Output[] = [];
  const launched = new Map<Pool, { market: string; instances: Instance[] }[]>();
  const ltAndOverrides = (p: Pool) => ({
    LaunchTemplateSpecification: {
      LaunchTemplateId:
        str((p.config.LaunchTemplateSpecification as Record<string, unknown>).LaunchTemplateId) ??
        findTemplate(cloud, region, p.config.LaunchTemplateSpecification as Record<string, unknown>)
          .id,
      Version:
        str((p.config.LaunchTemplateSpecification as Record<string, unknown>).Version) ?? '1',
    },
    Overrides: Object.keys(p.override).length ? p.override : undefined,
  });
  const fill = (market: 'spot' | 'on-demand', wanted: number) => {
    let remaining = wanted;
    const ordered = [...pools].sort((a, b) => {
      const pa = Number(a.override.Priority ?? Infinity);
      const pb = Number(b.override.Priority ?? Infinity);
      if (pa !== pb) return pa - pb;
      return poolPrice(region, a, market) - poolPrice(region, b, market);
    });
    for (const pool of ordered) {
      if (remaining <= 0) break;
      const merged: Input = {
        ...pool.data,
        ...pool.override,
        InstanceMarketOptions:
          market === 'spot'
            ? {
                MarketType: 'spot',
                SpotOptions: {
                  MaxPrice:
                    pool.override.MaxPrice ??
                    (input.SpotOptions as Record<string, unknown> | undefined)?.MaxTotalPrice,
                },
              }
            : undefined,
        TagSpecifications: [
          ...[...fleetTags]
            .filter(([t]) => t !== 'fleet')
            .map(([t, tags]) => ({ ResourceType: t, Tags: tagList(tags) })),
        ],
      };
      if (pool.override.SubnetId) merged.NetworkInterfaces = undefined;
      try {
        const spec = launchSpecFrom(cloud, region, merged, ['instance', 'volume']);
        for (const ts of arr<TagSpec>((pool.data as Input).TagSpecifications)) {
          if (ts.ResourceType === 'instance')
            for (const t of arr<{ Key?: string; Value?: string }>(ts.Tags))
              if (t.Key && !spec.instanceTags.has(t.Key))
                spec.instanceTags.set(t.Key, t.Value ?? '');
        }
        const { zone, count } = placeLaunch(cloud, region, spec, 1, remaining);
        const rid = `r-0${cloud.ids.hex(16)}`;
        const insts = Array.from({ length: count }, (_, i) =>
          newInstance(cloud, region, spec, zone, rid, i),
        );
        remaining -= count;
        const list = launched.get(pool) ?? [];
        list.push({ market, instances: insts });
        launched.set(pool, list);
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        errors.push({
          LaunchTemplateAndOverrides: ltAndOverrides(pool),
          Lifecycle: market,
          ErrorCode: err.code,
          ErrorMessage: err.message,
        });
      }
    }
  };
  if (spotWanted > 0) fill('spot', spotWanted);
  if (onDemandWanted > 0) fill('on-demand', onDemandWanted);
  const result: Output = {
    FleetId: `fleet-${cloud.ids.uuid()}`,
    Errors: errors,
    Instances: [...launched].flatMap(([pool, groups]) =>
      groups.map((g) => ({
        LaunchTemplateAndOverrides: ltAndOverrides(pool),
        Lifecycle: g.market,
        InstanceIds: g.instances.map((i) => i.id),
        InstanceType: g.instances[0]?.type.name,
        Platform: undefined,
      })),
    ),
  };
  if (key) cloud.clientTokens.set(key, { fingerprint: fp, result });
  return result;
};

function poolPrice(
  region: string,
  p: { override: Record<string, unknown>; data: Input },
  market: string,
): number {
  const type = INSTANCE_TYPES.get(str(p.override.InstanceType) ?? str(p.data.InstanceType) ?? '');
  if (!type) return Infinity;
  const subnet = str(p.override.SubnetId);
  const zone = subnet ? zonesOf(region).find((z) => z.subnetId === subnet) : zonesOf(region)[0];
  return market === 'spot'
    ? spotPrice(type, zone?.name ?? `${region}a`)
    : onDemandPrice(type, region);
}

const describeInstanceStatus: Handler = (cloud, region, input) => {
  const ids = arr<string>(input.InstanceIds);
  const pool = ids.length ? checkInstanceIds(cloud, region, ids) : cloud.instancesIn(region);
  const all = input.IncludeAllInstances === true;
  return {
    InstanceStatuses: pool
      .filter((i) => all || i.state === 'running')
      .map((i) => {
        const ok = i.state === 'running' && !i.bootError;
        const status = i.state === 'running' ? (ok ? 'ok' : 'impaired') : 'not-applicable';
        return {
          InstanceId: i.id,
          AvailabilityZone: i.zone.name,
          InstanceState: { Code: STATE_CODES[i.state], Name: i.state },
          InstanceStatus: {
            Status: status,
            Details: [{ Name: 'reachability', Status: ok ? 'passed' : 'failed' }],
          },
          SystemStatus: { Status: status, Details: [{ Name: 'reachability', Status: 'passed' }] },
        };
      }),
  };
};

const describeSecurityGroups: Handler = (_cloud, region) => ({
  SecurityGroups: [
    {
      GroupId: defaultSecurityGroupId(region),
      GroupName: 'default',
      Description: 'default VPC security group',
      OwnerId: '123456789012',
      VpcId: defaultVpcId(region),
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    },
  ],
});

export const EC2_HANDLERS: Record<string, Handler> = {
  RunInstances: runInstances,
  CreateFleet: createFleet,
  CreateLaunchTemplate: createLaunchTemplate,
  DeleteLaunchTemplate: deleteLaunchTemplate,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  TerminateInstances: terminateInstances,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
  DescribeImages: describeImages,
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeSubnets: describeSubnets,
  DescribeVpcs: describeVpcs,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSpotPriceHistory: describeSpotPriceHistory,
};
