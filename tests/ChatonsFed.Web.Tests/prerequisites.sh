#!/usr/bin/env bash
# Installs what the website's tests need: Debian's Chromium at /usr/bin/chromium (Playwright drives it; no browser is
# downloaded). Quiet on success; on failure says what is wrong and exits non-zero.
set -euo pipefail

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "website test prerequisites: $*" >&2
  exit 1
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  fail "missing: ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]}), then run this again"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  fail "missing: ${missing[*]}, and apt-get is not available to install them"
fi
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  fail "installing ${missing[*]} with apt-get failed"
fi
[ -x /usr/bin/chromium ] || fail "apt-get installed chromium but /usr/bin/chromium is still missing"
