#!/usr/bin/env bash
# Second command of the README: every check and test. Installs what it needs (npm packages,
# Debian's Chromium for the browser tests) and starts the local stack itself when it is not
# running (the integration tests' global setup does that).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/ensure-deps.sh

step() { printf '\n\u25b8 %s\n' "$*"; }
step "generate: Prisma clients, supergraph and API schema, GraphQL types, route types"
npm run --silent generate
step "typecheck (one tsc program over the backend workspaces, one over the storefront)"
npm run --silent typecheck
step "lint and format"
npx eslint .
npx prettier --check . --log-level warn
step "tests: unit, then integration against the real stack"
mkdir -p .stack
rm -f .stack/test-results.json .stack/browser-results.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.stack/test-results.json || status=1
step "browser tests: the storefront in Chromium against a whole running system"
npm run --silent test:browser || status=1
node scripts/test-summary.mjs .stack/test-results.json .stack/browser-results.json || status=1
exit $status
