import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/plan/shell.ts
var UnsafeValueError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UnsafeValueError";
  }
};
function describe(value) {
  return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
}
function sh(value) {
  if (value.includes("\0")) {
    throw new UnsafeValueError(`cannot put a NUL byte into a shell script: ${describe(value)}`);
  }
  if (/^[A-Za-z0-9_./:=@%^,+-]+$/.test(value) && !value.startsWith("-")) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
function assertInstancePath(path, what = "path") {
  if (!path.startsWith("/")) {
    throw new UnsafeValueError(`${what} must be absolute on the instance: ${describe(path)}`);
  }
  if (/[\0\n\r]/.test(path)) {
    throw new UnsafeValueError(`${what} contains a newline or NUL: ${describe(path)}`);
  }
  const segments = path.split("/").slice(1);
  for (const seg of segments.slice(0, -1)) {
    if (seg === "" || seg === "." || seg === "..") {
      throw new UnsafeValueError(`${what} is not a normalized absolute path: ${describe(path)}`);
    }
  }
  const last = segments[segments.length - 1];
  if (last === "." || last === "..") {
    throw new UnsafeValueError(`${what} is not a normalized absolute path: ${describe(path)}`);
  }
}
function shPath(path, what = "path") {
  assertInstancePath(path, what);
  return sh(path);
}
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var BASH_RESERVED = /* @__PURE__ */ new Set([
  "_",
  "UID",
  "EUID",
  "PPID",
  "BASHOPTS",
  "SHELLOPTS",
  "BASHPID",
  "RANDOM",
  "SRANDOM",
  "SECONDS",
  "LINENO",
  "EPOCHSECONDS",
  "EPOCHREALTIME",
  "HISTCMD",
  "GROUPS",
  "FUNCNAME"
]);
function envNameProblem(name) {
  if (!ENV_NAME.test(name)) return `not a valid environment variable name: ${describe(name)}`;
  if (BASH_RESERVED.has(name) || name.startsWith("BASH_")) {
    return `environment variable ${name} is reserved by bash`;
  }
  return void 0;
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
  ENV_NAME,
  envNameProblem,
  assertEnvName,
  envFile,
  heredocDelimiter,
  jsonBytes
};
//# sourceMappingURL=chunk-762IFG6K.js.map
