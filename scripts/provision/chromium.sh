#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing: the dashboard's browser tests drive it headless over the DevTools
# Protocol (tests/Shared/Chromium). Nothing is downloaded at test time; the tests start and stop their own browser.
set -euo pipefail
# shellcheck source=apt.sh.inc
source "$(dirname "$0")/apt.sh.inc"
apt_install chromium chromium
