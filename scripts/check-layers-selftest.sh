#!/usr/bin/env bash
# The layering check must fail on what it is there to catch: a circle between two files of
# one room, and an import that points up. Builds two small trees and expects exit 1, then
# a clean tree and expects 0.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tree() { # tree DIR: an ARCHITECTURE.md with two layers and an empty gateway-core/src
  mkdir -p "$1/gateway-core/src/room"
  printf '<!-- layers -->\n| layer | modules |\n|---|---|\n| 1 | `low`, `room` |\n| 2 | `high` |\n<!-- /layers -->\n' >"$1/ARCHITECTURE.md"
  echo 'pub mod low; pub mod high; pub mod room;' >"$1/gateway-core/src/lib.rs"
  echo '//! low' >"$1/gateway-core/src/low.rs"
  echo 'use crate::low::X;' >"$1/gateway-core/src/high.rs"
  echo 'pub mod a; pub mod b;' >"$1/gateway-core/src/room/mod.rs"
  echo '//! a' >"$1/gateway-core/src/room/a.rs"
  echo 'use crate::room::a::Y;' >"$1/gateway-core/src/room/b.rs"
}
expect() { # expect STATUS DIR WHAT
  set +e
  out=$(python3 "$here/check-layers.py" --root "$2" 2>&1)
  status=$?
  set -e
  if [ "$status" -ne "$1" ]; then
    echo "check-layers self-test: $3: exit $status, expected $1" >&2
    echo "$out" >&2
    exit 1
  fi
}

tree "$tmp/clean"
expect 0 "$tmp/clean" "a clean tree"

tree "$tmp/circle"
echo 'use crate::room::{b::Z};' >"$tmp/circle/gateway-core/src/room/a.rs"
expect 1 "$tmp/circle" "a circle between room/a.rs and room/b.rs"

tree "$tmp/upward"
echo 'fn f() { crate::high::g() }' >"$tmp/upward/gateway-core/src/low.rs"
expect 1 "$tmp/upward" "layer 1 using layer 2"

echo "check-layers self-test: catches a circle and an upward import"
