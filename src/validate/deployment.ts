// .spot/deployment.yaml → the deployment half of the model: every path checked against
// the repository, every destination against the instance's file system, names, modes,
// duplicates, health checks and tarballs.

import { stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type {
  HealthCheck,
  InterruptionHookSpec,
  ScriptSpec,
  ServiceSpec,
  TarballSpec,
  TemplateSpec,
  UploadSpec,
} from '../manifest/model.ts';
import {
  durationSeconds,
  ENV_NAME,
  envNameProblem,
  octalMode,
  scalarString,
  SCRIPT_NAME,
} from '../manifest/names.ts';
import type { DeploymentSection, HealthCheck as RawHealth } from '../manifest/schema-types.ts';
import { emptyOriginalPlaceholders } from '../manifest/template.ts';
import { checkDestination, type RepoContext } from './paths.ts';
import { bool, int, isObj, scalar, str, type FileReporter } from './report.ts';
import { normalizeInterruptionHook } from './interruption.ts';
import {
  checkLinks,
  SCRIPT_DEFAULTS,
  scriptEntry,
  serviceEntry,
  sourcePath,
  uploadEntry,
  type RawScript,
  type Site,
  type Taken,
} from './sections.ts';
import { controlCharName, readTextFile, sourceText, type DataPath, type YamlFile } from './yaml.ts';

/** SSM Run Command's longest execution timeout. */
export const MAX_SCRIPT_SECONDS = 48 * 3600;
export const HEALTH_DEFAULTS = {
  expectStatus: 200,
  retries: 10,
  intervalSeconds: 3,
  timeoutSeconds: 5,
};
export const TARBALL_DESTINATION = '/opt/deployment';
/** Where an upload without destination goes (the original tool's default): a file source
 * into that directory. */
export const UPLOAD_DESTINATION = '/opt/deployment/';

export interface DeploymentParts {
  packages: string[];
  template: TemplateSpec;
  env: Record<string, string>;
  uploads: UploadSpec[];
  scripts: ScriptSpec[];
  services: ServiceSpec[];
  tarball?: TarballSpec;
  onInterruption?: InterruptionHookSpec;
}

/** The site of one entry of a YAML section: problems go to its keys. */
function yamlSite(r: FileReporter, at: (...p: Array<string | number>) => DataPath): Site {
  const path = (field: string | undefined) => (field === undefined ? at() : at(field));
  return {
    error: (field, message, mode) => r.error(path(field), message, mode),
    warn: (field, message, mode) => r.warn(path(field), message, mode),
    taken: (name, first, firstField) =>
      `service '${name}' is already defined at ${first.where(firstField)}`,
    where: (field) => `line ${r.line(path(field))}`,
  };
}

/** The usable glob patterns of an upload's `exclude`; an empty or invalid one is an error
 * at its place (picomatch, which applies them, throws on those). */
async function excludePatterns(
  r: FileReporter,
  raw: unknown[],
  at: (k: number) => DataPath,
): Promise<string[]> {
  const out: string[] = [];
  let compile: ((pattern: string) => unknown) | undefined;
  for (const [k, x] of raw.entries()) {
    if (typeof x !== 'string') continue;
    if (x === '') {
      r.error(at(k), 'an exclude pattern cannot be empty');
      continue;
    }
    compile ??= (await import('picomatch')).default;
    try {
      compile(x);
    } catch (err) {
      r.error(
        at(k),
        `not a usable glob pattern: ${err instanceof Error ? err.message : String(err)}`,
      );
      continue;
    }
    out.push(x);
  }
  return out;
}

function destination(r: FileReporter, path: DataPath, d: string, what: string): string | undefined {
  if (controlCharName(d)) return undefined; // reported where the YAML was read
  const res = checkDestination(d, what);
  if ('error' in res) {
    r.error(path, res.error);
    return undefined;
  }
  return res.ok;
}

interface Section {
  y: YamlFile;
  r: FileReporter;
  ctx: RepoContext;
  d: NonNullable<DeploymentSection>;
  extra: Diagnostic[];
}

const D = (...p: Array<string | number>): DataPath => ['deployment', ...p];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** minimal | docker | a #cloud-config file of the user's */
async function normalizeTemplate({ r, ctx, d, extra }: Section): Promise<TemplateSpec> {
  const t = str(d.template);
  if (t === 'minimal' || t === 'docker') return { kind: t };
  if (t === undefined) return { kind: 'minimal' };
  const site = yamlSite(r, () => D('template'));
  const ok = await sourcePath(ctx, site, undefined, t, 'file', 'template');
  if (!ok) return { kind: 'minimal' };
  const read = await readTextFile(ok.abs, ok.rel, `template ${ok.rel}`);
  if (read.text === undefined) {
    extra.push(...read.diagnostics);
    return { kind: 'minimal' };
  }
  if (!/^#cloud-config[ \t]*\r?$/m.test(read.text.split('\n')[0] ?? '')) {
    r.error(
      D('template'),
      `template '${t}' is neither minimal, docker, nor a file starting with #cloud-config`,
    );
    return { kind: 'minimal' };
  }
  const { found } = emptyOriginalPlaceholders(read.text);
  if (found.length > 0) {
    r.warn(
      D('template'),
      `template '${t}': the original tool's placeholders ${found.map((n) => `{{${n}}}`).join(', ')} ` +
        'are left empty (this action installs the packages, delivers the files, runs the scripts ' +
        'and starts the services itself, and reaches the instances over SSM, not SSH)',
    );
  }
  return { kind: 'file', path: t };
}

function normalizeEnv({ y, r, d }: Section): Record<string, string> {
  const env: Record<string, string> = {};
  if (!isObj(d.env)) return env;
  for (const [name, value] of Object.entries(d.env)) {
    // Names bash will not set from the env file (the schema checks the form).
    if (ENV_NAME.test(name) && envNameProblem(name)) {
      r.error(D('env', name), `${envNameProblem(name)}; choose another name`, 'key');
      continue;
    }
    const v = scalar(value);
    if (v !== undefined) env[name] = scalarString(v, sourceText(y, D('env', name)));
  }
  return env;
}

/**
 * One of a key and its other spelling (the original tool's), never both: the value and the
 * key it was written under, or undefined. An error when both are set.
 */
function spelledEither(
  r: FileReporter,
  at: (...p: Array<string | number>) => DataPath,
  o: Record<string, unknown>,
  key: string,
  alias: string,
): { value: string; key: string } | undefined {
  const value = str(o[key]);
  const other = str(o[alias]);
  if (value !== undefined && other !== undefined) {
    r.error(at(alias), `both '${key}' and '${alias}' are set; keep '${key}'`, 'key');
    return undefined;
  }
  if (value !== undefined) return { value, key };
  return other !== undefined ? { value: other, key: alias } : undefined;
}

/** The upload's destination (or its alias dest; default /opt/deployment/, as the original
 * tool's), unique among the uploads unless it ends in '/'. */
function uploadDestination(
  r: FileReporter,
  u: Record<string, unknown>,
  i: number,
  destinations: Map<string, { at: DataPath; into: boolean }>,
): string | undefined {
  const at = (...p: Array<string | number>) => D('uploads', i, ...p);
  const both = u.destination !== undefined && u.dest !== undefined;
  const written = spelledEither(r, at, u, 'destination', 'dest');
  if (written === undefined && both) return undefined;
  const key = written?.key ?? 'source';
  const value = written?.value ?? UPLOAD_DESTINATION;
  const target = destination(r, at(key), value, 'destination');
  if (target === undefined) return undefined;
  // Ending in '/': a directory files go into, which several such uploads may share (a file
  // written twice with different content is still refused, when the plan is made).
  const into = value.endsWith('/');
  const first = destinations.get(target);
  if (first && !(first.into && into)) {
    r.error(
      at(key),
      `destination '${target}' is already used by the upload at line ${r.line(first.at)}`,
    );
    return undefined;
  }
  if (!first) destinations.set(target, { at: at(key), into });
  return into ? `${target}/` : target;
}

function uploadMode(
  y: YamlFile,
  r: FileReporter,
  path: DataPath,
  raw: unknown,
): string | undefined {
  const perm = scalar(raw);
  if (typeof perm === 'string') return octalMode(perm);
  if (typeof perm !== 'number') return undefined;
  const text = sourceText(y, path) ?? String(perm);
  const mode = octalMode(text);
  if (mode === undefined) {
    r.error(path, `permissions ${text} is not an octal file mode such as "0644"`);
  }
  return mode;
}

async function normalizeUploads(sec: Section): Promise<UploadSpec[]> {
  const { y, r, ctx } = sec;
  const uploads: UploadSpec[] = [];
  const destinations = new Map<string, { at: DataPath; into: boolean }>();
  for (const [i, u] of list(sec.d.uploads).entries()) {
    if (!isObj(u)) continue;
    const at = (...p: Array<string | number>) => D('uploads', i, ...p);
    const exclude = await excludePatterns(r, list(u.exclude), (k) => at('exclude', k));
    const source = str(u.source);
    const target = uploadDestination(r, u, i, destinations);
    const mode = uploadMode(y, r, at('permissions'), u.permissions);
    const owner = str(u.owner);
    if (source === undefined) continue;
    const spec = await uploadEntry(ctx, yamlSite(r, at), {
      source,
      destination: target,
      ...(mode !== undefined ? { mode } : {}),
      ...(owner !== undefined ? { owner } : {}),
      exclude,
      checkLinks: true,
    });
    if (spec) uploads.push(spec);
  }
  return uploads;
}

function scriptTimeout(r: FileReporter, path: DataPath, raw: unknown): number {
  const t = scalar(raw);
  if (t === undefined || typeof t === 'boolean') return SCRIPT_DEFAULTS.timeoutSeconds;
  const sec = durationSeconds(t);
  if (sec === 0) r.error(path, 'timeout must be at least 1 second');
  else if (sec !== undefined && sec > MAX_SCRIPT_SECONDS) {
    r.error(path, 'timeout must be at most 48h (the longest SSM allows)');
  } else if (sec !== undefined) return sec;
  return SCRIPT_DEFAULTS.timeoutSeconds;
}

/** The file a command runs, for its default name: its first word, else `command-N`. */
function commandFile(command: string, i: number): string {
  const first = basename(command.trim().split(/\s+/)[0] ?? '');
  return SCRIPT_NAME.test(first.replace(/\.[^.]*$/, '')) ? first : `command-${i + 1}`;
}

/** The script's name as written, or from its file name; unique among the scripts. */
function scriptName(
  r: FileReporter,
  s: Record<string, unknown>,
  p: string,
  at: (...p: Array<string | number>) => DataPath,
  names: Map<string, DataPath>,
): string {
  let name = str(s.name);
  const namePath = name !== undefined ? at('name') : at('path');
  if (name === undefined) {
    name = basename(p).replace(/\.[^.]*$/, '');
    if (!SCRIPT_NAME.test(name)) {
      r.error(
        at('path'),
        `script file name '${basename(p)}' does not make a usable name; add name: (letters, digits and . _ -)`,
      );
    }
  }
  const first = names.get(name);
  if (first) r.error(namePath, `script name '${name}' is already used at line ${r.line(first)}`);
  else names.set(name, namePath);
  return name;
}

/** What a script runs: its file or its command; undefined when neither is written. */
function scriptBody(
  { r }: Section,
  s: Record<string, unknown>,
  i: number,
  at: (...p: Array<string | number>) => DataPath,
): RawScript['body'] | undefined {
  const p = str(s.path);
  const command = str(s.command);
  if (p !== undefined && command !== undefined) {
    r.error(at('command'), "both 'path' and 'command' are set; keep one", 'key');
    return undefined;
  }
  if (command !== undefined) {
    if (command.trim() === '') r.error(at('command'), 'command is empty');
    return command.trim() === '' ? undefined : { command };
  }
  if (p === undefined) {
    if (s.command === undefined && !r.schemaErrorUnder(at())) {
      r.error(at(), `missing required key 'path' in 'deployment.scripts[${i}]'`, 'container');
    }
    return undefined;
  }
  return { path: p };
}

/** Scripts, run in `order` (stable: ties keep the written order). */
async function normalizeScripts(sec: Section): Promise<ScriptSpec[]> {
  const { r, d } = sec;
  const scripts: ScriptSpec[] = [];
  const names = new Map<string, DataPath>();
  for (const [i, s] of list(d.scripts).entries()) {
    if (!isObj(s)) continue;
    const at = (...p: Array<string | number>) => D('scripts', i, ...p);
    const body = scriptBody(sec, s, i, at);
    if (body === undefined) continue;
    const name = scriptName(
      r,
      s,
      'command' in body ? commandFile(body.command, i) : body.path,
      at,
      names,
    );
    const workdirRaw = spelledEither(r, at, s, 'workdir', 'working_dir');
    const workdir =
      workdirRaw === undefined
        ? SCRIPT_DEFAULTS.workdir
        : destination(r, at(workdirRaw.key), workdirRaw.value, 'workdir');
    const spec = await scriptEntry(sec.ctx, yamlSite(r, at), 'path', {
      name,
      body,
      order: int(s.order),
      workdir,
      timeoutSeconds: scriptTimeout(r, at('timeout'), s.timeout),
    });
    if (spec && workdir !== undefined) scripts.push(spec);
  }
  return scripts.sort((a, b) => a.order - b.order);
}

/** The unit file of a service: `file`, or the original's other spelling `path`. */
function serviceFile(
  r: FileReporter,
  at: (...p: Array<string | number>) => DataPath,
  s: Record<string, unknown>,
  i: number,
): string | undefined {
  const written = spelledEither(r, at, s, 'file', 'path');
  if (written === undefined && s.file === undefined && s.path === undefined) {
    if (!r.schemaErrorUnder(at())) {
      r.error(at(), `missing required key 'file' in 'deployment.services[${i}]'`, 'container');
    }
  }
  return written?.value;
}

async function normalizeServices({ y, r, ctx, d, extra }: Section): Promise<ServiceSpec[]> {
  const services: ServiceSpec[] = [];
  const taken: Taken = new Map();
  for (const [i, item] of list(d.services).entries()) {
    // `- services/app.service`: the unit file alone.
    const s = typeof item === 'string' ? { file: item } : item;
    if (!isObj(s)) continue;
    const at = (...p: Array<string | number>) => D('services', i, ...p);
    const file = serviceFile(r, at, s, i);
    if (file === undefined) continue;
    const name = str(s.name);
    const spec = await serviceEntry(
      ctx,
      yamlSite(r, at),
      {
        file,
        ...(name !== undefined ? { name } : {}),
        enabled: bool(s.enabled) ?? true,
        start: bool(s.start) ?? true,
        health: () =>
          isObj(s.health)
            ? normalizeHealth(y, r, at('health'), s.health as NonNullable<RawHealth>)
            : undefined,
      },
      taken,
      extra,
    );
    if (spec) services.push(spec);
  }
  return services;
}

/** What is at `p`: a directory, a file, or nothing (or something else). */
const statKind = (p: string) =>
  stat(p).then(
    (s) => (s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined),
    () => undefined,
  );

/**
 * tarball_source relative to .spot/; failing that, to the repository root, where the
 * original tool read it from (it ran in the root): `tarball_source: instance-files`.
 */
async function tarballSourceDir(ctx: RepoContext, tsrc: string): Promise<string> {
  if (tsrc.startsWith('/') || (await statKind(join(ctx.baseDir, tsrc))) === 'dir') return tsrc;
  if ((await statKind(join(ctx.root, tsrc))) !== 'dir') return tsrc;
  return posix.relative(ctx.baseRel, posix.normalize(tsrc)) || '.';
}

/**
 * The original tool ran the setup.sh at the top of a tarball_source once it was unpacked:
 * so does this, first, from where it is unpacked (unless a script already runs that file).
 */
async function tarballSetup(
  ctx: RepoContext,
  tarball: TarballSpec | undefined,
  scripts: ScriptSpec[],
): Promise<ScriptSpec[]> {
  if (tarball?.kind !== 'source') return scripts;
  const setup = posix.join(tarball.path, 'setup.sh');
  const there = (await statKind(join(ctx.baseDir, setup))) === 'file';
  if (!there || scripts.some((s) => s.path !== undefined && posix.normalize(s.path) === setup)) {
    return scripts;
  }
  const name = scripts.some((s) => s.name === 'tarball-setup')
    ? 'tarball-setup-sh'
    : 'tarball-setup';
  return [
    {
      name,
      command: 'chmod +x ./setup.sh && ./setup.sh',
      order: scripts[0]?.order ?? SCRIPT_DEFAULTS.order,
      workdir: tarball.destination,
      timeoutSeconds: SCRIPT_DEFAULTS.timeoutSeconds,
    },
    ...scripts,
  ];
}

/** A URL with its digest, or a local directory packed at deploy time. */
async function normalizeTarball({ r, ctx, d }: Section): Promise<TarballSpec | undefined> {
  const url = str(d.tarball_url);
  const sha = str(d.tarball_sha256);
  const tsrc = str(d.tarball_source);
  const tdestRaw = str(d.tarball_destination);
  const tdest =
    tdestRaw === undefined
      ? TARBALL_DESTINATION
      : destination(r, D('tarball_destination'), tdestRaw, 'tarball_destination');
  let tarball: TarballSpec | undefined;
  if (url !== undefined && tsrc !== undefined) {
    r.error(D('tarball_source'), 'set tarball_url or tarball_source, not both', 'key');
  } else if (url !== undefined) {
    if (d.tarball_sha256 === undefined) {
      r.error(
        D('tarball_url'),
        "tarball_url needs tarball_sha256 (the archive's SHA-256, 64 hex digits)",
        'key',
      );
    } else if (sha !== undefined && tdest !== undefined) {
      tarball = { kind: 'url', url, sha256: sha.toLowerCase(), destination: tdest };
    }
  } else if (tsrc !== undefined) {
    const site = yamlSite(r, () => D('tarball_source'));
    const from = await tarballSourceDir(ctx, tsrc);
    const ok = await sourcePath(ctx, site, undefined, from, 'dir', 'tarball_source');
    if (ok) await checkLinks(ctx, site, undefined, ok.abs, [], `tarball_source '${tsrc}'`);
    if (ok && tdest !== undefined) tarball = { kind: 'source', path: from, destination: tdest };
  }
  if (url === undefined && d.tarball_sha256 !== undefined) {
    r.error(D('tarball_sha256'), 'tarball_sha256 is set but tarball_url is not', 'key');
  }
  if (url === undefined && tsrc === undefined && tdestRaw !== undefined) {
    r.warn(
      D('tarball_destination'),
      'tarball_destination is ignored without tarball_url or tarball_source',
      'key',
    );
  }
  return tarball;
}

/** deployment.on_interruption: its path checked like a script's. */
function normalizeOnInterruption({
  r,
  ctx,
  d,
}: Section): Promise<InterruptionHookSpec | undefined> {
  const at = (...p: Array<string | number>) => D('on_interruption', ...p);
  const site = yamlSite(r, at);
  return normalizeInterruptionHook(
    d.on_interruption,
    r,
    at,
    async (p) =>
      (await sourcePath(ctx, site, 'path', p, 'file', 'interruption hook')) !== undefined,
  );
}

function warnIfEmpty({ r, d }: Section, parts: DeploymentParts): void {
  const written = (v: unknown) => list(v).length > 0;
  const nothing =
    parts.packages.length === 0 &&
    parts.scripts.length === 0 &&
    parts.uploads.length === 0 &&
    parts.services.length === 0 &&
    str(d.tarball_url) === undefined &&
    str(d.tarball_source) === undefined &&
    !written(d.uploads) &&
    !written(d.scripts) &&
    !written(d.services);
  if (nothing) {
    r.warn(
      ['deployment'],
      'the deployment installs nothing: no packages, uploads, scripts, services or tarball',
      'key',
    );
  }
}

export async function normalizeDeployment(
  y: YamlFile,
  r: FileReporter,
  ctx: RepoContext,
  extra: Diagnostic[],
): Promise<DeploymentParts> {
  const root = isObj(y.data) ? y.data : {};
  const d = (isObj(root.deployment) ? root.deployment : {}) as NonNullable<DeploymentSection>;
  const sec: Section = { y, r, ctx, d, extra };
  const tarball = await normalizeTarball(sec);
  const onInterruption = await normalizeOnInterruption(sec);
  const parts: DeploymentParts = {
    packages: list(d.packages).filter((p): p is string => typeof p === 'string'),
    template: await normalizeTemplate(sec),
    env: normalizeEnv(sec),
    uploads: await normalizeUploads(sec),
    scripts: await tarballSetup(ctx, tarball, await normalizeScripts(sec)),
    services: await normalizeServices(sec),
    ...(tarball ? { tarball } : {}),
    ...(onInterruption ? { onInterruption } : {}),
  };
  // Not a mapping (a schema error already) is no reason to say more; left out or empty is.
  if (isObj(root.deployment) || (root.deployment == null && !r.schemaErrorUnder([]))) {
    warnIfEmpty(sec, parts);
  }
  return parts;
}

function normalizeHealth(
  y: YamlFile,
  r: FileReporter,
  path: DataPath,
  h: NonNullable<RawHealth>,
): HealthCheck | undefined {
  const common = {
    retries: int(h.retries) ?? HEALTH_DEFAULTS.retries,
    intervalSeconds: int(h.interval) ?? HEALTH_DEFAULTS.intervalSeconds,
    timeoutSeconds: int(h.timeout) ?? HEALTH_DEFAULTS.timeoutSeconds,
  };
  if (h.http !== undefined && h.tcp !== undefined) {
    r.error([...path, 'tcp'], 'a health check is http: or tcp:, not both', 'key');
    return undefined;
  }
  if (h.http === undefined && h.tcp === undefined) {
    r.error(path, 'a health check needs http: (a URL) or tcp: (a port)', 'container');
    return undefined;
  }
  if (typeof h.http === 'string') {
    return {
      kind: 'http',
      url: h.http,
      expectStatus: int(h.expect_status) ?? HEALTH_DEFAULTS.expectStatus,
      ...common,
    };
  }
  if (h.expect_status !== undefined) {
    r.warn([...path, 'expect_status'], 'expect_status is ignored by a tcp: health check', 'key');
  }
  const tcp = scalar(h.tcp);
  if (tcp === undefined || typeof tcp === 'boolean') return undefined;
  const text = typeof tcp === 'number' ? (sourceText(y, [...path, 'tcp']) ?? String(tcp)) : tcp;
  const m = /^(?:(.+):)?([0-9]{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    r.error([...path, 'tcp'], `tcp: '${text}' must be a port from 1 to 65535, or host:port`);
    return undefined;
  }
  return { kind: 'tcp', host: m[1] ?? '127.0.0.1', port, ...common };
}
