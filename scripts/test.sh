#!/usr/bin/env bash
# Second command of the README: every check and test. Installs what it needs and starts the
# local stack itself when it is not running (the integration tests' global setup does that).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/ensure-deps.sh

step() { printf '\n\u25b8 %s\n' "$*"; }
step "generate: Prisma clients and resolver types"
npm run --silent generate
step "typecheck (one tsc program over every workspace)"
npm run --silent typecheck
step "lint and format"
npx eslint .
npx prettier --check . --log-level warn
step "tests: unit, then integration against the real stack"
mkdir -p .stack
npx vitest run --reporter=default --reporter=json --outputFile.json=.stack/test-results.json
node scripts/test-summary.mjs .stack/test-results.json
