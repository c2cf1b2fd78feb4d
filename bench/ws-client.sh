#!/usr/bin/env bash
# The load generator's WebSocket client, chosen by measurement (book/src/performance.md,
# "The scenarios"): `loadgen ack` against the bench example with each client, alternating
# clients within each round, the server on core 0 and the load generator on core 1:
# generator CPU per ack, generator CPU use, acks/s, p99; and `loadgen idle`: the
# generator's RSS per idle connection. Prints a markdown table of the medians.
#
#     bench/ws-client.sh            # the five clients of `loadgen --client`; 5 rounds
#
# Settings (environment): CLIENTS (the five of `loadgen --client`), ROUNDS (5),
# BENCH_IDLE (5000), QUIET (1: before each ack measurement, wait until both cores have been
# at least 90 % idle for a second, at most 10 minutes, and measure again, up to 5 tries,
# when other processes took more than MAX_OTHERS (5) percent of a core during the window:
# on a machine shared with builds, a busy core halves the acks/s and inflates CPU per ack;
# 0: neither), CALLGRIND (1: instead, the generator's instructions per ack under callgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-handwritten tungstenite tungstenite-drain fastwebsockets fastwebsockets-hyper}
rounds=${ROUNDS:-5}
idle=${BENCH_IDLE:-5000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --release --quiet -p bench -p example-bench
. bench/measure-once.sh
idle_share() { # the machine's idle share over one second, in percent
  local a b
  read -r -a a < /proc/stat
  sleep 1
  read -r -a b < /proc/stat
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( 100 * (b[4] - a[4]) / (total > 0 ? total : 1) ))
}
wait_quiet() {
  [ "${QUIET:-1}" = 1 ] || return 0
  local waited=0
  while [ "$(idle_share)" -lt 90 ] && [ $waited -lt 600 ]; do
    waited=$((waited + 1))
  done
}
server_env=(AUTH_TOKEN=t BENCH_EVENTS=1)
if [ "${CALLGRIND:-0}" = 1 ]; then
  # Instructions the generator executes per ack, under callgrind (deterministic where the
  # CPU times above drift with the VM's speed): two runs of 2 s and 6 s, the difference of
  # their instruction counts over the difference of their acks (startup cancels out).
  for client in $clients; do
    per=()
    for secs in 2 6; do
      port=$("$bin/loadgen" free-port)
      env PORT="$port" "${server_env[@]}" taskset -c 0 "$bin/example-bench" >/dev/null 2>&1 &
      pid=$!
      "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 30
      out=$(mktemp)
      record=$(taskset -c 1 valgrind --tool=callgrind --callgrind-out-file="$out" "$bin/loadgen" ack \
        --clients 50 --warmup 0 --secs "$secs" --token t --client "$client" \
        --addr "127.0.0.1:$port" 2>/dev/null)
      kill -KILL "$pid"
      wait "$pid" 2>/dev/null || true
      total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
      acks=$(python3 -c 'import json,sys; m=json.loads(sys.argv[1])["metrics"]; print(int(m["acks_per_s"] * float(sys.argv[2])))' "$record" "$secs")
      per+=("$total" "$acks")
      rm -f "$out"
    done
    echo "$client: $(( (per[2] - per[0]) / (per[3] - per[1]) )) instructions per ack ($((per[3] - per[1])) acks)"
  done
  exit 0
fi
records=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for client in $clients; do
    common=(--token t --client "$client" --server "$client" --round "$round" --out "$records")
    for try in 1 2 3 4 5; do
      wait_quiet
      one=$(mktemp)
      measure_once "$bin/example-bench" -- ack --clients 50 --warmup 1 --secs 4 --label ack \
        --token t --client "$client" --server "$client" --round "$round" --out "$one"
      others=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["metrics"]["others_cpu_pct"]))' "$one")
      if [ "${QUIET:-1}" != 1 ] || [ "$others" -le "${MAX_OTHERS:-5}" ] || [ "$try" = 5 ]; then
        cat "$one" >>"$records"
        rm -f "$one"
        break
      fi
      echo "ws-client.sh: $client, round $round: other processes took $others % of a core; again" >&2
      rm -f "$one"
    done
    measure_once "$bin/example-bench" -- idle --connections "$idle" --settle 1 --label idle "${common[@]}"
  done
  echo "ws-client.sh: round $round done" >&2
done
python3 bench/medians.py --against handwritten "$records" "client" \
  "generator CPU per ack (µs)=ack:gen_cpu_us_per_op:.2f" "generator CPU (%)=ack:gen_cpu_pct:.0f" \
  "acks/s=ack:acks_per_s:,.0f" "p99 (µs)=ack:p99_us:,.0f" \
  "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "generator bytes per idle connection=idle:gen_bytes_per_conn:,.0f" \
  "others' CPU (%)=ack:others_cpu_pct:.1f"
cp "$records" target/ws-client-records.jsonl
rm -f "$records"
