// The convention layout: a deployment/ directory described by its files instead of a
// manifest. The original tool's scanner rules, minus its defects (its services were
// silently skipped; here they are installed and checked like a manifest's).
//
//   packages  requirements.txt → python3 python3-pip; package.json → nodejs npm;
//             Gemfile → ruby bundler; go.mod → golang; Cargo.toml → cargo;
//             docker-compose.y(a)ml → docker.io docker-compose; packages.txt as listed
//   scripts   setup.sh, else init.sh; then scripts/*.sh sorted; install.sh; start.sh
//   uploads   the whole directory → /opt/deployment (its own file modes);
//             configs/ → /opt/configs (0644); files/ → /opt/files (0644);
//             secrets/ → /opt/secrets (0600); .env → /opt/deployment/.env (0600)
//   services  services/*.service, systemd/*.service, *.service at the top

import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { ScriptSpec, ServiceSpec, UploadSpec } from '../manifest/model.ts';
import type { DeploymentParts } from '../validate/deployment.ts';
import { SCRIPT_DEFAULTS } from '../validate/deployment.ts';
import { PACKAGE_NAME, SCRIPT_NAME, unitNameProblem } from '../manifest/names.ts';
import { checkRepoPath, escapingLinks, type RepoContext } from '../validate/paths.ts';
import { checkUnitFile } from '../validate/unit.ts';
import { readTextFile } from '../validate/yaml.ts';
import { MAIN_SCRIPTS } from './discover.ts';

export const MARKER_PACKAGES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['requirements.txt', ['python3', 'python3-pip']],
  ['package.json', ['nodejs', 'npm']],
  ['Gemfile', ['ruby', 'bundler']],
  ['go.mod', ['golang']],
  ['Cargo.toml', ['cargo']],
  ['docker-compose.yml', ['docker.io', 'docker-compose']],
  ['docker-compose.yaml', ['docker.io', 'docker-compose']],
];

export const CONVENTION_UPLOADS: ReadonlyArray<{
  source: string;
  destination: string;
  mode: string;
}> = [
  { source: 'configs/', destination: '/opt/configs', mode: '0644' },
  { source: 'files/', destination: '/opt/files', mode: '0644' },
  { source: 'secrets/', destination: '/opt/secrets', mode: '0600' },
  { source: '.env', destination: '/opt/deployment/.env', mode: '0600' },
];
export const CONVENTION_ROOT_DESTINATION = '/opt/deployment';
/** The files/ directory the original tool's `generate` writes beside deployment/, and where
 * the README it puts there says its files go. */
export const GENERATED_FILES_UPLOAD = {
  source: '../files/',
  destination: '/opt/uploaded_files',
  mode: '0644',
};
/** Left out of the whole-directory upload: they go separately, with restrictive modes. */
export const CONVENTION_ROOT_EXCLUDE = ['.env', 'secrets', 'secrets/**'];

async function entries(
  dir: string,
): Promise<Array<{ name: string; isFile: boolean; isDir: boolean }>> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list
      .map((e) => ({
        name: e.name,
        isFile: e.isFile() || e.isSymbolicLink(),
        isDir: e.isDirectory(),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

export async function scanConvention(
  ctx: RepoContext,
  out: Diagnostic[],
): Promise<DeploymentParts & { files: string[] }> {
  const rel = (p: string) => `${ctx.baseRel}/${p}`;
  const problem = (
    file: string,
    message: string,
    line = 0,
    col = 0,
    severity: Diagnostic['severity'] = 'error',
  ) => out.push({ file, line, col, severity, message });
  const top = await entries(ctx.baseDir);
  const has = (name: string) => top.some((e) => e.name === name && e.isFile);
  const hasDir = (name: string) => top.some((e) => e.name === name && e.isDir);
  const files: string[] = [];

  // The whole directory is uploaded: no symbolic link in it may lead out of the repository.
  const { links, truncated } = await escapingLinks(ctx, ctx.baseDir, []);
  for (const link of links.slice(0, 10)) {
    problem(rel(link), 'is a symbolic link that leads outside the repository (or nowhere)');
  }
  if (links.length > 10)
    problem(ctx.baseRel, `holds ${links.length - 10} more such symbolic links`);
  if (truncated)
    problem(
      ctx.baseRel,
      'holds too many files to check them all for symbolic links',
      0,
      0,
      'warning',
    );

  // Each file the scanner uses must be a real file inside the repository.
  const usable = async (p: string, kind: 'file' | 'dir' | 'any', what: string) => {
    if (links.includes(p.replace(/\/$/, ''))) return false; // reported above
    const res = await checkRepoPath(ctx, p, kind, what);
    if ('error' in res) {
      problem(rel(p.replace(/\/$/, '')), res.error);
      return false;
    }
    return true;
  };

  // packages
  const packages: string[] = [];
  const add = (p: string) => {
    if (!packages.includes(p)) packages.push(p);
  };
  for (const [marker, pkgs] of MARKER_PACKAGES) if (has(marker)) pkgs.forEach(add);
  if (has('packages.txt') && (await usable('packages.txt', 'file', 'packages.txt'))) {
    const file = rel('packages.txt');
    files.push(file);
    const read = await readTextFile(join(ctx.baseDir, 'packages.txt'), file, file);
    out.push(...read.diagnostics);
    (read.text ?? '').split(/\r?\n/).forEach((line, i) => {
      const body = line.replace(/(^|\s)#.*$/, '');
      for (const m of body.matchAll(/\S+/g)) {
        if (PACKAGE_NAME.test(m[0])) add(m[0]);
        else {
          problem(
            file,
            `'${m[0]}' is not a valid package name (lower-case letters, digits and + . -, at least 2 characters)`,
            i + 1,
            (m.index ?? 0) + 1,
          );
        }
      }
    });
  }

  // scripts
  const scriptFiles: string[] = [];
  const main = MAIN_SCRIPTS.find(has);
  if (main) {
    scriptFiles.push(main);
    for (const other of MAIN_SCRIPTS.filter((m) => m !== main && has(m))) {
      problem(
        rel(other),
        `${other} is not run: ${main} is the main script and runs instead`,
        0,
        0,
        'warning',
      );
    }
  }
  for (const e of await entries(join(ctx.baseDir, 'scripts'))) {
    if (e.isFile && e.name.endsWith('.sh') && !e.name.startsWith('.') && !e.name.endsWith('~')) {
      scriptFiles.push(`scripts/${e.name}`);
    }
  }
  for (const extra of ['install.sh', 'start.sh']) if (has(extra)) scriptFiles.push(extra);
  const scripts: ScriptSpec[] = [];
  const names = new Set<string>();
  for (const p of scriptFiles) {
    if (!(await usable(p, 'file', 'script'))) continue;
    const base = p.slice(p.lastIndexOf('/') + 1).replace(/\.sh$/, '');
    let name = base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'script';
    if (names.has(name)) name = `scripts-${name}`;
    if (!SCRIPT_NAME.test(name)) name = name.slice(0, 64);
    names.add(name);
    scripts.push({
      name,
      path: p,
      order: scripts.length,
      workdir: SCRIPT_DEFAULTS.workdir,
      timeoutSeconds: SCRIPT_DEFAULTS.timeoutSeconds,
    });
  }

  // uploads
  const uploads: UploadSpec[] = [];
  uploads.push({
    source: '.',
    destination: CONVENTION_ROOT_DESTINATION,
    exclude: [...CONVENTION_ROOT_EXCLUDE],
  });
  for (const u of CONVENTION_UPLOADS) {
    const isDir = u.source.endsWith('/');
    const name = u.source.replace(/\/$/, '');
    if (isDir ? hasDir(name) : has(name)) {
      if (!(await usable(u.source, isDir ? 'dir' : 'file', name))) continue;
      uploads.push({ source: u.source, destination: u.destination, mode: u.mode, exclude: [] });
    }
  }

  if (
    (await entries(dirname(ctx.baseDir))).some((e) => e.name === 'files' && e.isDir) &&
    (await usable(GENERATED_FILES_UPLOAD.source, 'dir', 'files'))
  ) {
    uploads.push({ ...GENERATED_FILES_UPLOAD, exclude: [] });
  }

  // services
  const services: ServiceSpec[] = [];
  const seen = new Map<string, string>();
  const unitFiles: string[] = [];
  for (const dir of ['services', 'systemd']) {
    for (const e of await entries(join(ctx.baseDir, dir))) {
      if (e.isFile && e.name.endsWith('.service')) unitFiles.push(`${dir}/${e.name}`);
    }
  }
  for (const e of top) if (e.isFile && e.name.endsWith('.service')) unitFiles.push(e.name);
  for (const p of unitFiles) {
    const file = rel(p);
    if (!(await usable(p, 'file', 'unit file'))) continue;
    const name = p.slice(p.lastIndexOf('/') + 1).replace(/\.service$/, '');
    const bad = unitNameProblem(name);
    if (bad) {
      problem(file, `service name '${name}' (from the file name) ${bad}`);
      continue;
    }
    const first = seen.get(name);
    if (first) {
      problem(file, `service '${name}' is also defined by ${first}; rename one of them`);
      continue;
    }
    seen.set(name, file);
    out.push(...(await checkUnitFile(join(ctx.baseDir, p), file, true)));
    services.push({ name, file: p, enabled: true, start: true });
  }

  return {
    packages,
    template: { kind: 'minimal' },
    env: {},
    uploads,
    scripts,
    services,
    files,
  };
}
