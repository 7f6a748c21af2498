#!/usr/bin/env bash
# The whole test suite, under Node 24, after making sure everything it needs is installed
# (scripts/setup.sh is quick when all is cached). Extra arguments go to `node --test`,
# e.g. `npm test -- --test-name-pattern=upload`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/setup.sh --env)"
exec node --test --test-concurrency=2 "$@" "__tests__/**/*.test.ts"
