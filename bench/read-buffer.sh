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
. bench/measure-once.sh
records=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for size in $sizes; do
    for scenario in ack idle; do
      server_env=(GATEWAY_WS_READ_BUFFER_SIZE="$size" AUTH_TOKEN=t BENCH_EVENTS=contract)
      common=(--token t --parser json --server "$size" --round "$round" --label "$scenario" --out "$records")
      case $scenario in
        ack) measure_once "$bin/example-bench" -- ack --clients 50 --warmup 1 --secs 4 "${common[@]}" ;;
        idle) measure_once "$bin/example-bench" -- idle --connections "$idle" --settle 2 "${common[@]}" ;;
      esac
    done
  done
  echo "read-buffer.sh: round $round done" >&2
done
python3 bench/medians.py "$records" "read buffer (bytes)" "acks/s=ack:acks_per_s:,.0f" \
  "p99 (µs)=ack:p99_us:,.0f" "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "bytes per idle connection=idle:bytes_per_conn:,.0f"
rm -f "$records"
