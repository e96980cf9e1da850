#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, and
# checks the Node version first: the two commands of the README run this before anything else.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none)). Install it from your package manager or nodejs.org." >&2
  exit 2
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "installing npm dependencies..."
  # Not `npm ci`: npm 11 records only this platform's optional packages (rollup, esbuild, turbo
  # binaries) in the lock and then `npm ci` refuses it as out of sync. `npm install` installs
  # the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi
