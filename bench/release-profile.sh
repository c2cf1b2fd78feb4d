#!/usr/bin/env bash
# What the release profile does to both servers (book/src/performance.md, "The release
# profile"): the gateway (examples/bench) and the hand-written twin, each built with the
# workspace's default release profile (target/release) and with thin LTO and 4 codegen
# units (target/release-lto, through CARGO_PROFILE_RELEASE_* variables), ack round trips
# in alternating order within each round (ABBA), the server on core 0 and the load
# generator on core 1. Prints a markdown table of the medians.
#
#     bench/release-profile.sh
#
# Settings (environment): ROUNDS (4).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-4}
cargo build --release --quiet -p bench -p example-bench
CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=4 \
  cargo build --release --quiet --target-dir target/release-lto -p bench -p example-bench
. bench/measure-once.sh
lto=target/release-lto/release
records=$(mktemp)
server_env=(AUTH_TOKEN=t BENCH_EVENTS=contract)
for round in $(seq 1 "$rounds"); do
  order="default lto"
  [ $((round % 2)) = 0 ] && order="lto default"
  for profile in $order; do
    dir=$bin
    [ "$profile" = lto ] && dir=$lto
    for server in example-bench baseline; do
      measure_once "$dir/$server" -- ack --clients 50 --warmup 1 --secs 4 --token t \
        --parser json --server "$server, $profile" --round "$round" --label ack --out "$records"
    done
  done
  echo "release-profile.sh: round $round done" >&2
done
python3 bench/medians.py "$records" "server, release profile" \
  "acks/s=ack:acks_per_s:,.0f" "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "p99 (µs)=ack:p99_us:,.0f"
rm -f "$records"
