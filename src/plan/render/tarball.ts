// The tarball command: fetch (tarball_url) or take the uploaded archive (tarball_source),
// check its sha256, refuse members that would land outside the destination, unpack.
// A marker keyed by destination remembers which archive was unpacked there, so a second
// run with the same archive does nothing.

import { createHash } from 'node:crypto';
import { sh, shPath } from '../shell.ts';

export type TarballInput =
  | { kind: 'url'; url: string; sha256: string; destination: string }
  | { kind: 'staged'; path: string; sha256: string; destination: string };

export function tarballBody(t: TarballInput): string {
  const dest = shPath(t.destination, 'tarball destination');
  if (!/^[0-9a-f]{64}$/.test(t.sha256)) {
    throw new Error(`tarball sha256 ${JSON.stringify(t.sha256)} is not 64 hex digits`);
  }
  const key = createHash('sha256').update(t.destination).digest('hex').slice(0, 16);
  const lines = [
    `dest=${dest}`,
    `sum=${t.sha256}`,
    `marker="$S/state/tarball.${key}"`,
    'if [ -d "$dest" ] && [ "$(cat -- "$marker" 2>/dev/null || true)" = "$sum" ]; then',
    '  echo "tarball $sum already unpacked in $dest"',
    '  exit 0',
    'fi',
    'install -d -m 0700 -- "$S/staging" "$S/state"',
  ];
  if (t.kind === 'url') {
    if (/[\0\r\n]/.test(t.url) || !/^(https?|s3):\/\/\S+$/.test(t.url)) {
      throw new Error(`tarball_url ${JSON.stringify(t.url)} is not an http(s) or s3 URL`);
    }
    lines.push(
      `url=${sh(t.url)}`,
      `archive="$S/staging/tarball.${key}"`,
      'rm -f -- "$archive"',
      'case "$url" in',
      '  s3://*)',
      '    command -v aws >/dev/null 2>&1 || fail "tarball_url $url needs the AWS CLI on the instance"',
      '    aws s3 cp --only-show-errors -- "$url" "$archive" || fail "cannot download $url"',
      '    ;;',
      '  *)',
      '    curl --fail --silent --show-error --location --retry 5 --retry-delay 2 --retry-all-errors \\',
      '      --connect-timeout 20 --max-time 1800 -o "$archive" --url "$url" || fail "cannot download $url"',
      '    ;;',
      'esac',
    );
  } else {
    lines.push(
      `archive=${shPath(t.path)}`,
      '[ -f "$archive" ] || fail "archive $archive was not uploaded"',
    );
  }
  lines.push(
    'got=$(sha256sum <"$archive")',
    'got=${got%% *}',
    '[ "$got" = "$sum" ] || fail "tarball checksum mismatch: got sha256 $got, expected $sum"',
    'members="$S/staging/members.$$"',
    'tar -tf "$archive" >"$members" || fail "the tarball is not a tar archive tar can read"',
    'while IFS= read -r m; do',
    '  case "$m" in /*) fail "tarball member $m has an absolute path; refusing to unpack" ;; esac',
    '  case "/$m/" in */../*) fail "tarball member $m would land outside $dest; refusing to unpack" ;; esac',
    'done <"$members"',
    'rm -f -- "$members"',
    'mkdir -p -- "$dest"',
    'tar -xf "$archive" -C "$dest" --no-same-owner || fail "cannot unpack the tarball into $dest"',
    'printf \'%s\\n\' "$sum" >"$marker.tmp"',
    'mv -f -- "$marker.tmp" "$marker"',
  );
  if (t.kind === 'url') lines.push('rm -f -- "$archive"');
  lines.push('echo "tarball $sum unpacked in $dest"');
  return lines.join('\n') + '\n';
}
