// The convention layout: a deployment/ directory described by its files instead of a
// manifest. The original tool's rules, minus its defects (its services were silently
// skipped; here they are installed and checked like a manifest's). This finds the files;
// src/validate/convention.ts checks them and turns them into the manifest's sections.
//
//   packages  requirements.txt → python3 python3-pip; package.json → nodejs npm;
//             Gemfile → ruby bundler; go.mod → golang; Cargo.toml → cargo;
//             docker-compose.y(a)ml → docker.io docker-compose; packages.txt as listed
//   scripts   setup.sh, else init.sh; then scripts/*.sh sorted; install.sh; start.sh
//   uploads   the whole directory → /opt/deployment (its own file modes);
//             configs/ → /opt/configs (0644); files/ → /opt/files (0644);
//             secrets/ → /opt/secrets (0600); .env → /opt/deployment/.env (0600);
//             files/ beside deployment/ (as the original's generate writes it) →
//             /opt/uploaded_files (0644);
//             instance-files/ beside deployment/ (where the original looked for the tree it
//             shipped in place of deployment/) → /opt/deployment too, its files over
//             deployment/'s of the same path (their own modes)
//   scripts   instance-files/setup.sh, else instance-files/init.sh, first (the original ran it
//             in /opt/deployment after unpacking that tree); additional_commands.sh beside
//             deployment/ last (where the original told its users to put custom commands)
//   services  services/*.service, systemd/*.service, *.service at the top

import { readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
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

export interface ConventionUpload {
  /** Relative to deployment/; a directory when it ends in '/'. */
  source: string;
  destination: string;
  mode: string;
}

export const CONVENTION_UPLOADS: readonly ConventionUpload[] = [
  { source: 'configs/', destination: '/opt/configs', mode: '0644' },
  { source: 'files/', destination: '/opt/files', mode: '0644' },
  { source: 'secrets/', destination: '/opt/secrets', mode: '0600' },
  { source: '.env', destination: '/opt/deployment/.env', mode: '0600' },
];
export const CONVENTION_ROOT_DESTINATION = '/opt/deployment';
/** Left out of the whole-directory upload: they go separately, with restrictive modes. */
export const CONVENTION_ROOT_EXCLUDE = ['.env', 'secrets', 'secrets/**'];
/** The files/ directory the original tool's `generate` writes beside deployment/, and where
 * the README it puts there says its files go. */
export const GENERATED_FILES_UPLOAD: ConventionUpload = {
  source: '../files/',
  destination: '/opt/uploaded_files',
  mode: '0644',
};

/** The directory beside deployment/ whose tree the original tool shipped to /opt/deployment
 * instead of deployment/'s (its Bacalhau layout: etc/, opt/, usr/ and a setup.sh). */
export const INSTANCE_FILES_DIR = 'instance-files';

export interface InstanceFiles {
  /** Relative to deployment/: '../instance-files/'. */
  source: string;
  /** Its main script (relative to deployment/), when it has one. */
  main?: string;
  /** Its files, relative to it, '/'-separated: deployment/'s files at these paths yield. */
  files: string[];
}

/** What a deployment/ directory holds that the convention gives a meaning. */
export interface ConventionFiles {
  /** Packages its marker files imply, in order, once each. */
  markerPackages: string[];
  /** Whether it has a packages.txt to read. */
  packagesTxt: boolean;
  /** Scripts in run order (relative to deployment/). */
  scripts: string[];
  /** Main scripts that are there but do not run (init.sh beside setup.sh). */
  ignoredMains: string[];
  /** The uploads whose sources are there, besides the whole directory. */
  uploads: ConventionUpload[];
  /** Unit files (relative to deployment/). */
  units: string[];
  /** instance-files/ beside deployment/, when there is one. */
  instanceFiles?: InstanceFiles;
}

interface Entry {
  name: string;
  isFile: boolean;
  isDir: boolean;
}

async function entries(dir: string): Promise<Entry[]> {
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

const isFileIn = (list: Entry[], name: string) => list.some((e) => e.name === name && e.isFile);
const isDirIn = (list: Entry[], name: string) => list.some((e) => e.name === name && e.isDir);

/** The custom commands' script the original looked for where it was run (the root). */
export const ADDITIONAL_COMMANDS = '../additional_commands.sh';

async function scripts(baseDir: string, top: Entry[], beside: Entry[]) {
  const main = MAIN_SCRIPTS.find((m) => isFileIn(top, m));
  const found = main ? [main] : [];
  const ignoredMains = main ? MAIN_SCRIPTS.filter((m) => m !== main && isFileIn(top, m)) : [];
  for (const e of await entries(join(baseDir, 'scripts'))) {
    if (e.isFile && e.name.endsWith('.sh') && !e.name.startsWith('.') && !e.name.endsWith('~')) {
      found.push(`scripts/${e.name}`);
    }
  }
  for (const extra of ['install.sh', 'start.sh']) if (isFileIn(top, extra)) found.push(extra);
  if (isFileIn(beside, ADDITIONAL_COMMANDS.slice(3))) found.push(ADDITIONAL_COMMANDS);
  return { scripts: found, ignoredMains };
}

async function units(baseDir: string, top: Entry[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of ['services', 'systemd']) {
    for (const e of await entries(join(baseDir, dir))) {
      if (e.isFile && e.name.endsWith('.service')) found.push(`${dir}/${e.name}`);
    }
  }
  for (const e of top) if (e.isFile && e.name.endsWith('.service')) found.push(e.name);
  return found;
}

/** Every file (or link) under `dir`, relative to it; none when it cannot be read. */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true, recursive: true });
    return list
      .filter((e) => !e.isDirectory())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  } catch {
    return [];
  }
}

async function instanceFiles(baseDir: string, beside: Entry[]): Promise<InstanceFiles | undefined> {
  if (!isDirIn(beside, INSTANCE_FILES_DIR)) return undefined;
  const dir = join(dirname(baseDir), INSTANCE_FILES_DIR);
  const top = await entries(dir);
  const main = MAIN_SCRIPTS.find((m) => isFileIn(top, m));
  return {
    source: `../${INSTANCE_FILES_DIR}/`,
    ...(main !== undefined ? { main: `../${INSTANCE_FILES_DIR}/${main}` } : {}),
    files: await filesUnder(dir),
  };
}

/** Lists what the convention uses in `baseDir` (the deployment/ directory). */
export async function scanConvention(baseDir: string): Promise<ConventionFiles> {
  const top = await entries(baseDir);
  const markerPackages: string[] = [];
  for (const [marker, pkgs] of MARKER_PACKAGES) {
    if (isFileIn(top, marker)) {
      for (const p of pkgs) if (!markerPackages.includes(p)) markerPackages.push(p);
    }
  }
  const uploads = CONVENTION_UPLOADS.filter((u) => {
    const name = u.source.replace(/\/$/, '');
    return u.source.endsWith('/') ? isDirIn(top, name) : isFileIn(top, name);
  });
  // The directory deployment/ sits in (the root, for the original tool's layouts), read once.
  const beside = await entries(dirname(baseDir));
  if (isDirIn(beside, 'files')) uploads.push(GENERATED_FILES_UPLOAD);
  const tree = await instanceFiles(baseDir, beside);
  return {
    markerPackages,
    packagesTxt: isFileIn(top, 'packages.txt'),
    ...(await scripts(baseDir, top, beside)),
    uploads,
    units: await units(baseDir, top),
    ...(tree ? { instanceFiles: tree } : {}),
  };
}
