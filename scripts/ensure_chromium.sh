#!/usr/bin/env bash
# Make sure the Chromium that the browser tests drive is installed at /usr/bin/chromium.
# Playwright's own browser download is never used: it needs hosts we do not reach.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present) at $CHROMIUM"
    exit 0
fi

if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not found; installing Debian's chromium package (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium fonts-dejavu-core
    if [ -x "$CHROMIUM" ]; then
        echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || true)"
        exit 0
    fi
    echo "chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi

cat >&2 <<MSG
chromium: $CHROMIUM not found, and this script can only install it as root on Debian.
Install it yourself, then run the tests again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  (or link an existing Chromium/Chrome binary to $CHROMIUM)
The browser tests drive that binary through Playwright; do not run 'playwright install'.
MSG
exit 1
