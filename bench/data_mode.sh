#!/usr/bin/env bash
# WIZ550S2E data mode vs socat: throughput and 1-byte round trip through pty -> bridge -> TCP, both measured in
# the same run, plus the `+++` guard-time boundary (495 ms no trigger / 505 ms trigger) in wire timing.
# simdev runs as a WIZ550S2E in TCP server mode, packing off, connection password off, --timing fast; socat is
# `socat -b65536 PTY,raw,echo=0 TCP:...`. Runs alternate between the two so drift hits both alike.
# Usage: bench/data_mode.sh BUILD_DIR [RUNS=21] [BYTES=52428800] [PINGS=2000] [TRIGGER_RUNS=100]
set -euo pipefail
BUILD_DIR="$(cd "${1:?usage: $0 BUILD_DIR [RUNS] [BYTES] [PINGS] [TRIGGER_RUNS]}" && pwd)"
RUNS="${2:-21}"
BYTES="${3:-52428800}"
PINGS="${4:-2000}"
TRIGGER_RUNS="${5:-100}"
CHUNK=4096
# shellcheck source=bench/lib/bridge_bench.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bridge_bench.sh"

if [[ -z "${NO_BUILD:-}" ]]; then  # NO_BUILD=1: use what BUILD_DIR already holds
  ninja -C "$BUILD_DIR" simdev bench_data_mode_sink bench_data_mode_writer bench_data_mode_echo \
    bench_data_mode_pingpong bench_data_mode_trigger >/dev/null
fi
SIMDEV="$BUILD_DIR/simdev"
TOOLS="$BUILD_DIR/bench"
WORK="$(mktemp -d)"
trap cleanup EXIT

# Starts simdev (server mode, password off); sets BRIDGE_PID and SIMDEV_PORT (the host port of its data listener).
start_simdev() {  # TIMING
  "$SIMDEV" --device wiz550s2e --serial "pty:$WORK/tty" --timing "$1" --flash "$WORK/flash.json" --flash-reset \
    --set 'factory.pw_connect=""' --set 'network.listen_map={"5000":0}' --ready-file "$WORK/ready.json" \
    --log-level warn >/dev/null 2>"$WORK/simdev.err" &
  BRIDGE_PID=$!
  wait_for_file "$WORK/ready.json"
  SIMDEV_PORT="$(jq -r '.devices[0].listeners[0].port' "$WORK/ready.json")"
}

# One throughput run; prints the sink's MB/s.
throughput() {  # socat|simdev
  if [[ "$1" == socat ]]; then
    "$TOOLS/data_mode_sink" "listen:$WORK/port" "$BYTES" >"$WORK/sink.out" &
    local sink=$!
    wait_for_file "$WORK/port"
    socat -b65536 "PTY,link=$WORK/tty,raw,echo=0" "TCP:127.0.0.1:$(cat "$WORK/port")" &
    BRIDGE_PID=$!
    wait_for_file "$WORK/tty"
  else
    start_simdev fast
    "$TOOLS/data_mode_sink" "connect:$SIMDEV_PORT" "$BYTES" >"$WORK/sink.out" &
    local sink=$!
  fi
  "$TOOLS/data_mode_writer" "$WORK/tty" "$BYTES" "$CHUNK"
  wait "$sink"
  stop_bridge
  awk '{print $5}' "$WORK/sink.out"
}

# One latency run; prints "median p99" in microseconds.
round_trip() {  # socat|simdev
  if [[ "$1" == socat ]]; then
    "$TOOLS/data_mode_echo" "listen:$WORK/port" &
    local echo_pid=$!
    wait_for_file "$WORK/port"
    socat -b65536 "PTY,link=$WORK/tty,raw,echo=0" "TCP:127.0.0.1:$(cat "$WORK/port")" &
    BRIDGE_PID=$!
    wait_for_file "$WORK/tty"
  else
    start_simdev fast
    "$TOOLS/data_mode_echo" "connect:$SIMDEV_PORT" &
    local echo_pid=$!
  fi
  "$TOOLS/data_mode_pingpong" "$WORK/tty" "$PINGS" >"$WORK/pp.out"
  stop_bridge
  wait "$echo_pid" 2>/dev/null || true
  awk '{print $2, $5}' "$WORK/pp.out"
}

echo "# WIZ550S2E data mode vs socat -b65536, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# throughput: $RUNS runs x $BYTES bytes in $CHUNK-byte writes; round trip: $RUNS runs x $PINGS pings"
run_comparison

if [[ "$TRIGGER_RUNS" -gt 0 ]]; then
  echo "# +++ boundary in --timing wire, $TRIGGER_RUNS attempts each side"
  start_simdev wire
  "$TOOLS/data_mode_trigger" "$WORK/tty" "$TRIGGER_RUNS" 495 505 || echo "trigger boundary: FAILED"
  stop_bridge
fi
