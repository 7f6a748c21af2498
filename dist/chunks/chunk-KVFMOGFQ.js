import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  COMMAND_BUDGET,
  planUploads
} from "./chunk-6KFZP2ZV.js";
import {
  DEFAULT_SETTLE_SECONDS,
  assertUnitName,
  healthBody,
  healthSeconds,
  orderServices,
  renderWatcher,
  scriptBody,
  servicesBody
} from "./chunk-WEEMSLTQ.js";
import {
  collectUploads,
  makeFile,
  packDirectory,
  readSource,
  sha256Hex
} from "./chunk-3HBCK5FV.js";
import {
  CONFIG_DIR,
  DEPLOYMENT_JSON,
  ENV_FILE,
  STATE_DIR,
  stepScript
} from "./chunk-7B7HW6FF.js";
import {
  planRegions
} from "./chunk-GYQ757SJ.js";
import {
  assertEnvName,
  envFile,
  jsonBytes,
  sh,
  shPath
} from "./chunk-ET7XX2IW.js";
import {
  emptyOriginalPlaceholders,
  inside,
  require_dist
} from "./chunk-QL5CQV3S.js";
import {
  PACKAGE_NAME
} from "./chunk-NIG5AYO3.js";
import {
  __toESM
} from "./chunk-SLSPYRCZ.js";

// src/plan/plan.ts
import { createHash as createHash3 } from "node:crypto";

// src/plan/steps.ts
import { createHash as createHash2 } from "node:crypto";

// src/plan/render/tarball.ts
import { createHash } from "node:crypto";
function tarballBody(t) {
  const dest = shPath(t.destination, "tarball destination");
  if (!/^[0-9a-f]{64}$/.test(t.sha256)) {
    throw new Error(`tarball sha256 ${JSON.stringify(t.sha256)} is not 64 hex digits`);
  }
  const key = createHash("sha256").update(t.destination).digest("hex").slice(0, 16);
  const lines = [
    `dest=${dest}`,
    `sum=${t.sha256}`,
    `marker="$S/state/tarball.${key}"`,
    'if [ -d "$dest" ] && [ "$(cat -- "$marker" 2>/dev/null || true)" = "$sum" ]; then',
    '  echo "tarball $sum already unpacked in $dest"',
    "  exit 0",
    "fi",
    'install -d -m 0700 -- "$S/staging" "$S/state"'
  ];
  if (t.kind === "url") {
    if (/[\0\r\n]/.test(t.url) || !/^(https?|s3):\/\/\S+$/.test(t.url)) {
      throw new Error(`tarball_url ${JSON.stringify(t.url)} is not an http(s) or s3 URL`);
    }
    lines.push(
      `url=${sh(t.url)}`,
      `archive="$S/staging/tarball.${key}"`,
      'rm -f -- "$archive"',
      'case "$url" in',
      "  s3://*)",
      '    command -v aws >/dev/null 2>&1 || fail "tarball_url $url needs the AWS CLI on the instance"',
      '    aws s3 cp --only-show-errors -- "$url" "$archive" || fail "cannot download $url"',
      "    ;;",
      "  *)",
      "    curl --fail --silent --show-error --location --retry 5 --retry-delay 2 --retry-all-errors \\",
      '      --connect-timeout 20 --max-time 1800 -o "$archive" --url "$url" || fail "cannot download $url"',
      "    ;;",
      "esac"
    );
  } else {
    lines.push(
      `archive=${shPath(t.path)}`,
      '[ -f "$archive" ] || fail "archive $archive was not uploaded"'
    );
  }
  lines.push(
    'got=$(sha256sum <"$archive")',
    "got=${got%% *}",
    '[ "$got" = "$sum" ] || fail "tarball checksum mismatch: got sha256 $got, expected $sum"',
    'members="$S/staging/members.$$"',
    'tar -tf "$archive" >"$members" || fail "the tarball is not a tar archive tar can read"',
    "while IFS= read -r m; do",
    '  case "$m" in /*) fail "tarball member $m has an absolute path; refusing to unpack" ;; esac',
    '  case "/$m/" in */../*) fail "tarball member $m would land outside $dest; refusing to unpack" ;; esac',
    'done <"$members"',
    'rm -f -- "$members"',
    'mkdir -p -- "$dest"',
    'tar -xf "$archive" -C "$dest" --no-same-owner || fail "cannot unpack the tarball into $dest"',
    `printf '%s\\n' "$sum" >"$marker.tmp"`,
    'mv -f -- "$marker.tmp" "$marker"'
  );
  if (t.kind === "url") lines.push('rm -f -- "$archive"');
  lines.push('echo "tarball $sum unpacked in $dest"');
  return lines.join("\n") + "\n";
}

// src/plan/userdata.ts
var import_yaml = __toESM(require_dist(), 1);
import { realpathSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
var USER_DATA_LIMIT = 16 * 1024;
var TTL_UNIT = "spot-deployer-ttl";
function assertPackages(packages) {
  for (const p of packages) {
    if (!PACKAGE_NAME.test(p)) throw new Error(`package name ${JSON.stringify(p)} is not valid`);
  }
}
var TTL_DEADLINE = "/var/lib/cloud/instance/spot-deployer-ttl-deadline";
function ttlBootcmd(ttl) {
  return [
    `d=${TTL_DEADLINE}`,
    `[ -s "$d" ] || echo "$(( $(date +%s) + ${ttl} ))" >"$d"`,
    // An unreadable or damaged deadline falls back to the whole TTL (never to no TTL, and
    // never an arithmetic error that would stop the bootcmd entries after this one).
    'end=$(cat "$d" 2>/dev/null) || end=',
    `case $end in ''|*[!0-9]*) left=${ttl} ;; *) left=$(( end - $(date +%s) )) ;; esac`,
    '[ "$left" -gt 0 ] || left=1',
    `systemd-run --no-block --unit=${TTL_UNIT} --on-active="$left" --timer-property=AccuracySec=1s --timer-property=DefaultDependencies=no --description='spot-deployer time to live: power off (and so terminate)' /usr/bin/systemctl poweroff`
  ].join("\n");
}
function readTemplate(deployment, path) {
  const abs = resolve(deployment.baseDir, path);
  let real;
  let text;
  try {
    real = realpathSync(abs);
    text = readFileSync(real, "utf8");
  } catch {
    throw new Error(`template ${path}: cannot read ${abs}`);
  }
  const root = realpathSync(deployment.root);
  if (!inside(root, real)) {
    throw new Error(`template ${path}: resolves to ${real}, outside the repository`);
  }
  const doc = (0, import_yaml.parse)(emptyOriginalPlaceholders(text).text, { version: "1.1" });
  if (doc === null || doc === void 0) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`template ${path}: a #cloud-config file must be a mapping`);
  }
  return doc;
}
var YAML_OUT = { lineWidth: 0, version: "1.1" };
function asList(value, what) {
  if (value === void 0 || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`template: ${what} must be a list`);
  return value;
}
function build(deployment, opts, withPackages) {
  const user = deployment.template.kind === "file" ? readTemplate(deployment, deployment.template.path) : {};
  const userLabel = deployment.template.kind === "file" ? `the template file ${deployment.template.path}` : "";
  const config = {};
  const origin = {};
  for (const [k, v] of Object.entries(user)) {
    config[k] = v;
    origin[k] = userLabel;
  }
  config.locale = "C.UTF-8";
  origin.locale = "the deployer";
  const packages = [...asList(user.packages, "packages")];
  const ours = [...deployment.packages];
  if (deployment.template.kind === "docker") {
    ours.push(deployment.cloud.os === "al2023" ? "docker" : "docker.io");
  }
  assertPackages(ours);
  for (const p of ours) if (!packages.includes(p)) packages.push(p);
  delete config.packages;
  delete config.package_update;
  if (withPackages && packages.length > 0) {
    config.package_update = true;
    config.packages = packages;
    origin.packages = user.packages ? `the manifest and ${userLabel}` : "the manifest";
  } else if (withPackages && user.package_update !== void 0) {
    config.package_update = user.package_update;
  }
  const metadata = {
    version: 1,
    ...opts.deploymentId ? { deploymentId: opts.deploymentId } : {},
    layout: deployment.layout,
    template: deployment.template.kind,
    scripts: deployment.scripts.map((s) => s.name),
    services: deployment.services.map((s) => s.name),
    ...opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}
  };
  const ourFiles = [
    {
      path: DEPLOYMENT_JSON,
      permissions: "0644",
      owner: "root:root",
      content: JSON.stringify(metadata, null, 2) + "\n"
    }
  ];
  const userFiles = asList(user.write_files, "write_files").filter(
    (f) => !ourFiles.some((o) => f?.path === o.path)
  );
  config.write_files = [...ourFiles, ...userFiles];
  origin.write_files = userFiles.length ? `${userLabel} and the deployer` : "the deployer";
  const bootcmd = [];
  if (opts.ttlSeconds !== void 0 && opts.ttlSeconds !== 0) {
    if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds < 1) {
      throw new Error(`ttl must be a positive whole number of seconds (got ${opts.ttlSeconds})`);
    }
    bootcmd.push(ttlBootcmd(opts.ttlSeconds));
  }
  bootcmd.push(...asList(user.bootcmd, "bootcmd"));
  if (bootcmd.length) config.bootcmd = bootcmd;
  else delete config.bootcmd;
  const runcmd = [];
  if (deployment.template.kind === "docker") {
    runcmd.push(["systemctl", "enable", "--now", "docker.service"]);
  }
  runcmd.push(...asList(user.runcmd, "runcmd"));
  if (runcmd.length) config.runcmd = runcmd;
  else delete config.runcmd;
  const names = packages.map(
    (p) => Array.isArray(p) ? p.map(String).join("=") : typeof p === "string" ? p : JSON.stringify(p)
  );
  return { config, origin, packages: names };
}
function serialise(config) {
  return "#cloud-config\n" + (0, import_yaml.stringify)(config, YAML_OUT);
}
function encode(text, limit) {
  const raw = Buffer.from(text, "utf8");
  if (raw.length <= limit) {
    return {
      text,
      bytesBase64: raw.toString("base64"),
      encoding: "plain",
      rawSize: raw.length,
      sentSize: raw.length
    };
  }
  const gz = gzipSync(raw, { level: 9 });
  if (gz.length > limit) return void 0;
  return {
    text,
    bytesBase64: gz.toString("base64"),
    encoding: "gzip",
    rawSize: raw.length,
    sentSize: gz.length
  };
}
function renderUserData(deployment, opts) {
  const limit = opts.limit ?? USER_DATA_LIMIT;
  const full = build(deployment, opts, true);
  const first = encode(serialise(full.config), limit);
  if (first) return first;
  const lean = build(deployment, opts, false);
  const leanText = serialise(lean.config);
  const second = encode(leanText, limit);
  if (second) return lean.packages.length ? { ...second, deferredPackages: lean.packages } : second;
  const sizes = Object.entries(lean.config).map(([k, v]) => ({ k, bytes: Buffer.byteLength((0, import_yaml.stringify)({ [k]: v }, YAML_OUT)) })).sort((a, b) => b.bytes - a.bytes);
  const top = sizes[0];
  const gz = gzipSync(Buffer.from(leanText, "utf8"), { level: 9 }).length;
  const where = top ? `\`${top.k}\` (from ${lean.origin[top.k] || "the deployer"})` : "the document";
  throw new Error(
    `user data is too large: ${Buffer.byteLength(leanText)} bytes (${gz} gzipped) against EC2's limit of ${limit}, even with the packages moved to the SSM steps; the largest part is ${where} (${top?.bytes ?? 0} bytes)`
  );
}

// src/plan/steps.ts
var SCRIPTS_DIR = `${STATE_DIR}/scripts`;
var TARBALLS_DIR = `${STATE_DIR}/tarballs`;
var PREPARE_TIMEOUT = 1800;
var CLOUD_INIT_WAIT = 1500;
function slug(name) {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return s || "x";
}
function shortHash(text) {
  return createHash2("sha256").update(text).digest("hex").slice(0, 8);
}
function prepareBody(packages, env, needs) {
  const envFileData = Buffer.from(env, "utf8");
  const lines = [
    '[ "$(id -u)" = 0 ] || fail "must run as root (the SSM agent runs commands as root)"',
    'missing=""',
    `for tool in ${needs.join(" ")}; do`,
    '  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"',
    "done",
    '[ -z "$missing" ] || fail "missing on this instance:$missing"',
    "# cloud-init installs the packages; nothing may start before it is done.",
    "if command -v cloud-init >/dev/null 2>&1; then",
    "  rc=0",
    `  timeout ${CLOUD_INIT_WAIT} cloud-init status --wait >/dev/null 2>&1 || rc=$?`,
    "  case $rc in",
    '    0) echo "cloud-init: done" ;;',
    '    2) echo "cloud-init: done, with recoverable errors" ;;',
    `    124) fail "cloud-init still running after ${CLOUD_INIT_WAIT} s" ;;`,
    "    *)",
    "      cloud-init status --long >&2 || true",
    '      fail "cloud-init failed (exit $rc); see /var/log/cloud-init-output.log"',
    "      ;;",
    "  esac",
    "fi",
    'install -d -m 0700 -o root -g root -- "$S" "$S/state" "$S/logs"',
    'rm -rf -- "$S/staging"',
    'install -d -m 0700 -o root -g root -- "$S/staging"',
    `install -d -m 0755 -- ${CONFIG_DIR}`
  ];
  if (packages.length > 0) {
    lines.push(
      "# packages that did not fit in the user data",
      `packages=(${packages.map(sh).join(" ")})`,
      "if command -v apt-get >/dev/null 2>&1; then",
      "  export DEBIAN_FRONTEND=noninteractive",
      '  apt-get -o DPkg::Lock::Timeout=600 -q update || fail "apt-get update failed"',
      '  apt-get -o DPkg::Lock::Timeout=600 -q -y install "${packages[@]}" || fail "cannot install packages"',
      "elif command -v dnf >/dev/null 2>&1; then",
      '  dnf -y -q install "${packages[@]}" || fail "cannot install packages"',
      "else",
      '  fail "no apt-get or dnf to install packages with"',
      "fi"
    );
  }
  lines.push(
    `deliver ${ENV_FILE} ${sha256Hex(envFileData)} 0644 root:root <<'SPOT_EOF'`,
    envFileData.toString("base64"),
    "SPOT_EOF",
    'echo "ready: state in $S, environment in ' + ENV_FILE + '"'
  );
  return lines.join("\n") + "\n";
}
async function readScripts(deployment, files) {
  const runs = [];
  for (const [i, s] of deployment.scripts.entries()) {
    const body = s.path !== void 0 ? await readSource(deployment, s.path, `scripts[${i}] (${s.name})`) : Buffer.from(`#!/bin/bash
${s.command ?? ""}
`);
    const key = `${slug(s.name)}-${shortHash(s.name)}`;
    const bodyPath = `${SCRIPTS_DIR}/${key}`;
    files.push(makeFile(bodyPath, body, "0700", "root:root", s.path ?? `scripts[${i}].command`));
    runs.push({
      name: s.name,
      bodyPath,
      digest: sha256Hex(body),
      key,
      workdir: s.workdir,
      timeoutSeconds: s.timeoutSeconds,
      logName: key,
      body
    });
  }
  return runs;
}
async function readUnits(deployment, files) {
  const unitText = /* @__PURE__ */ new Map();
  for (const [i, s] of deployment.services.entries()) {
    assertUnitName(s.name);
    const data = await readSource(deployment, s.file, `services[${i}] (${s.name})`);
    unitText.set(s, data.toString("utf8"));
    files.push(
      makeFile(`/etc/systemd/system/${s.name}.service`, data, "0644", "root:root", s.file)
    );
  }
  return unitText;
}
async function readWatcher(deployment, unitText, files) {
  const startOrder = orderServices(deployment.services, (s) => unitText.get(s) ?? "");
  const watcher = await renderWatcher(
    deployment,
    startOrder.map((s) => s.name)
  );
  if (watcher) files.push(...watcher.files);
  return watcher;
}
async function readTarball(deployment, files) {
  const t = deployment.tarball;
  if (t?.kind === "url") {
    return { kind: "url", url: t.url, sha256: t.sha256.toLowerCase(), destination: t.destination };
  }
  if (t?.kind !== "source") return void 0;
  const data = await packDirectory(deployment, t.path, `tarball_source (${t.path})`);
  const sum = sha256Hex(data);
  const path = `${TARBALLS_DIR}/${sum.slice(0, 16)}.tar.gz`;
  files.push(makeFile(path, data, "0600", "root:root", t.path));
  return { kind: "staged", path, sha256: sum, destination: t.destination };
}
function onePerDestination(files) {
  const byDest = /* @__PURE__ */ new Map();
  for (const f of files) {
    const prev = byDest.get(f.dest);
    if (!prev) byDest.set(f.dest, f);
    else if (prev.sha256 !== f.sha256 || prev.mode !== f.mode || prev.owner !== f.owner) {
      throw new Error(`${f.dest} would be written twice, from ${prev.origin} and from ${f.origin}`);
    }
  }
  return [...byDest.values()].sort((a, b) => a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0);
}
async function readDelivery(deployment) {
  const files = await collectUploads(deployment);
  const scriptRuns = await readScripts(deployment, files);
  const unitText = await readUnits(deployment, files);
  const watcher = await readWatcher(deployment, unitText, files);
  const tarball = await readTarball(deployment, files);
  return {
    files: onePerDestination(files),
    scriptRuns,
    unitText,
    ...tarball ? { tarball } : {},
    ...watcher ? { watcher } : {}
  };
}
function deliveryDigest(delivery, env) {
  const digest = createHash2("sha256");
  for (const f of delivery.files) digest.update(`${f.dest}\0${f.sha256}\0${f.mode}\0${f.owner}
`);
  digest.update(env);
  const t = delivery.tarball;
  if (t) digest.update(`${t.destination}\0${t.sha256}`);
  return digest.digest("hex");
}
var BASE_TOOLS = ["base64", "sha256sum", "install", "stat", "timeout"];
function prepareStep(packages, env, later) {
  const needs = [.../* @__PURE__ */ new Set([...BASE_TOOLS, ...later.flat().flatMap((d) => d.needs ?? [])])];
  return {
    name: "prepare",
    kind: "prepare",
    description: "wait for cloud-init, create state directories, write the environment",
    helpers: ["same", "put", "deliver"],
    body: prepareBody(packages, env, needs),
    timeoutSeconds: PREPARE_TIMEOUT,
    payloadBytes: Buffer.byteLength(env)
  };
}
function secretsSteps(secretNames) {
  if (secretNames.length === 0) return [];
  for (const name of secretNames) assertEnvName(name);
  return [
    [
      {
        name: "secrets",
        kind: "secrets",
        description: `deliver ${secretNames.length} secret(s): ${secretNames.join(", ")}`,
        helpers: [],
        body: "",
        timeoutSeconds: 120,
        payloadBytes: 0,
        needs: ["openssl"],
        atDelivery: true
      }
    ]
  ];
}
function uploadSteps(files, budget) {
  const uploads = planUploads(files, budget);
  const groups = [];
  if (uploads.carry.length) {
    groups.push(
      uploads.carry.map((c) => ({
        name: "upload",
        kind: "upload",
        description: c.description,
        helpers: c.helpers,
        body: c.body,
        timeoutSeconds: 600,
        parallelGroup: "upload",
        payloadBytes: c.payloadBytes
      }))
    );
  }
  if (uploads.assemble.length) {
    groups.push(
      uploads.assemble.map((c) => ({
        name: "assemble",
        kind: "upload",
        description: c.description,
        helpers: c.helpers,
        body: c.body,
        timeoutSeconds: 1200,
        parallelGroup: "assemble",
        payloadBytes: 0
      }))
    );
  }
  return groups;
}
function tarballSteps(tarball) {
  if (!tarball) return [];
  const download = tarball.kind === "url" && !tarball.url.startsWith("s3:");
  return [
    [
      {
        name: "tarball",
        kind: "tarball",
        description: tarball.kind === "url" ? `download ${tarball.url.replace(/[?#].*$/, "")} and unpack it in ${tarball.destination}` : `unpack the packed tarball_source in ${tarball.destination}`,
        helpers: [],
        body: tarballBody(tarball),
        timeoutSeconds: 2400,
        payloadBytes: 0,
        needs: ["tar", "gzip", ...download ? ["curl"] : []]
      }
    ]
  ];
}
function scriptSteps(runs) {
  return runs.map((run) => [
    {
      name: `script-${slug(run.name)}`,
      kind: "script",
      description: `run script ${run.name}`,
      helpers: [],
      body: scriptBody(run),
      timeoutSeconds: run.timeoutSeconds + 60,
      payloadBytes: 0
    }
  ]);
}
function servicesSteps(services, unitText, digest, settle, watcher) {
  if (services.length === 0) return [];
  const ordered = orderServices(services, (s) => unitText.get(s) ?? "");
  const started = ordered.filter((s) => s.start);
  const names = (list) => list.map((s) => s.name).join(", ");
  return [
    [
      {
        name: "services",
        kind: "services",
        description: started.length > 0 ? `install and start services, then check their health: ${names(ordered)}` : `install services: ${names(ordered)}`,
        helpers: ["report"],
        body: servicesBody(ordered, digest) + (watcher?.start ?? "") + (started.length > 0 ? healthBody(started, settle) : ""),
        timeoutSeconds: 120 + 120 * ordered.length + (started.length > 0 ? healthSeconds(started, settle) : 0),
        payloadBytes: 0,
        ...started.length > 0 ? { services: started.map((s) => s.name) } : {},
        needs: ["systemctl", ...services.some((s) => s.health?.kind === "http") ? ["curl"] : []]
      }
    ]
  ];
}
function watcherSteps(watcher, services) {
  if (!watcher || services.length > 0) return [];
  return [
    [
      {
        name: "watcher",
        kind: "services",
        description: "install and start the interruption watcher",
        helpers: [],
        body: `systemctl daemon-reload
${watcher.start}`,
        timeoutSeconds: 120,
        payloadBytes: 0,
        needs: ["systemctl"]
      }
    ]
  ];
}
function numberSteps(groups, budget) {
  const width = Math.max(2, String(groups.length).length);
  const steps = [];
  for (const [n, group] of groups.entries()) {
    const nn = String(n + 1).padStart(width, "0");
    const gw = String(group.length).length;
    for (const [k, d] of group.entries()) {
      const id = group.length > 1 || d.parallelGroup ? `${nn}-${d.name}-${String(k + 1).padStart(gw, "0")}of${group.length}` : `${nn}-${d.name}`;
      const script = d.atDelivery ? "" : stepScript(id, d.description, d.helpers, d.body);
      if (jsonBytes(script) > budget) {
        throw new Error(
          `step ${id} is ${jsonBytes(script)} bytes, over the ${budget}-byte limit of one SSM command`
        );
      }
      steps.push({
        id,
        kind: d.kind,
        description: d.description,
        script,
        timeoutSeconds: d.timeoutSeconds,
        ...d.parallelGroup ? { parallelGroup: `${nn}-${d.parallelGroup}` } : {},
        payloadBytes: d.payloadBytes,
        ...d.services ? { services: d.services } : {}
      });
    }
  }
  return steps;
}
async function renderSteps(deployment, opts) {
  const budget = opts.commandBudget ?? COMMAND_BUDGET;
  const userData = opts.userData ?? renderUserData(
    deployment,
    deployment.cloud.ttlSeconds !== void 0 ? { ttlSeconds: deployment.cloud.ttlSeconds } : {}
  );
  const delivery = await readDelivery(deployment);
  const env = envFile(deployment.env, "environment of the deployment (written by spot-deployer)");
  const secrets = secretsSteps(opts.secretNames);
  const uploads = uploadSteps(delivery.files, budget);
  const tarball = tarballSteps(delivery.tarball);
  const scripts = scriptSteps(delivery.scriptRuns);
  const services = servicesSteps(
    deployment.services,
    delivery.unitText,
    deliveryDigest(delivery, env),
    opts.settleSeconds ?? DEFAULT_SETTLE_SECONDS,
    delivery.watcher
  );
  const watcher = watcherSteps(delivery.watcher, deployment.services);
  const prepare = prepareStep(userData.deferredPackages ?? [], env, [
    ...tarball,
    ...services,
    ...watcher,
    ...secrets
  ]);
  return numberSteps(
    [[prepare], ...secrets, ...uploads, ...tarball, ...scripts, ...services, ...watcher],
    budget
  );
}

// src/plan/plan.ts
async function buildPlan(deployment, opts) {
  const userData = renderUserData(
    deployment,
    deployment.cloud.ttlSeconds !== void 0 ? { ttlSeconds: deployment.cloud.ttlSeconds } : {}
  );
  const steps = await renderSteps(deployment, { secretNames: opts.secretNames, userData });
  const digest = createHash3("sha256");
  digest.update(JSON.stringify(deployment.cloud));
  digest.update(userData.text);
  for (const s of steps) digest.update(s.script);
  digest.update(JSON.stringify(opts.secretNames));
  const manifestDigest = digest.digest("hex");
  return {
    version: 1,
    deploymentId: opts.deploymentId,
    manifestDigest,
    identity: opts.identity,
    regions: planRegions(deployment.cloud, {
      deploymentId: opts.deploymentId,
      identity: opts.identity,
      manifestDigest
    }),
    userData,
    steps,
    services: deployment.services.map((s) => s.name),
    secretNames: opts.secretNames
  };
}

export {
  buildPlan
};
//# sourceMappingURL=chunk-KVFMOGFQ.js.map
