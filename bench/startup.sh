#!/usr/bin/env bash
# Startup benchmark: exec -> `SIMDEV READY` line, median of N starts (goal <= 20 ms), against baselines
# measured in the same run: `simdev --version` (exec + dynamic loading + CLI parse, no device) and
# `socat PTY,link=...` (time until its pty link appears).
# Usage: bench/startup.sh [RUNS=50]   (BUILD_DIR defaults to ./build; needs socat)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
RUNS="${1:-50}"
ninja -C "$BUILD_DIR" simdev bench_ready_time >/dev/null
SIMDEV="$BUILD_DIR/simdev"
PROBE="$BUILD_DIR/bench/ready_time"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

echo "# simdev startup, $RUNS runs each, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-46s ' "simdev --device wizfi360 (pty, wire) -> READY:"
"$PROBE" "$RUNS" ready -- "$SIMDEV" --device wizfi360 --flash-reset
printf '%-46s ' "simdev --device wiz550s2e (pty) -> READY:"
"$PROBE" "$RUNS" ready -- "$SIMDEV" --device wiz550s2e --flash-reset --set 'network.listen_map={"5000":0}'
printf '%-46s ' "simdev tcp serial + unix control -> READY:"
"$PROBE" "$RUNS" ready -- "$SIMDEV" --serial tcp:127.0.0.1:0 --control "unix:$WORK/ctl" --flash-reset
printf '%-46s ' "baseline: simdev --version (exit):"
"$PROBE" "$RUNS" exit -- "$SIMDEV" --version
printf '%-46s ' "baseline: socat PTY,link (link appears):"
"$PROBE" "$RUNS" "link:$WORK/socat-link" -- socat "PTY,link=$WORK/socat-link,raw,echo=0" STDIO
