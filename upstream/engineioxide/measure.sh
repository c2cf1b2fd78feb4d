#!/usr/bin/env bash
# What the patch series gives, measured: the bench example and the hand-written
# socketioxide twin, each built on the published engineioxide and on the series, side by
# side in one run (alternating within each round, the server on core 0 and the load
# generator on core 1, as bench/memory.sh does), with Node socket.io 4.8 as the reference:
#   - bytes per idle WebSocket connection after 5 s and in steady state (64+ engine
#     packets each: pings every 100 ms);
#   - ack round trips: acks/s, p99 and server CPU per ack (ours and the twin).
# Prints two markdown tables of the medians, ratios against the published build of ours.
#
#     upstream/engineioxide/measure.sh
#
# Settings (environment): ROUNDS (2), BENCH_IDLE (10000 connections), PARTS ("memory
# speed": either alone measures that part only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
cd "$root"
rounds=${ROUNDS:-2}
idle=${BENCH_IDLE:-10000}
parts=" ${PARTS:-memory speed} "
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -d tests/interop/node_modules/socket.io ] || (cd tests/interop && npm ci --silent)

cargo build --release --quiet -p bench -p example-bench
"$here/build-with.sh" build --release --quiet -p bench -p example-bench
patched="$patched_target/release"
. bench/measure-once.sh

server_command() {
  case $1 in
    ours) cmd=("$bin/example-bench") ;;
    ours+series) cmd=("$patched/example-bench") ;;
    twin) cmd=("$bin/baseline") ;;
    twin+series) cmd=("$patched/baseline") ;;
    node) cmd=(node tests/interop/bench_node_server.mjs) ;;
  esac
}

records=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for state in fresh steady; do
    [[ $parts == *" memory "* ]] || break
    for server in ours ours+series twin twin+series node; do
      server_env=(AUTH_TOKEN=t BENCH_EVENTS=1)
      settle=3
      if [ "$state" = steady ]; then
        # 64 pings at 100 ms: 6.4 s; 10 s leaves room for the connections opened last.
        server_env+=(GATEWAY_PING_INTERVAL=100ms)
        settle=10
      fi
      server_command "$server"
      measure_once "${cmd[@]}" -- idle --connections "$idle" --settle "$settle" --token t \
        --parser json --server "$server" --round "$round" --label "$state" --out "$records"
    done
  done
  # The order reversed every other round (ABBA), so neither build always runs first.
  speed_order=(ours ours+series twin twin+series)
  [ $((round % 2)) -eq 1 ] || speed_order=(twin+series twin ours+series ours)
  for server in "${speed_order[@]}"; do
    [[ $parts == *" speed "* ]] || break
    server_env=(AUTH_TOKEN=t BENCH_EVENTS=contract)
    server_command "$server"
    measure_once "${cmd[@]}" -- ack --clients 50 --warmup 1 --secs 4 --token t --parser json \
      --server "$server" --round "$round" --label ack --out "$records"
  done
  echo "measure.sh: round $round done" >&2
done
[[ $parts != *" memory "* ]] || python3 bench/medians.py --against ours "$records" server \
  "bytes per idle connection, after 5 s=fresh:bytes_per_conn:,.0f" \
  "steady state (64+ engine packets each)=steady:bytes_per_conn:,.0f"
echo
[[ $parts != *" speed "* ]] || python3 bench/medians.py --against ours "$records" server "acks/s=ack:acks_per_s:,.0f" \
  "p99 (µs)=ack:p99_us:,.0f" "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f"
rm -f "$records"
