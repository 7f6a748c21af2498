import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  assertInstancePath
} from "./chunk-ET7XX2IW.js";
import {
  require_picomatch
} from "./chunk-MGZNPMRM.js";
import {
  inside
} from "./chunk-QL5CQV3S.js";
import {
  FILE_MODE,
  OWNER
} from "./chunk-NIG5AYO3.js";
import {
  __toESM
} from "./chunk-SLSPYRCZ.js";

// src/plan/render/files.ts
var import_picomatch = __toESM(require_picomatch(), 1);
import { createHash } from "node:crypto";
import { lstat, readFile, readdir, realpath, stat } from "node:fs/promises";
import { join, posix, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
var DEFAULT_OWNER = "root:root";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function normalizeMode(mode, what) {
  if (!FILE_MODE.test(mode)) throw new Error(`${what}: mode ${JSON.stringify(mode)} is not octal`);
  return mode.padStart(4, "0").slice(-4);
}
function normalizeOwner(owner, what) {
  if (!OWNER.test(owner)) {
    throw new Error(`${what}: owner ${JSON.stringify(owner)} is not user or user:group`);
  }
  return owner;
}
function makeFile(dest, data, mode, owner, origin) {
  assertInstancePath(dest, `destination of ${origin}`);
  return { dest, data, sha256: sha256Hex(data), mode, owner, origin };
}
async function walk(dir, boundary, excluded, label) {
  const out = [];
  const visit = async (abs, rel, seen) => {
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
      out.push({ rel, abs, executable: (st.mode & 73) !== 0 });
    } else {
      throw new Error(`${label}: ${rel || abs} is neither a file nor a directory`);
    }
  };
  await visit(dir, "", /* @__PURE__ */ new Set());
  out.sort((a, b) => a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
  return out;
}
async function sourcePath(deployment, source, label) {
  const abs = resolve(deployment.baseDir, source);
  const root = await realpath(deployment.root).catch(() => resolve(deployment.root));
  if (!inside(resolve(deployment.root), abs) && !inside(root, abs)) {
    throw new Error(`${label}: ${source} is outside the repository directory`);
  }
  return abs;
}
async function repoBoundary(deployment) {
  return realpath(deployment.root).catch(() => resolve(deployment.root));
}
function excluder(patterns, shadowed = []) {
  const exact = new Set(shadowed);
  if (patterns.length === 0) return (rel) => exact.has(rel);
  const isMatch = (0, import_picomatch.default)(patterns, { dot: true, basename: true });
  return (rel) => exact.has(rel) || isMatch(rel);
}
function destFor(upload, rel, sourceIsDir, base) {
  if (sourceIsDir) return posix.join(upload.destination, rel);
  if (upload.destination.endsWith("/")) return posix.join(upload.destination, base);
  return upload.destination;
}
async function collectUploads(deployment) {
  const boundary = await repoBoundary(deployment);
  const files = [];
  for (const [i, upload] of deployment.uploads.entries()) {
    const label = `uploads[${i}] (${upload.source})`;
    const abs = await sourcePath(deployment, upload.source, label);
    const st = await stat(abs).catch(() => {
      throw new Error(`${label}: ${upload.source} does not exist`);
    });
    const isDir = st.isDirectory();
    const found = await walk(abs, boundary, excluder(upload.exclude, upload.shadowed), label);
    const mode = upload.mode !== void 0 ? normalizeMode(upload.mode, label) : void 0;
    const owner = normalizeOwner(upload.owner ?? DEFAULT_OWNER, label);
    const base = abs.split(sep).pop() ?? "";
    for (const f of found) {
      const data = await readFile(f.abs);
      const origin = relative(deployment.root, f.abs).split(sep).join("/") || f.rel;
      files.push(
        makeFile(
          destFor(upload, f.rel, isDir, base),
          data,
          mode ?? (f.executable ? "0755" : "0644"),
          owner,
          origin
        )
      );
    }
  }
  return files;
}
async function readSource(deployment, path, label) {
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
var PACK_MTIME = /* @__PURE__ */ new Date("2000-01-01T00:00:00Z");
async function packDirectory(deployment, path, label) {
  const abs = await sourcePath(deployment, path, label);
  const st = await stat(abs).catch(() => {
    throw new Error(`${label}: ${path} does not exist`);
  });
  if (!st.isDirectory()) throw new Error(`${label}: ${path} is not a directory`);
  const found = await walk(abs, await repoBoundary(deployment), () => false, label);
  if (found.length === 0) throw new Error(`${label}: ${path} has no files to pack`);
  const { create: createTar } = await import("./index.min-OETNU3O3.js");
  const pack = createTar(
    { cwd: abs, portable: true, mtime: PACK_MTIME, noDirRecurse: true, follow: true },
    found.map((f) => `./${f.rel}`)
  );
  const chunks = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk));
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

export {
  sha256Hex,
  makeFile,
  collectUploads,
  readSource,
  packDirectory
};
//# sourceMappingURL=chunk-3HBCK5FV.js.map
