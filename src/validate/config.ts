// config.yaml → CloudConfig: the checks the schema cannot express, and normalisation of
// both shapes (the original tool's and the native one) into the model.

import type { CloudConfig, OsName, RegionSpec } from '../manifest/model.ts';
import type { AwsSettings, SpotSettings } from '../manifest/schema-types.ts';
import { durationSeconds, scalarString } from '../manifest/names.ts';
import { bool, int, isObj, scalar, str, type FileReporter } from './report.ts';
import { sourceText, type DataPath, type YamlFile } from './yaml.ts';

export const DEFAULTS = {
  totalInstances: 3,
  instanceType: 't3.medium',
  os: 'ubuntu-24.04' as OsName,
  rootVolumeGb: 20,
  associatePublicIp: true,
  onDemandFallback: false,
};

/** Tags the action sets itself; a user's value would be overwritten. */
const OVERRIDDEN_TAGS = new Set(['Name']);
const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 365 * 86400;

interface RegionEntry {
  name: string;
  settings: unknown;
  path: DataPath;
}

function regionEntries(regions: unknown, r: FileReporter): RegionEntry[] {
  const out: RegionEntry[] = [];
  if (Array.isArray(regions)) {
    const first = new Map<string, DataPath>();
    regions.forEach((entry, i) => {
      if (!isObj(entry)) return;
      const keys = Object.keys(entry);
      if (keys.length !== 1) return; // the schema says so
      const name = keys[0]!;
      const path: DataPath = ['regions', i, name];
      const earlier = first.get(name);
      if (earlier) {
        r.error(path, `region '${name}' is listed twice (first at line ${r.line(earlier)})`, 'key');
        return;
      }
      first.set(name, path);
      out.push({ name, settings: entry[name], path });
    });
  } else if (isObj(regions)) {
    for (const [name, settings] of Object.entries(regions)) {
      out.push({ name, settings, path: ['regions', name] });
    }
  }
  return out;
}

function priceText(y: YamlFile, path: DataPath, v: unknown, r: FileReporter): string | undefined {
  const s = scalar(v);
  if (s === undefined || typeof s === 'boolean') return undefined;
  const text = scalarString(s, sourceText(y, path));
  if (!(Number(text) > 0)) {
    r.error(path, `'${path.join('.')}' must be a price above 0 in USD per hour, such as 0.05`);
    return undefined;
  }
  return text;
}

/** The region's image: `auto` when left out; the original's `latest` means `auto`. */
function imageOf(r: FileReporter, path: DataPath, image: string | undefined): string {
  if (image !== 'latest') return image ?? 'auto';
  r.warn(
    path,
    "image 'latest' is read as 'auto': the current image of aws.os, looked up at launch",
  );
  return 'auto';
}

function regionSpecs(entries: RegionEntry[], r: FileReporter): RegionSpec[] {
  return entries.map(({ name, settings, path }) => {
    const s = isObj(settings) ? settings : {};
    const machine = str(s.machine_type);
    const listed = Array.isArray(s.instance_types)
      ? s.instance_types.filter((t): t is string => typeof t === 'string')
      : undefined;
    if (machine !== undefined && listed !== undefined) {
      r.error(
        [...path, 'instance_types'],
        `region '${name}' sets both machine_type and instance_types; keep instance_types (and put ${machine} in it)`,
        'key',
      );
    }
    const types = listed ?? (machine !== undefined ? [machine] : [DEFAULTS.instanceType]);
    types.forEach((t, i) => {
      const j = types.indexOf(t);
      if (j < i) {
        r.error(
          [...path, 'instance_types', i],
          `instance type '${t}' is listed twice in region '${name}'`,
        );
      }
    });
    const subnets = Array.isArray(s.subnets)
      ? s.subnets.filter((t): t is string => typeof t === 'string')
      : [];
    const count = int(s.count);
    return {
      name,
      instanceTypes: types,
      image: imageOf(r, [...path, 'image'], str(s.image)),
      subnets,
      ...(count !== undefined ? { count } : {}),
    };
  });
}

/** The total: explicit counts stand; it defaults to their sum when every region has one,
 * else to the original tool's 3. */
function totalInstancesOf(
  aws: NonNullable<AwsSettings>,
  regions: RegionSpec[],
  entries: RegionEntry[],
  r: FileReporter,
): number {
  const explicit = regions.map((x) => x.count);
  const fixed = explicit.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  const allExplicit = regions.length > 0 && explicit.every((c) => c !== undefined);
  const givenTotal = int(aws.total_instances);
  const total = givenTotal ?? (allExplicit ? fixed : DEFAULTS.totalInstances);
  const totalPath: DataPath = givenTotal !== undefined ? ['aws', 'total_instances'] : ['regions'];
  if (total < 1) {
    // the schema reported it
  } else if (fixed > total) {
    r.error(
      totalPath,
      `the regions' counts add up to ${fixed}, more than total_instances (${total}${givenTotal === undefined ? ', the default' : ''})`,
      givenTotal !== undefined ? 'value' : 'key',
    );
  } else if (allExplicit && fixed !== total) {
    r.error(totalPath, `total_instances is ${total} but the regions' counts add up to ${fixed}`);
  } else {
    const free = explicit.filter((c) => c === undefined).length;
    const left = total - fixed;
    if (free > 0 && left < free) {
      const idle = entries.filter((_, i) => explicit[i] === undefined).slice(left);
      for (const e of idle) {
        r.warn(
          e.path,
          `region '${e.name}' gets no instance: ${left} instance${left === 1 ? '' : 's'} left for ${free} regions without a count`,
          'key',
        );
      }
    }
  }

  return total;
}

/** The original spot_price_limit or the native spot.max_price, not both. */
function maxPriceOf(
  y: YamlFile,
  aws: NonNullable<AwsSettings>,
  spot: NonNullable<SpotSettings>,
  r: FileReporter,
): string | undefined {
  let maxPrice: string | undefined;
  if (aws.spot_price_limit !== undefined && spot.max_price !== undefined) {
    r.error(
      ['aws', 'spot', 'max_price'],
      'both aws.spot_price_limit and aws.spot.max_price are set; keep one',
      'key',
    );
  } else if (aws.spot_price_limit !== undefined) {
    maxPrice = priceText(y, ['aws', 'spot_price_limit'], aws.spot_price_limit, r);
  } else if (spot.max_price !== undefined) {
    maxPrice = priceText(y, ['aws', 'spot', 'max_price'], spot.max_price, r);
  }

  return maxPrice;
}

function ttlOf(aws: NonNullable<AwsSettings>, r: FileReporter): number | undefined {
  let ttlSeconds: number | undefined;
  const ttl = scalar(aws.ttl);
  if (ttl !== undefined && ttl !== 'off' && typeof ttl !== 'boolean') {
    const seconds = durationSeconds(ttl);
    if (seconds !== undefined && seconds < MIN_TTL_SECONDS) {
      r.error(['aws', 'ttl'], `aws.ttl is ${seconds}s; it must be at least 1m (or off)`);
    } else if (seconds !== undefined && seconds > MAX_TTL_SECONDS) {
      r.error(['aws', 'ttl'], 'aws.ttl must be at most 365d (or off)');
    } else if (seconds !== undefined) ttlSeconds = seconds;
  }

  return ttlSeconds;
}

function tagsOf(
  y: YamlFile,
  aws: NonNullable<AwsSettings>,
  r: FileReporter,
): Record<string, string> {
  const tags: Record<string, string> = {};
  if (isObj(aws.tags)) {
    for (const [key, value] of Object.entries(aws.tags)) {
      const v = scalar(value);
      if (v === undefined) continue;
      const text = scalarString(v, sourceText(y, ['aws', 'tags', key]));
      if (text.length > 256) {
        r.error(['aws', 'tags', key], `tag '${key}' has a value longer than 256 characters`);
      }
      if (OVERRIDDEN_TAGS.has(key)) {
        r.warn(
          ['aws', 'tags', key],
          `tag '${key}' is set by the action (the deployment's name); yours is ignored`,
          'key',
        );
        continue;
      }
      tags[key] = text;
    }
  }

  return tags;
}

export function normalizeConfig(y: YamlFile, r: FileReporter): CloudConfig {
  const data = isObj(y.data) ? y.data : {};
  const aws: NonNullable<AwsSettings> = isObj(data.aws)
    ? (data.aws as NonNullable<AwsSettings>)
    : {};
  const entries = regionEntries(data.regions, r);

  const regions = regionSpecs(entries, r);
  const totalInstances = totalInstancesOf(aws, regions, entries, r);
  const spot: NonNullable<SpotSettings> = isObj(aws.spot)
    ? (aws.spot as NonNullable<SpotSettings>)
    : {};
  const maxPrice = maxPriceOf(y, aws, spot, r);
  const ttlSeconds = ttlOf(aws, r);
  const tags = tagsOf(y, aws, r);
  const profile = str(aws.instance_profile);
  return {
    totalInstances,
    regions,
    tags,
    os: (str(aws.os) as OsName | undefined) ?? DEFAULTS.os,
    ...(maxPrice !== undefined ? { maxPrice } : {}),
    onDemandFallback: bool(spot.on_demand_fallback) ?? DEFAULTS.onDemandFallback,
    associatePublicIp: bool(aws.associate_public_ip) ?? DEFAULTS.associatePublicIp,
    rootVolumeGb: int(aws.instance_storage_gb) ?? DEFAULTS.rootVolumeGb,
    ...(profile !== undefined ? { instanceProfile: profile } : {}),
    ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
  };
}

/** The cloud settings of a convention deployment that has none: one instance of the
 * default type and image in `region`. */
export function defaultCloudConfig(region: string): CloudConfig {
  return {
    totalInstances: 1,
    regions: [{ name: region, instanceTypes: [DEFAULTS.instanceType], image: 'auto', subnets: [] }],
    tags: {},
    os: DEFAULTS.os,
    onDemandFallback: DEFAULTS.onDemandFallback,
    associatePublicIp: DEFAULTS.associatePublicIp,
    rootVolumeGb: DEFAULTS.rootVolumeGb,
  };
}
