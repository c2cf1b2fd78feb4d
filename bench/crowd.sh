#!/usr/bin/env bash
# The crowd (book/src/performance.md, "A crowd in one room"): CONNECTIONS WebSocket
# connections held from several loopback source addresses, all in one room, then
# BROADCASTS broadcasts to all of them, every delivery counted:
#   1. one node: the gateway, the hand-written socketioxide twin and Node socket.io 4.8,
#      alternating within each round, the server on core 0 and the generator on core 1;
#   2. the same connections split across two gateway nodes sharing a private Redis, the
#      broadcast sent on the first node (both nodes and Redis on core 0).
# Prints a markdown table of the medians.
#
#     bench/crowd.sh                      # as many connections as `ulimit -Hn` allows
#     CONNECTIONS=100000 bench/crowd.sh   # needs `ulimit -Hn` above 100,064
#
# Settings (environment): CONNECTIONS (default: the open-file hard limit less 200, at
# most 100,000), ROUNDS (2), BROADCASTS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1000000
connections=${CONNECTIONS:-$((hard - 200 < 100000 ? hard - 200 : 100000))}
rounds=${ROUNDS:-2}
broadcasts=${BROADCASTS:-5}
# Every process holds at most CONNECTIONS files (the generator all of them).
if [ $((connections + 100)) -gt "$hard" ]; then
  echo "crowd.sh: $connections connections need an open-file limit above $((connections + 100));" \
    "this machine's hard limit is $hard (ulimit -Hn). Raise it (root with CAP_SYS_RESOURCE," \
    "or LimitNOFILE in a systemd unit) or run fewer: CONNECTIONS=$((hard - 200)) bench/crowd.sh" >&2
  exit 1
fi
ulimit -n "$hard"
command -v redis-server >/dev/null || { echo "crowd.sh: needs redis-server (Debian's redis-server)" >&2; exit 1; }
[ -d tests/interop/node_modules/socket.io ] || (cd tests/interop && npm ci --silent)
# The one-node runs use the example as the other scripts build it; the two nodes, the
# example with Redis compiled in (feature `redis`). Each build overwrites
# target/release/example-bench, so both are copied to target/crowd.
mkdir -p target/crowd
cargo build --release --quiet -p bench -p example-bench
cp target/release/example-bench target/release/loadgen target/release/baseline target/crowd/
cargo build --release --quiet -p example-bench --features redis
cp target/release/example-bench target/crowd/example-bench-redis
. bench/measure-once.sh
bin=target/crowd
records=$(mktemp)
crowd=(crowd --connections "$connections" --broadcasts "$broadcasts" --token t --out "$records")
for round in $(seq 1 "$rounds"); do
  order="ours baseline node"
  [ $((round % 2)) = 0 ] && order="node baseline ours"
  for server in $order; do
    server_env=(AUTH_TOKEN=t)
    case $server in
      ours) cmd=("$bin/example-bench") ;;
      baseline) cmd=("$bin/baseline") ;;
      node) cmd=(node tests/interop/bench_node_server.mjs) ;;
    esac
    measure_once "${cmd[@]}" -- "${crowd[@]}" --server "$server" --round "$round" --label one-node
  done
  # Two nodes and Redis, all on core 0.
  redis_port=$("$bin/loadgen" free-port)
  redis_dir=$(mktemp -d)
  taskset -c 0 redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$redis_dir" >/dev/null 2>&1 &
  redis_pid=$!
  "$bin/loadgen" wait --addr "127.0.0.1:$redis_port" --timeout 30
  nodes=()
  pids=()
  for _ in 1 2; do
    port=$("$bin/loadgen" free-port)
    env PORT="$port" AUTH_TOKEN=t GATEWAY_REDIS_URL="redis://127.0.0.1:$redis_port" \
      taskset -c 0 "$bin/example-bench-redis" >/dev/null 2>&1 &
    pids+=($!)
    "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 30
    nodes+=("127.0.0.1:$port=${pids[-1]}")
  done
  node_list=$(IFS=,; echo "${nodes[*]}")
  taskset -c 1 "$bin/loadgen" "${crowd[@]}" --nodes "$node_list" --server "ours, 2 nodes + Redis" \
    --round "$round" --label two-nodes >/dev/null
  kill -KILL "${pids[@]}" "$redis_pid"
  wait "${pids[@]}" "$redis_pid" 2>/dev/null || true
  rm -rf "$redis_dir"
  echo "crowd.sh: round $round done" >&2
done
echo "$connections connections, $broadcasts broadcasts each, $rounds rounds (medians):"
for label in one-node two-nodes; do
  python3 bench/medians.py "$records" server \
    "bytes per connection=$label:bytes_per_conn:,.0f" \
    "delivered=$label:delivered:,.0f" "lost=$label:lost:,.0f" \
    "delivery p50 (ms)=$label:p50_ms:,.0f" "p99 (ms)=$label:p99_ms:,.0f" \
    "last delivery (ms)=$label:last_delivery_ms:,.0f" \
    "server CPU per broadcast (ms)=$label:server_cpu_ms_per_broadcast:,.0f" \
    "server CPU per delivery (µs)=$label:server_cpu_us_per_delivery:.1f"
done
rm -f "$records"
