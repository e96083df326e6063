#!/usr/bin/env bash
# Installs the Dovecot IMAP server that the email adapter's integration tests start privately
# (test/support/dovecot.ts). Idempotent: does nothing when `dovecot` is already on PATH.
set -euo pipefail

if command -v dovecot >/dev/null 2>&1; then
  echo "install-dovecot: dovecot already installed ($(dovecot --version 2>/dev/null || echo unknown))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The package's postinst starts a system-wide dovecot where an init system exists; the tests
# never use it (they run their own instance on a free port), so a failed service start is harmless.
$SUDO apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null
# Stop a system instance if the postinst started one; it would only hold ports 143/993.
$SUDO service dovecot stop >/dev/null 2>&1 || true
echo "install-dovecot: installed $(dovecot --version)"
