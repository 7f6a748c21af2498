#!/usr/bin/env bash
# npm run local-action [-- ENV_FILE]: runs the action's entry (src/main.ts) with GitHub's
# @github/local-action, under Node 24, its inputs (INPUT_COMMAND=..., one per line) from
# ENV_FILE, else .env, else examples/local-action.env (validate examples/convention).
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=${1:-}
if [ -z "$env_file" ]; then
  env_file=.env
  if [ ! -f .env ]; then
    env_file=examples/local-action.env
    echo "no .env: using $env_file (write a .env with your own INPUT_... lines to run something else)" >&2
  fi
fi
if [ ! -f "$env_file" ]; then
  echo "npm run local-action: $env_file does not exist; write it with the action's inputs, one INPUT_NAME=value per line" >&2
  exit 1
fi
exec bash scripts/node.sh --exec local-action run . src/main.ts "$env_file"
