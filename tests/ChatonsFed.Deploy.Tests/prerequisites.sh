#!/usr/bin/env bash
# Installs what the deployment tests run (tests/ChatonsFed.Deploy.Tests): nginx, to serve a node through the shipped
# site file; systemd-analyze (package systemd), to verify the shipped unit; openssl, for a test certificate; and
# Python's YAML module, to read the compose file. Each is installed with apt-get (as root) only when missing.
# Quiet on success; on failure says what is wrong and exits non-zero. The Fedify peer comes from the interop
# tests' prerequisites (tests/ChatonsFed.Interop.Tests/prerequisites.sh), which this script runs too.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "deploy prerequisites: $*" >&2
  exit 1
}

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing: ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]}), then run this again"
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    fail "missing: ${missing[*]}, and apt-get is not available to install them"
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    fail "installing ${missing[*]} with apt-get failed"
  fi
  # Debian starts the nginx service it installs; the tests run their own nginx and need nothing on port 80.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  elif [ -f /run/nginx.pid ]; then
    nginx -s stop >/dev/null 2>&1 || true
  fi
fi

command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || fail "nginx is still missing after apt-get"
command -v systemd-analyze >/dev/null 2>&1 || fail "systemd-analyze is still missing after apt-get"
python3 -c 'import yaml' >/dev/null 2>&1 || fail "python3 cannot import yaml after apt-get (package python3-yaml)"

bash "$here/../ChatonsFed.Interop.Tests/prerequisites.sh"
