// .spot/deployment.yaml → the deployment half of the model: every path checked against
// the repository, every destination against the instance's file system, names, modes,
// duplicates, health checks and tarballs.

import { basename } from 'node:path';
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
import type { DeploymentSection, HealthCheck as RawHealth } from '../manifest/schema-types.ts';
import { durationSeconds, octalMode, scalarString, SCRIPT_NAME, unitNameProblem } from './names.ts';
import { checkDestination, checkRepoPath, escapingLinks, type RepoContext } from './paths.ts';
import { bool, int, isObj, scalar, str, type FileReporter } from './report.ts';
import { checkUnitFile } from './unit.ts';
import { normalizeInterruptionHook } from './interruption.ts';
import { ENV_NAME, envNameProblem } from '../plan/shell.ts';
import { controlCharName, readTextFile, sourceText, type DataPath, type YamlFile } from './yaml.ts';

export const SCRIPT_DEFAULTS = { workdir: '/opt/deployment', timeoutSeconds: 600, order: 0 };
/** SSM Run Command's longest execution timeout. */
export const MAX_SCRIPT_SECONDS = 48 * 3600;
export const HEALTH_DEFAULTS = {
  expectStatus: 200,
  retries: 10,
  intervalSeconds: 3,
  timeoutSeconds: 5,
};
export const TARBALL_DESTINATION = '/opt/deployment';

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

/** Reports a path-check failure at `path`, or returns the checked path. */
async function repoPath(
  ctx: RepoContext,
  r: FileReporter,
  path: DataPath,
  p: string,
  kind: 'file' | 'dir' | 'any',
  what: string,
) {
  if (controlCharName(p)) return undefined; // reported where the YAML was read
  const res = await checkRepoPath(ctx, p, kind, what);
  if ('error' in res) {
    r.error(path, res.error);
    return undefined;
  }
  return res.ok;
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

async function checkLinks(
  ctx: RepoContext,
  r: FileReporter,
  path: DataPath,
  abs: string,
  exclude: string[],
  what: string,
) {
  const { links, truncated } = await escapingLinks(ctx, abs, exclude);
  if (links.length > 0) {
    const shown =
      links.slice(0, 3).join(', ') + (links.length > 3 ? `, and ${links.length - 3} more` : '');
    r.error(
      path,
      `${what} holds symbolic links that lead outside the repository (or nowhere): ${shown}`,
    );
  }
  if (truncated) r.warn(path, `${what} holds too many files to check them all for symbolic links`);
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

export async function normalizeDeployment(
  y: YamlFile,
  r: FileReporter,
  ctx: RepoContext,
  extra: Diagnostic[],
): Promise<DeploymentParts> {
  const root = isObj(y.data) ? y.data : {};
  const d: DeploymentSection = isObj(root.deployment) ? (root.deployment as DeploymentSection) : {};
  const D = (...p: Array<string | number>): DataPath => ['deployment', ...p];

  const packages = Array.isArray(d.packages) ? d.packages.filter((p) => typeof p === 'string') : [];

  // template: minimal | docker | a #cloud-config file of the user's
  let template: TemplateSpec = { kind: 'minimal' };
  const t = str(d.template);
  if (t === 'minimal' || t === 'docker') template = { kind: t };
  else if (t !== undefined) {
    const ok = await repoPath(ctx, r, D('template'), t, 'file', 'template');
    if (ok) {
      const read = await readTextFile(ok.abs, ok.rel, `template ${ok.rel}`);
      if (read.text === undefined) extra.push(...read.diagnostics);
      else if (!/^#cloud-config[ \t]*\r?$/m.test(read.text.split('\n')[0] ?? '')) {
        r.error(
          D('template'),
          `template '${t}' is neither minimal, docker, nor a file starting with #cloud-config`,
        );
      } else template = { kind: 'file', path: t };
    }
  }

  const env: Record<string, string> = {};
  if (isObj(d.env)) {
    for (const [name, value] of Object.entries(d.env)) {
      // Names bash will not set from the env file (the schema checks the form).
      if (ENV_NAME.test(name) && envNameProblem(name)) {
        r.error(D('env', name), `${envNameProblem(name)}; choose another name`, 'key');
        continue;
      }
      const v = scalar(value);
      if (v !== undefined) env[name] = scalarString(v, sourceText(y, D('env', name)));
    }
  }

  // uploads
  const uploads: UploadSpec[] = [];
  const destinations = new Map<string, DataPath>();
  const raws = Array.isArray(d.uploads) ? d.uploads : [];
  for (const [i, u] of raws.entries()) {
    if (!isObj(u)) continue;
    const at = (...p: Array<string | number>) => D('uploads', i, ...p);
    const exclude = await excludePatterns(r, Array.isArray(u.exclude) ? u.exclude : [], (k) =>
      at('exclude', k),
    );
    const src = str(u.source);
    let ok;
    if (src !== undefined) {
      ok = await repoPath(ctx, r, at('source'), src, 'any', 'source');
      if (ok?.isDir) await checkLinks(ctx, r, at('source'), ok.abs, exclude, `source '${src}'`);
    }
    const dest = str(u.destination);
    const alias = str(u.dest);
    let target: string | undefined;
    if (dest !== undefined && alias !== undefined) {
      r.error(at('dest'), "both 'destination' and 'dest' are set; keep 'destination'", 'key');
    } else if (dest === undefined && alias === undefined) {
      if (!r.schemaErrorUnder(at())) {
        r.error(
          at(),
          `missing required key 'destination' in 'deployment.uploads[${i}]'`,
          'container',
        );
      }
    } else {
      const key = dest !== undefined ? 'destination' : 'dest';
      target = destination(r, at(key), (dest ?? alias)!, 'destination');
      if (target !== undefined) {
        const first = destinations.get(target);
        if (first) {
          r.error(
            at(key),
            `destination '${target}' is already used by the upload at line ${r.line(first)}`,
          );
        } else destinations.set(target, at(key));
      }
    }
    let mode: string | undefined;
    const perm = scalar(u.permissions);
    if (typeof perm === 'number') {
      const text = sourceText(y, at('permissions')) ?? String(perm);
      mode = octalMode(text);
      if (mode === undefined) {
        r.error(at('permissions'), `permissions ${text} is not an octal file mode such as "0644"`);
      }
    } else if (typeof perm === 'string') mode = octalMode(perm);
    const owner = str(u.owner);
    if (ok && target !== undefined && src !== undefined) {
      uploads.push({
        source: src,
        destination: target,
        ...(mode !== undefined ? { mode } : {}),
        ...(owner !== undefined ? { owner } : {}),
        exclude,
      });
    }
  }

  // scripts, run in `order` (stable: ties keep the written order)
  const scripts: ScriptSpec[] = [];
  const scriptNames = new Map<string, DataPath>();
  for (const [i, s] of (Array.isArray(d.scripts) ? d.scripts : []).entries()) {
    if (!isObj(s)) continue;
    const at = (...p: Array<string | number>) => D('scripts', i, ...p);
    const p = str(s.path);
    if (p === undefined) continue;
    const ok = await repoPath(ctx, r, at('path'), p, 'file', 'script');
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
    const first = scriptNames.get(name);
    if (first) r.error(namePath, `script name '${name}' is already used at line ${r.line(first)}`);
    else scriptNames.set(name, namePath);
    const workdirRaw = str(s.workdir);
    const workdir =
      workdirRaw === undefined
        ? SCRIPT_DEFAULTS.workdir
        : destination(r, at('workdir'), workdirRaw, 'workdir');
    let timeoutSeconds = SCRIPT_DEFAULTS.timeoutSeconds;
    const tRaw = scalar(s.timeout);
    if (tRaw !== undefined && typeof tRaw !== 'boolean') {
      const sec = durationSeconds(tRaw);
      if (sec === 0) r.error(at('timeout'), 'timeout must be at least 1 second');
      else if (sec !== undefined && sec > MAX_SCRIPT_SECONDS) {
        r.error(at('timeout'), 'timeout must be at most 48h (the longest SSM allows)');
      } else if (sec !== undefined) timeoutSeconds = sec;
    }
    if (ok && workdir !== undefined) {
      scripts.push({
        name,
        path: p,
        order: int(s.order) ?? SCRIPT_DEFAULTS.order,
        workdir,
        timeoutSeconds,
      });
    }
  }
  scripts.sort((a, b) => a.order - b.order);

  // services
  const services: ServiceSpec[] = [];
  const serviceNames = new Map<string, DataPath>();
  for (const [i, s] of (Array.isArray(d.services) ? d.services : []).entries()) {
    if (!isObj(s)) continue;
    const at = (...p: Array<string | number>) => D('services', i, ...p);
    const file = str(s.file);
    if (file === undefined) continue;
    const enabled = bool(s.enabled) ?? true;
    const ok = await repoPath(ctx, r, at('file'), file, 'file', 'unit file');
    if (ok) extra.push(...(await checkUnitFile(ok.abs, ok.rel, enabled)));
    let name = str(s.name);
    const namePath = name !== undefined ? at('name') : at('file');
    if (name === undefined) {
      if (!file.endsWith('.service')) {
        r.error(
          at('file'),
          `unit file '${file}' does not end in .service; give the service a name:`,
        );
        continue;
      }
      name = basename(file);
    }
    name = name.replace(/\.service$/, '');
    const problem = unitNameProblem(name);
    if (problem) {
      r.error(namePath, `service name '${name}' ${problem}`);
      continue;
    }
    const first = serviceNames.get(name);
    if (first) {
      r.error(namePath, `service '${name}' is already defined at line ${r.line(first)}`);
      continue;
    }
    serviceNames.set(name, namePath);
    const health = isObj(s.health)
      ? normalizeHealth(y, r, at('health'), s.health as RawHealth)
      : undefined;
    if (ok) {
      services.push({
        name,
        file,
        enabled,
        start: bool(s.start) ?? true,
        ...(health ? { health } : {}),
      });
    }
  }

  // tarball: a URL with its digest, or a local directory packed at deploy time
  let tarball: TarballSpec | undefined;
  const url = str(d.tarball_url);
  const sha = str(d.tarball_sha256);
  const tsrc = str(d.tarball_source);
  const tdestRaw = str(d.tarball_destination);
  const tdest =
    tdestRaw === undefined
      ? TARBALL_DESTINATION
      : destination(r, D('tarball_destination'), tdestRaw, 'tarball_destination');
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
    const ok = await repoPath(ctx, r, D('tarball_source'), tsrc, 'dir', 'tarball_source');
    if (ok) await checkLinks(ctx, r, D('tarball_source'), ok.abs, [], `tarball_source '${tsrc}'`);
    if (ok && tdest !== undefined) tarball = { kind: 'source', path: tsrc, destination: tdest };
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

  const onInterruption = await normalizeInterruptionHook(
    d.on_interruption,
    r,
    (...p) => D('on_interruption', ...p),
    async (p) =>
      (await repoPath(ctx, r, D('on_interruption', 'path'), p, 'file', 'interruption hook')) !==
      undefined,
  );

  const nothing =
    packages.length === 0 &&
    scripts.length === 0 &&
    uploads.length === 0 &&
    services.length === 0 &&
    url === undefined &&
    tsrc === undefined &&
    !(Array.isArray(d.uploads) && d.uploads.length > 0) &&
    !(Array.isArray(d.scripts) && d.scripts.length > 0) &&
    !(Array.isArray(d.services) && d.services.length > 0);
  if (nothing && isObj(root.deployment)) {
    r.warn(
      ['deployment'],
      'the deployment installs nothing: no packages, uploads, scripts, services or tarball',
      'key',
    );
  }

  return {
    packages,
    template,
    env,
    uploads,
    scripts,
    services,
    ...(tarball ? { tarball } : {}),
    ...(onInterruption ? { onInterruption } : {}),
  };
}

function normalizeHealth(
  y: YamlFile,
  r: FileReporter,
  path: DataPath,
  h: RawHealth,
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
