// The fixed parts of every remote script: the header and the small bash functions the
// steps share. The SSM agent writes our text to `_script.sh` (mode 0700) and runs
// `sh -c <that file>`, so the kernel honours the `#!/bin/bash` line; stdin is empty, the
// working directory is the agent's orchestration directory, HOME is unset, and on timeout
// the whole process group gets SIGKILL (no trap runs). Everything below is written for
// that: absolute paths only, no reliance on HOME or a terminal, and every write goes to a
// temporary name first so a killed command never leaves half a file under the final name.

/** Where the deployer keeps its own state on the instance (root only). */
export const STATE_DIR = '/var/lib/spot-deployer';
/** Non-secret configuration the deployer writes (readable by services). */
export const CONFIG_DIR = '/etc/spot-deployer';
export const ENV_FILE = `${CONFIG_DIR}/env`;
export const SECRETS_FILE = `${CONFIG_DIR}/secrets.env`;
export const DEPLOYMENT_JSON = `${CONFIG_DIR}/deployment.json`;

export type Helper = 'same' | 'put' | 'deliver' | 'stage' | 'assemble' | 'report';

const HELPERS: Record<Helper, string> = {
  same: `# same DEST SHA256 MODE OWNER: DEST already has these bytes, mode and owner. Checked before
# anything is written, so an unchanged file leaves even its directory's mtime alone.
same() {
  local dest=$1 user=\${4%%:*} group='' meta mode owner_name owner_id group_name group_id
  [ -f "$dest" ] && [ ! -L "$dest" ] || return 1
  case $4 in *:*) group=\${4#*:} ;; esac
  meta=$(stat -c '%a %U %u %G %g' -- "$dest") || return 1
  read -r mode owner_name owner_id group_name group_id <<<"$meta"
  [ $((8#$mode)) = $((8#$3)) ] || return 1
  [ "$user" = "$owner_name" ] || [ "$user" = "$owner_id" ] || return 1
  if [ -n "$group" ]; then
    [ "$group" = "$group_name" ] || [ "$group" = "$group_id" ] || return 1
  else
    [ "$group_id" = 0 ] && [ ! -g "\${dest%/*}/" ] || return 1
  fi
  [ "$(sha256sum <"$dest")" = "$2  -" ]
}`,
  put: `# put TMP DEST SHA256 MODE OWNER: check TMP's checksum, give it MODE and OWNER, then
# rename it over DEST, unless DEST already has these bytes, mode and owner (left untouched).
# Spawns as few processes as it can: a deployment may carry thousands of small files.
put() {
  local tmp=$1 dest=$2 sum=$3 mode=$4 owner=$5 got meta
  got=$(sha256sum <"$tmp")
  got=\${got%% *}
  if [ "$got" != "$sum" ]; then
    rm -f -- "$tmp"
    fail "checksum mismatch for $dest: got sha256 $got, expected $sum"
  fi
  # new files are root:root 0644 (umask 022), unless the directory hands down its group
  if [ "$owner" != root:root ] || [ -g "\${tmp%/*}" ]; then
    chown -- "$owner" "$tmp" || { rm -f -- "$tmp"; fail "cannot give $dest owner $owner"; }
  fi
  if [ "$mode" != 0644 ]; then chmod -- "$mode" "$tmp"; fi # after chown, which clears set-id bits
  if [ -f "$dest" ] && [ ! -L "$dest" ]; then
    meta=$(stat -c '%a %u %g' -- "$tmp" "$dest")
    if [ "\${meta%%$'\\n'*}" = "\${meta#*$'\\n'}" ] && [ "$(sha256sum <"$dest")" = "$sum  -" ]; then
      rm -f -- "$tmp"
      unchanged=$((unchanged + 1))
      return 0
    fi
  fi
  mv -fT -- "$tmp" "$dest" || { rm -f -- "$tmp"; fail "cannot write $dest"; }
  written=$((written + 1))
  printf 'wrote %s\\n' "$dest"
}
written=0 unchanged=0`,
  deliver: `# deliver DEST SHA256 MODE OWNER <<base64: the decoded standard input becomes DEST (see put).
deliver() {
  local dir=\${1%/*} tmp
  if same "$@"; then
    unchanged=$((unchanged + 1))
    return 0
  fi
  dir=\${dir:-/}
  tmp="$dir/.spot-deployer.$$.tmp"
  [ -d "$dir" ] || mkdir -p -- "$dir" || fail "cannot create directory $dir for $1"
  if [ -e "$tmp" ] || [ -L "$tmp" ]; then rm -f -- "$tmp"; fi
  base64 -d >"$tmp" || { rm -f -- "$tmp"; fail "cannot decode $1"; }
  put "$tmp" "$@"
}`,
  stage: `# stage NAME <<base64: one piece of a large file, kept in the staging directory.
stage() {
  install -d -m 0700 -- "$S/staging"
  base64 -d >"$S/staging/$1.tmp" || fail "cannot decode part $1"
  mv -f -- "$S/staging/$1.tmp" "$S/staging/$1"
}`,
  assemble: `# assemble DEST SHA256 MODE OWNER NAME COUNT: the COUNT staged parts of NAME become DEST.
assemble() {
  local dest=$1 name=$5 count=$6 i dir tmp
  if same "$dest" "$2" "$3" "$4"; then
    unchanged=$((unchanged + 1))
    for ((i = 0; i < count; i++)); do rm -f -- "$S/staging/$name.$i"; done
    return 0
  fi
  for ((i = 0; i < count; i++)); do
    [ -f "$S/staging/$name.$i" ] || fail "part $((i + 1)) of $count of $dest is missing (did every upload step run?)"
  done
  dir=\${dest%/*}
  dir=\${dir:-/}
  tmp="$dir/.spot-deployer.$$.tmp"
  mkdir -p -- "$dir" || fail "cannot create directory $dir for $dest"
  rm -f -- "$tmp"
  for ((i = 0; i < count; i++)); do cat -- "$S/staging/$name.$i"; done >"$tmp"
  put "$tmp" "$dest" "$2" "$3" "$4"
  for ((i = 0; i < count; i++)); do rm -f -- "$S/staging/$name.$i"; done
}`,
  report: `# report UNIT: what a person needs to see when a unit misbehaves.
report() {
  echo "----- systemctl status $1 -----"
  systemctl status --no-pager --full -- "$1" 2>&1 || true
  echo "----- journalctl -u $1 (last 50 lines) -----"
  journalctl --no-pager -n 50 --unit="$1" 2>&1 || true
}`,
};

/**
 * SSM keeps only the first 24,000 characters of a command's stdout and 8,000 of its stderr,
 * so the end of a long output (where the error is) would be lost. The body runs in a
 * subshell whose output streams live up to OUTPUT_HEAD bytes (what a killed command still
 * shows) and is kept whole in a file; once it ends, its last bytes are printed, the skip
 * said, within both limits.
 */
export const OUTPUT_KEEP = {
  stdout: { head: 12_000, tail: 10_000 },
  stderr: { head: 3_000, tail: 4_000 },
};

const OUTPUT_OPEN = `_spot_tail() { # FILE HEAD TAIL: what of FILE the first HEAD bytes did not show
  local size
  size=$(stat -c %s -- "$1" 2>/dev/null) || return 0
  [ "$size" -gt "$2" ] || return 0
  if [ "$size" -gt $(($2 + $3)) ]; then
    printf '\n[spot-deployer: %d bytes of output not shown; its last %d bytes follow]\n' $((size - $2 - $3)) "$3"
    tail -c "$3" -- "$1"
  else
    tail -c +$(($2 + 1)) -- "$1"
  fi
}
_spot_out=$(mktemp -t spot-out.XXXXXXXX) _spot_err=$(mktemp -t spot-err.XXXXXXXX)
exec 8>&1 9>&2
exec > >(tee -p -- "$_spot_out" | head -c ${OUTPUT_KEEP.stdout.head} >&8)
_spot_pout=$!
exec 2> >(tee -p -- "$_spot_err" | head -c ${OUTPUT_KEEP.stderr.head} >&9)
_spot_perr=$!
set +e
(
set -e`;

const OUTPUT_CLOSE = `)
_spot_rc=$?
exec >&8 2>&9 8>&- 9>&-
wait "$_spot_pout" "$_spot_perr" 2>/dev/null || true
_spot_tail "$_spot_out" ${OUTPUT_KEEP.stdout.head} ${OUTPUT_KEEP.stdout.tail}
_spot_tail "$_spot_err" ${OUTPUT_KEEP.stderr.head} ${OUTPUT_KEEP.stderr.tail} >&2
rm -f -- "$_spot_out" "$_spot_err"
exit "$_spot_rc"
`;

/** Longest description kept in a script's header comment. */
export const MAX_COMMENT = 120;

/** Bytes `prelude()` can take for these helpers, whatever the id and description. */
export function preludeReserve(helpers: Helper[]): number {
  const script = stepScript('x'.repeat(40), '\u65e5'.repeat(MAX_COMMENT), helpers, '$S');
  return Buffer.byteLength(JSON.stringify(script)) - 4;
}

/**
 * A whole step script: `#!/bin/bash`, a comment naming the step, strict mode, a known PATH
 * and umask, `fail`, `$S` when used, the requested helpers, then `body` (in a subshell whose
 * output keeps its end visible, see OUTPUT_KEEP).
 */
export function stepScript(
  id: string,
  description: string,
  helpers: Helper[],
  body: string,
): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = description.replace(/[\x00-\x1f\x7f]/g, ' ');
  const comment =
    oneLine.length > MAX_COMMENT ? oneLine.slice(0, MAX_COMMENT - 3) + '...' : oneLine;
  const lines = [
    '#!/bin/bash',
    `# spot-deployer ${id}: ${comment}`,
    'set -euo pipefail',
    'umask 022',
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'fail() { printf \'spot-deployer: %s\\n\' "$*" >&2; exit 1; }',
  ];
  const helperText = helpers.map((h) => HELPERS[h]);
  if (/\$S\b|\$\{S\}/.test(helperText.join('\n') + body)) lines.push(`S=${STATE_DIR}`);
  lines.push(...helperText, OUTPUT_OPEN);
  return lines.join('\n') + '\n' + body.replace(/\n?$/, '\n') + OUTPUT_CLOSE;
}
