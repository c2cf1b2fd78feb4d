#!/usr/bin/env bash
# The load generator's WebSocket client, chosen by measurement (book/src/performance.md,
# "The scenarios"): `loadgen ack` against the bench example with each client, alternating
# clients within each round, the server on core 0 and the load generator on core 1:
# generator CPU per ack, generator CPU use, acks/s, p99; and `loadgen idle`: the
# generator's RSS per idle connection. Prints a markdown table of the medians.
#
#     bench/ws-client.sh            # handwritten, tungstenite, fastwebsockets; 5 rounds
#
# Settings (environment): CLIENTS ("handwritten tungstenite fastwebsockets"), ROUNDS (5),
# BENCH_IDLE (5000).
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-handwritten tungstenite fastwebsockets}
rounds=${ROUNDS:-5}
idle=${BENCH_IDLE:-5000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --release --quiet -p bench -p example-bench
. bench/measure-once.sh
records=$(mktemp)
server_env=(AUTH_TOKEN=t BENCH_EVENTS=1)
for round in $(seq 1 "$rounds"); do
  for client in $clients; do
    common=(--token t --client "$client" --server "$client" --round "$round" --out "$records")
    measure_once "$bin/example-bench" -- ack --clients 50 --warmup 1 --secs 4 --label ack "${common[@]}"
    measure_once "$bin/example-bench" -- idle --connections "$idle" --settle 1 --label idle "${common[@]}"
  done
  echo "ws-client.sh: round $round done" >&2
done
python3 bench/medians.py --against handwritten "$records" "client" \
  "generator CPU per ack (µs)=ack:gen_cpu_us_per_op:.2f" "generator CPU (%)=ack:gen_cpu_pct:.0f" \
  "acks/s=ack:acks_per_s:,.0f" "p99 (µs)=ack:p99_us:,.0f" \
  "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "generator bytes per idle connection=idle:gen_bytes_per_conn:,.0f"
cp "$records" target/ws-client-records.jsonl
rm -f "$records"
