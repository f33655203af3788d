#!/usr/bin/env python3
"""What hostile or careless clients cost `touchstone serve`: threads and
resident memory (from /proc/<pid>/status) before and after each probe, and
how quickly a normal request and a normal live-reload page are still served.

    bench/serve_hostile.py [BINARY]     default: target/debug/touchstone

Probes, in order, on the sample playbook (`touchstone init --sample`):
  idle       300 connections that send nothing
  trickle    50 connections sending one header byte every 200 ms
  endless    4 connections sending endless headers (64 MB each at most)
  limits     a 9 KB URL and a 17 KB header
  flood      1,000 connections opened at once, each asking for a page
  reload     a live-reload page that stops reading, while another page
             receives the events of 10 saves that each make 2,000 errors,
             then of 5 saves that build
Linux only (it reads /proc). Prints one line per figure.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/touchstone")


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.split()[0] if value.split() else ""
    return int(fields["VmRSS"]), int(fields["Threads"])


def report(label, pid):
    rss, threads = status(pid)
    print(f"  {label:<28} threads {threads:>4}   rss {rss / 1024:7.1f} MB", flush=True)


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def get(port, path="/roles/", timeout=10):
    start = time.monotonic()
    s = connect(port, timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    data = b""
    try:
        while chunk := s.recv(65536):
            data += chunk
    except OSError:
        pass
    s.close()
    line = data.split(b"\r\n", 1)[0].decode(errors="replace")
    return line, (time.monotonic() - start) * 1000


def closed_by_server(sockets, wait):
    """How many of `sockets` the server closed within `wait` seconds."""
    deadline = time.monotonic() + wait
    closed = 0
    for s in sockets:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            while s.recv(65536):
                pass
            closed += 1
        except OSError:
            pass
        s.close()
    return closed


def probe_idle(port, pid):
    print("idle: 300 connections that send nothing")
    report("before", pid)
    held = [connect(port) for _ in range(300)]
    time.sleep(1)
    report("300 idle connections held", pid)
    line, ms = get(port)
    print(f"  a normal GET meanwhile: {line!r} in {ms:.0f} ms")
    closed = closed_by_server(held, 8)
    print(f"  closed by the server within 8 s: {closed} of 300")
    report("after", pid)


def probe_trickle(port, pid):
    print("trickle: 50 connections sending a header byte every 200 ms")
    socks = [connect(port) for _ in range(50)]
    for s in socks:
        s.sendall(b"GET / HTTP/1.1\r\n")
    start = time.monotonic()
    alive = list(socks)
    cut = {}
    while alive and time.monotonic() - start < 20:
        for s in list(alive):
            try:
                s.sendall(b"X")
            except OSError:
                cut[s] = time.monotonic() - start
                alive.remove(s)
        time.sleep(0.2)
        if int((time.monotonic() - start) * 5) == 5:
            report("after 1 s of trickling", pid)
    print(f"  cut off: {len(cut)} of 50, after {max(cut.values(), default=0):.1f} s at most")
    report("after", pid)
    for s in socks:
        s.close()


def probe_endless(port, pid):
    print("endless: 4 connections sending endless headers, 64 MB each at most")
    report("before", pid)
    answers = []

    def send():
        s = connect(port, timeout=15)
        line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
        sent = 0
        try:
            s.sendall(b"GET / HTTP/1.1\r\n")
            while sent < 64 << 20:
                s.sendall(line)
                sent += len(line)
        except OSError:
            pass
        try:
            answers.append((sent, s.recv(100).split(b"\r\n")[0].decode()))
        except OSError as e:
            answers.append((sent, f"no answer ({e.__class__.__name__})"))
        s.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    peak = [0]

    def watch():
        while True:
            peak[0] = max(peak[0], status(pid)[0])
            if not any(t.is_alive() for t in threads):
                return
            time.sleep(0.02)

    for t in threads:
        t.start()
    w = threading.Thread(target=watch)
    w.start()
    for t in threads:
        t.join()
    w.join()
    for sent, answer in answers:
        print(f"  sent {sent / (1 << 20):5.1f} MB, answer {answer!r}")
    print(f"  peak rss while sending: {peak[0] / 1024:.1f} MB")
    report("after", pid)


def probe_limits(port):
    print("limits: a 9 KB URL and a 17 KB header")
    line, _ = get(port, "/" + "a" * 9 * 1024)
    print(f"  9 KB URL: {line!r}")
    s = connect(port)
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"b" * 17 * 1024 + b"\r\n\r\n")
    answer = s.recv(100).split(b"\r\n")[0].decode()
    print(f"  17 KB header: {answer!r}")
    s.close()


def probe_flood(port, pid):
    print("flood: 1,000 connections at once, each asking for a page")
    report("before", pid)
    results = []
    lock = threading.Lock()

    def one():
        try:
            line, ms = get(port, timeout=30)
        except OSError as e:
            line, ms = f"error {e.__class__.__name__}", 0
        with lock:
            results.append((line, ms))

    threads = [threading.Thread(target=one) for _ in range(1000)]
    start = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.5)
    report("during", pid)
    for t in threads:
        t.join()
    took = time.monotonic() - start
    counts = {}
    for line, _ in results:
        key = line.split(" ", 1)[1] if line.startswith("HTTP/") else line
        counts[key] = counts.get(key, 0) + 1
    slowest = max(ms for _, ms in results)
    print(f"  answers: {counts}, all in {took:.1f} s, slowest {slowest:.0f} ms")
    report("after", pid)


def events(port, out):
    s = connect(port, timeout=60)
    s.sendall(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    buf = b""
    event = None
    try:
        while chunk := s.recv(65536):
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"event: "):
                    event = line[7:].decode()
                elif line.startswith(b"data: "):
                    out.append((time.monotonic(), event, len(line) - 6))
    except OSError:
        pass


def probe_reload(port, pid, root):
    print("reload: a page that stops reading; another page, 10 saves of 2,000 errors")
    stuck = connect(port)
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.sendall(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    received = []
    threading.Thread(target=events, args=(port, received), daemon=True).start()
    time.sleep(0.5)
    report("before", pid)
    lags = []
    for save in range(10):
        owns = "".join(f"  - missing-moment-{i:04}\n" for i in range(2000))
        seen = len(received)
        start = time.monotonic()
        with open(os.path.join(root, "content/roles/probe.md"), "w") as f:
            f.write(f"---\ntitle: Probe {save}\nowns:\n{owns}---\n")
        while len(received) == seen and time.monotonic() - start < 20:
            time.sleep(0.005)
        if len(received) == seen:
            print(f"  save {save}: no event within 20 s")
            lags.append(None)
            continue
        at, event, size = received[seen]
        lags.append((at - start) * 1000)
        print(f"  save {save}: {event} after {lags[-1]:.0f} ms, {size} bytes of data")
        time.sleep(0.2)
    for save in range(5):
        seen = len(received)
        start = time.monotonic()
        with open(os.path.join(root, "content/roles/probe.md"), "w") as f:
            f.write(f"---\ntitle: Probe fixed {save}\n---\n")
        while len(received) == seen and time.monotonic() - start < 20:
            time.sleep(0.005)
        if len(received) == seen:
            print(f"  good save {save}: no event within 20 s")
            continue
        at, event, _ = received[seen]
        print(f"  good save {save}: {event} after {(at - start) * 1000:.0f} ms")
        time.sleep(0.2)
    report("after", pid)
    stuck.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "site")
        subprocess.run([BINARY, "init", "--sample", root], check=True, capture_output=True)
        server = subprocess.Popen(
            [BINARY, "serve", "--port", "0", "--root", root],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            port = None
            for line in server.stdout:
                if "http://127.0.0.1:" in line:
                    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
                    break
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            print(f"{BINARY} serving on port {port}, pid {server.pid}")
            probe = sys.argv[2:] or ["idle", "trickle", "endless", "limits", "flood", "reload"]
            for name in probe:
                if name == "idle":
                    probe_idle(port, server.pid)
                elif name == "trickle":
                    probe_trickle(port, server.pid)
                elif name == "endless":
                    probe_endless(port, server.pid)
                elif name == "limits":
                    probe_limits(port)
                elif name == "flood":
                    probe_flood(port, server.pid)
                elif name == "reload":
                    probe_reload(port, server.pid, root)
                time.sleep(1)
        finally:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
