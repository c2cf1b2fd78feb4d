#!/usr/bin/env bash
# Runs one cargo command on the workspace with engineioxide and engineioxide-core replaced
# by the patched copies `apply.sh` made (`[patch.crates-io]`, given on the command line so
# no manifest changes), in a target directory of its own so the normal build stays as it is.
#
#   upstream/engineioxide/build-with.sh build --release -p example-bench -p bench
#   upstream/engineioxide/build-with.sh test -p gateway-tests --test conformance
#
# Cargo records the patched crates in Cargo.lock; the lock file is put back afterwards.
# Settings (environment): UPSTREAM_DIR (apply.sh's output, applied when missing),
# UPSTREAM_TARGET_DIR (target/upstream/target-patched).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
[[ -d "$series/engineioxide" ]] || UPSTREAM_DIR="$series" "$here/apply.sh" >/dev/null

lock_backup="$(mktemp)"
cp "$root/Cargo.lock" "$lock_backup"
trap 'cp "$lock_backup" "$root/Cargo.lock"; rm -f "$lock_backup"' EXIT

cd "$root"
CARGO_TARGET_DIR="$patched_target" cargo "$@" \
  --config "patch.crates-io.engineioxide.path=\"$series/engineioxide\"" \
  --config "patch.crates-io.engineioxide-core.path=\"$series/engineioxide-core\""
