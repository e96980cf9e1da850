#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work on
# machines without general internet access). Installs it when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
echo "installing Chromium (Debian package chromium) for the browser tests..."
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null 2>&1 || {
    echo "Chromium is missing: install it as root with 'apt-get install -y chromium'" >&2
    exit 2
  }
else
  SUDO=
fi
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "Chromium install failed" >&2; exit 2; }
