#!/usr/bin/env bash
# From a fresh clone: install what is needed (apt packages, Node 24, npm dependencies, the
# instance root file system; cached), then run the demo deploy against the local cloud.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/setup.sh --env)"
[ -f dist/index.js ] || npm run bundle
exec node scripts/demo.ts "$@"
