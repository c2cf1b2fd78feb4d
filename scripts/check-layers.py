#!/usr/bin/env python3
"""Checks socketioxide-gateway's layering (ARCHITECTURE.md, "Layers"): no import circle between
its modules, and every top-level module depends only on modules of lower layers.

`--graph` prints the module graph instead; `--root DIR` checks another tree (the
self-test, scripts/check-layers-selftest.sh, uses it). It reads the `crate::...` paths of every source file under gateway-core/src (in `use`
items and in code, comments and strings removed), and the layer table between the
`<!-- layers -->` and `<!-- /layers -->` markers of ARCHITECTURE.md. Exits 1 with the
offending imports (file:line) on a circle or a dependency that points up or sideways.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--root" in sys.argv:
    ROOT = Path(sys.argv[sys.argv.index("--root") + 1]).resolve()
SRC = ROOT / "gateway-core" / "src"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"


def module_of(path: Path) -> tuple:
    """`runtime/policy.rs` -> ("runtime", "policy"); `app/mod.rs` -> ("app",)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return tuple(parts)


def strip(text: str) -> str:
    """Removes comments, string and char literals (keeps line breaks for line numbers)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == '"' or text.startswith('r"', i) or text.startswith('r#"', i):
            if c == "r":
                hashes = 0
                k = i + 1
                while text[k] == "#":
                    hashes += 1
                    k += 1
                end = '"' + "#" * hashes
                j = text.find(end, k + 1)
                j = n if j < 0 else j + len(end)
            else:
                j = i + 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i : i + 4]):
            i = text.index("'", i + 1 if text[i + 1] != "\\" else i + 3) + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def dependencies(files):
    """(module, target module, file, line) for every `crate::` path and `use crate::{..}`."""
    modules = {module_of(f) for f in files}
    deps = []
    for f in files:
        here = module_of(f)
        text = strip(f.read_text())
        for m in re.finditer(r"\bcrate((?:\s*::\s*(?:\w+|\{[^;]*?\}))+)", text):
            line = text.count("\n", 0, m.start()) + 1
            for path in expand(m.group(1)):
                target = longest_module(path, modules)
                if target and target != here and not is_ancestor(target, here):
                    deps.append((here, target, f, line))
    return deps


def expand(tail: str):
    """`::a::{b, c::d}` -> [("a","b"), ("a","c","d")] (nested groups flattened)."""
    tail = re.sub(r"\s+", "", tail).lstrip(":")
    m = re.match(r"([\w:]*?)(?:::)?\{(.*)\}$", tail)
    if not m:
        return [tuple(p for p in tail.split("::") if p)]
    prefix = [p for p in m.group(1).split("::") if p]
    body, depth, item, items = m.group(2), 0, "", []
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(item)
            item = ""
        else:
            item += ch
    items.append(item)
    paths = []
    for it in filter(None, items):
        for sub in expand("::" + it):
            paths.append(tuple(prefix) + sub)
    return paths


def longest_module(path, modules):
    for k in range(len(path), 0, -1):
        if tuple(path[:k]) in modules:
            return tuple(path[:k])
    return None


def is_ancestor(a, b):
    return len(a) < len(b) and b[: len(a)] == a


def layers():
    text = ARCHITECTURE.read_text()
    m = re.search(r"<!-- layers -->(.*?)<!-- /layers -->", text, re.S)
    if not m:
        sys.exit("ARCHITECTURE.md has no <!-- layers --> table")
    table = {}
    for line in m.group(1).splitlines():
        row = re.match(r"\s*\|\s*(\d+)\s*\|(.*?)\|", line)
        if row:
            for name in re.findall(r"`(\w+)`", row.group(2)):
                table[name] = int(row.group(1))
    return table


def find_cycle(edges):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    files = sorted(SRC.rglob("*.rs"))
    deps = dependencies(files)
    if "--graph" in sys.argv:
        for a, b in sorted({(a, b) for a, b, _, _ in deps}):
            print("::".join(a), "->", "::".join(b))
        return
    problems = []
    cycle = find_cycle({(a, b) for a, b, _, _ in deps})
    if cycle:
        names = " -> ".join("::".join(m) for m in cycle)
        problems.append(f"import circle: {names}")
        for a, b in zip(cycle, cycle[1:]):
            for x, y, f, line in deps:
                if (x, y) == (a, b):
                    problems.append(f"  {f.relative_to(ROOT)}:{line}: {'::'.join(x)} uses {'::'.join(y)}")
                    break
    table = layers()
    tops = {m[0] for m in map(module_of, files) if m}
    for top in sorted(tops - table.keys()):
        problems.append(f"module `{top}` is not in ARCHITECTURE.md's layer table")
    for a, b, f, line in deps:
        if a and b and a[0] != b[0] and a[0] in table and b[0] in table:
            if table[b[0]] >= table[a[0]]:
                problems.append(
                    f"{f.relative_to(ROOT)}:{line}: `{a[0]}` (layer {table[a[0]]}) uses "
                    f"`{b[0]}` (layer {table[b[0]]}): a module may only use lower layers"
                )
    if problems:
        print("layering check failed (ARCHITECTURE.md, \"Layers\"):")
        print("\n".join(problems))
        sys.exit(1)
    print(f"layers: {len(files)} files, {len(deps)} crate-internal imports, no circle, all pointing down")


if __name__ == "__main__":
    main()
