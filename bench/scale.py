#!/usr/bin/env python3
"""Target 3's ratio: how many times a 10k build's time a 100k build takes.

  bench/scale.py ROUNDS BIN          (LARGE=corpus, SMALL=corpus, OUT=output)

Each round builds LARGE once, then SMALL three times, with the same binary,
each into an empty OUT. This machine's speed moves by a fifth within
minutes, and a 100k build lasts long enough to see it move: a ratio of
one 100k build to one 10k build far apart in time reads anywhere from 9x
to 13x. Prints each round's ratio (its 100k build over the median of its
three 10k builds), the median of those, the ratio of the medians of all
builds of each size, the same for CPU time (user + system, which moves
less with the machine), and each size's peak memory.
"""
import os
import shutil
import statistics
import sys

from paired import build

BUILDS_SMALL_A_ROUND = 3


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    rounds, binary = int(sys.argv[1]), sys.argv[2]
    large = os.environ.get("LARGE", "/dev/shm/tb/100000/touchstone")
    small = os.environ.get("SMALL", "/dev/shm/tb/10000/touchstone")
    out = os.environ.get("OUT", "/dev/shm/tb/out-scale")
    larges, smalls, per_round = [], [], []
    for _ in range(rounds):
        big = build(binary, large, out)
        these = [build(binary, small, out) for _ in range(BUILDS_SMALL_A_ROUND)]
        larges.append(big)
        smalls.extend(these)
        per_round.append(big[0] / statistics.median(w for w, _, _ in these))
        print(f"round {len(larges)}: {big[0]:.2f} s / "
              f"{', '.join(f'{w:.2f}' for w, _, _ in these)} s = {per_round[-1]:.2f}x",
              flush=True)

    def median(builds, at):
        return statistics.median(b[at] for b in builds)

    print(f"per round: median {statistics.median(per_round):.2f}x "
          f"(lowest {min(per_round):.2f}x, highest {max(per_round):.2f}x)")
    print(f"wall, medians: {median(larges, 0):.3f} s / {median(smalls, 0):.3f} s = "
          f"{median(larges, 0) / median(smalls, 0):.2f}x")
    print(f"cpu, medians: {median(larges, 1):.2f} s / {median(smalls, 1):.3f} s = "
          f"{median(larges, 1) / median(smalls, 1):.2f}x")
    print(f"peak: {max(b[2] for b in larges):.0f} MB / {max(b[2] for b in smalls):.0f} MB")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
