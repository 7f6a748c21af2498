// The deployment record: a small JSON file saved with @actions/cache after a deploy, so
// that `destroy` and `status` also search the regions the deployment actually used, even
// when the manifest has changed since (a pull request that moved regions still destroys
// everything). The record is a hint, never the source of truth: instances are always found
// by their tags, and without a record (cache unavailable, expired, another branch's scope)
// the commands carry on by tags in the manifest's regions, with a warning.
//
// Cache keys are immutable, so every save gets its own key:
//   spot-deployer-record-<first 32 hex of sha256(deployment id)>-<time>-<run id>
// and a restore asks for the prefix, which the cache service answers with the newest entry.
//
// The file exists only while it is archived or extracted, at
// $RUNNER_TEMP/spot-deployer-record/record.json. The cache version hashes that path and the
// compression (zstd or gzip), so runners of one layout (all GitHub-hosted Linux runners)
// share records. The cache is scoped by ref: the runs of a pull request (opened,
// synchronize and closed all run on refs/pull/N/merge) see its records; a branch sees its own.
// The checks here read the environment the host passes (deps.env); @actions/cache itself
// reads ACTIONS_CACHE_URL and ACTIONS_RUNTIME_TOKEN from process.env.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DeploymentRecord {
  version: 1;
  deploymentId: string;
  instances: { id: string; region: string }[];
  /** Every region the deployment spans (the plan's regions, whether or not they got instances). */
  regions: string[];
  manifestDigest: string;
  /** ISO 8601 time of the deploy. */
  savedAt: string;
  /** The run that deployed (`RunIdentity.runId`). */
  runId: string;
}

/** The part of @actions/cache this module uses; tests may pass another implementation. */
export interface CacheApi {
  isFeatureAvailable(): boolean;
  saveCache(paths: string[], key: string): Promise<number>;
  restoreCache(
    paths: string[],
    primaryKey: string,
    restoreKeys?: string[],
  ): Promise<string | undefined>;
}

export interface RecordDeps {
  /** The run's environment, as the host gives it (RUNNER_TEMP, the cache service's). */
  env: Readonly<Record<string, string | undefined>>;
  /** Default: @actions/cache, loaded on first use. */
  cache?: CacheApi;
  /**
   * Directory of the record file while it is archived or extracted. Default
   * `$RUNNER_TEMP/spot-deployer-record` (os.tmpdir() outside Actions). The cache version
   * hashes this path, so save and restore must use the same one.
   */
  dir?: string;
}

export interface RestoreResult {
  record?: DeploymentRecord;
  /** The key restored, for logs. */
  key?: string;
  /** Set when no usable record came back; a sentence for core.warning. */
  warning?: string;
}

export interface SaveResult {
  key?: string;
  /** Set when the record was not saved; a sentence for core.warning. */
  warning?: string;
}

const KEY_PREFIX = 'spot-deployer-record-';

/** `spot-deployer-record-<32 hex>-`: every record key of a deployment starts with it. */
export function recordKeyPrefix(deploymentId: string): string {
  const digest = createHash('sha256').update(deploymentId).digest('hex').slice(0, 32);
  return `${KEY_PREFIX}${digest}-`;
}

/** The immutable key one save uses: the prefix, the time (sortable) and the run id. */
export function recordKey(record: DeploymentRecord): string {
  const time = new Date(record.savedAt).toISOString().replace(/[-:.]/g, '');
  const run = record.runId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `${recordKeyPrefix(record.deploymentId)}${time}-${run}`;
}

/** The regions destroy and status search: the manifest's, then those the record names. */
export { regionsToSearch } from '../aws/regions.ts';

function paths(
  deps: RecordDeps,
  env: Record<string, string | undefined>,
): { dir: string; file: string } {
  const dir = deps.dir ?? join(env.RUNNER_TEMP || tmpdir(), 'spot-deployer-record');
  return { dir, file: join(dir, 'record.json') };
}

const NO_SERVICE =
  'the GitHub Actions cache service is not available here (ACTIONS_CACHE_URL is not set: not running in GitHub Actions?)';
const NO_TOKEN =
  'the GitHub Actions cache service is not available here (ACTIONS_RUNTIME_TOKEN is not set)';

/** What the environment alone says, before loading @actions/cache (about 2 MiB of code with
 * its HTTP client): without a cache URL (ACTIONS_CACHE_URL for the v1 service,
 * ACTIONS_RESULTS_URL for v2) or a runtime token, the library would refuse anyway. */
function plainlyUnavailable(env: Record<string, string | undefined>): string | undefined {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return NO_SERVICE;
  if (!env.ACTIONS_RUNTIME_TOKEN) return NO_TOKEN;
  return undefined;
}

function unavailable(env: Record<string, string | undefined>, cache: CacheApi): string | undefined {
  if (!cache.isFeatureAvailable()) return NO_SERVICE;
  if (!env.ACTIONS_RUNTIME_TOKEN) return NO_TOKEN;
  return undefined;
}

/** The cache library (or the one a test passes), or why it cannot be used here. */
async function cacheApi(
  deps: RecordDeps,
  env: Record<string, string | undefined>,
): Promise<{ cache: CacheApi } | { why: string }> {
  const early = deps.cache ? undefined : plainlyUnavailable(env);
  if (early) return { why: early };
  const cache = deps.cache ?? (await import('@actions/cache'));
  const why = unavailable(env, cache);
  return why ? { why } : { cache };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Saves the record under a new key. Never throws: when the cache is unavailable or the
 * save fails, returns a warning and the deploy carries on (destroy will then find the
 * instances by tags in the manifest's regions only).
 */
export async function saveRecord(record: DeploymentRecord, deps: RecordDeps): Promise<SaveResult> {
  const { env } = deps;
  const lead = `the deployment record of '${record.deploymentId}' was not saved`;
  const consequence = "a later destroy finds instances by tags in the manifest's regions only";
  const { dir, file } = paths(deps, env);
  try {
    const api = await cacheApi(deps, env);
    if ('why' in api) return { warning: `${lead}: ${api.why}; ${consequence}` };
    const { cache } = api;
    const key = recordKey(record);
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
    const id = await cache.saveCache([file], key);
    if (id === -1) {
      return {
        warning: `${lead}: the cache service refused or failed the save (see the cache messages above); ${consequence}`,
      };
    }
    return { key };
  } catch (err) {
    return { warning: `${lead}: ${message(err)}; ${consequence}` };
  } finally {
    await rm(file, { force: true }).catch(() => undefined);
  }
}

/**
 * Restores the newest record of a deployment. Never throws: without a usable record,
 * returns a warning and no record, and the caller carries on by tags alone.
 */
export async function restoreRecord(
  deploymentId: string,
  deps: RecordDeps,
): Promise<RestoreResult> {
  const { env } = deps;
  const lead = `no deployment record of '${deploymentId}'`;
  const consequence = "searching by tags in the manifest's regions only";
  const { file } = paths(deps, env);
  try {
    const api = await cacheApi(deps, env);
    if ('why' in api) return { warning: `${lead}: ${api.why}; ${consequence}` };
    const { cache } = api;
    // Never read a file left over from another deployment or an earlier run.
    await rm(file, { force: true });
    const prefix = recordKeyPrefix(deploymentId);
    const key = await cache.restoreCache([file], prefix, [prefix]);
    if (key === undefined) {
      return {
        warning: `${lead} in the Actions cache (never deployed from this branch, expired after 7 days unused, or the cache service failed: see any cache message above); ${consequence}`,
      };
    }
    const record = parseRecord(await readFile(file, 'utf8'));
    if (!record || record.deploymentId !== deploymentId) {
      return { key, warning: `${lead}: the cached record ${key} is unreadable; ${consequence}` };
    }
    return { record, key };
  } catch (err) {
    return { warning: `${lead}: ${message(err)}; ${consequence}` };
  } finally {
    await rm(file, { force: true }).catch(() => undefined);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Parses and checks a record; undefined when it is not one. */
export function parseRecord(text: string): DeploymentRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const instances = r.instances;
  const regions = r.regions;
  if (
    r.version !== 1 ||
    !isString(r.deploymentId) ||
    !isString(r.manifestDigest) ||
    !isString(r.savedAt) ||
    !isString(r.runId) ||
    !Array.isArray(regions) ||
    !regions.every(isString) ||
    !Array.isArray(instances) ||
    !instances.every(
      (i: unknown) =>
        typeof i === 'object' &&
        i !== null &&
        isString((i as { id?: unknown }).id) &&
        isString((i as { region?: unknown }).region),
    )
  ) {
    return undefined;
  }
  return {
    version: 1,
    deploymentId: r.deploymentId,
    instances: (instances as { id: string; region: string }[]).map(({ id, region }) => ({
      id,
      region,
    })),
    regions: [...regions],
    manifestDigest: r.manifestDigest,
    savedAt: r.savedAt,
    runId: r.runId,
  };
}
