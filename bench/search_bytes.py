#!/usr/bin/env python3
"""Bytes the first search query of a visit downloads, in headless Chromium.

  bench/search_bytes.py SITE_DIR [--engine touchstone|pagefind] [--label L]
                        [--queries FILE.json | QUERY ...] [--json OUT.jsonl]

SITE_DIR is a built site, served by a plain static file server (as production
hosting would). For each query one browser visit starts with an empty cache:

  touchstone  opens the home page and puts the query into the header search
              box in one input event (so what is fetched does not depend on
              typing speed), then waits for the suggestions it shows.
  pagefind    opens a small harness page served beside the site (never
              written into it) that imports /pagefind/pagefind.js, runs
              pagefind.search(query) and loads the data of the first 8
              results: the same first screen as Touchstone's box (8 results).

Counted: every byte of search the visit fetched: the search code
(Touchstone's search script, Pagefind's JS and WebAssembly), anything the
page preloaded under search/, and every file fetched once the query was
entered (term shards or index chunks, result fragments, anything else), as logged by
the file server itself (so a Web Worker's fetches count too). The
page's own HTML, style sheet and other scripts are not counted: a visit pays
for them with or without a search. `raw` is the file bytes as served;
`gzip` is the sum of each file compressed on its own with gzip -6 (what a
host that compresses responses sends). Pagefind's index files are gzipped by
Pagefind already, so its two figures are close.

Queries come from the arguments, or from FILE.json as written by
bench/query_set.py --json. Prints one row a query and the worst and median
first query; --json appends one JSON object a query to OUT.jsonl, with the
path and size of every file counted.
"""
import argparse
import gzip
import http.server
import json
import os
import re
import statistics
import tempfile
import threading
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SHOWN = 8  # results on the first screen: Touchstone's header box shows 8

HARNESS_PATH = "/__bench/pagefind.html"
HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>pagefind query</title>
<link rel="icon" href="data:,"></head><body>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
try {
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(q);
  const shown = await Promise.all(search.results.slice(0, %d).map(r => r.data()));
  window.benchDone = { count: search.results.length, titles: shown.map(d => d.meta.title) };
} catch (e) {
  window.benchDone = { error: String(e) };
}
</script></body></html>
""" % SHOWN

class Server:
    """A plain static file server for SITE that also serves the Pagefind
    harness, and logs every request it answers: (path, bytes sent). The log
    sees what a page fetches from a Web Worker too (Pagefind searches in one),
    which the page's own Resource Timing does not."""

    def __init__(self, site):
        self.site = site
        self.log = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=site, **kwargs)

            def do_GET(self):
                path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                if path == HARNESS_PATH:
                    body = HARNESS.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    super().do_GET()
                with outer.lock:
                    outer.log.append((path, outer.size_of(path)))

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def file_of(self, path):
        return os.path.join(self.site, path.lstrip("/"))

    def size_of(self, path):
        """Bytes of the file at PATH (0 for a directory's page or a 404)."""
        if path == HARNESS_PATH:
            return len(HARNESS.encode())
        file = self.file_of(path)
        return os.path.getsize(file) if os.path.isfile(file) else 0

    def gzip_size(self, path, cache={}):
        if path == HARNESS_PATH:
            return len(gzip.compress(HARNESS.encode(), 6))
        file = self.file_of(path)
        if not os.path.isfile(file):
            return 0
        if file not in cache:
            with open(file, "rb") as f:
                cache[file] = len(gzip.compress(f.read(), 6))
        return cache[file]

    def settled(self):
        """The log's length once no request has arrived for 300 ms."""
        count, quiet_since = len(self.log), time.time()
        while time.time() - quiet_since < 0.3:
            time.sleep(0.05)
            if len(self.log) != count:
                count, quiet_since = len(self.log), time.time()
        return count

    def stop(self):
        self.httpd.shutdown()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tempfile.mkdtemp()}"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # Every visit starts cold: nothing from an earlier query may be reused.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    return driver


def wait_for(driver, script, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def is_search_file(path):
    """Touchstone's search code and index: the script and anything under search/."""
    return "/search/" in path or bool(re.search(r"/search\.[0-9a-f]+\.js$", path))


def touchstone_visit(driver, server, query):
    """Opens the home page, enters the query; returns the first result, how
    many were shown, and the requests that count: the search files the page
    loaded with itself (its code, any preload) and everything after the query."""
    start = server.settled()
    driver.get(server.base + "/")
    wait_for(driver, "return document.getElementById('search-suggestions') !== null", "the search box")
    loaded = server.settled()
    driver.execute_script(
        "const i = document.getElementById('search-input'); i.focus(); i.value = arguments[0];"
        "i.dispatchEvent(new Event('input', {bubbles: true}));", query)
    shown = wait_for(driver,
                     "const l = document.getElementById('search-suggestions');"
                     "return l && !l.hidden ? [...l.querySelectorAll('.search-title, .search-none')].map(e => e.textContent) : null;",
                     f"results for {query!r}")
    end = server.settled()
    top = None if driver.execute_script("return !!document.querySelector('#search-suggestions .search-none')") else shown[0]
    counted = [r for r in server.log[start:loaded] if is_search_file(r[0])] + server.log[loaded:end]
    return top, (0 if top is None else len(shown)), counted


def pagefind_visit(driver, server, query):
    """Opens the harness for the query; returns the first result, how many
    were shown, and every request but the harness page's own."""
    start = server.settled()
    driver.get(server.base + HARNESS_PATH + "?" + urllib.parse.urlencode({"q": query}))
    done = wait_for(driver, "return window.benchDone || null", f"pagefind results for {query!r}")
    if "error" in done:
        raise SystemExit(f"pagefind failed on {query!r}: {done['error']}")
    end = server.settled()
    counted = [r for r in server.log[start:end] if r[0] != HARNESS_PATH]
    return (done["titles"][0] if done["titles"] else None), len(done["titles"]), counted


def measure(site, engine, queries):
    server = Server(site)
    visit = touchstone_visit if engine == "touchstone" else pagefind_visit
    driver = browser()
    rows = []
    try:
        for query in queries:
            top, shown, fetched = visit(driver, server, query)
            rows.append({"query": query, "raw": sum(size for _, size in fetched),
                         "gzip": sum(server.gzip_size(path) for path, _ in fetched),
                         "files": len(fetched), "shown": shown, "top": top, "fetched": fetched})
    finally:
        driver.quit()
        server.stop()
    return rows


def load_queries(args):
    if args.queries:
        with open(args.queries) as f:
            return [(q["kind"], q["query"]) for q in json.load(f)["queries"]]
    return [("arg", q) for q in args.query] or [("arg", "refund"), ("arg", "customer onboarding")]


def summary(rows):
    raw = [r["raw"] for r in rows]
    gz = [r["gzip"] for r in rows]
    worst = max(rows, key=lambda r: r["raw"])
    return (f"worst {worst['raw'] / 1024:.1f} KB raw ({worst['query']!r}), median {statistics.median(raw) / 1024:.1f} KB raw; "
            f"gzip worst {max(gz) / 1024:.1f} KB, median {statistics.median(gz) / 1024:.1f} KB")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site")
    ap.add_argument("query", nargs="*")
    ap.add_argument("--engine", choices=["touchstone", "pagefind"], default="touchstone")
    ap.add_argument("--label", help="name for this engine in the output (default: the engine)")
    ap.add_argument("--queries", help="query set from bench/query_set.py --json")
    ap.add_argument("--json", help="append one JSON object a query to this file")
    args = ap.parse_intermixed_args()
    site = os.path.abspath(args.site)
    label = args.label or args.engine
    kinds = load_queries(args)
    rows = measure(site, args.engine, [q for _, q in kinds])
    for (kind, _), row in zip(kinds, rows):
        row["kind"] = kind
    print(f"{label}: first query of a visit, {site}")
    print(f"{'kind':9} {'query':22} {'raw B':>8} {'gzip B':>8} {'files':>6} {'shown':>6}  first result")
    for r in rows:
        print(f"{r['kind']:9} {r['query']:22} {r['raw']:>8} {r['gzip']:>8} {r['files']:>6} {r['shown']:>6}  {r['top']}")
    print(f"{label}: {summary(rows)}")
    for kind in ("frequent", "rare", "pair", "typo"):
        subset = [r for r in rows if r["kind"] == kind]
        if subset and len(subset) != len(rows):
            print(f"{label} {kind}: {summary(subset)}")
    if args.json:
        with open(args.json, "a") as f:
            for r in rows:
                f.write(json.dumps({"engine": label, "site": site, **r}) + "\n")


if __name__ == "__main__":
    main()
