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
step "the local stack (started once here: two test processes use it)"
npm run --silent stack -- up
mkdir -p .stack
rm -f .stack/test-results.json .stack/systems-results.json .stack/browser-results.json
# Two streams side by side, each one file at a time: the whole-system tests and then the
# browser tests (each with systems of their own) in the background, their output shown after;
# the unit and integration tests (the shared test databases) in the foreground.
step "whole-system tests, then browser tests: in the background (their output follows the integration tests)"
(
  bg=0
  npx vitest run --project systems --reporter=default --reporter=json \
    --outputFile.json=.stack/systems-results.json || bg=1
  printf '\n\u25b8 %s\n' "browser tests: the storefront in Chromium against a whole running system"
  npm run --silent test:browser || bg=1
  exit $bg
) > .stack/systems-and-browser.log 2>&1 &
background=$!
step "tests: unit, then integration against the real stack"
status=0
npx vitest run --project unit --project integration --reporter=default --reporter=json \
  --outputFile.json=.stack/test-results.json || status=1
wait "$background" || status=1
step "whole-system and browser tests (run in the background)"
cat .stack/systems-and-browser.log
node scripts/test-summary.mjs .stack/test-results.json .stack/systems-results.json \
  --browser .stack/browser-results.json || status=1
exit $status
