#!/usr/bin/env bash
# The global allocator, chosen by measurement (book/src/performance.md, "Choosing an
# allocator"): the bench example built three ways (the system's allocator, glibc's malloc;
# `--features mimalloc`; `--features jemalloc`) and run five ways, alternating within each
# round (reversed every other round), the server on core 0 and the load generator on core 1:
#   - glibc default, glibc with MALLOC_ARENA_MAX=2, glibc with MALLOC_ARENA_MAX=1,
#     mimalloc, jemalloc;
#   - for each: bytes per idle connection after 5 s and in steady state (as bench/memory.sh:
#     Engine.IO pings every 100 ms, a 10 s settle), and ack round trips (acks/s, server CPU
#     per ack, p99).
# The library sets no global allocator; an app does, in its own main.rs. Prints a markdown
# table of the medians, each with its ratio to glibc default.
#
#     bench/allocators.sh
#
# Settings (environment): ROUNDS (2), BENCH_IDLE (10000 connections), SCENARIOS
# ("fresh steady ack", or a part of it), ALLOCATORS_BUILD (1; 0 measures the copies the
# last run left in target/allocators).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-2}
idle=${BENCH_IDLE:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# Each build overwrites target/release/example-bench, so each is copied to its own name in
# target/allocators, with the load generator: the run uses these copies only, whatever is
# rebuilt in target/release meanwhile.
out=target/allocators
mkdir -p "$out"
if [ "${ALLOCATORS_BUILD:-1}" != 0 ]; then
  cargo build --release --quiet -p bench -p example-bench
  cp target/release/loadgen "$out/loadgen"
  cp target/release/example-bench "$out/example-bench-glibc"
  for feature in mimalloc jemalloc; do
    cargo build --release --quiet -p example-bench --features "$feature"
    cp target/release/example-bench "$out/example-bench-$feature"
  done
fi
. bench/measure-once.sh
bin=$out
records=$(mktemp)
variants="glibc glibc-arena-2 glibc-arena-1 mimalloc jemalloc"
reversed="jemalloc mimalloc glibc-arena-1 glibc-arena-2 glibc"
for round in $(seq 1 "$rounds"); do
  order=$variants
  [ $((round % 2)) = 0 ] && order=$reversed
  for scenario in ${SCENARIOS:-fresh steady ack}; do
    for variant in $order; do
      server_env=(AUTH_TOKEN=t BENCH_EVENTS=1)
      case $variant in
        glibc-arena-*)
          exe=$out/example-bench-glibc
          server_env+=(MALLOC_ARENA_MAX="${variant##*-}") ;;
        *) exe=$out/example-bench-$variant ;;
      esac
      common=(--token t --parser json --server "$variant" --round "$round" --label "$scenario" --out "$records")
      case $scenario in
        fresh) measure_once "$exe" -- idle --connections "$idle" --settle 3 "${common[@]}" ;;
        steady)
          # As bench/memory.sh: 64 pings at 100 ms take 6.4 s; 10 s leaves room for the
          # connections opened last.
          server_env+=(GATEWAY_PING_INTERVAL=100ms)
          measure_once "$exe" -- idle --connections "$idle" --settle 10 "${common[@]}" ;;
        ack) measure_once "$exe" -- ack --clients 50 --warmup 1 --secs 4 "${common[@]}" ;;
      esac
    done
  done
  echo "allocators.sh: round $round done" >&2
done
# Rows: glibc (the system's allocator, as the library leaves it), glibc-arena-N (the same
# binary with MALLOC_ARENA_MAX=N), mimalloc, jemalloc (the #[global_allocator] features).
python3 bench/medians.py --against glibc "$records" allocator \
  "bytes per idle connection, after 5 s=fresh:bytes_per_conn:,.0f" \
  "steady state (64+ engine packets each)=steady:bytes_per_conn:,.0f" \
  "acks/s=ack:acks_per_s:,.0f" "server CPU per ack (µs)=ack:server_cpu_us_per_op:.2f" \
  "p99 (µs)=ack:p99_us:,.0f"
rm -f "$records"
