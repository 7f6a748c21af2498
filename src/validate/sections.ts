// The entries of a manifest's sections (uploads, scripts, services), checked and normalized
// the same way for both layouts: a .spot/deployment.yaml writes them, the convention
// layout's files imply them (src/discover/convention.ts). Each entry comes with its Site,
// which reports a problem where the user wrote it (a YAML key, or the file itself).

import { basename } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { HealthCheck, ScriptSpec, ServiceSpec, UploadSpec } from '../manifest/model.ts';
import { unitNameProblem } from '../manifest/names.ts';
import {
  checkRepoPath,
  escapingLinks,
  type PathKind,
  type RepoContext,
  type RepoPath,
} from './paths.ts';
import type { LocateMode } from './report.ts';
import { checkUnitFile } from './unit.ts';
import { controlCharName } from './yaml.ts';

export const SCRIPT_DEFAULTS = { workdir: '/opt/deployment', timeoutSeconds: 600, order: 0 };

/** Where one entry was written; `field` names a key of the entry (YAML) or nothing (a file). */
export interface Site {
  error(field: string | undefined, message: string, mode?: LocateMode): void;
  warn(field: string | undefined, message: string, mode?: LocateMode): void;
  /** What to say when a service's name was taken by an earlier entry (`first`). */
  taken(service: string, first: Site, firstField: string | undefined): string;
  /** The place of `field`, for the messages of other sites: "line 3", "deployment/x". */
  where(field: string | undefined): string;
}

/** A path in the repository that must exist, of `kind`; reported at the site when not. */
export async function sourcePath(
  ctx: RepoContext,
  site: Site,
  field: string | undefined,
  p: string,
  kind: PathKind,
  what: string,
): Promise<RepoPath | undefined> {
  if (controlCharName(p)) return undefined; // reported where the YAML was read
  const res = await checkRepoPath(ctx, p, kind, what);
  if ('error' in res) {
    site.error(field, res.error);
    return undefined;
  }
  return res.ok;
}

/** Reports symbolic links under a directory source that lead out of the repository. */
export async function checkLinks(
  ctx: RepoContext,
  site: Site,
  field: string | undefined,
  abs: string,
  exclude: string[],
  what: string,
): Promise<void> {
  const { links, truncated } = await escapingLinks(ctx, abs, exclude);
  if (links.length > 0) {
    const shown =
      links.slice(0, 3).join(', ') + (links.length > 3 ? `, and ${links.length - 3} more` : '');
    site.error(
      field,
      `${what} holds symbolic links that lead outside the repository (or nowhere): ${shown}`,
    );
  }
  if (truncated)
    site.warn(field, `${what} holds too many files to check them all for symbolic links`);
}

/** First use of each name in a section, by the site that used it. */
export type Taken = Map<string, { site: Site; field: string | undefined }>;

/** Records `name` for `site`; when it was taken already, reports it and returns false. */
function claim(taken: Taken, name: string, site: Site, field: string | undefined): boolean {
  const first = taken.get(name);
  if (first) {
    site.error(field, site.taken(name, first.site, first.field));
    return false;
  }
  taken.set(name, { site, field });
  return true;
}

export interface RawUpload {
  source: string;
  /** Absent when it was not usable (reported already): only the source is checked then. */
  destination: string | undefined;
  mode?: string;
  owner?: string;
  exclude: string[];
  /** Check the links under a directory source (the convention's whole-directory scan did). */
  checkLinks: boolean;
}

export async function uploadEntry(
  ctx: RepoContext,
  site: Site,
  raw: RawUpload,
): Promise<UploadSpec | undefined> {
  const src = await sourcePath(ctx, site, 'source', raw.source, 'any', 'source');
  if (src?.isDir && raw.checkLinks) {
    await checkLinks(ctx, site, 'source', src.abs, raw.exclude, `source '${raw.source}'`);
  }
  if (!src || raw.destination === undefined) return undefined;
  return {
    source: raw.source,
    // A trailing '/' says "into this directory" for a file; a directory's contents go there anyway.
    destination: src.isDir ? raw.destination.replace(/(.)\/$/, '$1') : raw.destination,
    ...(raw.mode !== undefined ? { mode: raw.mode } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    exclude: raw.exclude,
  };
}

export interface RawScript {
  /** Usable and unique already: each layout has its own rule for a name it makes up. */
  name: string;
  /** The file it runs (checked here), or a one-line command. */
  body: { path: string } | { command: string };
  order?: number | undefined;
  workdir?: string | undefined;
  timeoutSeconds?: number | undefined;
}

/**
 * A script: the file it runs checked (reported at the site's `field`), and the defaults for
 * what the entry leaves out; undefined when the file is not usable.
 */
export async function scriptEntry(
  ctx: RepoContext,
  site: Site,
  field: string | undefined,
  raw: RawScript,
): Promise<ScriptSpec | undefined> {
  if ('path' in raw.body) {
    const ok = await sourcePath(ctx, site, field, raw.body.path, 'file', 'script');
    if (!ok) return undefined;
  }
  return {
    name: raw.name,
    ...raw.body,
    order: raw.order ?? SCRIPT_DEFAULTS.order,
    workdir: raw.workdir ?? SCRIPT_DEFAULTS.workdir,
    timeoutSeconds: raw.timeoutSeconds ?? SCRIPT_DEFAULTS.timeoutSeconds,
  };
}

export interface RawService {
  file: string;
  /** As written; absent: the unit file's name. */
  name?: string;
  enabled: boolean;
  start: boolean;
  /** Read once the name is known to be usable (its problems are reported then). */
  health?: () => HealthCheck | undefined;
  /** Say so when the name (from the file) is not usable: the user never wrote it. */
  nameFromFile?: true;
}

/**
 * A service: its unit file (checked, its problems into `extra`) and its unit name, unique
 * in `taken`. The name comes from the file when the entry gives none.
 */
export async function serviceEntry(
  ctx: RepoContext,
  site: Site,
  raw: RawService,
  taken: Taken,
  extra: Diagnostic[],
): Promise<ServiceSpec | undefined> {
  const ok = await sourcePath(ctx, site, 'file', raw.file, 'file', 'unit file');
  if (ok) extra.push(...(await checkUnitFile(ok.abs, ok.rel, raw.enabled)));
  const nameField = raw.name !== undefined ? 'name' : 'file';
  if (raw.name === undefined && !raw.file.endsWith('.service')) {
    site.error(
      'file',
      `unit file '${raw.file}' does not end in .service; give the service a name:`,
    );
    return undefined;
  }
  const name = (raw.name ?? basename(raw.file)).replace(/\.service$/, '');
  const problem = unitNameProblem(name);
  if (problem) {
    const from = raw.nameFromFile ? ' (from the file name)' : '';
    site.error(nameField, `service name '${name}'${from} ${problem}`);
    return undefined;
  }
  if (!claim(taken, name, site, nameField)) return undefined;
  const health = raw.health?.();
  if (!ok) return undefined;
  return {
    name,
    file: raw.file,
    enabled: raw.enabled,
    start: raw.start,
    ...(health ? { health } : {}),
  };
}
