// Reads, at plan time, every byte the deployment will deliver: upload sources (directories
// recursively, minus `exclude` globs), script bodies, unit files, and a `tarball_source`
// packed deterministically. Symlinks are followed only while they stay inside the
// repository directory; one that points outside is an error, never a silent copy of some
// other file on the runner.

import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import picomatch from 'picomatch';
import type { Deployment, UploadSpec } from '../../manifest/model.ts';
import { inside } from '../../manifest/paths.ts';
import { FILE_MODE, OWNER } from '../../manifest/names.ts';
import { assertInstancePath } from '../shell.ts';

/** One file as it must exist on the instance. */
export interface DeliveredFile {
  /** Absolute path on the instance. */
  dest: string;
  data: Buffer;
  sha256: string;
  /** Octal, four digits ("0644"). */
  mode: string;
  /** `user` or `user:group` (names or numbers). */
  owner: string;
  /** Where it comes from, for messages: a path relative to the deployment root, or a label. */
  origin: string;
}

export const DEFAULT_OWNER = 'root:root';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** "644" / "0644" / "4755" → "0644" / "0644" / "4755"; anything else throws. */
export function normalizeMode(mode: string, what: string): string {
  if (!FILE_MODE.test(mode)) throw new Error(`${what}: mode ${JSON.stringify(mode)} is not octal`);
  return mode.padStart(4, '0').slice(-4);
}

export function normalizeOwner(owner: string, what: string): string {
  if (!OWNER.test(owner)) {
    throw new Error(`${what}: owner ${JSON.stringify(owner)} is not user or user:group`);
  }
  return owner;
}

export function makeFile(
  dest: string,
  data: Buffer,
  mode: string,
  owner: string,
  origin: string,
): DeliveredFile {
  assertInstancePath(dest, `destination of ${origin}`);
  return { dest, data, sha256: sha256Hex(data), mode, owner, origin };
}

interface Found {
  /** Path relative to the walked directory, '/'-separated. */
  rel: string;
  abs: string;
  executable: boolean;
}

/**
 * Regular files under `dir` (or `dir` itself if it is a file), sorted by relative path.
 * `excluded(rel, isDir)` prunes; symlinks are resolved and must stay within `boundary`.
 */
async function walk(
  dir: string,
  boundary: string,
  excluded: (rel: string) => boolean,
  label: string,
): Promise<Found[]> {
  const out: Found[] = [];
  const visit = async (abs: string, rel: string, seen: Set<string>): Promise<void> => {
    let st = await lstat(abs);
    let real = abs;
    if (st.isSymbolicLink()) {
      real = await realpath(abs).catch(() => {
        throw new Error(`${label}: ${rel || abs} is a broken symlink`);
      });
      if (!inside(boundary, real)) {
        throw new Error(`${label}: ${rel || abs} is a symlink to ${real}, outside the repository`);
      }
      st = await stat(real);
    }
    if (st.isDirectory()) {
      const key = await realpath(real);
      if (seen.has(key)) throw new Error(`${label}: symlink loop at ${rel || abs}`);
      const next = new Set(seen).add(key);
      const names = (await readdir(abs)).sort();
      for (const name of names) {
        const childRel = rel ? `${rel}/${name}` : name;
        if (excluded(childRel)) continue;
        await visit(join(abs, name), childRel, next);
      }
    } else if (st.isFile()) {
      out.push({ rel, abs, executable: (st.mode & 0o111) !== 0 });
    } else {
      throw new Error(`${label}: ${rel || abs} is neither a file nor a directory`);
    }
  };
  await visit(dir, '', new Set());
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

/** Resolves a manifest-relative source and checks it stays inside the repository. */
async function sourcePath(deployment: Deployment, source: string, label: string): Promise<string> {
  const abs = resolve(deployment.baseDir, source);
  const root = await realpath(deployment.root).catch(() => resolve(deployment.root));
  if (!inside(resolve(deployment.root), abs) && !inside(root, abs)) {
    throw new Error(`${label}: ${source} is outside the repository directory`);
  }
  return abs;
}

async function repoBoundary(deployment: Deployment): Promise<string> {
  return realpath(deployment.root).catch(() => resolve(deployment.root));
}

/** Gitignore-like: a pattern without '/' also matches a base name at any depth. `shadowed`
 * paths are left out exactly. */
function excluder(patterns: string[], shadowed: string[] = []): (rel: string) => boolean {
  const exact = new Set(shadowed);
  if (patterns.length === 0) return (rel) => exact.has(rel);
  const isMatch = picomatch(patterns, { dot: true, basename: true });
  return (rel) => exact.has(rel) || isMatch(rel);
}

function destFor(upload: UploadSpec, rel: string, sourceIsDir: boolean, base: string): string {
  if (sourceIsDir) return posix.join(upload.destination, rel);
  if (upload.destination.endsWith('/')) return posix.join(upload.destination, base);
  return upload.destination;
}

/** Every file of `deployment.uploads`, in manifest order then path order. */
export async function collectUploads(deployment: Deployment): Promise<DeliveredFile[]> {
  const boundary = await repoBoundary(deployment);
  const files: DeliveredFile[] = [];
  for (const [i, upload] of deployment.uploads.entries()) {
    const label = `uploads[${i}] (${upload.source})`;
    const abs = await sourcePath(deployment, upload.source, label);
    const st = await stat(abs).catch(() => {
      throw new Error(`${label}: ${upload.source} does not exist`);
    });
    const isDir = st.isDirectory();
    const found = await walk(abs, boundary, excluder(upload.exclude, upload.shadowed), label);
    const mode = upload.mode !== undefined ? normalizeMode(upload.mode, label) : undefined;
    const owner = normalizeOwner(upload.owner ?? DEFAULT_OWNER, label);
    const base = abs.split(sep).pop() ?? '';
    for (const f of found) {
      const data = await readFile(f.abs);
      const origin = relative(deployment.root, f.abs).split(sep).join('/') || f.rel;
      files.push(
        makeFile(
          destFor(upload, f.rel, isDir, base),
          data,
          mode ?? (f.executable ? '0755' : '0644'),
          owner,
          origin,
        ),
      );
    }
  }
  return files;
}

/** A manifest-relative file (script or unit), read whole. */
export async function readSource(
  deployment: Deployment,
  path: string,
  label: string,
): Promise<Buffer> {
  const abs = await sourcePath(deployment, path, label);
  const boundary = await repoBoundary(deployment);
  const real = await realpath(abs).catch(() => {
    throw new Error(`${label}: ${path} does not exist`);
  });
  if (!inside(boundary, real)) {
    throw new Error(`${label}: ${path} resolves to ${real}, outside the repository`);
  }
  return readFile(real);
}

/** Fixed timestamp for packed archives: the same tree always packs to the same bytes. */
export const PACK_MTIME = new Date('2000-01-01T00:00:00Z');

/**
 * A local directory packed as a gzip'd tar: sorted, regular files only (symlinks inside the
 * repository are stored as their content), owner 0:0, modes 0644/0755, a fixed mtime.
 */
export async function packDirectory(
  deployment: Deployment,
  path: string,
  label: string,
): Promise<Buffer> {
  const abs = await sourcePath(deployment, path, label);
  const st = await stat(abs).catch(() => {
    throw new Error(`${label}: ${path} does not exist`);
  });
  if (!st.isDirectory()) throw new Error(`${label}: ${path} is not a directory`);
  const found = await walk(abs, await repoBoundary(deployment), () => false, label);
  if (found.length === 0) throw new Error(`${label}: ${path} has no files to pack`);
  // Loaded here, only for a tarball_source: start-up does not compile node-tar otherwise.
  const { create: createTar } = await import('tar');
  // './' keeps node-tar from reading a name that starts with '@' as "include this archive".
  const pack = createTar(
    { cwd: abs, portable: true, mtime: PACK_MTIME, noDirRecurse: true, follow: true },
    found.map((f) => `./${f.rel}`),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
