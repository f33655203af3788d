#!/usr/bin/env python3
"""How many cores a profiled build kept busy, slice by slice, and on what:
finds the stretches where one core works and the other waits.

  perf record -F 4000 -g -o perf.data -- BIN build ...
  perf script -i perf.data > perf.txt
  bench/perf_timeline.py perf.txt [--slice-ms 50] [--freq 4000] [--top 3]

Each line is one slice of the run: the cores busy in it (samples over what
one core gives at --freq, so 2.00 is both cores all the slice) and the
Touchstone functions most samples were under, outermost first (a thread's
own closures and rayon's plumbing skipped). A run of slices at 1.00 is
work left to one core: a stage that is serial, or a parallel loop whose
last pieces are too big to share.
"""
import argparse
import collections
import re

HEADER = re.compile(r"^\S.*?\s(\d+)\s+([\d.]+):")
FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)(\+0x[0-9a-f]+)?\s+\(")


def samples(path):
    """(time in s, outermost Touchstone function or None) per sample."""
    time, outermost = None, None
    with open(path, errors="replace") as lines:
        for line in lines:
            header = HEADER.match(line)
            if header:
                if time is not None:
                    yield time, outermost
                time, outermost = float(header.group(2)), None
                continue
            frame = FRAME.match(line)
            if time is None or not frame:
                continue
            name = frame.group(1)
            if name.startswith("touchstone::") and "{{closure}}" not in name:
                # Frames run innermost first: the last one seen is outermost.
                outermost = name.removeprefix("touchstone::")
    if time is not None:
        yield time, outermost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("perf_txt")
    parser.add_argument("--slice-ms", type=float, default=50)
    parser.add_argument("--freq", type=float, default=4000, help="perf record -F")
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    taken = list(samples(args.perf_txt))
    if not taken:
        raise SystemExit(f"no samples in {args.perf_txt}")
    start = min(t for t, _ in taken)
    slices = collections.defaultdict(collections.Counter)
    for time, name in taken:
        slices[int((time - start) * 1000 // args.slice_ms)][name or "(outside Touchstone)"] += 1
    per_core = args.freq * args.slice_ms / 1000
    for index in sorted(slices):
        counts = slices[index]
        busy = sum(counts.values()) / per_core
        top = ", ".join(f"{name[:40]} {n}" for name, n in counts.most_common(args.top))
        print(f"{index * args.slice_ms:7.0f} ms  cores {busy:4.2f}  {top}")


if __name__ == "__main__":
    main()
