#!/usr/bin/env bash
# Debian packages the tests need. Idempotent: installs only what is missing.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  # The Debian dovecot package starts a system instance; the tests run their own.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop dovecot 2>/dev/null || true; fi
  pkill -x dovecot 2>/dev/null || true
else
  echo "all present: redis-server dovecot chromium"
fi
