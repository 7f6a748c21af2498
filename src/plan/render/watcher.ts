// The interruption watcher: a bash script and a systemd unit installed with the deployment.
// It polls the instance metadata service (IMDSv2: a session token first, renewed before it
// expires) every 5 seconds, as the EC2 user guide recommends ("Spot Instance interruption
// notices"), at the endpoint AWS_EC2_METADATA_SERVICE_ENDPOINT names (the AWS SDKs' and CLI's
// variable), else at 169.254.169.254.
//
// - An interruption notice (spot/instance-action): the manifest's on_interruption hook runs
//   once (with the deployment's environment), then the deployment's services are stopped in
//   reverse start order, all before the time the notice gives; each action goes to the journal
//   and the whole is recorded in INTERRUPTION_FILE.
// - A rebalance recommendation (events/recommendations/rebalance) is recorded in
//   REBALANCE_FILE, for status and heal to read.
// On an on-demand instance both paths answer 404 for ever, and the watcher only polls.
// It needs bash, curl, date, timeout and systemctl: all on every supported image.

import type { Deployment } from '../../manifest/model.ts';
import { type DeliveredFile, makeFile, readSource, sha256Hex } from './files.ts';
import { ENV_FILE, SECRETS_FILE, STATE_DIR } from './prelude.ts';
import { interpreter } from './scripts.ts';
import { assertUnitName } from './services.ts';
import { sh, shPath } from '../shell.ts';

export const WATCHER_UNIT = 'spot-deployer-watcher';
export const WATCHER_DIR = `${STATE_DIR}/watcher`;
export const WATCHER_SCRIPT = `${WATCHER_DIR}/watch.sh`;
export const WATCHER_HOOK = `${WATCHER_DIR}/on-interruption`;
export const WATCHER_UNIT_FILE = `/etc/systemd/system/${WATCHER_UNIT}.service`;
/** What the watcher did on the interruption notice (JSON). */
export const INTERRUPTION_FILE = `${STATE_DIR}/interruption.json`;
/** The rebalance recommendation it saw (JSON: noticeTime, seenAt). */
export const REBALANCE_FILE = `${STATE_DIR}/rebalance.json`;
export const POLL_SECONDS = 5;

export interface WatcherHook {
  body: Buffer;
  timeoutSeconds: number;
}

export interface WatcherInput {
  /** Service names (without .service) in start order; they are stopped in the reverse. */
  services: string[];
  hook?: WatcherHook;
}

/** Logging, and reading IMDSv2: a session token, one path, the seconds left. */
const IMDS_LINES = [
  'log() { printf \'spot-watcher: %s\\n\' "$*"; }',
  'now() { date +%s; }',
  '# a JSON string value of KEY in a one-line JSON object, or nothing',
  'field() { sed -n "s/.*\\"$1\\"[[:space:]]*:[[:space:]]*\\"\\([^\\"]*\\)\\".*/\\1/p" <<<"$2"; }',
  '# writes FILE atomically from stdin',
  'put() { cat >"$1.tmp" && mv -f -- "$1.tmp" "$1"; }',
  '',
  '# IMDSv2: a session token, renewed a minute before it expires',
  'renew_token() {',
  '  [ -n "$token" ] && [ "$(now)" -lt "$token_until" ] && return 0',
  '  token=$(curl -sSf --max-time 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: $ttl" \\',
  '    "$endpoint/latest/api/token" 2>/dev/null) || { token=""; return 1; }',
  '  token_until=$(($(now) + ttl - 60))',
  '}',
  '',
  '# imds PATH: the body on stdout and 0 when present; 1 when absent (404); 2 otherwise',
  'imds() {',
  '  local out code',
  '  renew_token || return 2',
  '  out=$(curl -sS --max-time 2 -w \'\\n%{http_code}\' -H "X-aws-ec2-metadata-token: $token" \\',
  '    "$endpoint/latest/meta-data/$1" 2>/dev/null) || return 2',
  "  code=${out##*$'\\n'}",
  '  case $code in',
  "    200) printf '%s\\n' \"${out%$'\\n'*}\" ;;",
  '    404) return 1 ;;',
  '    401) token="" && return 2 ;;',
  '    *) return 2 ;;',
  '  esac',
  '}',
  '',
  '# seconds left before EC2 acts (at least 1)',
  'left() {',
  '  local s=$(($1 - $(now)))',
  '  [ "$s" -ge 1 ] || s=1',
  '  echo "$s"',
  '}',
  '',
];

/** run_hook DEADLINE ACTION TIME: the hook, with the deployment's environment, in time. */
function runHookLines(run: string): string[] {
  return [
    'run_hook() {',
    '  local limit=$hook_timeout room rc=0',
    '  room=$(($(left "$1") - 10))',
    '  [ "$room" -ge "$limit" ] || limit=$room',
    '  [ "$limit" -ge 1 ] || limit=1',
    '  log "running the on_interruption hook (at most $limit s)"',
    '  (',
    '    cd / || exit 1',
    '    set -a',
    '    # shellcheck source=/dev/null',
    `    if [ -f ${ENV_FILE} ]; then . ${ENV_FILE}; fi`,
    '    # shellcheck source=/dev/null',
    `    if [ -f ${SECRETS_FILE} ]; then . ${SECRETS_FILE}; fi`,
    '    set +a',
    '    export HOME="${HOME:-/root}" SPOT_INTERRUPTION_ACTION="$2" SPOT_INTERRUPTION_TIME="$3"',
    `    exec timeout --kill-after=5 "$limit" ${run}`,
    '  ) </dev/null 2>&1 | while IFS= read -r line; do log "hook: $line"; done',
    '  rc=${PIPESTATUS[0]}',
    '  if [ "$rc" -eq 0 ]; then log "the hook finished"; else log "the hook failed (exit $rc)"; fi',
    '  return "$rc"',
    '}',
    '',
  ];
}

/** on_notice NOTICE: the hook, then the services stopped in reverse start order; recorded. */
const ON_NOTICE_LINES = [
  'on_notice() {',
  '  local notice=$1 action when deadline hook_rc=null stopped=() failed=() u',
  '  action=$(field action "$notice")',
  '  when=$(field time "$notice")',
  '  deadline=$(date -d "$when" +%s 2>/dev/null) || deadline=$(($(now) + 120))',
  '  log "interruption notice: EC2 will ${action:-act} at ${when:-an unknown time}"',
  '  if [ -n "$hook" ]; then',
  '    hook_rc=0',
  '    run_hook "$deadline" "$action" "$when" || hook_rc=$?',
  '  fi',
  '  for u in "${stop_order[@]}"; do',
  '    if timeout "$(left "$deadline")" systemctl stop -- "$u"; then',
  '      log "stopped $u"',
  '      stopped+=("\\"${u//\\\\/\\\\\\\\}\\"")',
  '    else',
  '      log "could not stop $u in time"',
  '      failed+=("\\"${u//\\\\/\\\\\\\\}\\"")',
  '    fi',
  '  done',
  '  local IFS=,',
  '  printf \'{"notice":%s,"seenAt":"%s","hookExitCode":%s,"stopped":[%s],"notStopped":[%s]}\\n\' \\',
  '    "$notice" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$hook_rc" "${stopped[*]}" "${failed[*]}" |',
  '    put "$interruption_file"',
  '  log "drained: ${#stopped[@]} service(s) stopped, ${#failed[@]} not; recorded in $interruption_file"',
  '}',
  '',
];

/** The poll loop: every POLL_SECONDS, the interruption notice, then the rebalance one. */
const MAIN_LINES = [
  'if ! command -v curl >/dev/null 2>&1; then',
  '  log "curl is missing: cannot read the instance metadata, so no interruption handling"',
  '  exit 0',
  'fi',
  'if [ -f "$interruption_file" ]; then',
  '  log "the interruption notice was handled already ($interruption_file); nothing to do"',
  '  exit 0',
  'fi',
  'log "watching $endpoint every ' +
    String(POLL_SECONDS) +
    ' s for spot interruption and rebalance notices"',
  'seen_rebalance=""',
  'while :; do',
  '  if notice=$(imds spot/instance-action); then',
  '    on_notice "$notice"',
  '    exit 0',
  '  fi',
  '  if [ -z "$seen_rebalance" ] && rec=$(imds events/recommendations/rebalance); then',
  '    seen_rebalance=$(field noticeTime "$rec")',
  '    printf \'{"noticeTime":"%s","seenAt":"%s"}\\n\' "$seen_rebalance" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" |',
  '      put "$rebalance_file"',
  '    log "rebalance recommendation (notice time ${seen_rebalance:-unknown}); recorded in $rebalance_file"',
  '    seen_rebalance=${seen_rebalance:-seen}',
  '  fi',
  `  sleep ${POLL_SECONDS}`,
  'done',
  '',
];

/** The watcher's script: the deployment's services and hook are written into it. */
export function watcherScript(input: WatcherInput): string {
  for (const s of input.services) assertUnitName(s);
  const stopOrder = [...input.services].reverse().map((s) => sh(`${s}.service`));
  const hook = input.hook;
  if (hook && (!Number.isInteger(hook.timeoutSeconds) || hook.timeoutSeconds < 1)) {
    throw new Error('on_interruption: timeout must be a positive whole number of seconds');
  }
  const run = hook ? [...interpreter(hook.body), '"$hook"'].join(' ') : '';
  return [
    '#!/bin/bash',
    '# spot-deployer interruption watcher (generated with the deployment; do not edit)',
    'set -u',
    'endpoint=${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}',
    'endpoint=${endpoint%/}',
    `interruption_file=${shPath(INTERRUPTION_FILE)}`,
    `rebalance_file=${shPath(REBALANCE_FILE)}`,
    `hook=${hook ? shPath(WATCHER_HOOK) : "''"}`,
    `hook_timeout=${hook?.timeoutSeconds ?? 0}`,
    `stop_order=(${stopOrder.join(' ')})`,
    'ttl=21600',
    'token=""',
    'token_until=0',
    '',
    ...IMDS_LINES,
    ...runHookLines(run),
    ...ON_NOTICE_LINES,
    ...MAIN_LINES,
  ].join('\n');
}

/** The watcher's unit: started at boot, restarted if it fails. */
export function watcherUnit(): string {
  return [
    '# spot-deployer interruption watcher (generated with the deployment; do not edit)',
    '[Unit]',
    'Description=spot-deployer: drain the deployment on a spot interruption notice',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=/bin/bash ${WATCHER_SCRIPT}`,
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * Lines for the services step, after its daemon-reload: enable the watcher and (re)start it
 * when its files changed since it was last started here (their digest, kept in $S/state).
 */
export function watcherStartBody(digest: string): string {
  return (
    [
      `# the interruption watcher (${WATCHER_UNIT}.service; systemd has read its unit already)`,
      `systemctl enable --quiet -- ${WATCHER_UNIT}.service || fail "cannot enable ${WATCHER_UNIT}.service"`,
      `if [ "$(cat -- "$S/state/watcher" 2>/dev/null || true)" != ${digest} ] ||`,
      `  ! systemctl is-active --quiet -- ${WATCHER_UNIT}.service; then`,
      `  systemctl restart -- ${WATCHER_UNIT}.service || fail "cannot start ${WATCHER_UNIT}.service"`,
      `  printf '%s\\n' ${digest} >"$S/state/watcher.tmp"`,
      '  mv -f -- "$S/state/watcher.tmp" "$S/state/watcher"',
      `  echo "started ${WATCHER_UNIT}.service"`,
      'else',
      `  echo "unchanged ${WATCHER_UNIT}.service (running)"`,
      'fi',
    ].join('\n') + '\n'
  );
}

export interface RenderedWatcher {
  /** The script, the unit and the hook's body, to deliver with the deployment's files. */
  files: DeliveredFile[];
  /** Lines that enable and (re)start the watcher, for the services step. */
  start: string;
}

/**
 * The watcher for a deployment, given its services in start order; none when the deployment
 * has neither services to stop nor a hook to run.
 */
export async function renderWatcher(
  deployment: Deployment,
  services: string[],
): Promise<RenderedWatcher | undefined> {
  const spec = deployment.onInterruption;
  if (services.length === 0 && !spec) return undefined;
  const files: DeliveredFile[] = [];
  let hook: WatcherHook | undefined;
  if (spec) {
    const body = await readSource(deployment, spec.path, `on_interruption (${spec.path})`);
    hook = { body, timeoutSeconds: spec.timeoutSeconds };
    files.push(makeFile(WATCHER_HOOK, body, '0700', 'root:root', spec.path));
  }
  const script = Buffer.from(watcherScript({ services, ...(hook ? { hook } : {}) }));
  const unit = Buffer.from(watcherUnit());
  files.push(
    makeFile(WATCHER_SCRIPT, script, '0700', 'root:root', 'the interruption watcher'),
    makeFile(WATCHER_UNIT_FILE, unit, '0644', 'root:root', 'the interruption watcher'),
  );
  const digest = sha256Hex(files.map((f) => `${f.dest}\0${f.sha256}`).join('\n'));
  return { files, start: watcherStartBody(digest) };
}
