#!/usr/bin/env bash
# First command of the README: the whole system (stack, migrations, seed, subgraphs, gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Generated code first (Prisma clients, supergraph, GraphQL types, route types): start.ts
# imports code that imports them, and the storefront's build needs them.
npm run --silent generate
exec node_modules/.bin/tsx scripts/start.ts "$@"
