#!/usr/bin/env bash
# The Admin UI's cost (book/src/performance.md, "The Admin UI's cost"): ack round trips
# against the bench example with the Admin UI off, on in production mode and on in
# development mode (through the GATEWAY_ADMIN_UI_* variables any app reads), and the
# hand-written baseline, alternating within each round, the server on core 0 and the
# load generator on core 1. Prints a markdown table of the medians.
#
#     bench/admin-ui-cost.sh
#
# Settings (environment): ROUNDS (4).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-4}
[ -d tests/interop/node_modules/bcryptjs ] || (cd tests/interop && npm ci --silent)
cargo build --release --quiet -p bench -p example-bench
. bench/measure-once.sh
# A bcrypt hash, as the Admin UI takes (cost 4: startup is not what is measured).
hash=$(cd tests/interop && node -e 'console.log(require("bcryptjs").hashSync("bench", 4))')
records=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for variant in off production development baseline; do
    exe=$bin/example-bench
    server_env=(AUTH_TOKEN=t BENCH_EVENTS=contract)
    case $variant in
      baseline) exe=$bin/baseline ;;
      production | development)
        server_env+=(GATEWAY_ADMIN_UI_USER=admin "GATEWAY_ADMIN_UI_PASSWORD_HASH=$hash" GATEWAY_ADMIN_UI_MODE=$variant) ;;
    esac
    measure_once "$exe" -- ack --clients 50 --warmup 1 --secs 4 --token t --parser json \
      --server "$variant" --round "$round" --label ack --out "$records"
  done
  echo "admin-ui-cost.sh: round $round done" >&2
done
python3 bench/medians.py "$records" server "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "acks/s=ack:acks_per_s:,.0f" "p99 (µs)=ack:p99_us:,.0f"
rm -f "$records"
