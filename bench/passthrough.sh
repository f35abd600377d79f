#!/usr/bin/env bash
# WizFi360 passthrough vs socat: throughput (pty -> bridge -> TCP sink) and 1-byte round trip (serial -> TCP echo
# -> serial), both measured in the same run. simdev runs as a WizFi360 in --timing fast whose flash holds a
# SAVETRANSLINK link (SoftAP mode, so it has an IP at once): after boot it connects to the test peer by itself and
# enters passthrough. The packetiser runs with passthrough.packet_idle_ms=$IDLE_MS (default 0: every serial read
# is sent at once; the real module waits 20 ms of idle, which alone would make every round trip >= 20 ms).
# socat is `socat -b65536 PTY,raw,echo=0 TCP:...`. Runs alternate between the two so drift hits both alike.
# Usage: bench/passthrough.sh BUILD_DIR [RUNS=21] [BYTES=52428800] [PINGS=2000]   (IDLE_MS=0, NO_BUILD=1)
set -euo pipefail
BUILD_DIR="$(cd "${1:?usage: $0 BUILD_DIR [RUNS] [BYTES] [PINGS]}" && pwd)"
RUNS="${2:-21}"
BYTES="${3:-52428800}"
PINGS="${4:-2000}"
IDLE_MS="${IDLE_MS:-0}"
CHUNK=4096
# shellcheck source=bench/lib/bridge_bench.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bridge_bench.sh"

if [[ -z "${NO_BUILD:-}" ]]; then  # NO_BUILD=1: use what BUILD_DIR already holds
  ninja -C "$BUILD_DIR" simdev bench_data_mode_sink bench_data_mode_writer bench_data_mode_echo \
    bench_data_mode_pingpong >/dev/null
fi
SIMDEV="$BUILD_DIR/simdev"
TOOLS="$BUILD_DIR/bench"
WORK="$(mktemp -d)"
trap cleanup EXIT

# Starts the bridge toward the peer listening on the port in $WORK/port; sets BRIDGE_PID.
start_bridge() {  # socat|simdev
  local port
  port="$(cat "$WORK/port")"
  if [[ "$1" == socat ]]; then
    socat -b65536 "PTY,link=$WORK/tty,raw,echo=0" "TCP:127.0.0.1:$port" &
    BRIDGE_PID=$!
    wait_for_file "$WORK/tty"
    return
  fi
  cat >"$WORK/flash.json" <<EOF
{"schema":"simdev.wizfi360.flash","version":1,"data":{"settings":{"mode":2,
 "trans_link":{"type":"TCP","host":"192.168.11.3","port":5000,"keepalive":0,"local_port":0}}}}
EOF
  "$SIMDEV" --device wizfi360 --serial "pty:$WORK/tty" --timing fast --flash "$WORK/flash.json" \
    --set boot_delay_ms=1 --set "passthrough.packet_idle_ms=$IDLE_MS" \
    --set "network.address_map={\"192.168.11.3:5000\":\"127.0.0.1:$port\"}" \
    --ready-file "$WORK/ready.json" --log-level warn >/dev/null 2>"$WORK/simdev.err" &
  BRIDGE_PID=$!
  wait_for_file "$WORK/ready.json"
}

# One throughput run; prints the sink's MB/s.
throughput() {  # socat|simdev
  "$TOOLS/data_mode_sink" "listen:$WORK/port" "$BYTES" >"$WORK/sink.out" &
  local sink=$!
  wait_for_file "$WORK/port"
  start_bridge "$1"
  "$TOOLS/data_mode_writer" "$WORK/tty" "$BYTES" "$CHUNK"
  wait "$sink"
  stop_bridge
  awk '{print $5}' "$WORK/sink.out"
}

# One latency run; prints "median p99" in microseconds.
round_trip() {  # socat|simdev
  "$TOOLS/data_mode_echo" "listen:$WORK/port" &
  local echo_pid=$!
  wait_for_file "$WORK/port"
  start_bridge "$1"
  "$TOOLS/data_mode_pingpong" "$WORK/tty" "$PINGS" >"$WORK/pp.out"
  stop_bridge
  wait "$echo_pid" 2>/dev/null || true
  awk '{print $2, $5}' "$WORK/pp.out"
}

echo "# WizFi360 passthrough vs socat -b65536, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# packetiser: passthrough.packet_idle_ms=$IDLE_MS, packet_size 2048 (module default: 20 ms idle)"
echo "# throughput: $RUNS runs x $BYTES bytes in $CHUNK-byte writes; round trip: $RUNS runs x $PINGS pings"
run_comparison
