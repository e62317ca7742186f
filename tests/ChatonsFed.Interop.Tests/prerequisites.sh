#!/usr/bin/env bash
# Installs the Fedify peer that the interop tests run (tests/fedify-peer): npm from Debian when it is
# missing (as root), then `npm ci` whenever node_modules is missing or package-lock.json changed.
# Quiet on success; on failure says what is wrong and exits non-zero.
set -euo pipefail

peer_dir="$(cd "$(dirname "$0")/../fedify-peer" && pwd)"
stamp="$peer_dir/node_modules/.chatonsfed-lock.sha256"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "interop prerequisites: $*" >&2
  exit 1
}

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "npm is not installed; install Node.js and npm (e.g. sudo apt-get install nodejs npm), then run this again"
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    fail "npm is not installed and apt-get is not available to install it"
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } >"$log" 2>&1; then
    cat "$log" >&2
    fail "installing nodejs and npm with apt-get failed"
  fi
  command -v npm >/dev/null 2>&1 || fail "apt-get installed nodejs and npm but npm is still not on PATH"
fi

lock_hash="$(sha256sum "$peer_dir/package-lock.json" | cut -d' ' -f1)"
if [ ! -x "$peer_dir/node_modules/.bin/node" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  rm -f "$stamp"
  if ! (cd "$peer_dir" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
    cat "$log" >&2
    fail "'npm ci' in $peer_dir failed (see above)"
  fi
  echo "$lock_hash" >"$stamp"
fi

node_bin="$peer_dir/node_modules/.bin/node"
if [ ! -x "$node_bin" ]; then
  fail "$node_bin is missing after 'npm ci': the 'node' package's install script did not run (npm must allow it; see tests/fedify-peer/package.json allowScripts)"
fi
if ! version="$("$node_bin" --version 2>"$log")"; then
  cat "$log" >&2
  fail "$node_bin does not run"
fi
major="${version#v}"
major="${major%%.*}"
if ! [[ "$major" =~ ^[0-9]+$ ]] || [ "$major" -lt 22 ]; then
  fail "$node_bin is $version; the Fedify peer needs Node 22 or newer"
fi
