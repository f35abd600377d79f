#!/usr/bin/env bash
# Command 2: install what is missing, build everything and run the whole test suite (unit, conformance,
# integration through the real binary and pty, end-to-end against mosquitto/openssl started by the tests).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

install_missing_packages
configure
build
say "running the test suite"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
