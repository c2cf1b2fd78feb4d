#!/usr/bin/env bash
# Runs every check and every test: formatting, clippy (-D warnings), the whole workspace's
# tests (unit, end-to-end over real sockets, trybuild UI tests, doctests), the interop test
# with the official Node `socket.io-client`, and the book build with its include check.
# Installs what is missing (the npm test package, mdbook) on first run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "npm ci (tests/interop: socket.io-client for the interop test)"
if [ ! -d tests/interop/node_modules ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules ]; then
  npm ci --prefix tests/interop --no-audit --no-fund
fi
if ! python3 -c "import socketio" >/dev/null 2>&1; then
  python3 -m pip install -q -r tests/interop/python/requirements.txt
fi

step "cargo test --workspace --all-features"
cargo test --workspace --all-features

step "book: includes resolve and mdbook builds"
if ! command -v mdbook >/dev/null 2>&1; then
  cargo install mdbook --locked --version "${MDBOOK_VERSION:-0.5.4}"
fi
./scripts/check-book.sh

printf '\nAll checks passed.\n'
