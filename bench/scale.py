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
import resource
import shutil
import statistics
import subprocess
import sys
import time

BUILDS_SMALL_A_ROUND = 3


def build(binary, root, out):
    """Wall seconds, CPU seconds and peak MB of one build into an empty `out`."""
    shutil.rmtree(out, ignore_errors=True)
    command = ["/usr/bin/time", "-f", "%M", binary, "build", "--root", root, "--output", out]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    return wall, cpu, peak_mb


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


if __name__ == "__main__":
    main()
