#!/usr/bin/env bash
# Refreshes web/vendor, the website's third-party files, from the npm packages pinned in package-lock.json.
# Run it after changing a version in package.json (then 'npm install --package-lock-only' to update the lock file),
# and commit web/vendor. The build only embeds web/vendor: it never runs npm or node.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || { echo "refresh.sh: npm is not installed (Debian: apt-get install nodejs npm)" >&2; exit 2; }
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
rm -rf vendor
node build.mjs vendor
rm -rf node_modules
echo "web/vendor refreshed from package-lock.json:"
find vendor -type f | sort
