#!/usr/bin/env python3
"""Save-to-reload latency of `touchstone serve`.

  bench/serve_reload.py SITE_DIR [--edits 15] [--debounce-ms 50] [--edit body|title|owns]

Copies SITE_DIR (a Touchstone site, e.g. the 10,000-page synthetic one) to a
temporary folder, starts `touchstone serve` on it, opens the live-reload
stream as a page would, then edits one file at a time and measures the time
from the write to the `reload` event arriving. Prints the median and the
spread, and the server's own report of each rebuild.

Edits:
  body   a line added to a guide's body (the common case while writing)
  title  a guide's title changed (shown wherever the guide is linked)
  owns   a role's first owned moment swapped for another (cross-links move)
"""
import argparse
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--debounce-ms", type=int, default=50)
    ap.add_argument("--edit", choices=["body", "title", "owns"], default="body")
    ap.add_argument("--binary", default=str(ROOT / "target/release/touchstone"))
    args = ap.parse_args()

    work = pathlib.Path(tempfile.mkdtemp()) / "site"
    shutil.copytree(args.site, work)
    folder = "roles" if args.edit == "owns" else "guides"
    pages = sorted((work / "content" / folder).glob("*.md"))
    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--root", str(work),
                               "--debounce-ms", str(args.debounce_ms)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    port = None
    while port is None:
        line = server.stdout.readline()
        if not line:
            sys.exit("serve exited")
        lines.append(line.strip())
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    threading.Thread(target=lambda: [lines.append(l.strip()) for l in server.stdout], daemon=True).start()

    events = socket.create_connection(("127.0.0.1", port))
    events.sendall(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    reader = events.makefile("r")
    arrived = []
    def listen():
        for line in reader:
            if line.startswith("event: reload"):
                arrived.append(time.perf_counter())
    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.5)

    latencies = []
    for i in range(args.edits):
        page = pages[(i * 97) % len(pages)]
        text = page.read_text()
        before = len(arrived)
        start = time.perf_counter()
        page.write_text(edited(text, args.edit, i))
        while len(arrived) == before:
            if time.perf_counter() - start > 30:
                sys.exit("no reload event within 30 s")
            time.sleep(0.001)
        latencies.append((arrived[-1] - start) * 1000)
        time.sleep(0.3)
    server.terminate()
    rebuilds = [l for l in lines if l.startswith("changed ")]
    print("\n".join(rebuilds[-5:]))
    print(f"{args.edit} edit: save -> reload event over {len(latencies)} edits: median {statistics.median(latencies):.0f} ms, "
          f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms (debounce {args.debounce_ms} ms)")


def edited(text, kind, i):
    if kind == "body":
        return text + f"\nEdited {i}.\n"
    head, sep, body = text.partition("\n---\n")
    if kind == "title":
        lines = [f'title: "Edited title {i}"' if l.startswith("title:") else l for l in head.split("\n")]
    else:
        lines = [l.replace("owns: [moment-", f"owns: [moment-{i:05d}, moment-", 1) if l.startswith("owns:") else l
                 for l in head.split("\n")]
    return "\n".join(lines) + sep + body


if __name__ == "__main__":
    main()
