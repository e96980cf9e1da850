#!/usr/bin/env bash
# First command of the README: the whole system (stack, migrations, seed, subgraphs, gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Generated code first (Prisma clients, supergraph, GraphQL types, route types): start.ts
# imports code that imports them, and the production build bundles them. start.ts (tsx) then
# builds (turbo-cached) and runs every service's built JavaScript with plain node.
npm run --silent generate
exec node_modules/.bin/tsx scripts/start.ts "$@"
