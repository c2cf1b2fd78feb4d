#!/usr/bin/env python3
"""A markdown table of medians from loadgen's records (one JSON object per line), for
bench/memory.sh, bench/read-buffer.sh and bench/admin-ui-cost.sh.

    medians.py RECORDS FIRST_HEADER "Header=scenario:metric:format" ...

One row per `server` value, in the order they first appear; one column per spec: the
median of `metric` over the records of that server and `scenario`, printed with
`format` (Python's format spec, `,.0f` or `.2f`).
"""
import json
import statistics
import sys


def main(records, first_header, *specs):
    rows = [json.loads(line) for line in open(records)]
    servers = list(dict.fromkeys(r["server"] for r in rows))
    columns = []
    for spec in specs:
        header, rest = spec.split("=", 1)
        scenario, metric, fmt = rest.split(":")
        columns.append((header, scenario, metric, fmt))
    print("| " + " | ".join([first_header] + [c[0] for c in columns]) + " |")
    print("|---|" + "---:|" * len(columns))
    for server in servers:
        cells = [server]
        for _, scenario, metric, fmt in columns:
            values = [r["metrics"][metric] for r in rows if r["server"] == server and r["scenario"] == scenario]
            cells.append(format(statistics.median(values), fmt) if values else "–")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:])
