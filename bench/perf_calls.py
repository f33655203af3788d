#!/usr/bin/env python3
"""Who a function calls, and who calls it, in a profile: the share of
samples under FUNC, split by its direct callees (where its time goes) and
by its callers' chains, optionally within a time window of the run.

  perf record -g -F 1500 -o perf.data -- BIN serve ...     # or -p PID
  perf script -i perf.data > perf.txt
  bench/perf_calls.py perf.txt 'home::home' [--from T0 --to T1] [--depth 3]

T0 and T1 are perf's timestamps in seconds (`perf script -F time` shows
them): a serve session's edits are the stretch after its first build.
FUNC is a substring of a frame's symbol; a sample counts once, at the
innermost frame that matches.
"""
import argparse
import collections
import re

HEADER = re.compile(r"\s(\d+\.\d+):")


def samples(path):
    """Each sample's time and frames, innermost first."""
    stack, time = [], 0.0
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if stack:
                    yield time, stack
                stack = []
            elif line[0] not in " \t":
                found = HEADER.search(line)
                time = float(found.group(1)) if found else 0.0
            else:
                parts = line.strip().split(" ", 1)
                if len(parts) == 2:
                    stack.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].split(" (")[0]))
    if stack:
        yield time, stack


def short(frame):
    return "::".join(frame.split("::")[-2:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("perf_txt")
    ap.add_argument("func")
    ap.add_argument("--from", dest="t0", type=float, default=float("-inf"))
    ap.add_argument("--to", dest="t1", type=float, default=float("inf"))
    ap.add_argument("--depth", type=int, default=3, help="callers shown per chain")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    total, under = 0, 0
    callees, callers = collections.Counter(), collections.Counter()
    for time, stack in samples(args.perf_txt):
        if not args.t0 <= time <= args.t1:
            continue
        total += 1
        at = next((i for i, frame in enumerate(stack) if args.func in frame), None)
        if at is None:
            continue
        under += 1
        callees[short(stack[at - 1]) if at else "<self>"] += 1
        callers[" <- ".join(short(f) for f in stack[at + 1 : at + 1 + args.depth])] += 1
    share = lambda n: 100 * n / max(total, 1)
    print(f"{args.func}: {under} of {total} samples, {share(under):.1f}%")
    for title, counts in (("callees", callees), ("callers", callers)):
        print(f"{title}:")
        for name, n in counts.most_common(args.top):
            print(f"  {share(n):5.1f}%  {name}")


if __name__ == "__main__":
    main()
