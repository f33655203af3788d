#!/usr/bin/env python3
"""Where a profiled build spent its CPU: share of samples per pipeline stage
and per leaf function, from `perf script` output.

  perf script -i perf.data -F comm,tid,ip,sym --no-inline > perf.txt
  bench/perf_stages.py perf.txt [--comm touchstone] [--top 25]

Each sample's call chain is read from the innermost frame outwards and
given the stage of the first Touchstone function that names one (the
markers below: a module or a stage function). Samples of other processes
(the shell, `rm`) are left out; samples with no Touchstone frame (a thread's
start, the allocator after the stack was lost) count as "unattributed".
Also prints the leaf functions (where the CPU was when sampled) and a few
families of them (allocator, memory copies, the template engine, ...), so a
stage's cost can be told apart from the libraries it calls.
"""
import argparse
import collections
import re

# First match wins, innermost frame first; more specific markers before
# broader ones.
STAGES = [
    ("drop", re.compile(r"drop_in_place<touchstone::")),
    ("search", re.compile(r"touchstone::search::")),
    ("markdown", re.compile(r"touchstone::(markdown::|render_bodies|render_body\b)")),
    ("render", re.compile(r"touchstone::render::")),
    ("validate", re.compile(r"touchstone::(validate|linkcheck)::")),
    ("model", re.compile(r"touchstone::model::")),
    ("load", re.compile(r"touchstone::load::")),
    ("write", re.compile(r"touchstone::(output::|write)")),
    ("other touchstone", re.compile(r"touchstone::")),
]

FAMILIES = [
    ("allocator (malloc/free)", re.compile(r"malloc|free|_int_|unlink_chunk|realloc|calloc|consolidate|tcache")),
    ("memmove/memcpy/memcmp", re.compile(r"mem(move|cpy|cmp|set)|__memcmp|__memmove")),
    ("kernel", re.compile(r"^k:")),
    ("tera (templates)", re.compile(r"^tera::")),
    ("syntect (highlighting)", re.compile(r"^syntect::|fancy_regex|regex_automata|regex::")),
    ("pulldown_cmark", re.compile(r"^pulldown_cmark::")),
    ("serde_json/serde_saphyr", re.compile(r"^serde|^saphyr|^granit")),
    ("hashbrown (hash maps)", re.compile(r"^hashbrown::|core::hash|foldhash|ahash|fxhash")),
    ("touchstone code itself", re.compile(r"^touchstone::")),
]


def samples(path, comm):
    """(comm, [frames innermost first]) per sample."""
    head, frames = None, []
    for line in open(path, errors="replace"):
        if not line.strip():
            if head is not None:
                yield head, frames
            head, frames = None, []
        elif not line[0].isspace():
            head, frames = line.split()[0], []
        else:
            parts = line.strip().split(None, 1)
            addr, sym = parts[0], (parts[1] if len(parts) > 1 else "[unknown]")
            sym = re.sub(r" \(.*\)$", "", sym)
            frames.append(("k:" + sym) if addr.startswith("ffffffff") else sym)
    if head is not None:
        yield head, frames


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("script_output")
    ap.add_argument("--comm", default="touchstone", help="process name prefix to keep (default: touchstone)")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    stage, leaf, family, fn_incl = (collections.Counter() for _ in range(4))
    total = 0
    for comm, frames in samples(args.script_output, args.comm):
        if not comm.startswith(args.comm[:15]):  # perf truncates comm to 15 chars
            continue
        total += 1
        found = next((name for f in frames for name, rx in STAGES if rx.search(f)), "unattributed")
        stage[found] += 1
        top = frames[0] if frames else "[unknown]"
        leaf[top] += 1
        family[next((name for name, rx in FAMILIES if rx.search(top)), "other")] += 1
        for f in set(frames):
            if f.startswith("touchstone::"):
                fn_incl[f] += 1
    if not total:
        raise SystemExit(f"no samples of a process named {args.comm!r}")
    print(f"{total} samples of {args.comm}")
    print("\nby stage (innermost Touchstone stage in the call chain):")
    for name, n in stage.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\nby family of the sampled (leaf) function:")
    for name, n in family.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\ntop {args.top} leaf functions (self time):")
    for name, n in leaf.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name[:110]}")
    print(f"\ntop {args.top} Touchstone functions (inclusive: on the stack):")
    for name, n in fn_incl.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name[:110]}")


if __name__ == "__main__":
    main()
