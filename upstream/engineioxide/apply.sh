#!/usr/bin/env bash
# Builds the patched engineioxide this directory describes: copies engineioxide 0.17.9 and
# engineioxide-core 0.2.3 as published (Cargo's registry copy, fetched when missing) into
# one git repository, then applies `patches/*.patch` in order with `git am`, one commit each.
#
#   upstream/engineioxide/apply.sh            # -> target/upstream/engineioxide-series
#   UPSTREAM_DIR=/tmp/series upstream/engineioxide/apply.sh
#   UPSTREAM_PATCHES=1 upstream/engineioxide/apply.sh   # only the first patch
#
# The result has `engineioxide/` and `engineioxide-core/` at its root (the crates as
# published); `upstream/engineioxide/build-with.sh` builds the workspace against it with
# `[patch.crates-io]`. Nothing here is ever part of what users build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/paths.sh"
out="$series"
engineioxide=engineioxide-0.17.9
core=engineioxide-core-0.2.3

registry_copy() {
  ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1" 2>/dev/null | head -1
}

if [[ -z "$(registry_copy "$engineioxide")" || -z "$(registry_copy "$core")" ]]; then
  # Both are in the workspace's Cargo.lock: fetching it brings them.
  cargo fetch --locked --manifest-path "$root/Cargo.toml" >/dev/null
fi
src_engineioxide="$(registry_copy "$engineioxide")"
src_core="$(registry_copy "$core")"
[[ -n "$src_engineioxide" && -n "$src_core" ]] || {
  echo "apply.sh: $engineioxide or $core not found in Cargo's registry" >&2
  exit 1
}

rm -rf "$out"
mkdir -p "$out"
cp -r "$src_engineioxide" "$out/engineioxide"
cp -r "$src_core" "$out/engineioxide-core"
# The published crates carry files cargo generated (the normalized Cargo.toml keeps the
# original beside it as Cargo.toml.orig); the series edits the normalized one, which is
# the one cargo reads.
git_() { git -C "$out" -c user.name=series -c user.email=series@localhost "$@"; }
git_ init -q
git_ add -A
git_ commit -q -m "engineioxide 0.17.9 and engineioxide-core 0.2.3 as published on crates.io"

mapfile -t patches < <(ls "$here"/patches/*.patch | sort)
count="${UPSTREAM_PATCHES:-${#patches[@]}}"
for patch in "${patches[@]:0:$count}"; do
  git_ am -q --whitespace=nowarn "$patch"
  echo "applied $(basename "$patch")"
done
echo "$out"
