#!/usr/bin/env bash
# Installs Debian's Redis server when it is missing: the distributed-cache tests (tests/GopiAI.Toolkit.Redis.Tests)
# start one `redis-server --port N --save '' --appendonly no` per test class on a free loopback port and stop it after.
set -euo pipefail
# shellcheck source=apt.sh.inc
source "$(dirname "$0")/apt.sh.inc"
apt_install redis-server redis-server
