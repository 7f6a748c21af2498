// systemd services: start order from the units' own dependencies, the command that installs
// and (re)starts them idempotently, and the health check that follows.

import type { HealthCheck, ServiceSpec } from '../../manifest/model.ts';
import { unitNameProblem } from '../../manifest/names.ts';
import { sh } from '../shell.ts';
import { SECRETS_FILE } from './prelude.ts';

/** Throws unless `name` (without .service) is a unit name validation accepts. */
export function assertUnitName(name: string): void {
  const problem = unitNameProblem(name);
  if (problem) throw new Error(`service name ${JSON.stringify(name)} ${problem}`);
}

export interface UnitDeps {
  /** Units this one must start after (After=, Requires=, Wants=, BindsTo=, Requisite=). */
  after: string[];
  /** Units this one must start before (Before=). */
  before: string[];
}

/** The ordering-relevant settings of a unit file's [Unit] section. */
export function parseUnitDeps(text: string): UnitDeps {
  const deps: UnitDeps = { after: [], before: [] };
  let section = '';
  // Join continuation lines (a trailing backslash), as systemd does.
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1] ?? '';
      continue;
    }
    if (section !== 'Unit') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const names = line
      .slice(eq + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const target = ['After', 'Requires', 'Wants', 'BindsTo', 'Requisite'].includes(key)
      ? deps.after
      : key === 'Before'
        ? deps.before
        : undefined;
    if (!target) continue;
    if (names.length === 0)
      target.length = 0; // an empty assignment resets the list
    else target.push(...names);
  }
  return deps;
}

/**
 * Services in an order that respects After=/Requires=/Wants=/Before= among themselves
 * (dependencies to units outside the deployment are systemd's business). Ties keep the
 * manifest's order. A cycle is an error naming the units on it.
 */
export function orderServices<T extends { name: string }>(
  services: T[],
  unitText: (s: T) => string,
): T[] {
  const index = new Map(services.map((s, i) => [`${s.name}.service`, i]));
  const edges = services.map(() => new Set<number>()); // i -> j: i starts before j
  const resolveName = (n: string) => index.get(n.includes('.') ? n : `${n}.service`);
  for (const [j, s] of services.entries()) {
    const deps = parseUnitDeps(unitText(s));
    for (const n of deps.after) {
      const i = resolveName(n);
      if (i !== undefined && i !== j) edges[i]?.add(j);
    }
    for (const n of deps.before) {
      const k = resolveName(n);
      if (k !== undefined && k !== j) edges[j]?.add(k);
    }
  }
  const indegree = services.map(() => 0);
  for (const out of edges) for (const j of out) indegree[j] = (indegree[j] ?? 0) + 1;
  const order: number[] = [];
  const done = new Set<number>();
  while (order.length < services.length) {
    const next = services.findIndex((_, i) => !done.has(i) && indegree[i] === 0);
    if (next < 0) break;
    done.add(next);
    order.push(next);
    for (const j of edges[next] ?? []) indegree[j] = (indegree[j] ?? 0) - 1;
  }
  if (order.length < services.length) {
    throw new Error(
      `services depend on each other in a cycle: ${describeCycle(services, edges, done)}`,
    );
  }
  return order.map((i) => services[i] as T);
}

function describeCycle(
  services: { name: string }[],
  edges: Set<number>[],
  done: Set<number>,
): string {
  // Walk backwards along unresolved edges from any remaining node until a node repeats.
  const remaining = services.map((_, i) => i).filter((i) => !done.has(i));
  const pred = (j: number) => remaining.find((i) => edges[i]?.has(j));
  const first = remaining[0] ?? 0;
  const path: number[] = [];
  const seen = new Map<number, number>();
  let cur: number | undefined = first;
  while (cur !== undefined && !seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = pred(cur);
  }
  const cycle = cur === undefined ? path : path.slice(seen.get(cur));
  const names = cycle.reverse().map((i) => `${services[i]?.name}.service`);
  return [...names, names[0]].join(' -> ');
}

/**
 * The services command: daemon-reload, enable, then start or restart each unit in order.
 * A running unit is restarted only when the deployment (`digest`, covering every delivered
 * byte) or the secrets file changed since it was last (re)started here; otherwise it is
 * left alone, so running the command twice changes nothing.
 */
export function servicesBody(ordered: ServiceSpec[], digest: string): string {
  const lines = [
    'systemctl daemon-reload',
    `want=${digest}`,
    `if [ -f ${SECRETS_FILE} ]; then`,
    `  secrets=$(sha256sum <${SECRETS_FILE})`,
    '  want="$want ${secrets%% *}"',
    'fi',
    '# up NAME ENABLE START',
    'up() {',
    '  local unit=$1.service state=$S/state/service.$1 have action',
    '  if [ "$2" = 1 ]; then',
    '    systemctl enable --quiet -- "$unit" || { report "$unit"; fail "cannot enable $unit"; }',
    '  fi',
    '  [ "$3" = 1 ] || return 0',
    '  have=$(cat -- "$state" 2>/dev/null || true)',
    '  if systemctl is-active --quiet -- "$unit"; then',
    '    if [ "$have" = "$want" ]; then echo "unchanged $unit (running)"; return 0; fi',
    '    action=restart',
    '  elif [ "$have" = "$want" ] && [ "$(systemctl show -p Type --value -- "$unit")" = oneshot ] &&',
    '    [ "$(systemctl show -p Result --value -- "$unit")" = success ]; then',
    '    echo "unchanged $unit (oneshot, ran successfully)"',
    '    return 0',
    '  else',
    '    action=start',
    '  fi',
    '  if ! systemctl "$action" -- "$unit"; then',
    '    report "$unit"',
    '    fail "service $unit failed to $action"',
    '  fi',
    '  printf \'%s\\n\' "$want" >"$state.tmp"',
    '  mv -f -- "$state.tmp" "$state"',
    '  echo "${action}ed $unit"',
    '}',
    'install -d -m 0700 -- "$S/state"',
  ];
  for (const s of ordered) {
    assertUnitName(s.name);
    lines.push(`up ${sh(s.name)} ${s.enabled ? 1 : 0} ${s.start ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

export const DEFAULT_SETTLE_SECONDS = 3;

const HOST_RE = /^[A-Za-z0-9.:_-]+$|^\[[0-9A-Fa-f:.]+\]$/;

function checkProbe(name: string, h: HealthCheck): void {
  const ints = [h.retries, h.intervalSeconds, h.timeoutSeconds];
  if (!ints.every((n) => Number.isInteger(n) && n >= 0) || h.timeoutSeconds < 1) {
    throw new Error(
      `service ${name}: health check retries, interval and timeout must be whole numbers`,
    );
  }
  if (h.kind === 'http') {
    if (!/^https?:\/\/[^\s]+$/.test(h.url)) {
      throw new Error(`service ${name}: health check url ${JSON.stringify(h.url)} is not http(s)`);
    }
    if (!Number.isInteger(h.expectStatus) || h.expectStatus < 100 || h.expectStatus > 599) {
      throw new Error(`service ${name}: expected HTTP status ${h.expectStatus} is not valid`);
    }
  } else {
    if (!HOST_RE.test(h.host) || h.host.startsWith('-')) {
      throw new Error(`service ${name}: health check host ${JSON.stringify(h.host)} is not valid`);
    }
    if (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535) {
      throw new Error(`service ${name}: health check port ${h.port} is not valid`);
    }
  }
}

/** Upper bound of the time the health command can take, for its SSM timeout. */
export function healthSeconds(services: ServiceSpec[], settle: number): number {
  let t = settle + 5;
  for (const s of services) {
    const h = s.health;
    if (h) t += Math.max(1, h.retries) * (h.timeoutSeconds + h.intervalSeconds + 1);
  }
  return t;
}

/**
 * The health command: every started unit must be active and stay so for `settle` seconds
 * (same main process start time at the end), or for a oneshot unit have succeeded; then
 * each optional probe must pass within its attempts. Every failure is reported with the
 * unit's status and journal, and the command fails naming the units.
 */
export function healthBody(started: ServiceSpec[], settle: number): string {
  const lines = [
    'units=(' + started.map((s) => sh(`${s.name}.service`)).join(' ') + ')',
    'declare -A since=() kind=()',
    'failed=()',
    'failed_already() { [[ " ${failed[*]} " == *" $1 "* ]]; }',
    'for u in "${units[@]}"; do',
    '  kind[$u]=$(systemctl show -p Type --value -- "$u")',
    '  since[$u]=$(systemctl show -p ExecMainStartTimestampMonotonic --value -- "$u")',
    'done',
    `for ((tick = 0; tick <= ${settle * 2}; tick++)); do`,
    '  for u in "${units[@]}"; do',
    '    [ "${kind[$u]}" = oneshot ] && continue',
    '    systemctl is-active --quiet -- "$u" || { failed+=("$u"); report "$u"; }',
    '  done',
    '  [ ${#failed[@]} -eq 0 ] || break',
    `  [ "$tick" -eq ${settle * 2} ] || sleep 0.5`,
    'done',
    'for u in "${units[@]}"; do',
    '  failed_already "$u" && continue',
    '  if [ "${kind[$u]}" = oneshot ]; then',
    '    if [ "$(systemctl show -p Result --value -- "$u")" != success ]; then failed+=("$u"); report "$u"; fi',
    '  elif [ "$(systemctl show -p ExecMainStartTimestampMonotonic --value -- "$u")" != "${since[$u]}" ]; then',
    '    echo "$u restarted during the settle time"',
    '    failed+=("$u")',
    '    report "$u"',
    '  else',
    `    echo "active $u (stayed active ${settle} s)"`,
    '  fi',
    'done',
    '# http UNIT URL STATUS ATTEMPTS INTERVAL TIMEOUT',
    'http() {',
    '  local i code=000',
    '  for ((i = 1; i <= $4; i++)); do',
    '    code=$(curl -sS -o /dev/null -w \'%{http_code}\' --connect-timeout "$6" --max-time "$6" --url "$2" 2>/dev/null) || true',
    '    if [ "$code" = "$3" ]; then echo "healthy $1: $2 answered $code"; return 0; fi',
    '    if [ "$i" -lt "$4" ]; then sleep "$5"; fi',
    '  done',
    '  echo "unhealthy $1: $2 answered ${code:-nothing} (expected $3) after $4 attempts" >&2',
    '  return 1',
    '}',
    '# tcp UNIT HOST PORT ATTEMPTS INTERVAL TIMEOUT',
    'tcp() {',
    '  local i',
    '  for ((i = 1; i <= $4; i++)); do',
    '    if timeout "$6" bash -c \': <>"/dev/tcp/$0/$1"\' "$2" "$3" 2>/dev/null; then',
    '      echo "healthy $1: $2:$3 accepts connections"',
    '      return 0',
    '    fi',
    '    if [ "$i" -lt "$4" ]; then sleep "$5"; fi',
    '  done',
    '  echo "unhealthy $1: nothing accepts connections on $2:$3 after $4 attempts" >&2',
    '  return 1',
    '}',
  ];
  for (const s of started) {
    const h = s.health;
    if (!h) continue;
    checkProbe(s.name, h);
    const u = sh(`${s.name}.service`);
    const tries = Math.max(1, h.retries);
    const call =
      h.kind === 'http'
        ? `http ${u} ${sh(h.url)} ${h.expectStatus} ${tries} ${h.intervalSeconds} ${h.timeoutSeconds}`
        : `tcp ${u} ${sh(h.host)} ${h.port} ${tries} ${h.intervalSeconds} ${h.timeoutSeconds}`;
    lines.push(`if ! failed_already ${u} && ! ${call}; then failed+=(${u}); report ${u}; fi`);
  }
  lines.push(
    'if [ ${#failed[@]} -gt 0 ]; then fail "unhealthy: ${failed[*]}"; fi',
    'echo "all ${#units[@]} services healthy"',
  );
  return lines.join('\n') + '\n';
}
