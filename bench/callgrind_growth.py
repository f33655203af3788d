#!/usr/bin/env python3
"""What grows faster than the site: each function's inclusive instructions
in two callgrind runs (a small corpus and one N times larger), listed by
how much more the larger run spent in it. A build linear in pages spends
about N times as much everywhere; a function well above N does work that
grows faster than the pages (a sort that recomputes its keys, a lookup
that scans), and is where the next limit is.

    callgrind_annotate --inclusive=yes small.out > small.txt
    callgrind_annotate --inclusive=yes large.out > large.txt
    bench/callgrind_growth.py small.txt large.txt [--min-mi 60] [--top 30]
"""

import argparse
import re

LINE = re.compile(r"\s*([\d,]+) \([^)]*\)\s+\S*?:(.*?) \[")
WHOLE = "the whole run"
TOTALS = re.compile(r"\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS")


def inclusive(path):
    """Each function's inclusive instruction count, by name."""
    counts = {}
    with open(path, errors="replace") as lines:
        for line in lines:
            m = LINE.match(line)
            if m:
                counts[m.group(2)] = int(m.group(1).replace(",", ""))
            elif m := TOTALS.match(line):
                counts[WHOLE] = int(m.group(1).replace(",", ""))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small")
    parser.add_argument("large")
    parser.add_argument("--min-mi", type=float, default=60, help="skip functions under this many million instructions in the larger run")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    small, large = inclusive(args.small), inclusive(args.large)
    if WHOLE in small and WHOLE in large:
        print(f"whole run: {large[WHOLE] / small[WHOLE]:.1f}x")
    rows = []
    for name, count in large.items():
        # A name with ' is a recursive call's second frame: counted twice.
        if name == WHOLE or "'" in name:
            continue
        if small.get(name) and count >= args.min_mi * 1e6:
            rows.append((count / small[name], count, small[name], name))
    rows.sort(reverse=True)
    print(f"{'growth':>7} {'large Mi':>10} {'small Mi':>10}  function")
    for growth, count, before, name in rows[: args.top]:
        print(f"{growth:6.1f}x {count / 1e6:10.0f} {before / 1e6:10.0f}  {name[:110]}")


if __name__ == "__main__":
    main()
