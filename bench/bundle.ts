// The bundle under test. By default the project's own bundle script (scripts/bundle.ts, i.e.
// `npm run bundle`) builds the committed sources into a temp dir, so the benchmark measures
// them without touching the checkout's dist/. `--worktree` bundles the checkout's sources
// with their uncommitted edits; `--dist DIR` measures an existing bundle instead.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './project.ts';

export interface Bundle {
  /** Directory holding index.js. */
  dir: string;
  /** How it was made: 'built from src/ by scripts/bundle.ts' or 'given'. */
  origin: string;
  /** Text that esbuild writes into a temp build and not into `npm run bundle`'s (paths). */
  pathPrefix?: string;
  buildMs?: number;
}

/**
 * Runs scripts/bundle.ts in a temp working directory holding the sources: the committed ones
 * (`git archive HEAD src schema`, the default) or the checkout's as they are now (a link to
 * src/, with whatever uncommitted edits it holds).
 */
export function buildBundle(tmp: string, from: 'head' | 'worktree'): Bundle {
  let origin: string;
  if (from === 'head') {
    const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const tar = execFileSync('git', [
      '-C',
      ROOT,
      'archive',
      '--format=tar',
      'HEAD',
      'src',
      'schema',
    ]);
    execFileSync('tar', ['-x', '-C', tmp], { input: tar });
    symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'));
    origin = `src/ of commit ${commit}, bundled into a temp dir by scripts/bundle.ts (as \`npm run bundle\`)`;
  } else {
    symlinkSync(join(ROOT, 'src'), join(tmp, 'src'));
    origin =
      'src/ of the checkout as it is (uncommitted edits included), bundled into a temp dir by scripts/bundle.ts';
  }
  const t0 = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.ts')], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    dir: join(tmp, 'dist'),
    origin,
    // esbuild names modules relative to its working directory ("// node_modules/yaml/..." in
    // a normal build, "// ../../work/main/node_modules/yaml/..." here, through the link);
    // sizes below take that difference out.
    pathPrefix: relative(tmp, ROOT) + '/',
    buildMs: performance.now() - t0,
  };
}

export interface BundleFile {
  /** Path relative to the bundle directory. */
  file: string;
  bytes: number;
}

/** Every .js file of the bundle with its size as `npm run bundle` would write it. */
export function bundleFiles(b: Bundle): BundleFile[] {
  const out: BundleFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) {
        let bytes = statSync(p).size;
        if (b.pathPrefix) {
          const occurrences = readFileSync(p, 'utf8').split(b.pathPrefix).length - 1;
          bytes -= occurrences * Buffer.byteLength(b.pathPrefix);
        }
        out.push({ file: relative(b.dir, p), bytes });
      }
    }
  };
  walk(b.dir);
  return out;
}

/** The packages (or source folders) that make up most of a bundle file's bytes, from the
 * `// path` comment esbuild writes before each module: e.g. "undici, tunnel". */
export function contents(b: Bundle, file: string, top = 3): string {
  const bytes = new Map<string, number>();
  let current = '';
  for (const line of readFileSync(join(b.dir, file), 'utf8').split('\n')) {
    const m = /^\/\/ (\S+)$/.exec(line);
    if (m) {
      current = packageOf(m[1] ?? '', b.pathPrefix);
      continue;
    }
    if (current) bytes.set(current, (bytes.get(current) ?? 0) + line.length + 1);
  }
  return [...bytes]
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([n]) => n)
    .join(', ');
}

function packageOf(path: string, prefix: string | undefined): string {
  const p = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  const parts = p.split('/');
  const i = parts.lastIndexOf('node_modules');
  if (i < 0) return parts.slice(0, Math.min(2, parts.length - 1)).join('/') || p;
  const name = parts[i + 1] ?? '';
  return name.startsWith('@') ? `${name}/${parts[i + 2] ?? ''}` : name;
}
