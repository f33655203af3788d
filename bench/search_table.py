#!/usr/bin/env python3
"""Side-by-side table of first-query bytes, one column pair per engine.

  bench/search_table.py RUN.jsonl

RUN.jsonl holds the rows bench/search_bytes.py --json wrote for one site
size (search.sh writes one per size and run). Prints a Markdown table: per
query, each engine's raw and gzip KB and files; then worst and median per
engine, overall and per kind of query.
"""
import json
import statistics
import sys


def kb(n):
    return f"{n / 1024:.1f}"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    by = {(r["engine"], r["query"]): r for r in rows}
    queries = list(dict.fromkeys((r["kind"], r["query"]) for r in rows))
    head = ["kind", "query"] + [f"{e} {c}" for e in engines for c in ("KB", "gzip KB", "files")]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for kind, query in queries:
        cells = [kind, query]
        for e in engines:
            r = by.get((e, query))
            cells += [kb(r["raw"]), kb(r["gzip"]), str(r["files"])] if r else ["-"] * 3
        print("| " + " | ".join(cells) + " |")
    print()
    print("| engine | kind | worst KB | median KB | worst gzip KB | median gzip KB |")
    print("|---|---|---|---|---|---|")
    for e in engines:
        for kind in ["all"] + list(dict.fromkeys(k for k, _ in queries)):
            subset = [r for r in rows if r["engine"] == e and (kind == "all" or r["kind"] == kind)]
            if not subset:
                continue
            raw = [r["raw"] for r in subset]
            gz = [r["gzip"] for r in subset]
            print(f"| {e} | {kind} | {kb(max(raw))} | {kb(statistics.median(raw))} | {kb(max(gz))} | {kb(statistics.median(gz))} |")


if __name__ == "__main__":
    main()
