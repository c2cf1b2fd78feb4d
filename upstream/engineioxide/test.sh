#!/usr/bin/env bash
# The patch series' own tests: applies the series (apply.sh), then runs engineioxide-core's
# and engineioxide's test suites on the patched crates (each crate's tests as published,
# plus the ones the patches add), engineioxide built on the patched engineioxide-core.
#
#   upstream/engineioxide/test.sh
#
# Settings (environment): UPSTREAM_DIR (where apply.sh writes), UPSTREAM_CRATES_TARGET_DIR
# (target/upstream/target-crates).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
UPSTREAM_DIR="$series" "$here/apply.sh" >/dev/null
export CARGO_TARGET_DIR="${UPSTREAM_CRATES_TARGET_DIR:-$root/target/upstream/target-crates}"

# engineioxide-core's unit tests need its `v3` feature (as published).
(cd "$series/engineioxide-core" && cargo test --quiet --all-features)
# engineioxide's integration tests need its `__test_harness` feature (as published).
(cd "$series/engineioxide" && cargo test --quiet --no-fail-fast --features __test_harness \
  --config "patch.crates-io.engineioxide-core.path=\"$series/engineioxide-core\"")
echo "test.sh: the series' crates pass their tests"
