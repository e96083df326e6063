#!/usr/bin/env bash
# Debian packages the tests need: Redis, Dovecot (IMAP tests start a private instance),
# Chromium and fonts (browser test). Idempotent: installs only what is missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core fonts-noto-core)

if [ "${#need[@]}" -eq 0 ]; then
  echo "install-system: redis-server, dovecot and chromium already installed"
  exit 0
fi
echo "install-system: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another job may hold the apt lock; wait for it rather than fail.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The dovecot package may start a system instance; the tests never use it (they run their own
# on a free port), and it would only hold ports 143/993. Stop that one instance, the one this
# install started, through its service or its pid file; never other dovecots on the host (other
# test runs start their own).
if [[ " ${need[*]} " == *" dovecot-imapd "* ]]; then
  if ! $SUDO service dovecot stop >/dev/null 2>&1; then
    pidfile=/run/dovecot/master.pid
    if [ -f "$pidfile" ]; then $SUDO kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  fi
fi
echo "install-system: done"
