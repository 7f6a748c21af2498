import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  envNameProblem,
  quoted
} from "./chunk-NIG5AYO3.js";

// src/plan/shell.ts
var UnsafeValueError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UnsafeValueError";
  }
};
function sh(value) {
  if (value.includes("\0")) {
    throw new UnsafeValueError(`cannot put a NUL byte into a shell script: ${quoted(value)}`);
  }
  if (/^[A-Za-z0-9_./:=@%^,+-]+$/.test(value) && !value.startsWith("-")) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
function assertInstancePath(path, what = "path") {
  if (!path.startsWith("/")) {
    throw new UnsafeValueError(`${what} must be absolute on the instance: ${quoted(path)}`);
  }
  if (/[\0\n\r]/.test(path)) {
    throw new UnsafeValueError(`${what} contains a newline or NUL: ${quoted(path)}`);
  }
  const segments = path.split("/").slice(1);
  for (const seg of segments.slice(0, -1)) {
    if (seg === "" || seg === "." || seg === "..") {
      throw new UnsafeValueError(`${what} is not a normalized absolute path: ${quoted(path)}`);
    }
  }
  const last = segments[segments.length - 1];
  if (last === "." || last === "..") {
    throw new UnsafeValueError(`${what} is not a normalized absolute path: ${quoted(path)}`);
  }
}
function shPath(path, what = "path") {
  assertInstancePath(path, what);
  return sh(path);
}
function assertEnvName(name) {
  const problem = envNameProblem(name);
  if (problem) throw new UnsafeValueError(problem);
}
function envLine(name, value) {
  assertEnvName(name);
  if (value.includes("\0")) {
    throw new UnsafeValueError(`environment variable ${name} contains a NUL byte`);
  }
  return `${name}="${value.replace(/[\\"`$]/g, (c) => "\\" + c)}"`;
}
function envFile(vars, comment) {
  const names = Object.keys(vars).sort();
  const lines = [`# ${comment.replace(/\n/g, " ")}`];
  for (const name of names) lines.push(envLine(name, vars[name] ?? ""));
  return lines.join("\n") + "\n";
}
function heredocDelimiter(body, base = "SPOT_EOF") {
  const lines = new Set(body.split("\n"));
  let n = 0;
  let d = base;
  while (lines.has(d)) d = `${base}_${++n}`;
  return d;
}
function jsonBytes(text) {
  return Buffer.byteLength(JSON.stringify(text), "utf8") - 2;
}

export {
  sh,
  assertInstancePath,
  shPath,
  assertEnvName,
  envFile,
  heredocDelimiter,
  jsonBytes
};
//# sourceMappingURL=chunk-ET7XX2IW.js.map
