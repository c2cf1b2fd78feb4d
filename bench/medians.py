#!/usr/bin/env python3
"""A markdown table of medians from loadgen's records (one JSON object per line), for
bench/memory.sh, bench/read-buffer.sh, bench/admin-ui-cost.sh, bench/allocators.sh and
bench/crowd.sh.

    medians.py [--against SERVER] RECORDS FIRST_HEADER "Header=scenario:metric:format" ...

One row per `server` value, in the order they first appear (a server with no record in
any column's scenario is left out); one column per spec: the
median of `metric` over the records of that server and `scenario`, printed with
`format` (Python's format spec, `,.0f` or `.2f`). With `--against SERVER`, each cell
also gives its ratio to that server's median in the same column, as in `18,010 (0.95×)`.
"""
import json
import statistics
import sys


def main(*args):
    against = None
    if args[:1] == ("--against",):
        against, args = args[1], args[2:]
    records, first_header, *specs = args
    rows = [json.loads(line) for line in open(records)]
    servers = list(dict.fromkeys(r["server"] for r in rows))
    columns = []
    for spec in specs:
        header, rest = spec.split("=", 1)
        scenario, metric, fmt = rest.split(":")
        columns.append((header, scenario, metric, fmt))

    def median(server, scenario, metric):
        values = [r["metrics"][metric] for r in rows if r["server"] == server and r["scenario"] == scenario]
        return statistics.median(values) if values else None

    print("| " + " | ".join([first_header] + [c[0] for c in columns]) + " |")
    print("|---|" + "---:|" * len(columns))
    for server in servers:
        cells = [server]
        for _, scenario, metric, fmt in columns:
            value = median(server, scenario, metric)
            cell = format(value, fmt) if value is not None else "–"
            base = median(against, scenario, metric) if against is not None else None
            if value is not None and base:
                cell += f" ({value / base:.2f}×)"
            cells.append(cell)
        if all(cell == "–" for cell in cells[1:]):
            continue  # a server this table's scenarios did not run
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:])
