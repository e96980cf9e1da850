#!/usr/bin/env bash
# First command of the README: the whole system (stack, migrations, seed, subgraphs, gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Generated clients first: start.ts imports code that imports them.
npm run --silent db:generate
exec node_modules/.bin/tsx scripts/start.ts "$@"
