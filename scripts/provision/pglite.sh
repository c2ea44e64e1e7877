#!/usr/bin/env bash
# Installs PGlite (PostgreSQL compiled to WebAssembly, with pgvector) for the PostgreSQL provider's tests: Node.js and
# npm from Debian when missing, then the packages pinned in tests/Shared/PGlite/package-lock.json into its gitignored
# node_modules. A second run with the same lock file does nothing. The tests start and stop their own servers
# (tests/Shared/PGlite/server.mjs, one per test class on a free loopback port).
set -euo pipefail
# shellcheck source=apt.sh.inc
source "$(dirname "$0")/apt.sh.inc"
apt_install nodejs node
apt_install npm npm

dir="$(cd "$(dirname "$0")/../../tests/Shared/PGlite" && pwd)"
stamp="$dir/node_modules/.gopiai-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "provision: npm ci in tests/Shared/PGlite" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "$want" > "$stamp"
