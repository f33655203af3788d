#!/usr/bin/env python3
"""Bytes a search downloads, measured in headless Chromium.

  bench/search_bytes.py SITE_DIR [QUERY ...]

SITE_DIR is a built Touchstone site. It is served by a plain static file
server (as production hosting would), a fresh browser opens the home page, and
each query is typed into the header box. For each query the script sums the
bytes of every search fetch the page made (search code, index shards, result
fragments: the file bytes as served) and reports the first query of the visit
and each further one.
"""
import functools
import http.server
import json
import os
import sys
import tempfile
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

DEFAULT_QUERIES = ["refund", "late delivery", "onboarding", "customer promise",
                   "invoice", "empathy", "verify assumption", "handover apology"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tempfile.mkdtemp()}"]:
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


SEARCH_BYTES = """
return performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/search/') || /\\/search\\.[0-9a-f]+\\.js/.test(e.name))
  .map(e => [e.name, e.encodedBodySize || e.transferSize]);
"""


def run_query(driver, query, before=frozenset()):
    """Types `query`; returns what it showed and the search fetches not in `before`."""
    driver.execute_script("const l = document.getElementById('search-suggestions'); if (l) { l.innerHTML=''; l.hidden = true; }"
                          "const i = document.getElementById('search-input'); i.value=''; i.focus();")
    driver.find_element(By.ID, "search-input").send_keys(query)
    deadline = time.time() + 20
    while time.time() < deadline:
        shown = driver.execute_script(
            "const l = document.getElementById('search-suggestions');"
            "return l && !l.hidden ? [...l.querySelectorAll('.search-title, .search-none')].map(e => e.textContent) : null;")
        if shown:
            break
        time.sleep(0.05)
    fetched = [(n, b) for n, b in driver.execute_script(SEARCH_BYTES) if n not in before]
    return shown or [], fetched


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    site = os.path.abspath(sys.argv[1])
    queries = sys.argv[2:] or DEFAULT_QUERIES
    server = serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    for i, query in enumerate(queries):
        driver = browser()  # a fresh visit: nothing cached
        try:
            driver.get(url)
            # The first query pays for the search code too (loaded with the page).
            shown, first = run_query(driver, query)
            seen = {name for name, _ in first}
            _, again = run_query(driver, queries[(i + 1) % len(queries)], seen)
            rows.append({"query": query, "first_bytes": sum(b for _, b in first), "first_files": len(first),
                         "next_bytes": sum(b for _, b in again), "top": shown[0] if shown else None})
        finally:
            driver.quit()
    print(f"{'query':22} {'first query':>12} {'files':>6} {'next query':>11}  first result")
    for r in rows:
        print(f"{r['query']:22} {r['first_bytes']:>10} B {r['first_files']:>6} {r['next_bytes']:>9} B  {r['top']}")
    worst = max(r["first_bytes"] for r in rows)
    print(f"largest first query: {worst / 1024:.1f} KB")
    print(json.dumps({"site": site, "rows": rows}))
    server.shutdown()


if __name__ == "__main__":
    main()
