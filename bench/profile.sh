#!/usr/bin/env bash
# Instruction profiles of both servers under callgrind (valgrind), for one scenario:
#
#     bench/profile.sh [ack|fanout] [SECONDS]
#
# Builds both servers in release with line tables (target/bench-profile), runs each under
# `valgrind --tool=callgrind` (server on core 0, generator on core 1), drives the scenario
# with the load generator for SECONDS (default 20), then prints the instructions per
# operation and writes `callgrind_annotate` reports (inclusive and self) to
# target/bench-profile/<server>-<scenario>.{inclusive,self}.txt. Instruction counts do not
# depend on what else runs on the machine, unlike times.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-ack}
secs=${2:-20}
dir=target/bench-profile
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --quiet --target-dir "$dir" -p bench -p example-bench
bin="$dir/release"
token=bench-token
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true' EXIT

for server in ours baseline; do
  case $server in
    ours) exe="$bin/example-bench" ;;
    baseline) exe="$bin/baseline" ;;
  esac
  port=$("$bin/loadgen" free-port)
  out="$dir/callgrind.$server.$scenario.out"
  PORT=$port AUTH_TOKEN=$token taskset -c 0 valgrind --tool=callgrind --read-inline-info=yes \
    --callgrind-out-file="$out" "$exe" 2>"$dir/valgrind.$server.log" &
  pid=$!
  "$bin/loadgen" wait --addr "127.0.0.1:$port" --timeout 60
  case $scenario in
    ack) args=(ack --clients 8 --warmup 0 --secs "$secs") ;;
    fanout) args=(fanout --receivers 20 --window 16 --warmup 0 --secs "$secs") ;;
    *) echo "scenario: ack or fanout" >&2; exit 1 ;;
  esac
  record=$(taskset -c 1 "$bin/loadgen" "${args[@]}" --addr "127.0.0.1:$port" --token "$token")
  # callgrind writes its profile on the way out. (Not SIGINT: a background job of a
  # script ignores it.)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  ops=$(python3 -c 'import json,sys; m=json.loads(sys.argv[1])["metrics"]; print(int((m.get("acks_per_s") or m.get("broadcasts_per_s")) * float(sys.argv[2])))' "$record" "$secs")
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); t = $1} END {print t}')
  echo "$server $scenario: $total instructions, about $ops operations: $(( total / (ops > 0 ? ops : 1) )) instructions per operation (startup included)"
  callgrind_annotate --inclusive=yes "$out" >"$dir/$server-$scenario.inclusive.txt" 2>/dev/null
  callgrind_annotate "$out" >"$dir/$server-$scenario.self.txt" 2>/dev/null
done
echo "reports: $dir/{ours,baseline}-$scenario.{inclusive,self}.txt"
