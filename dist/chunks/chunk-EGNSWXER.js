import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  collectUploads,
  makeFile,
  packDirectory,
  readSource,
  sha256Hex
} from "./chunk-JHH6G2AG.js";
import {
  COMMAND_BUDGET,
  CONFIG_DIR,
  DEPLOYMENT_JSON,
  ENV_FILE,
  SECRETS_FILE,
  STATE_DIR,
  planUploads,
  stepScript
} from "./chunk-E7XZJN3R.js";
import {
  assertEnvName,
  envFile,
  jsonBytes,
  sh,
  shPath
} from "./chunk-CYWU6LTU.js";
import {
  TAG
} from "./chunk-GXHY36T6.js";
import {
  inside,
  require_dist
} from "./chunk-V3JK2CWH.js";
import {
  PACKAGE_NAME,
  unitNameProblem
} from "./chunk-C4HKCQZY.js";
import {
  __toESM
} from "./chunk-SLSPYRCZ.js";

// src/plan/plan.ts
import { createHash as createHash3 } from "node:crypto";

// src/plan/regions.ts
var IMAGE_PARAMETERS = {
  "ubuntu-24.04": {
    x86_64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    arm64: "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id"
  },
  "ubuntu-22.04": {
    x86_64: "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
    arm64: "/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id"
  },
  al2023: {
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
  }
};
function splitCounts(total, explicit) {
  const fixed = explicit.reduce((sum, c) => sum + (c ?? 0), 0);
  const free = explicit.filter((c) => c === void 0).length;
  const left = Math.max(0, total - fixed);
  const each = free > 0 ? Math.floor(left / free) : 0;
  let remainder = free > 0 ? left - each * free : 0;
  return explicit.map((c) => {
    if (c !== void 0) return c;
    const n = each + remainder;
    remainder = 0;
    return n;
  });
}
function planRegions(cloud, opts) {
  const counts = splitCounts(
    cloud.totalInstances,
    cloud.regions.map((r) => r.count)
  );
  const tags = {
    ...cloud.tags,
    Name: `spot-deployer/${opts.deploymentId}`,
    [TAG.deployment]: opts.deploymentId,
    [TAG.run]: opts.identity.runId,
    [TAG.repository]: opts.identity.repository,
    [TAG.ref]: opts.identity.ref,
    [TAG.sha]: opts.identity.sha,
    [TAG.digest]: opts.manifestDigest,
    [TAG.managedBy]: "portable-spot-deployer",
    [TAG.phase]: "deploying",
    ...cloud.ttlSeconds ? { [TAG.ttl]: String(cloud.ttlSeconds) } : {}
  };
  return cloud.regions.map((r, i) => {
    const image = r.image === "auto" ? { kind: "auto", os: cloud.os, parameters: IMAGE_PARAMETERS[cloud.os] } : { kind: "ami", id: r.image };
    const pools = r.subnets.length === 0 ? r.instanceTypes.map((instanceType) => ({ instanceType })) : r.instanceTypes.flatMap(
      (instanceType) => r.subnets.map((subnetId) => ({ instanceType, subnetId }))
    );
    return {
      region: r.name,
      count: counts[i] ?? 0,
      pools,
      image,
      tags,
      market: {
        ...cloud.maxPrice !== void 0 ? { maxPrice: cloud.maxPrice } : {},
        onDemandFallback: cloud.onDemandFallback
      },
      instance: {
        ...cloud.instanceProfile !== void 0 ? { instanceProfile: cloud.instanceProfile } : {},
        associatePublicIp: cloud.associatePublicIp,
        rootVolumeGb: cloud.rootVolumeGb,
        httpTokens: "required",
        shutdownBehavior: "terminate"
      }
    };
  }).filter((r) => r.count > 0);
}

// src/plan/steps.ts
import { createHash as createHash2 } from "node:crypto";

// src/plan/render/scripts.ts
var OUTPUT_TAIL = 16e3;
function interpreter(body) {
  const first = body.subarray(0, 256).toString("utf8").split("\n")[0] ?? "";
  if (!first.startsWith("#!")) return ["bash", "-euo", "pipefail"];
  const words = first.slice(2).trim().split(/\s+/);
  const prog = words[0]?.split("/").pop();
  const target = prog === "env" ? words.find((w, i) => i > 0 && !w.startsWith("-"))?.split("/").pop() : prog;
  if (target === "bash") return ["bash", "-euo", "pipefail"];
  if (target === "sh") return ["sh", "-eu"];
  return [];
}
function scriptBody(run) {
  if (!Number.isInteger(run.timeoutSeconds) || run.timeoutSeconds < 1) {
    throw new Error(`script ${run.name}: timeout must be a positive whole number of seconds`);
  }
  const workdir = shPath(run.workdir, `workdir of script ${run.name}`);
  const body = shPath(run.bodyPath);
  const exec = [...interpreter(run.body), '"$body"'].join(" ");
  const secrets = SECRETS_FILE;
  return [
    `name=${sh(run.name)}`,
    `body=${body}`,
    `marker="$S/state/script.${run.key}"`,
    `log="$S/logs/${run.logName}.log"`,
    `if [ "$(cat -- "$marker" 2>/dev/null || true)" = ${run.digest} ]; then`,
    '  echo "script $name already ran with this content; not running it again"',
    "  exit 0",
    "fi",
    '[ -f "$body" ] || fail "script $name is missing at $body (did the upload steps run?)"',
    'install -d -m 0700 -- "$S/logs" "$S/state"',
    `mkdir -p -- ${workdir}`,
    `echo "running script $name in "${workdir}`,
    "rc=0",
    "(",
    `  cd -- ${workdir}`,
    "  set -a",
    `  . ${ENV_FILE}`,
    `  if [ -f ${secrets} ]; then . ${secrets}; fi`,
    "  set +a",
    '  export HOME="${HOME:-/root}"',
    `  exec timeout --kill-after=10 ${run.timeoutSeconds} ${exec}`,
    ') >"$log" 2>&1 </dev/null || rc=$?',
    'size=$(stat -c %s -- "$log")',
    `if [ "$size" -gt ${OUTPUT_TAIL} ]; then echo "[... $((size - ${OUTPUT_TAIL})) earlier bytes in $log]"; fi`,
    `tail -c ${OUTPUT_TAIL} -- "$log"`,
    'if [ "$rc" -eq 124 ]; then',
    `  fail "script $name timed out after ${run.timeoutSeconds} s (its output is above; full log: $log)"`,
    'elif [ "$rc" -ne 0 ]; then',
    '  fail "script $name failed with exit code $rc (its output is above; full log: $log)"',
    "fi",
    `printf '%s\\n' ${run.digest} >"$marker.tmp"`,
    'mv -f -- "$marker.tmp" "$marker"',
    'echo "script $name finished"'
  ].join("\n") + "\n";
}

// src/plan/render/services.ts
function assertUnitName(name) {
  const problem = unitNameProblem(name);
  if (problem) throw new Error(`service name ${JSON.stringify(name)} ${problem}`);
}
function parseUnitDeps(text) {
  const deps = { after: [], before: [] };
  let section = "";
  const logical = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1] ?? "";
      continue;
    }
    if (section !== "Unit") continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const names = line.slice(eq + 1).trim().split(/\s+/).filter(Boolean);
    const target = ["After", "Requires", "Wants", "BindsTo", "Requisite"].includes(key) ? deps.after : key === "Before" ? deps.before : void 0;
    if (!target) continue;
    if (names.length === 0)
      target.length = 0;
    else target.push(...names);
  }
  return deps;
}
function orderServices(services, unitText) {
  const index = new Map(services.map((s, i) => [`${s.name}.service`, i]));
  const edges = services.map(() => /* @__PURE__ */ new Set());
  const resolveName = (n) => index.get(n.includes(".") ? n : `${n}.service`);
  for (const [j, s] of services.entries()) {
    const deps = parseUnitDeps(unitText(s));
    for (const n of deps.after) {
      const i = resolveName(n);
      if (i !== void 0 && i !== j) edges[i]?.add(j);
    }
    for (const n of deps.before) {
      const k = resolveName(n);
      if (k !== void 0 && k !== j) edges[j]?.add(k);
    }
  }
  const indegree = services.map(() => 0);
  for (const out of edges) for (const j of out) indegree[j] = (indegree[j] ?? 0) + 1;
  const order = [];
  const done = /* @__PURE__ */ new Set();
  while (order.length < services.length) {
    const next = services.findIndex((_, i) => !done.has(i) && indegree[i] === 0);
    if (next < 0) break;
    done.add(next);
    order.push(next);
    for (const j of edges[next] ?? []) indegree[j] = (indegree[j] ?? 0) - 1;
  }
  if (order.length < services.length) {
    throw new Error(
      `services depend on each other in a cycle: ${describeCycle(services, edges, done)}`
    );
  }
  return order.map((i) => services[i]);
}
function describeCycle(services, edges, done) {
  const remaining = services.map((_, i) => i).filter((i) => !done.has(i));
  const pred = (j) => remaining.find((i) => edges[i]?.has(j));
  const first = remaining[0] ?? 0;
  const path = [];
  const seen = /* @__PURE__ */ new Map();
  let cur = first;
  while (cur !== void 0 && !seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = pred(cur);
  }
  const cycle = cur === void 0 ? path : path.slice(seen.get(cur));
  const names = cycle.reverse().map((i) => `${services[i]?.name}.service`);
  return [...names, names[0]].join(" -> ");
}
function servicesBody(ordered, digest) {
  const lines = [
    "systemctl daemon-reload",
    `want=${digest}`,
    `if [ -f ${SECRETS_FILE} ]; then`,
    `  secrets=$(sha256sum <${SECRETS_FILE})`,
    '  want="$want ${secrets%% *}"',
    "fi",
    "# up NAME ENABLE START",
    "up() {",
    "  local unit=$1.service state=$S/state/service.$1 have action",
    '  if [ "$2" = 1 ]; then',
    '    systemctl enable --quiet -- "$unit" || { report "$unit"; fail "cannot enable $unit"; }',
    "  fi",
    '  [ "$3" = 1 ] || return 0',
    '  have=$(cat -- "$state" 2>/dev/null || true)',
    '  if systemctl is-active --quiet -- "$unit"; then',
    '    if [ "$have" = "$want" ]; then echo "unchanged $unit (running)"; return 0; fi',
    "    action=restart",
    '  elif [ "$have" = "$want" ] && [ "$(systemctl show -p Type --value -- "$unit")" = oneshot ] &&',
    '    [ "$(systemctl show -p Result --value -- "$unit")" = success ]; then',
    '    echo "unchanged $unit (oneshot, ran successfully)"',
    "    return 0",
    "  else",
    "    action=start",
    "  fi",
    '  if ! systemctl "$action" -- "$unit"; then',
    '    report "$unit"',
    '    fail "service $unit failed to $action"',
    "  fi",
    `  printf '%s\\n' "$want" >"$state.tmp"`,
    '  mv -f -- "$state.tmp" "$state"',
    '  echo "${action}ed $unit"',
    "}",
    'install -d -m 0700 -- "$S/state"'
  ];
  for (const s of ordered) {
    assertUnitName(s.name);
    lines.push(`up ${sh(s.name)} ${s.enabled ? 1 : 0} ${s.start ? 1 : 0}`);
  }
  return lines.join("\n") + "\n";
}
var DEFAULT_SETTLE_SECONDS = 3;
var HOST_RE = /^[A-Za-z0-9.:_-]+$|^\[[0-9A-Fa-f:.]+\]$/;
function checkProbe(name, h) {
  const ints = [h.retries, h.intervalSeconds, h.timeoutSeconds];
  if (!ints.every((n) => Number.isInteger(n) && n >= 0) || h.timeoutSeconds < 1) {
    throw new Error(
      `service ${name}: health check retries, interval and timeout must be whole numbers`
    );
  }
  if (h.kind === "http") {
    if (!/^https?:\/\/[^\s]+$/.test(h.url)) {
      throw new Error(`service ${name}: health check url ${JSON.stringify(h.url)} is not http(s)`);
    }
    if (!Number.isInteger(h.expectStatus) || h.expectStatus < 100 || h.expectStatus > 599) {
      throw new Error(`service ${name}: expected HTTP status ${h.expectStatus} is not valid`);
    }
  } else {
    if (!HOST_RE.test(h.host) || h.host.startsWith("-")) {
      throw new Error(`service ${name}: health check host ${JSON.stringify(h.host)} is not valid`);
    }
    if (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535) {
      throw new Error(`service ${name}: health check port ${h.port} is not valid`);
    }
  }
}
function healthSeconds(services, settle) {
  let t = settle + 5;
  for (const s of services) {
    const h = s.health;
    if (h) t += Math.max(1, h.retries) * (h.timeoutSeconds + h.intervalSeconds + 1);
  }
  return t;
}
function healthBody(started, settle) {
  const lines = [
    "units=(" + started.map((s) => sh(`${s.name}.service`)).join(" ") + ")",
    "declare -A since=() kind=()",
    "failed=()",
    'failed_already() { [[ " ${failed[*]} " == *" $1 "* ]]; }',
    'for u in "${units[@]}"; do',
    '  kind[$u]=$(systemctl show -p Type --value -- "$u")',
    '  since[$u]=$(systemctl show -p ExecMainStartTimestampMonotonic --value -- "$u")',
    "done",
    `for ((tick = 0; tick <= ${settle * 2}; tick++)); do`,
    '  for u in "${units[@]}"; do',
    '    [ "${kind[$u]}" = oneshot ] && continue',
    '    systemctl is-active --quiet -- "$u" || { failed+=("$u"); report "$u"; }',
    "  done",
    "  [ ${#failed[@]} -eq 0 ] || break",
    `  [ "$tick" -eq ${settle * 2} ] || sleep 0.5`,
    "done",
    'for u in "${units[@]}"; do',
    '  failed_already "$u" && continue',
    '  if [ "${kind[$u]}" = oneshot ]; then',
    '    if [ "$(systemctl show -p Result --value -- "$u")" != success ]; then failed+=("$u"); report "$u"; fi',
    '  elif [ "$(systemctl show -p ExecMainStartTimestampMonotonic --value -- "$u")" != "${since[$u]}" ]; then',
    '    echo "$u restarted during the settle time"',
    '    failed+=("$u")',
    '    report "$u"',
    "  else",
    `    echo "active $u (stayed active ${settle} s)"`,
    "  fi",
    "done",
    "# http UNIT URL STATUS ATTEMPTS INTERVAL TIMEOUT",
    "http() {",
    "  local i code=000",
    "  for ((i = 1; i <= $4; i++)); do",
    `    code=$(curl -sS -o /dev/null -w '%{http_code}' --connect-timeout "$6" --max-time "$6" --url "$2" 2>/dev/null) || true`,
    '    if [ "$code" = "$3" ]; then echo "healthy $1: $2 answered $code"; return 0; fi',
    '    if [ "$i" -lt "$4" ]; then sleep "$5"; fi',
    "  done",
    '  echo "unhealthy $1: $2 answered ${code:-nothing} (expected $3) after $4 attempts" >&2',
    "  return 1",
    "}",
    "# tcp UNIT HOST PORT ATTEMPTS INTERVAL TIMEOUT",
    "tcp() {",
    "  local i",
    "  for ((i = 1; i <= $4; i++)); do",
    `    if timeout "$6" bash -c ': <>"/dev/tcp/$0/$1"' "$2" "$3" 2>/dev/null; then`,
    '      echo "healthy $1: $2:$3 accepts connections"',
    "      return 0",
    "    fi",
    '    if [ "$i" -lt "$4" ]; then sleep "$5"; fi',
    "  done",
    '  echo "unhealthy $1: nothing accepts connections on $2:$3 after $4 attempts" >&2',
    "  return 1",
    "}"
  ];
  for (const s of started) {
    const h = s.health;
    if (!h) continue;
    checkProbe(s.name, h);
    const u = sh(`${s.name}.service`);
    const tries = Math.max(1, h.retries);
    const call = h.kind === "http" ? `http ${u} ${sh(h.url)} ${h.expectStatus} ${tries} ${h.intervalSeconds} ${h.timeoutSeconds}` : `tcp ${u} ${sh(h.host)} ${h.port} ${tries} ${h.intervalSeconds} ${h.timeoutSeconds}`;
    lines.push(`if ! failed_already ${u} && ! ${call}; then failed+=(${u}); report ${u}; fi`);
  }
  lines.push(
    'if [ ${#failed[@]} -gt 0 ]; then fail "unhealthy: ${failed[*]}"; fi',
    'echo "all ${#units[@]} services healthy"'
  );
  return lines.join("\n") + "\n";
}

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

// src/plan/render/watcher.ts
var WATCHER_UNIT = "spot-deployer-watcher";
var WATCHER_DIR = `${STATE_DIR}/watcher`;
var WATCHER_SCRIPT = `${WATCHER_DIR}/watch.sh`;
var WATCHER_HOOK = `${WATCHER_DIR}/on-interruption`;
var WATCHER_UNIT_FILE = `/etc/systemd/system/${WATCHER_UNIT}.service`;
var INTERRUPTION_FILE = `${STATE_DIR}/interruption.json`;
var REBALANCE_FILE = `${STATE_DIR}/rebalance.json`;
var POLL_SECONDS = 5;
var IMDS_LINES = [
  `log() { printf 'spot-watcher: %s\\n' "$*"; }`,
  "now() { date +%s; }",
  "# a JSON string value of KEY in a one-line JSON object, or nothing",
  'field() { sed -n "s/.*\\"$1\\"[[:space:]]*:[[:space:]]*\\"\\([^\\"]*\\)\\".*/\\1/p" <<<"$2"; }',
  "# writes FILE atomically from stdin",
  'put() { cat >"$1.tmp" && mv -f -- "$1.tmp" "$1"; }',
  "",
  "# IMDSv2: a session token, renewed a minute before it expires",
  "renew_token() {",
  '  [ -n "$token" ] && [ "$(now)" -lt "$token_until" ] && return 0',
  '  token=$(curl -sSf --max-time 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: $ttl" \\',
  '    "$endpoint/latest/api/token" 2>/dev/null) || { token=""; return 1; }',
  "  token_until=$(($(now) + ttl - 60))",
  "}",
  "",
  "# imds PATH: the body on stdout and 0 when present; 1 when absent (404); 2 otherwise",
  "imds() {",
  "  local out code",
  "  renew_token || return 2",
  `  out=$(curl -sS --max-time 2 -w '\\n%{http_code}' -H "X-aws-ec2-metadata-token: $token" \\`,
  '    "$endpoint/latest/meta-data/$1" 2>/dev/null) || return 2',
  "  code=${out##*$'\\n'}",
  "  case $code in",
  `    200) printf '%s\\n' "\${out%$'\\n'*}" ;;`,
  "    404) return 1 ;;",
  '    401) token="" && return 2 ;;',
  "    *) return 2 ;;",
  "  esac",
  "}",
  "",
  "# seconds left before EC2 acts (at least 1)",
  "left() {",
  "  local s=$(($1 - $(now)))",
  '  [ "$s" -ge 1 ] || s=1',
  '  echo "$s"',
  "}",
  ""
];
function runHookLines(run) {
  return [
    "run_hook() {",
    "  local limit=$hook_timeout room rc=0",
    '  room=$(($(left "$1") - 10))',
    '  [ "$room" -ge "$limit" ] || limit=$room',
    '  [ "$limit" -ge 1 ] || limit=1',
    '  log "running the on_interruption hook (at most $limit s)"',
    "  (",
    "    cd / || exit 1",
    "    set -a",
    "    # shellcheck source=/dev/null",
    `    if [ -f ${ENV_FILE} ]; then . ${ENV_FILE}; fi`,
    "    # shellcheck source=/dev/null",
    `    if [ -f ${SECRETS_FILE} ]; then . ${SECRETS_FILE}; fi`,
    "    set +a",
    '    export HOME="${HOME:-/root}" SPOT_INTERRUPTION_ACTION="$2" SPOT_INTERRUPTION_TIME="$3"',
    `    exec timeout --kill-after=5 "$limit" ${run}`,
    '  ) </dev/null 2>&1 | while IFS= read -r line; do log "hook: $line"; done',
    "  rc=${PIPESTATUS[0]}",
    '  if [ "$rc" -eq 0 ]; then log "the hook finished"; else log "the hook failed (exit $rc)"; fi',
    '  return "$rc"',
    "}",
    ""
  ];
}
var ON_NOTICE_LINES = [
  "on_notice() {",
  "  local notice=$1 action when deadline hook_rc=null stopped=() failed=() u",
  '  action=$(field action "$notice")',
  '  when=$(field time "$notice")',
  '  deadline=$(date -d "$when" +%s 2>/dev/null) || deadline=$(($(now) + 120))',
  '  log "interruption notice: EC2 will ${action:-act} at ${when:-an unknown time}"',
  '  if [ -n "$hook" ]; then',
  "    hook_rc=0",
  '    run_hook "$deadline" "$action" "$when" || hook_rc=$?',
  "  fi",
  '  for u in "${stop_order[@]}"; do',
  '    if timeout "$(left "$deadline")" systemctl stop -- "$u"; then',
  '      log "stopped $u"',
  '      stopped+=("\\"${u//\\\\/\\\\\\\\}\\"")',
  "    else",
  '      log "could not stop $u in time"',
  '      failed+=("\\"${u//\\\\/\\\\\\\\}\\"")',
  "    fi",
  "  done",
  "  local IFS=,",
  `  printf '{"notice":%s,"seenAt":"%s","hookExitCode":%s,"stopped":[%s],"notStopped":[%s]}\\n' \\`,
  '    "$notice" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$hook_rc" "${stopped[*]}" "${failed[*]}" |',
  '    put "$interruption_file"',
  '  log "drained: ${#stopped[@]} service(s) stopped, ${#failed[@]} not; recorded in $interruption_file"',
  "}",
  ""
];
var MAIN_LINES = [
  "if ! command -v curl >/dev/null 2>&1; then",
  '  log "curl is missing: cannot read the instance metadata, so no interruption handling"',
  "  exit 0",
  "fi",
  'if [ -f "$interruption_file" ]; then',
  '  log "the interruption notice was handled already ($interruption_file); nothing to do"',
  "  exit 0",
  "fi",
  'log "watching $endpoint every ' + String(POLL_SECONDS) + ' s for spot interruption and rebalance notices"',
  'seen_rebalance=""',
  "while :; do",
  "  if notice=$(imds spot/instance-action); then",
  '    on_notice "$notice"',
  "    exit 0",
  "  fi",
  '  if [ -z "$seen_rebalance" ] && rec=$(imds events/recommendations/rebalance); then',
  '    seen_rebalance=$(field noticeTime "$rec")',
  `    printf '{"noticeTime":"%s","seenAt":"%s"}\\n' "$seen_rebalance" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" |`,
  '      put "$rebalance_file"',
  '    log "rebalance recommendation (notice time ${seen_rebalance:-unknown}); recorded in $rebalance_file"',
  "    seen_rebalance=${seen_rebalance:-seen}",
  "  fi",
  `  sleep ${POLL_SECONDS}`,
  "done",
  ""
];
function watcherScript(input) {
  for (const s of input.services) assertUnitName(s);
  const stopOrder = [...input.services].reverse().map((s) => sh(`${s}.service`));
  const hook = input.hook;
  if (hook && (!Number.isInteger(hook.timeoutSeconds) || hook.timeoutSeconds < 1)) {
    throw new Error("on_interruption: timeout must be a positive whole number of seconds");
  }
  const run = hook ? [...interpreter(hook.body), '"$hook"'].join(" ") : "";
  return [
    "#!/bin/bash",
    "# spot-deployer interruption watcher (generated with the deployment; do not edit)",
    "set -u",
    "endpoint=${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}",
    "endpoint=${endpoint%/}",
    `interruption_file=${shPath(INTERRUPTION_FILE)}`,
    `rebalance_file=${shPath(REBALANCE_FILE)}`,
    `hook=${hook ? shPath(WATCHER_HOOK) : "''"}`,
    `hook_timeout=${hook?.timeoutSeconds ?? 0}`,
    `stop_order=(${stopOrder.join(" ")})`,
    "ttl=21600",
    'token=""',
    "token_until=0",
    "",
    ...IMDS_LINES,
    ...runHookLines(run),
    ...ON_NOTICE_LINES,
    ...MAIN_LINES
  ].join("\n");
}
function watcherUnit() {
  return [
    "# spot-deployer interruption watcher (generated with the deployment; do not edit)",
    "[Unit]",
    "Description=spot-deployer: drain the deployment on a spot interruption notice",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=/bin/bash ${WATCHER_SCRIPT}`,
    "Restart=on-failure",
    "RestartSec=5",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    ""
  ].join("\n");
}
function watcherStartBody(digest) {
  return [
    `# the interruption watcher (${WATCHER_UNIT}.service; systemd has read its unit already)`,
    `systemctl enable --quiet -- ${WATCHER_UNIT}.service || fail "cannot enable ${WATCHER_UNIT}.service"`,
    `if [ "$(cat -- "$S/state/watcher" 2>/dev/null || true)" != ${digest} ] ||`,
    `  ! systemctl is-active --quiet -- ${WATCHER_UNIT}.service; then`,
    `  systemctl restart -- ${WATCHER_UNIT}.service || fail "cannot start ${WATCHER_UNIT}.service"`,
    `  printf '%s\\n' ${digest} >"$S/state/watcher.tmp"`,
    '  mv -f -- "$S/state/watcher.tmp" "$S/state/watcher"',
    `  echo "started ${WATCHER_UNIT}.service"`,
    "else",
    `  echo "unchanged ${WATCHER_UNIT}.service (running)"`,
    "fi"
  ].join("\n") + "\n";
}
async function renderWatcher(deployment, services) {
  const spec = deployment.onInterruption;
  if (services.length === 0 && !spec) return void 0;
  const files = [];
  let hook;
  if (spec) {
    const body = await readSource(deployment, spec.path, `on_interruption (${spec.path})`);
    hook = { body, timeoutSeconds: spec.timeoutSeconds };
    files.push(makeFile(WATCHER_HOOK, body, "0700", "root:root", spec.path));
  }
  const script = Buffer.from(watcherScript({ services, ...hook ? { hook } : {} }));
  const unit = Buffer.from(watcherUnit());
  files.push(
    makeFile(WATCHER_SCRIPT, script, "0700", "root:root", "the interruption watcher"),
    makeFile(WATCHER_UNIT_FILE, unit, "0644", "root:root", "the interruption watcher")
  );
  const digest = sha256Hex(files.map((f) => `${f.dest}\0${f.sha256}`).join("\n"));
  return { files, start: watcherStartBody(digest) };
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
  const doc = (0, import_yaml.parse)(text, { version: "1.1" });
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
    const body = await readSource(deployment, s.path, `scripts[${i}] (${s.name})`);
    const key = `${slug(s.name)}-${shortHash(s.name)}`;
    const bodyPath = `${SCRIPTS_DIR}/${key}`;
    files.push(makeFile(bodyPath, body, "0700", "root:root", s.path));
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
//# sourceMappingURL=chunk-EGNSWXER.js.map
