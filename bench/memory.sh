#!/usr/bin/env bash
# Memory per idle WebSocket connection, three servers side by side (book/src/performance.md,
# "Memory per connection"): the gateway (examples/bench), the hand-written socketioxide
# twin, and Node socket.io 4.8 (tests/interop/bench_node_server.mjs), alternating within
# each round, the server on core 0 and the load generator on core 1. Two figures each:
#   - after 5 seconds: the connections opened, then 3 s of settling;
#   - steady state: Engine.IO pings every 100 ms, and a settle long enough for every
#     connection to pass at least 64 engine packets (pings and pongs) before reading.
# Prints a markdown table of the medians.
#
#     bench/memory.sh
#
# Settings (environment): ROUNDS (2), BENCH_IDLE (10000 connections).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-2}
idle=${BENCH_IDLE:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -d tests/interop/node_modules/socket.io ] || (cd tests/interop && npm ci --silent)
cargo build --release --quiet -p bench -p example-bench
. bench/measure-once.sh
records=$(mktemp)
# 64 pings at 100 ms: 6.4 s; 10 s leaves room for the connections opened last.
steady_ping=100ms
steady_settle=10
for round in $(seq 1 "$rounds"); do
  for state in fresh steady; do
    for server in ours baseline node; do
      server_env=(AUTH_TOKEN=t BENCH_EVENTS=1)
      settle=3
      if [ "$state" = steady ]; then
        server_env+=(GATEWAY_PING_INTERVAL=$steady_ping)
        settle=$steady_settle
      fi
      case $server in
        ours) cmd=("$bin/example-bench") ;;
        baseline) cmd=("$bin/baseline") ;;
        node) cmd=(node tests/interop/bench_node_server.mjs) ;;
      esac
      measure_once "${cmd[@]}" -- idle --connections "$idle" --settle "$settle" --token t \
        --parser json --server "$server" --round "$round" --label "$state" --out "$records"
    done
  done
  echo "memory.sh: round $round done" >&2
done
# Rows: ours (examples/bench), baseline (the hand-written twin), node (socket.io 4.8).
python3 bench/medians.py "$records" server "bytes per idle connection, after 5 s=fresh:bytes_per_conn:,.0f" \
  "steady state (64+ engine packets each)=steady:bytes_per_conn:,.0f"
rm -f "$records"
