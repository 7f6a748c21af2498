import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/runner.ts
import { appendFileSync, existsSync } from "node:fs";
import { access, appendFile, constants } from "node:fs/promises";
import { EOL } from "node:os";
var escapeData = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
var escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
var annotationFields = (p = {}) => [
  ["title", p.title],
  ["file", p.file],
  ["line", p.startLine],
  ["endLine", p.endLine],
  ["col", p.startColumn],
  ["endColumn", p.endColumn]
];
function issue(command, message, fields = []) {
  const list = fields.filter(([, v]) => v !== void 0 && v !== "" && v !== 0).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  process.stdout.write(`::${command}${list ? ` ${list}` : ""}::${escapeData(message)}${EOL}`);
}
function getInput(name) {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function info(message) {
  process.stdout.write(message + EOL);
}
function debug(message) {
  issue("debug", message);
}
function warning(message, props) {
  issue("warning", message, annotationFields(props));
}
function notice(message, props) {
  issue("notice", message, annotationFields(props));
}
function error(message, props) {
  issue("error", message, annotationFields(props));
}
function setSecret(value) {
  issue("add-mask", value);
}
function setFailed(message) {
  process.exitCode = 1;
  error(message);
}
function fileCommand(path, name, value) {
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const { randomUUID } = process.getBuiltinModule("node:crypto");
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error("Unexpected input: output name or value contains the delimiter");
  }
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, "utf8");
}
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT ?? "";
  if (file === "") {
    process.stdout.write(EOL);
    issue("set-output", value, [["name", name]]);
    return;
  }
  fileCommand(file, name, value);
}
function saveState(name, value) {
  const file = process.env.GITHUB_STATE ?? "";
  if (file === "") {
    issue("save-state", value, [["name", name]]);
    return;
  }
  fileCommand(file, name, value);
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup", "");
}
async function group(name, fn) {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}
async function appendSummary(markdown) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error(
      "Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries."
    );
  }
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
    );
  }
  await appendFile(file, markdown + EOL, { encoding: "utf8" });
}

export {
  getInput,
  info,
  debug,
  warning,
  notice,
  error,
  setSecret,
  setFailed,
  setOutput,
  saveState,
  getState,
  group,
  appendSummary
};
//# sourceMappingURL=chunk-ZQI4S6B5.js.map
