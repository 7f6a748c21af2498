import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  makeFile,
  readSource,
  sha256Hex
} from "./chunk-3HBCK5FV.js";
import {
  ENV_FILE,
  SECRETS_FILE,
  STATE_DIR
} from "./chunk-7B7HW6FF.js";
import {
  sh,
  shPath
} from "./chunk-ET7XX2IW.js";
import {
  unitNameProblem
} from "./chunk-NIG5AYO3.js";

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

export {
  scriptBody,
  assertUnitName,
  orderServices,
  servicesBody,
  DEFAULT_SETTLE_SECONDS,
  healthSeconds,
  healthBody,
  REBALANCE_FILE,
  renderWatcher
};
//# sourceMappingURL=chunk-WEEMSLTQ.js.map
