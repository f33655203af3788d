#!/usr/bin/env python3
"""Full-page pictures of every page kind of a built site, for a person to look at.

Drives Debian's chromium through chromedriver (W3C WebDriver plus Chrome's
DevTools commands), so it can emulate a phone, dark mode and print:

  * every page kind at 1280x900 and 390x844 (a phone, touch), light and dark;
  * the printed onboarding path, role page, journey and matrix, one PNG per
    sheet (needs pdftoppm from Debian's poppler-utils);
  * heights.tsv: document.documentElement.scrollHeight of each page and width.

  bench/screenshots.py SITE_DIR OUT_DIR [--only role,journey] [--no-dark]

SITE_DIR is a built site (`touchstone build --output SITE_DIR`); it is served
over HTTP on a free port so search works. Standard library only.
"""

import argparse
import base64
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

# Page kind -> path in the sample playbook. Override with --pages kind=path,...
PAGES = {
    "home": "",
    "standards": "standards/",
    "standard": "standards/tell-us-once/",
    "mantras": "mantras/",
    "mantra": "mantras/call-before-they-chase/",
    "roles": "roles/",
    "role": "roles/delivery-driver/",
    "onboarding": "roles/delivery-driver/onboarding/",
    "personas": "personas/",
    "persona": "personas/juggling-parent/",
    "journey": "journey/",
    "stage": "journey/core/",
    "moment": "journey/core/delivery-day/",
    "accountability": "accountability/",
    "health": "health/",
    "stories": "stories/",
    "story": "stories/they-knocked/",
    "search": "search/?q=refund",
    "guide": "guides/how-to-write-a-standard/",
    "notfound": "404.html",
}
SIZES = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
PRINTED = ["onboarding", "role", "journey", "accountability"]


class Driver:
    """The few WebDriver and DevTools calls the pictures need."""

    def __init__(self):
        port = free_port()
        self.proc = subprocess.Popen(
            ["chromedriver", f"--port={port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.profile = tempfile.mkdtemp()
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        args = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={self.profile}",
        ]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]

    def cdp(self, cmd, **params):
        return self.call("POST", f"/session/{self.session}/goog/cdp/execute",
                         {"cmd": cmd, "params": params})

    def eval(self, script):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": script, "args": []})

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})
        for _ in range(100):
            if self.eval("return document.readyState") == "complete":
                break
            time.sleep(0.05)
        time.sleep(0.4)  # search results and scripts settle

    def emulate(self, width, height, phone, dark):
        self.cdp("Emulation.setDeviceMetricsOverride", width=width, height=height,
                 deviceScaleFactor=1, mobile=phone)
        self.cdp("Emulation.setTouchEmulationEnabled", enabled=phone)
        self.cdp("Emulation.setEmulatedMedia", media="", features=[
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"},
            {"name": "pointer", "value": "coarse" if phone else "fine"},
            {"name": "hover", "value": "none" if phone else "hover"},
        ])

    def full_page_png(self, width):
        height = self.eval("return document.documentElement.scrollHeight")
        shot = self.cdp("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        return base64.b64decode(shot["data"]), height

    def pdf(self):
        self.cdp("Emulation.setEmulatedMedia", media="print", features=[])
        out = self.cdp("Page.printToPDF", printBackground=True, displayHeaderFooter=False,
                       paperWidth=8.27, paperHeight=11.69)
        return base64.b64decode(out["data"])

    def quit(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site):
    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--only", help="comma-separated page kinds")
    ap.add_argument("--pages", help="kind=path,... to add or override pages")
    ap.add_argument("--no-dark", action="store_true")
    ap.add_argument("--no-print", action="store_true")
    args = ap.parse_args()

    pages = dict(PAGES)
    if args.pages:
        pages.update(p.split("=", 1) for p in args.pages.split(","))
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only.split(",")}
    os.makedirs(args.out, exist_ok=True)
    server = serve(args.site)
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = Driver()
    heights = []
    try:
        for kind, path in pages.items():
            for size, (width, height, phone) in SIZES.items():
                for dark in [False] if args.no_dark else [False, True]:
                    driver.emulate(width, height, phone, dark)
                    driver.goto(root + path)
                    png, page_height = driver.full_page_png(width)
                    name = f"{kind}-{size}-{'dark' if dark else 'light'}.png"
                    with open(os.path.join(args.out, name), "wb") as f:
                        f.write(png)
                    if not dark:
                        heights.append((kind, size, page_height))
                    print(name, page_height)
            if kind in PRINTED and not args.no_print:
                driver.emulate(1280, 900, False, False)
                driver.goto(root + path)
                pdf = os.path.join(args.out, f"{kind}-print.pdf")
                with open(pdf, "wb") as f:
                    f.write(driver.pdf())
                if shutil.which("pdftoppm"):
                    subprocess.run(["pdftoppm", "-png", "-r", "60", pdf,
                                    os.path.join(args.out, f"{kind}-print")], check=True)
                print(pdf)
    finally:
        driver.quit()
        server.shutdown()
    with open(os.path.join(args.out, "heights.tsv"), "w") as f:
        f.write("page\twidth\theight\n")
        for kind, size, h in heights:
            f.write(f"{kind}\t{size}\t{h}\n")


if __name__ == "__main__":
    sys.exit(main())
