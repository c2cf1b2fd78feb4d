#!/usr/bin/env bash
# The WebSocket read-buffer default, chosen by measurement (book/src/performance.md,
# "Memory per connection"): the bench example with GATEWAY_WS_READ_BUFFER_SIZE at each
# size, alternating sizes within each round, the server on core 0 and the load generator
# on core 1: ack round trips (acks/s, p99, server CPU per ack) and idle connections
# (bytes per connection). Prints a markdown table of the medians.
#
#     bench/read-buffer.sh            # sizes 256 512 1024, 4 rounds
#
# Settings (environment): SIZES ("256 512 1024"), ROUNDS (4), BENCH_IDLE (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-256 512 1024}
rounds=${ROUNDS:-4}
idle=${BENCH_IDLE:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --release --quiet -p bench -p example-bench
bin=target/release
records=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for size in $sizes; do
    for scenario in ack idle; do
      port=$("$bin/loadgen" free-port)
      GATEWAY_WS_READ_BUFFER_SIZE=$size PORT=$port AUTH_TOKEN=t BENCH_EVENTS=contract \
        taskset -c 0 "$bin/example-bench" >/dev/null 2>&1 &
      pid=$!
      "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 30
      common=(--addr "127.0.0.1:$port" --pid "$pid" --token t --parser json --server "$size" --round "$round" --label "$scenario" --out "$records")
      case $scenario in
        ack) taskset -c 1 "$bin/loadgen" ack --clients 50 --warmup 1 --secs 4 "${common[@]}" >/dev/null ;;
        idle) taskset -c 1 "$bin/loadgen" idle --connections "$idle" --settle 2 "${common[@]}" >/dev/null ;;
      esac
      kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    done
  done
  echo "read-buffer.sh: round $round done" >&2
done
python3 - "$records" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def median(size, scenario, key):
    return statistics.median(r["metrics"][key] for r in rows if r["server"] == size and r["scenario"] == scenario)
sizes = sorted({r["server"] for r in rows}, key=int)
print("| read buffer (bytes) | acks/s | p99 (µs) | server CPU per ack (µs) | bytes per idle connection |")
print("|---:|---:|---:|---:|---:|")
for size in sizes:
    print(f"| {size} | {median(size,'ack','acks_per_s'):,.0f} | {median(size,'ack','p99_us'):,.0f} "
          f"| {median(size,'ack','server_cpu_us_per_op'):.2f} | {median(size,'idle','bytes_per_conn'):,.0f} |")
PY
rm -f "$records"
