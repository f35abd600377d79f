#!/bin/sh
# UART pacing accuracy: effective bytes/s through a real pty vs the 8N1 frame rate, both directions.
# Usage: bench/pacing.sh BUILD_DIR [SECONDS_PER_RUN]   (builds nothing; build the pacing_probe target first:
#        ninja -C BUILD_DIR bench_pacing_probe)
set -eu
build=${1:?usage: bench/pacing.sh BUILD_DIR [SECONDS_PER_RUN]}
secs=${2:-4}
probe="$build/bench/pacing_probe"
[ -x "$probe" ] || { echo "missing $probe (ninja -C $build bench_pacing_probe)" >&2; exit 1; }

echo "| baud | direction | theoretical B/s | measured B/s | error % | arrival-schedule error % |"
echo "|---:|---|---:|---:|---:|---:|"
for baud in 9600 115200 921600 2000000; do
  for dir in tx rx; do
    "$probe" "$baud" "$dir" "$secs" | /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
sched = r.get("arrival_schedule_error_pct")
print("| %d | %s | %.1f | %.1f | %+.3f | %s |" % (r["baud"], r["direction"].replace("_", " "), r["theoretical_Bps"],
      r["measured_Bps"], r["error_pct"], "" if sched is None else "%+.4f" % sched))'
  done
done
