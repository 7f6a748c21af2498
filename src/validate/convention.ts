// The convention layout's files (src/discover/convention.ts lists them) checked and turned
// into the manifest's sections, through the same entries as .spot/deployment.yaml's
// (./sections.ts). Problems are reported at the file they concern.

import { join, posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import {
  CONVENTION_ROOT_DESTINATION,
  CONVENTION_ROOT_EXCLUDE,
  GENERATED_FILES_UPLOAD,
  INSTANCE_FILES_DIR,
  scanConvention,
  type ConventionFiles,
  type InstanceFiles,
} from '../discover/convention.ts';
import type { ScriptSpec, ServiceSpec, UploadSpec } from '../manifest/model.ts';
import { PACKAGE_NAME, SCRIPT_NAME } from '../manifest/names.ts';
import type { DeploymentParts } from './deployment.ts';
import { escapingLinks, type PathKind, type RepoContext } from './paths.ts';
import {
  scriptEntry,
  serviceEntry,
  sourcePath,
  uploadEntry,
  type Site,
  type Taken,
} from './sections.ts';
import { readTextFile } from './yaml.ts';

interface Scan {
  ctx: RepoContext;
  out: Diagnostic[];
  /** Symbolic links under deployment/ that lead out of the repository (reported once). */
  links: string[];
}

const relOf = (ctx: RepoContext, p: string) =>
  posix.normalize(`${ctx.baseRel}/${p.replace(/\/$/, '')}`);

/** The site of a file of the layout (`p` relative to deployment/): problems go to the file. */
function fileSite({ ctx, out }: Scan, p: string): Site {
  const file = relOf(ctx, p);
  const push = (severity: Diagnostic['severity'], message: string) =>
    out.push({ file, line: 0, col: 0, severity, message });
  return {
    error: (_field, message) => push('error', message),
    warn: (_field, message) => push('warning', message),
    taken: (name, first) =>
      `service '${name}' is also defined by ${first.where(undefined)}; rename one of them`,
    where: () => file,
  };
}

/** A real file (or directory) inside the repository, else reported (links were already). */
async function usable(scan: Scan, p: string, kind: PathKind, what: string): Promise<boolean> {
  if (scan.links.includes(p.replace(/\/$/, ''))) return false;
  return (await sourcePath(scan.ctx, fileSite(scan, p), undefined, p, kind, what)) !== undefined;
}

/** The whole directory is uploaded: no symbolic link in it may lead out of the repository. */
async function outsideLinks(ctx: RepoContext, out: Diagnostic[]): Promise<string[]> {
  const { links, truncated } = await escapingLinks(ctx, ctx.baseDir, []);
  const scan: Scan = { ctx, out, links };
  for (const link of links.slice(0, 10)) {
    fileSite(scan, link).error(
      undefined,
      'is a symbolic link that leads outside the repository (or nowhere)',
    );
  }
  const whole = fileSite(scan, '.');
  if (links.length > 10)
    whole.error(undefined, `holds ${links.length - 10} more such symbolic links`);
  if (truncated) whole.warn(undefined, 'holds too many files to check them all for symbolic links');
  return links;
}

/** The marker files' packages, then packages.txt's names (whitespace-separated, # comments). */
async function packages(scan: Scan, found: ConventionFiles, files: string[]): Promise<string[]> {
  const list = [...found.markerPackages];
  if (!found.packagesTxt || !(await usable(scan, 'packages.txt', 'file', 'packages.txt')))
    return list;
  const file = relOf(scan.ctx, 'packages.txt');
  files.push(file);
  const read = await readTextFile(join(scan.ctx.baseDir, 'packages.txt'), file, file);
  scan.out.push(...read.diagnostics);
  (read.text ?? '').split(/\r?\n/).forEach((line, i) => {
    const body = line.replace(/(^|\s)#.*$/, '');
    for (const m of body.matchAll(/\S+/g)) {
      if (PACKAGE_NAME.test(m[0])) {
        if (!list.includes(m[0])) list.push(m[0]);
        continue;
      }
      scan.out.push({
        file,
        line: i + 1,
        col: (m.index ?? 0) + 1,
        severity: 'error',
        message: `'${m[0]}' is not a valid package name (lower-case letters, digits and + . -, at least 2 characters)`,
      });
    }
  });
  return list;
}

/** Scripts named after their files (made usable and unique), in the convention's order:
 * instance-files/'s main script first, then deployment/'s. */
async function scripts(scan: Scan, found: ConventionFiles): Promise<ScriptSpec[]> {
  const main = found.scripts[0];
  for (const other of found.ignoredMains) {
    fileSite(scan, other).warn(
      undefined,
      `${other} is not run: ${main} is the main script and runs instead`,
    );
  }
  const treeMain = found.instanceFiles?.main;
  const list: ScriptSpec[] = [];
  const names = new Set<string>();
  for (const p of [...(treeMain !== undefined ? [treeMain] : []), ...found.scripts]) {
    if (scan.links.includes(p)) continue;
    const file = p.slice(p.lastIndexOf('/') + 1).replace(/\.sh$/, '');
    const base = p === treeMain ? `${INSTANCE_FILES_DIR}-${file}` : file;
    let name = base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'script';
    if (names.has(name)) name = `scripts-${name}`;
    if (!SCRIPT_NAME.test(name)) name = name.slice(0, 64);
    const spec = await scriptEntry(scan.ctx, fileSite(scan, p), undefined, {
      name,
      body: { path: p },
      order: list.length,
    });
    if (!spec) continue;
    names.add(name);
    list.push(spec);
  }
  return list;
}

/** instance-files/ beside deployment/ into /opt/deployment, as the original shipped it; a
 * notice says what it does, since nothing in the repository names it. */
async function instanceFilesUpload(
  scan: Scan,
  tree: InstanceFiles,
  scripts: ScriptSpec[],
): Promise<UploadSpec | undefined> {
  const spec = await uploadEntry(scan.ctx, fileSite(scan, tree.source), {
    source: tree.source,
    destination: CONVENTION_ROOT_DESTINATION,
    exclude: [],
    checkLinks: true,
  });
  if (!spec) return undefined;
  const runs = scripts.find((s) => s.path === tree.main);
  scan.out.push({
    file: INSTANCE_FILES_DIR,
    line: 0,
    col: 0,
    severity: 'notice',
    message:
      `${INSTANCE_FILES_DIR}/ beside deployment/ is delivered to ${CONVENTION_ROOT_DESTINATION}, ` +
      `its files over deployment/'s of the same path, as the original tool shipped it` +
      (runs
        ? `; its ${tree.main!.split('/').pop()} runs there first, as script '${runs.name}'`
        : ''),
  });
  return spec;
}

async function uploads(
  scan: Scan,
  found: ConventionFiles,
  scripts: ScriptSpec[],
): Promise<UploadSpec[]> {
  const tree = found.instanceFiles;
  const list: UploadSpec[] = [
    {
      source: '.',
      destination: CONVENTION_ROOT_DESTINATION,
      exclude: [...CONVENTION_ROOT_EXCLUDE],
      ...(tree && tree.files.length > 0 ? { shadowed: tree.files } : {}),
    },
  ];
  for (const u of found.uploads) {
    if (scan.links.includes(u.source.replace(/\/$/, ''))) continue; // reported already
    const spec = await uploadEntry(scan.ctx, fileSite(scan, u.source), {
      ...u,
      exclude: [],
      // Only files/ beside deployment/ is outside the directory already checked for links.
      checkLinks: u === GENERATED_FILES_UPLOAD,
    });
    if (spec) list.push(spec);
  }
  const treeUpload = tree ? await instanceFilesUpload(scan, tree, scripts) : undefined;
  if (treeUpload) list.push(treeUpload);
  return list;
}

async function services(scan: Scan, found: ConventionFiles): Promise<ServiceSpec[]> {
  const list: ServiceSpec[] = [];
  const taken: Taken = new Map();
  for (const p of found.units) {
    if (scan.links.includes(p)) continue; // reported already
    const spec = await serviceEntry(
      scan.ctx,
      fileSite(scan, p),
      { file: p, enabled: true, start: true, nameFromFile: true },
      taken,
      scan.out,
    );
    if (spec) list.push(spec);
  }
  return list;
}

export async function normalizeConvention(
  ctx: RepoContext,
  out: Diagnostic[],
): Promise<DeploymentParts & { files: string[] }> {
  const found = await scanConvention(ctx.baseDir);
  const scan: Scan = { ctx, out, links: await outsideLinks(ctx, out) };
  const files: string[] = [];
  const scriptSpecs = await scripts(scan, found);
  return {
    packages: await packages(scan, found, files),
    template: { kind: 'minimal' },
    env: {},
    uploads: await uploads(scan, found, scriptSpecs),
    scripts: scriptSpecs,
    services: await services(scan, found),
    files,
  };
}
