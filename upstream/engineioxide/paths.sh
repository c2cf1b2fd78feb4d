# Sourced by every script here (after it sets `here`, its own directory): where the
# workspace, the patched crates and their build live.
#   root            the workspace
#   series          apply.sh's output: the published crates with the series applied
#                   (UPSTREAM_DIR, default target/upstream/engineioxide-series)
#   patched_target  build-with.sh's target directory (UPSTREAM_TARGET_DIR, default
#                   target/upstream/target-patched)
root="$(cd "$here/../.." && pwd)"
series="${UPSTREAM_DIR:-$root/target/upstream/engineioxide-series}"
patched_target="${UPSTREAM_TARGET_DIR:-$root/target/upstream/target-patched}"
