#!/usr/bin/env python3
"""Save-to-reload latency of `touchstone serve`, per kind of edit.

  bench/serve_reload.py SITE_DIR [--edit KIND[,KIND...]|all] [--edits 15]
                        [--debounce-ms MS] [--binary PATH] [--json OUT.jsonl]

Copies SITE_DIR (a Touchstone site, e.g. the 10,000-page synthetic one) to a
temporary folder, starts `touchstone serve` on it, opens the live-reload
stream as a page would, then makes one edit at a time and measures the time
from the write to the `reload` event that reloads the edited page (one
naming its address, or every page), and to the edit's last event, when
every page is current (serve sends the long pages of a large site in a
second event). All kinds asked for run
against the same server, one kind after another. Prints, per kind, the median
and the spread and the server's own report of its last rebuilds, then a table
of medians.

Edits (each one file, each on a different file than the edit before):
  body       a line added to a guide's body (the common case while writing)
  title      a guide's title changed (shown wherever the guide is linked)
  owns       a role owns one more moment (cross-links move)
  behaviour  a role's first behaviour gets a new `do:` text
  loves      a persona's first `loves:` claim gets a new text
  new        a new guide page is written
  delete     a guide page is deleted
  rename     a guide page is renamed (moved to a new file name, so a new URL)

--debounce-ms (default: serve's own default) is part of every figure: the
watcher waits that long after the last event of a save before rebuilding.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
KINDS = ["body", "title", "owns", "behaviour", "loves", "new", "delete", "rename"]
FOLDER = {"owns": "roles", "behaviour": "roles", "loves": "personas"}


def front_matter_edit(text, change):
    """Applies `change` to the front matter's lines; the body is untouched."""
    head, sep, body = text.partition("\n---\n")
    lines = change(head.split("\n"))
    return "\n".join(lines) + sep + body


def replace_first(lines, pattern, replacement):
    """The first line starting with `pattern`, replaced whole."""
    out, done = [], False
    for line in lines:
        if not done and re.match(pattern, line):
            line, done = re.sub(pattern + r".*", replacement, line), True
        out.append(line)
    if not done:
        sys.exit(f"no front-matter line matches {pattern!r}")
    return out


def edit(kind, content, i):
    """Prepares edit number i of `kind` under `content`: returns a function
    making the change (one write, delete or rename) and what it does. The
    folder listing and reading happen here, outside the timed write."""
    if kind in ("body", "title", "delete", "rename"):
        pages = sorted((content / "guides").glob("guide-*.md"))
    else:
        pages = sorted((content / FOLDER.get(kind, "guides")).glob("*.md"))
    # A stride through the folder: each edit a different file, spread out.
    page = pages[(i * 97 + KINDS.index(kind) * 13) % len(pages)]
    text = page.read_text()
    if kind == "body":
        new = text + f"\nEdited {i}.\n"
    elif kind == "title":
        new = front_matter_edit(text, lambda ls: replace_first(ls, r"title:", f'title: "Edited title {i}"'))
    elif kind == "owns":
        moments = sorted(p.stem for p in (content / "journey").glob("*/moment-*.md"))
        start = (i * 31) % len(moments)
        moment = next(m for m in moments[start:] + moments[:start] if m not in text)
        new = front_matter_edit(text, lambda ls: [
            l.replace("owns: [", f"owns: [{moment}, ", 1) if l.startswith("owns: [") else l for l in ls])
    elif kind == "behaviour":
        new = front_matter_edit(text, lambda ls: replace_first(ls, r"    do: ", f'    do: "Edited behaviour {i}."'))
    elif kind == "loves":
        new = front_matter_edit(text, lambda ls: replace_first(ls, r"  - text: ", f'  - text: "Edited love {i}."'))
    elif kind == "new":
        page = content / "guides" / f"bench-new-{os.getpid()}-{i}.md"
        new = f'---\ntitle: "New guide {i}"\n---\nA new page, number {i}.\n'
    elif kind == "delete":
        return page.unlink, page.stem
    elif kind == "rename":
        target = page.with_name(f"renamed-{os.getpid()}-{i}-{page.name}")
        return (lambda: page.rename(target)), target.stem
    return (lambda: page.write_text(new)), page.stem


class Server:
    """`touchstone serve` on a site, with its live-reload stream open."""

    def __init__(self, binary, site, debounce_ms):
        command = [binary, "serve", "--port", "0", "--root", str(site)]
        if debounce_ms is not None:
            command += ["--debounce-ms", str(debounce_ms)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines = []
        port = None
        while port is None:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("serve exited")
            self.lines.append(line.strip())
            if "http://127.0.0.1:" in line:
                port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        threading.Thread(target=lambda: [self.lines.append(l.strip()) for l in self.process.stdout], daemon=True).start()
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.events = []  # (time, name, data)
        reader = events.makefile("r")

        def listen():
            name = None
            for line in reader:
                if line.startswith("event: "):
                    name = line[7:].strip()
                elif line.startswith("data: ") and name:
                    self.events.append((time.perf_counter(), name, line[6:].strip()))
                    name = None
        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)

    def wait_for_page(self, before, start, stem):
        """Times of the first reload event after index `before` that
        reloads the edited page (one naming its address, `/STEM/`, or every
        page), and of the last event of the edit (once none came for a
        second); exits on a failed build."""
        seen, page = before, None
        while page is None:
            if time.perf_counter() - start > 30:
                sys.exit("no reload event within 30 s")
            if len(self.events) == seen:
                time.sleep(0.001)
                continue
            at, name, data = self.events[seen]
            seen += 1
            if name != "reload":
                print("\n".join(self.lines[-20:]), file=sys.stderr)
                sys.exit(f"serve sent {name!r} instead of a reload")
            pages = json.loads(data).get("pages")
            if pages is None or any(p.endswith(f"/{stem}/") for p in pages):
                page = at
        while time.perf_counter() - self.events[-1][0] < 1.0:
            time.sleep(0.01)
        return page, self.events[-1][0]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--debounce-ms", type=int, default=None, help="default: serve's own")
    ap.add_argument("--edit", default="body", help="a kind, several joined by commas, or all: " + " ".join(KINDS))
    ap.add_argument("--binary", default=str(ROOT / "target/release/touchstone"))
    ap.add_argument("--json", help="append one JSON object a kind to this file")
    args = ap.parse_args()
    kinds = KINDS if args.edit == "all" else args.edit.split(",")
    for kind in kinds:
        if kind not in KINDS:
            sys.exit(f"unknown edit {kind!r} (known: {' '.join(KINDS)}, all)")

    work = pathlib.Path(tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)) / "site"
    shutil.copytree(args.site, work)
    server = Server(args.binary, work, args.debounce_ms)
    results = {}
    try:
        for kind in kinds:
            latencies, settled = [], []
            for i in range(args.edits):
                make, stem = edit(kind, work / "content", i)
                before = len(server.events)
                start = time.perf_counter()
                make()
                page, last = server.wait_for_page(before, start, stem)
                latencies.append((page - start) * 1000)
                settled.append((last - start) * 1000)
            results[kind] = (latencies, settled)
            rebuilds = [l for l in server.lines if "rendered in" in l]
            print("\n".join(rebuilds[-3:]))
            print(f"{kind} edit: save -> the edited page's reload over {len(latencies)} edits: median {statistics.median(latencies):.0f} ms, "
                  f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms; every page current: median {statistics.median(settled):.0f} ms\n")
    finally:
        server.stop()
        shutil.rmtree(work.parent, ignore_errors=True)
    debounce = "serve's default" if args.debounce_ms is None else f"{args.debounce_ms} ms"
    print(f"{'edit':10} {'page ms':>8} {'min':>6} {'max':>6} {'all ms':>8} {'min':>6} {'max':>6}   "
          f"(debounce {debounce}, load {open('/proc/loadavg').read().split()[0:3]})")
    for kind, (lat, done) in results.items():
        print(f"{kind:10} {statistics.median(lat):>8.0f} {min(lat):>6.0f} {max(lat):>6.0f}"
              f" {statistics.median(done):>8.0f} {min(done):>6.0f} {max(done):>6.0f}")
    if args.json:
        with open(args.json, "a") as f:
            for kind, (lat, done) in results.items():
                f.write(json.dumps({"binary": args.binary, "site": args.site, "edit": kind, "debounce_ms": args.debounce_ms,
                                    "median_ms": statistics.median(lat), "latencies_ms": lat,
                                    "settled_median_ms": statistics.median(done), "settled_ms": done}) + "\n")


if __name__ == "__main__":
    main()
