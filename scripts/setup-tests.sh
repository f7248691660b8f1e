#!/usr/bin/env bash
# Installs what the tests need on a Debian machine with Node 20, then stops:
# Debian's Chromium (the browser Playwright drives) and xmllint (CAP schema
# checks) from apt, and the npm packages without Electron's binary download.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)
[ -x /usr/sbin/dovecot ] && [ -x /usr/bin/doveadm ] || need_apt+=(dovecot-imapd)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing ${need_apt[*]} from apt…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing ${need_apt[*]}: run  sudo apt-get install -y ${need_apt[*]}  then this again." >&2
    exit 1
  fi
fi

# better-sqlite3 builds from source against Node's own headers (no download).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ]; then
  echo "Installing npm packages from the lock file…"
  # The lock file lists every platform's optional packages, so a clean clone
  # installs exactly what it pins, as on Windows and macOS.
  npm ci --no-audit --no-fund --loglevel=error
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Updating npm packages to the lock file…"
  npm install --no-audit --no-fund --loglevel=error
fi
