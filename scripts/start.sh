#!/usr/bin/env bash
# First command of the README: the whole system (stack, migrations, seed, subgraphs, gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node_modules/.bin/tsx scripts/start.ts "$@"
