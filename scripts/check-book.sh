#!/usr/bin/env bash
# Checks the user guide (book/):
#  (a) every {{#include path[:anchor]}} / {{#rustdoc_include path[:anchor]}} in
#      book/src/**/*.md names an existing file (relative to the .md file) and, when an
#      anchor is given, a file that contains both `ANCHOR: <anchor>` and
#      `ANCHOR_END: <anchor>`. mdBook itself does not fail on these: a missing anchor
#      renders an empty code block, a missing file only logs an error.
#  (b) `mdbook build book` succeeds and prints no `ERROR`.
#
# Usage: scripts/check-book.sh [BOOK_DIR]   (default: the repository's book/)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
book="${1:-$root/book}"
src="$book/src"

if [[ ! -d "$src" ]]; then
    echo "check-book: no book sources at $src" >&2
    exit 1
fi

problems=0
problem() {
    echo "check-book: $1" >&2
    problems=$((problems + 1))
}

# A line of the included file carries the marker `ANCHOR: name` / `ANCHOR_END: name`,
# with the name ending where mdBook's `[\w_-]+` ends.
has_marker() { # file marker anchor
    grep -Eq "$2:[[:space:]]*$3([^[:alnum:]_-]|\$)" "$1"
}

# (a) includes and anchors.
checked=0
while IFS= read -r -d '' md; do
    # `file:line:match` for every link; escaped links (`\{{#include ...}}`) are skipped
    # as mdBook skips them.
    while IFS= read -r hit; do
        [[ -z "$hit" ]] && continue
        line="${hit%%:*}"
        link="${hit#*:}"
        [[ "$link" == \\* ]] && continue
        checked=$((checked + 1))
        where="${md#"$root"/}:$line"
        # `{{ #include target }}` → `target` (the first whitespace-separated word).
        inner="${link#\{\{}"
        inner="${inner%\}\}}"
        read -r _kind target _rest <<<"$inner"
        path="${target%%:*}"
        anchor=""
        if [[ "$target" == *:* ]]; then
            spec="${target#*:}"
            first="${spec%%:*}"
            # mdBook reads a number or nothing as a line range, anything else as an anchor.
            if [[ -n "$first" && ! "$first" =~ ^[0-9]+$ ]]; then
                anchor="$first"
            fi
        fi
        file="$(dirname "$md")/$path"
        if [[ ! -f "$file" ]]; then
            problem "$where: included file \`$path\` does not exist (resolved to $file)"
            continue
        fi
        if [[ -n "$anchor" ]]; then
            has_marker "$file" ANCHOR "$anchor" ||
                problem "$where: \`$path\` has no \`ANCHOR: $anchor\`"
            has_marker "$file" ANCHOR_END "$anchor" ||
                problem "$where: \`$path\` has no \`ANCHOR_END: $anchor\`"
        fi
    done < <(grep -noE '\\?\{\{[[:space:]]*#(include|rustdoc_include)[[:space:]]+[^}]+\}\}' "$md" || true)
done < <(find "$src" -name '*.md' -print0 | sort -z)
echo "check-book: $checked include(s) checked"

# (b) mdbook build.
if ! command -v mdbook >/dev/null 2>&1; then
    echo "check-book: \`mdbook\` is not on PATH; install it with: cargo install mdbook --locked" >&2
    exit 1
fi
echo "check-book: $(mdbook --version)"
set +e
output="$(mdbook build "$book" 2>&1)"
status=$?
set -e
printf '%s\n' "$output"
if [[ $status -ne 0 ]]; then
    problem "\`mdbook build\` failed (exit status $status)"
elif grep -q 'ERROR' <<<"$output"; then
    problem "\`mdbook build\` reported an ERROR (see above)"
fi

if [[ $problems -gt 0 ]]; then
    echo "check-book: FAILED, $problems problem(s)" >&2
    exit 1
fi
echo "check-book: OK"
