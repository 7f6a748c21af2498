#!/usr/bin/env bash
# Runs Node 24, the runtime this project needs (it runs its .ts files as they are), for the
# npm scripts, whatever `node` the machine has: the node on PATH when it is 24 or newer,
# else the one scripts/setup.sh installs. Without either it says, in one line, how to get it.
#   bash scripts/node.sh ARGS...          node ARGS...
#   bash scripts/node.sh --exec CMD ARGS  CMD ARGS... with Node 24 first on PATH
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
REQUIRED=24

major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(major)" -lt "$REQUIRED" ]; then
  eval "$(bash "$here/setup.sh" --env)"
  if [ "$(major)" -lt "$REQUIRED" ]; then
    found=$(node --version 2>/dev/null || echo 'no node')
    echo "this needs Node $REQUIRED or newer (found $found): run 'npm run setup' once, which installs it under ~/.cache/spot-deployer" >&2
    exit 1
  fi
fi
if [ "${1:-}" = --exec ]; then
  shift
  exec "$@"
fi
exec node "$@"
