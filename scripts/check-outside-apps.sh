#!/usr/bin/env bash
# Builds what a new user copies, outside this workspace, against this checkout:
#   1. README.md's first `toml` block (the app's [dependencies]) and first `rust` block,
#      as a fresh crate: it must build exactly as written;
#   2. starter/, copied elsewhere: it must build and its tests pass.
# Each gets `[patch.crates-io]` pointing the framework at this checkout (the only change
# from what a user writes) and the workspace's Cargo.lock, so the versions are those the
# workspace was tested with. Artifacts go to target/outside/, kept between runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$root/target/outside"

patch() { # patch CRATE_DIR: the framework from this checkout, the workspace's lockfile
  cat >>"$1/Cargo.toml" <<TOML

[patch.crates-io]
socketioxide-gateway = { path = "$root/gateway-core" }
socketioxide-gateway-macros = { path = "$root/gateway-macros" }
TOML
  cp "$root/Cargo.lock" "$1/Cargo.lock"
}

block() { # block LANG: the first fenced block of README.md in that language
  awk -v lang="$1" '
    !found && $0 ~ "^```" lang "([, ].*)?$" { inside = 1; found = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$root/README.md"
}

echo "--- README.md's app, in a fresh crate"
readme="$work/readme-app"
mkdir -p "$readme/src"
deps="$(block toml)"
[ -n "$deps" ] || { echo "README.md has no toml block" >&2; exit 1; }
printf '[package]\nname = "readme-app"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n%s\n\n[workspace]\n' "$deps" >"$readme/Cargo.toml"
block rust >"$readme/src/main.rs"
[ -s "$readme/src/main.rs" ] || { echo "README.md has no rust block" >&2; exit 1; }
patch "$readme"
(cd "$readme" && cargo build --quiet)

echo "--- starter/, copied out of the repository: build and test"
cp -r "$root/starter" "$work/starter"
rm -rf "$work/starter/target"
patch "$work/starter"
(cd "$work/starter" && cargo test --quiet && cargo run --quiet -- --export-contracts contracts)
for file in events.ts asyncapi.yaml; do
  [ -s "$work/starter/contracts/$file" ] || { echo "starter: no contracts/$file exported" >&2; exit 1; }
done
grep -q '"said"' "$work/starter/contracts/events.ts" || { echo "starter: events.ts lacks the said event" >&2; exit 1; }
echo "outside apps: README app builds; starter builds, its tests pass, contracts export"
