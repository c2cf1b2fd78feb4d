#!/usr/bin/env bash
# The official Socket.IO protocol test suite (github.com/socketio/socket.io-protocol,
# `test-suite/`) against the conformance example, built on the published engineioxide and
# on the patch series, one after the other. The suite is not vendored here: point SUITE at
# a checkout's `test-suite` directory (its dependencies are installed with `npm ci` when
# missing). The suite dials localhost:3000, so that port must be free.
#
#   SUITE=~/src/socket.io-protocol/test-suite upstream/engineioxide/protocol-suite.sh
#
# Prints, for each build, how many of the suite's tests passed over RUNS (5) runs, and how
# often each failing test failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
: "${SUITE:?set SUITE to a checkout of socket.io-protocol/test-suite}"
[[ -d "$SUITE/node_modules/mocha" ]] || (cd "$SUITE" && npm ci --silent)

cd "$root"
cargo build --release --quiet -p bench
cargo build --release --quiet -p example-conformance
"$here/build-with.sh" build --release --quiet -p example-conformance

runs="${RUNS:-5}"

# One build: the server started once, the suite run `runs` times against it.
run_suite() {
  local label=$1 binary=$2 server reports
  reports="$(mktemp -d)"
  PORT=3000 RUST_LOG=warn "$binary" >/dev/null 2>&1 &
  server=$!
  "$root/target/release/loadgen" wait --addr 127.0.0.1:3000 --timeout 30
  for run in $(seq 1 "$runs"); do
    (cd "$SUITE" && npx mocha --reporter json test-suite.js >"$reports/$run.json" 2>/dev/null) || true
  done
  kill "$server"
  wait "$server" 2>/dev/null || true
  python3 - "$label" "$reports" <<'PY'
import collections, json, pathlib, sys
label, reports = sys.argv[1], pathlib.Path(sys.argv[2])
failed = collections.Counter()
runs = passes = tests = 0
for path in sorted(reports.glob("*.json")):
    text = path.read_text()
    report = json.loads(text[text.index("{"):])
    runs += 1
    passes += report["stats"]["passes"]
    tests += report["stats"]["tests"]
    failed.update(f["fullTitle"] for f in report["failures"])
print(f"{label}: {passes} of {tests} passed in {runs} runs of the suite")
for title, count in sorted(failed.items()):
    print(f"  failed {count}/{runs}: {title}")
PY
  rm -rf "$reports"
}

run_suite "engineioxide 0.17.9 (published)" "$root/target/release/example-conformance"
run_suite "engineioxide 0.17.9 + upstream/engineioxide/patches" "$patched_target/release/example-conformance"
