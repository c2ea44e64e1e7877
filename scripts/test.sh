#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): provisions the services some tests need when they are missing
# (each scripts/provision/*.sh installs one: Redis, PGlite, Chromium, ...), then runs every test project.
# Tests start their own instances on free loopback ports and stop them; nothing here starts a server.
# Extra arguments go to `dotnet test` (e.g. `bash scripts/test.sh --filter FullyQualifiedName~Redis`).
set -euo pipefail
cd "$(dirname "$0")/.."
for step in scripts/provision/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
exec dotnet test "$@"
