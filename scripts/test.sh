#!/usr/bin/env bash
# Runs every check and every test: formatting, clippy (-D warnings), socketioxide-gateway without
# its default features, the whole workspace's tests (unit, end-to-end over real sockets,
# trybuild UI tests, doctests), the interop test with the official Node `socket.io-client`,
# the engineioxide patch series' tests (upstream/engineioxide/test.sh), and the book build
# with its include check.
# Installs what is missing (the npm test package, mdbook) on first run.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean run builds every test binary once; incremental caches would only add gigabytes to
# `target/` (4 GB measured) for builds that are not repeated. Set CARGO_INCREMENTAL=1 to keep them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# The workspace's dev profile keeps line tables only (Cargo.toml); trybuild builds the UI
# tests in a project of its own that does not inherit that profile, so say it here too
# (1.8 GB -> 1.1 GB in target/tests).
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"

step() { printf '\n==> %s\n' "$*"; }

step "system packages: node, npm, redis-server, nginx, chromium, curl, gzip"
# Real parts the tests drive: Node (the official socket.io-client), Redis >= 7 and nginx
# (the cluster tests start private instances on free ports, and stop and restart Redis
# mid-test), Chromium (the browser tests, through playwright-core).
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Raw HTTP requests of the transport and compression tests (tests/tests/transports.rs).
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing: ${missing[*]}; install them with your package manager" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The packages' own services are not needed: the tests start private instances.
  $sudo service redis-server stop >/dev/null 2>&1 || true
  $sudo service nginx stop >/dev/null 2>&1 || true
fi
echo "node $(node --version), $(redis-server --version | cut -d' ' -f1-3), $( (nginx -v || /usr/sbin/nginx -v) 2>&1), $(chromium --version 2>/dev/null)"

step "cargo fmt --all --check"
cargo fmt --all --check

step "layering: socketioxide-gateway's modules import only lower layers (ARCHITECTURE.md)"
scripts/check-layers-selftest.sh
python3 scripts/check-layers.py

step "cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "socketioxide-gateway without its default \`contracts\` feature: builds, lints, doc examples compile, no schemars or YAML writer"
cargo build -p socketioxide-gateway --no-default-features
cargo clippy -p socketioxide-gateway --no-default-features --features redis,metrics,jwt,testing --all-targets -- -D warnings
cargo test -p socketioxide-gateway --no-default-features --doc
if cargo tree -p socketioxide-gateway --no-default-features -e normal --prefix none | grep -E '^(schemars|serde_norway) '; then
  echo "socketioxide-gateway without \`contracts\` still depends on the crates above" >&2
  exit 1
fi

step "npm ci (tests/interop: socket.io-client for the interop test)"
if [ ! -d tests/interop/node_modules ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules ]; then
  npm ci --prefix tests/interop --no-audit --no-fund
fi
if ! python3 -c "import socketio" >/dev/null 2>&1; then
  python3 -m pip install -q -r tests/interop/python/requirements.txt
fi

step "cargo test --workspace --all-features"
cargo test --workspace --all-features

step "upstream/engineioxide: the patch series applies to the published crates and passes their tests and its own"
upstream/engineioxide/test.sh
step "outside the workspace: README.md's app builds as written, starter/ builds and passes its tests"
./scripts/check-outside-apps.sh

step "book: includes resolve and mdbook builds"
if ! command -v mdbook >/dev/null 2>&1; then
  cargo install mdbook --locked --version "${MDBOOK_VERSION:-0.5.4}"
fi
./scripts/check-book.sh

printf '\nAll checks passed.\n'
