import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/manifest/names.ts
var UNIT_NAME = /^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?$/;
var PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
var OWNER = /^(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|[0-9]+))?$/;
var FILE_MODE = /^0?[0-7]{3,4}$/;
var SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
function unitNameProblem(name) {
  if (name === "") return "is empty";
  if (name.length > 240) return "is longer than 240 characters";
  if (name.startsWith("-")) return "starts with '-', which commands would take for an option";
  if (name.endsWith("@")) return "is a template unit without an instance (write name@instance)";
  if (!UNIT_NAME.test(name)) {
    return "is not a valid systemd unit name (letters, digits and : _ . -, optionally @instance)";
  }
  return void 0;
}
function octalMode(text) {
  const m = /^(?:0o)?([0-7]{3,4})$/.exec(text.trim());
  return m ? m[1].padStart(4, "0") : void 0;
}
var UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };
function durationSeconds(v) {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : void 0;
  const m = /^([0-9]+)([smhd]?)$/.exec(v.trim());
  if (!m) return void 0;
  return Number(m[1]) * (UNIT_SECONDS[m[2] || "s"] ?? 1);
}
function scalarString(v, source) {
  if (typeof v === "number" && source !== void 0 && /^[-+.0-9a-fA-FxXoOeE_]+$/.test(source)) {
    return source;
  }
  return String(v);
}
function quoted(value) {
  return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
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
  if (!ENV_NAME.test(name)) return `not a valid environment variable name: ${quoted(name)}`;
  if (BASH_RESERVED.has(name) || name.startsWith("BASH_")) {
    return `environment variable ${name} is reserved by bash`;
  }
  return void 0;
}

export {
  UNIT_NAME,
  PACKAGE_NAME,
  OWNER,
  FILE_MODE,
  SCRIPT_NAME,
  unitNameProblem,
  octalMode,
  durationSeconds,
  scalarString,
  quoted,
  ENV_NAME,
  envNameProblem
};
//# sourceMappingURL=chunk-NIG5AYO3.js.map
