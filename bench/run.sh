#!/usr/bin/env bash
# The benchmark, in one command (from the repository root):
#
#     bench/run.sh
#
# Builds the gateway (examples/bench) and the hand-written socketioxide baseline
# (bench/src/baseline.rs) in release, then runs every scenario against both, alternating
# ours/baseline for each round, the server pinned to core 0 and the load generator to
# core 1: ack round trips (JSON, and msgpack: both servers started with
# GATEWAY_PARSER=msgpack), fanout at saturation, idle connections (1-event and 30-event
# variants), connect storm. Then times clean and incremental builds of a 50-handler app
# written with the macros and by hand. Writes bench/results/{table.md, chart.svg,
# summary.json, records.jsonl} and prints the table.
#
# Settings (environment): BENCH_ROUNDS (4), BENCH_IDLE_ROUNDS (2), BENCH_SECS (4, per
# measurement window),
# BENCH_WARMUP (1), BENCH_CLIENTS (50), BENCH_RECEIVERS (100), BENCH_WINDOW (64),
# BENCH_IDLE (10000 connections), BENCH_STORM (32 connectors), BENCH_COMPILE (1; 0 skips
# compile times), BENCH_COMPILE_ROUNDS (2), BENCH_SCENARIOS ("ack ack-msgpack fanout
# idle-1 idle-30 storm"), BENCH_OUT (bench/results).
#
# Both processes run at nice -15 when allowed (root), so that other work on the machine
# (a build, say) takes little of their cores; the load average is recorded with the table.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$(date +%s)

# Short windows, many rounds: the speed of a virtual machine drifts by tens of percent
# over seconds, and ratios are taken within a round.
rounds=${BENCH_ROUNDS:-4}
idle_rounds=${BENCH_IDLE_ROUNDS:-2}
secs=${BENCH_SECS:-4}
warmup=${BENCH_WARMUP:-1}
clients=${BENCH_CLIENTS:-50}
receivers=${BENCH_RECEIVERS:-100}
window=${BENCH_WINDOW:-64}
idle=${BENCH_IDLE:-10000}
storm=${BENCH_STORM:-32}
out=${BENCH_OUT:-bench/results}
token=bench-token

if [ "$(nproc --all)" -lt 2 ]; then
  echo "bench/run.sh: needs 2 cores (server on core 0, load generator on core 1)" >&2
  exit 1
fi
command -v taskset >/dev/null || { echo "bench/run.sh: needs taskset (util-linux)" >&2; exit 1; }
prio=()
if nice -n -15 true 2>/dev/null; then
  prio=(nice -n -15)
fi
# Both processes hold one descriptor per idle connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((idle + 512)) ]; then
  idle=$(( $(ulimit -n) - 512 ))
  echo "bench/run.sh: open-file limit $(ulimit -n): $idle idle connections" >&2
fi

echo "==> cargo build --release -p bench -p example-bench"
cargo build --release --quiet -p bench -p example-bench
bin="$repo/target/release"
logs="$repo/target/bench-logs"
mkdir -p "$out" "$logs"
records="$out/records.jsonl"
: >"$records"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

server_pid=""
port=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

start_server() { # ours|baseline contract|1|30 json|msgpack
  local exe
  case $1 in
    ours) exe="$bin/example-bench" ;;
    baseline) exe="$bin/baseline" ;;
  esac
  port=$("$bin/loadgen" free-port)
  GATEWAY_PARSER=$3 PORT=$port AUTH_TOKEN=$token BENCH_EVENTS=$2 ${prio[@]+"${prio[@]}"} taskset -c 0 "$exe" >>"$logs/$1.log" 2>&1 &
  server_pid=$!
  "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 30
}

gen() { # scenario args...
  ${prio[@]+"${prio[@]}"} taskset -c 1 "$bin/loadgen" "$@" --addr "127.0.0.1:$port" --pid "$server_pid" --token "$token" --parser "$parser"
}

phase_started=$started
phase_done() { # name: prints how long the phase took
  local now
  now=$(date +%s)
  echo "==> $1 took $((now - phase_started)) s" >&2
  phase_started=$now
}
phase_done "cargo build --release"

for scenario in ${BENCH_SCENARIOS:-ack ack-msgpack fanout idle-1 idle-30 storm}; do
  case $scenario in
    idle-1) events=1 ;;
    idle-30) events=30 ;;
    *) events=contract ;;
  esac
  parser=json
  case $scenario in *-msgpack) parser=msgpack ;; esac
  n=$rounds
  case $scenario in idle-*) n=$idle_rounds ;; esac
  for round in $(seq 1 "$n"); do
    for server in ours baseline; do
      start_server "$server" "$events" "$parser"
      if [ "$round" = 1 ] && [ "$parser" = json ]; then
        # The contract, checked on every server variant before it is measured (in
        # msgpack, the ack scenario checks its echo round trip before measuring).
        gen contract --events "$events" --server "$server" >/dev/null
      fi
      common=(--server "$server" --round "$round" --label "$scenario" --out "$records")
      case $scenario in
        ack | ack-msgpack) gen ack --clients "$clients" --warmup "$warmup" --secs "$secs" "${common[@]}" ;;
        fanout) gen fanout --receivers "$receivers" --window "$window" --warmup "$warmup" --secs "$secs" "${common[@]}" ;;
        idle-*) gen idle --connections "$idle" --settle 2 "${common[@]}" ;;
        storm) gen storm --concurrency "$storm" --warmup "$warmup" --secs "$secs" "${common[@]}" ;;
      esac | sed "s/^/$scenario $server round $round: /" >&2
      stop_server
    done
  done
  phase_done "$scenario"
done

if [ "${BENCH_COMPILE:-1}" != 0 ]; then
  echo "==> compile times (target/bench-compile; the first run also builds the apps' dependencies)" >&2
  "$bin/compile-time" --repo "$repo" --rounds "${BENCH_COMPILE_ROUNDS:-2}" --out "$records" |
    sed "s/^/compile: /" >&2
  phase_done "compile times"
fi

elapsed=$(( $(date +%s) - started ))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
"$bin/report" --records "$records" --out-dir "$out" --elapsed "$elapsed" \
  --command "bench/run.sh" --note "Load average (1, 5, 15 min) at start: $load_start; at end: $load_end"
echo "bench/run.sh: ${elapsed} s; results in $out/" >&2
