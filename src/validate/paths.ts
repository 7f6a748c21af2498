// Checks of paths in the user's repository (sources, scripts, unit files, tarball sources)
// and of destination paths on the instances. The repository is the directory the user
// pointed at; nothing a manifest names may lead out of it, lexically or through a symlink.

import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { inside } from '../manifest/paths.ts';
import { didYouMean } from './suggest.ts';

export interface RepoContext {
  /** Absolute path of the deployment root (the `path` input). */
  root: string;
  /** realpath of root. */
  rootReal: string;
  /** Absolute directory relative paths resolve against. */
  baseDir: string;
  /** baseDir relative to root, for messages ('.spot', 'deployment'). */
  baseRel: string;
}

export type PathKind = 'file' | 'dir' | 'any';

export interface RepoPath {
  abs: string;
  /** Relative to root, '/'-separated. */
  rel: string;
  isDir: boolean;
}

export type PathCheck = { ok: RepoPath } | { error: string };

const toPosix = (p: string) => p.split(sep).join('/');

/** Validates a path relative to ctx.baseDir that must exist inside the repository. */
export async function checkRepoPath(
  ctx: RepoContext,
  p: string,
  kind: PathKind,
  what: string,
): Promise<PathCheck> {
  const q = `${what} '${p}'`;
  if (p.trim() === '') return { error: `${what} is empty` };
  if (p.startsWith('~')) {
    return { error: `${q} points into a home directory; write a path relative to ${ctx.baseRel}/` };
  }
  if (isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) {
    return { error: `${q} is an absolute path; write it relative to ${ctx.baseRel}/` };
  }
  if (p.includes('\\')) return { error: `${q} contains '\\'; separate directories with '/'` };
  const abs = resolve(ctx.baseDir, p);
  if (!inside(ctx.root, abs)) return { error: `${q} leads outside the repository` };
  const rel = toPosix(relative(ctx.root, abs)) || '.';
  try {
    await lstat(abs);
  } catch {
    let hint = '';
    try {
      hint = didYouMean(basename(abs), await readdir(dirname(abs)));
    } catch {
      // the parent directory does not exist either
    }
    return { error: `${q} not found: there is no ${rel} in the repository${hint}` };
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    // A dangling link: say where it points when that is outside anyway.
    try {
      const target = resolve(dirname(abs), await readlink(abs));
      if (!inside(ctx.root, target)) {
        return { error: `${q} is a symbolic link that leads outside the repository` };
      }
    } catch {
      // not a link itself: a link further up the path is broken
    }
    return { error: `${q} is a broken symbolic link` };
  }
  if (!inside(ctx.rootReal, real)) {
    return { error: `${q} is (or goes through) a symbolic link that leads outside the repository` };
  }
  const st = await stat(real);
  const isDir = st.isDirectory();
  if (kind === 'file' && isDir) return { error: `${q} is a directory; expected a file` };
  if (kind === 'dir' && !isDir) return { error: `${q} is not a directory` };
  if (!isDir && !st.isFile()) return { error: `${q} is not a regular file` };
  if (p.endsWith('/') && !isDir) return { error: `${q} ends with '/' but is a file` };
  return { ok: { abs, rel, isDir } };
}

/** Stop looking for symlinks after this many entries (a huge tree is the deliverer's problem). */
export const MAX_WALK_ENTRIES = 100_000;

/**
 * Symbolic links under a directory that lead outside the repository (or nowhere), as
 * paths relative to the directory; entries matching `exclude` are skipped.
 */
export async function escapingLinks(
  ctx: RepoContext,
  dir: string,
  exclude: string[],
): Promise<{ links: string[]; truncated: boolean }> {
  // picomatch only when there are patterns: validate's start-up stays small.
  const isExcluded =
    exclude.length > 0 ? (await import('picomatch')).default(exclude, { dot: true }) : () => false;
  const links: string[] = [];
  let seen = 0;
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relDir = stack.pop()!;
    let entries;
    try {
      entries = await readdir(join(dir, relDir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > MAX_WALK_ENTRIES) return { links, truncated: true };
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      if (isExcluded(rel) || (entry.isDirectory() && isExcluded(rel + '/'))) continue;
      if (entry.isSymbolicLink()) {
        let real: string | undefined;
        try {
          real = await realpath(join(dir, rel));
        } catch {
          real = undefined;
        }
        if (real === undefined || !inside(ctx.rootReal, real)) links.push(rel);
      } else if (entry.isDirectory()) {
        stack.push(rel);
      }
    }
  }
  links.sort();
  return { links, truncated: false };
}

/**
 * Checks an absolute path on the instance. Returns it normalised (no trailing '/'), or an
 * error message saying what is wrong.
 */
export function checkDestination(d: string, what: string): { ok: string } | { error: string } {
  const q = `${what} '${d}'`;
  if (d === '') return { error: `${what} is empty` };
  if (!d.startsWith('/'))
    return { error: `${q} must be an absolute path on the instance, such as /opt/app` };
  if (d.length > 4096) return { error: `${what} is longer than 4096 characters` };
  const segments = d.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) {
    return { error: `${q} must not contain '.' or '..' segments` };
  }
  const trimmed = d.length > 1 ? d.replace(/\/+$/, '') : d;
  if (trimmed === '' || trimmed === '/')
    return { error: `${q} would replace the whole file system` };
  if (trimmed.includes('//')) {
    return { error: `${q} contains '//'; write ${posix.normalize(trimmed)}` };
  }
  return { ok: trimmed };
}
