# shellcheck shell=bash
# Shared by the bridge benchmarks (sourced): alternating simdev/socat runs and the ratio report.
# Expects WORK (the scratch directory; `trap cleanup EXIT` removes it), RUNS and the functions
# `throughput WHO` (prints MB/s) and `round_trip WHO` (prints "median p99"), WHO being socat or simdev.

BRIDGE_PID=""
cleanup() {
  if [[ -n "$BRIDGE_PID" ]]; then kill "$BRIDGE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}

stop_bridge() {
  kill "$BRIDGE_PID" 2>/dev/null || true
  wait "$BRIDGE_PID" 2>/dev/null || true
  BRIDGE_PID=""
  rm -f "$WORK"/tty "$WORK"/port "$WORK"/ready.json
}

wait_for_file() {  # polls for a file the other process creates; gives up after 10 s
  for _ in $(seq 1000); do [[ -e "$1" ]] && return 0; sleep 0.01; done
  echo "timed out waiting for $1" >&2
  return 1
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Run-to-run spread (which CPU the pty worker and each process land on) is larger than the difference being
# measured, so each metric is judged on many short alternating runs: the median of the runs, and the median of
# the per-pair ratios (run k of simdev against run k of socat, measured back to back).
paired_ratio() {  # COLUMN FILE_SIMDEV FILE_SOCAT
  paste "$2" "$3" | awk -v c="$1" '{split($0, f, "\t"); split(f[1], a, " "); split(f[2], b, " "); print a[c] / b[c]}' |
    median
}

alternate_runs() {  # MEASURE FILE_STEM LABEL UNIT: RUNS times socat then simdev, one line per result in FILE_STEM.WHO
  local run who out
  : >"$WORK/$2.socat"; : >"$WORK/$2.simdev"
  for run in $(seq "$RUNS"); do
    for who in socat simdev; do
      out="$("$1" "$who")"
      echo "$out" >>"$WORK/$2.$who"
      echo "run $run $3 $who: $out $4"
    done
  done
}

run_comparison() {
  alternate_runs throughput tp throughput MB/s
  alternate_runs round_trip rtt "round trip" "us (median p99)"
  local tp_socat tp_simdev med_socat med_simdev p99_socat p99_simdev
  tp_socat="$(median <"$WORK/tp.socat")"; tp_simdev="$(median <"$WORK/tp.simdev")"
  med_socat="$(awk '{print $1}' "$WORK/rtt.socat" | median)"; med_simdev="$(awk '{print $1}' "$WORK/rtt.simdev" | median)"
  p99_socat="$(awk '{print $2}' "$WORK/rtt.socat" | median)"; p99_simdev="$(awk '{print $2}' "$WORK/rtt.simdev" | median)"
  local pair_tp pair_med pair_p99
  pair_tp="$(paired_ratio 1 "$WORK/tp.simdev" "$WORK/tp.socat")"
  pair_med="$(paired_ratio 1 "$WORK/rtt.simdev" "$WORK/rtt.socat")"
  pair_p99="$(paired_ratio 2 "$WORK/rtt.simdev" "$WORK/rtt.socat")"
  awk -v a="$tp_simdev" -v b="$tp_socat" -v p="$pair_tp" 'BEGIN {printf "throughput MB/s (median of runs): simdev %.1f socat %.1f ratio %.2fx, paired %.2fx (goal >= 1.0)\n", a, b, a/b, p}'
  awk -v a="$med_simdev" -v b="$med_socat" -v p="$pair_med" 'BEGIN {printf "RTT median us (median of runs):  simdev %.1f socat %.1f ratio %.2fx, paired %.2fx (goal <= 1.0)\n", a, b, a/b, p}'
  awk -v a="$p99_simdev" -v b="$p99_socat" -v p="$pair_p99" 'BEGIN {printf "RTT p99 us (median of runs):     simdev %.1f socat %.1f ratio %.2fx, paired %.2fx (goal <= 1.1)\n", a, b, a/b, p}'
}
