#!/usr/bin/env bash
# python-socketio over long-polling, refused by a namespace's guard: how long `connect()`
# takes to return, against the conformance example built on the published engineioxide
# and on the patch series (`python_refusal.py`). The ping interval is the default 25 s
# unless PING_INTERVAL says otherwise, and the time a connection may stay without a
# namespace is the framework's default 45 s (the conformance example's own is the suite's
# 1 s, which would end a stalled client's wait first); each slow return costs one interval.
#
#   upstream/engineioxide/python-refusal.sh          # 10 tries per build
#
# Settings (environment): TRIES (10), PING_INTERVAL (25s).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
cd "$root"
tries=${TRIES:-10}
interval=${PING_INTERVAL:-25s}
python3 -m pip install -q -r tests/interop/python/requirements.txt
cargo build --release --quiet -p bench
cargo build --release --quiet -p example-conformance
"$here/build-with.sh" build --release --quiet -p example-conformance
patched="$patched_target/release"

for build in published series; do
  case $build in
    published) binary=target/release/example-conformance ;;
    series) binary="$patched/example-conformance" ;;
  esac
  port=$(target/release/loadgen free-port)
  PORT=$port RUST_LOG=warn GATEWAY_PING_INTERVAL=$interval GATEWAY_PING_TIMEOUT=20s GATEWAY_CONNECT_TIMEOUT=45s \
    "$binary" >/dev/null 2>&1 &
  server=$!
  target/release/loadgen wait --addr "127.0.0.1:$port" --timeout 30
  echo "$build (ping interval $interval): $(python3 "$here/python_refusal.py" "http://127.0.0.1:$port" "$tries")"
  kill "$server"
  wait "$server" 2>/dev/null || true
done
