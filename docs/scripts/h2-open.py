#!/usr/bin/env python3
"""How fast one gateway process opens N HTTP/2 streams requested all at once, and what that costs (issue 25, point 1).

One gateway started as production runs it (java @jvm/sse-gateway.args -jar ..., plus -Xlog:gc to OUT/gc.log), then
nghttp2's h2load opens N streams, 1,000 per connection, every connection at once. Prints the time until /health
counts all N, how much later the node settled (gateway_probe.settle: the streams' first writes, their status and
headers, are still going out when /health counts them), the CPU the gateway and h2load used until /health counted all
(/proc), the collector's young pauses (count and total), and RSS per stream once settled. /health is asked every
0.5 s with a long timeout: while the node opens a million streams its answer waits behind them, and a client that
gives up and asks again only adds requests to that queue.
Meanwhile a prober asks /ready once a second on the main port and on the management port, each with a 1 s timeout
as a Kubernetes probe does, and the script prints how many of each failed and how long the answers took.
Step 1 of h2-million.py, alone and quicker, to compare builds or JVM flags run by run:
  python3 docs/scripts/h2-open.py                                   # after mvn package; N=1000000
  JAR=/tmp/other.jar JVM="@jvm/sse-gateway.args -Xmn256m" python3 docs/scripts/h2-open.py
Needs h2load (Debian: nghttp2-client). Ends the processes it started.
"""
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

import gateway_probe

N = int(os.environ.get("N", "1000000"))
PORT = int(os.environ.get("PORT", "18993"))
MANAGEMENT_PORT = PORT + 1
JAR = os.environ.get("JAR", "target/sse-gateway.jar")
JAVA = os.environ.get("JAVA", "java")
JVM = os.environ.get("JVM", "@jvm/sse-gateway.args").split()
OUT = os.environ.get("OUT", "target/h2-open")
os.makedirs(OUT, exist_ok=True)


def probe(port):
    """One readiness probe as a kubelet makes it: a new connection, 1 s timeout. Seconds taken, or None if it failed."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as r:
            r.read()
            return time.monotonic() - start if r.status == 200 else None
    except OSError:
        return None


def probe_every_second(port, results, stop):
    """Appends to results the probes of port, one a second, until stop is set."""
    while not stop.is_set():
        start = time.monotonic()
        results.append(probe(port))
        stop.wait(max(0.0, 1 - (time.monotonic() - start)))


def probes_report(name, results):
    taken = sorted(t for t in results if t is not None)
    slowest = f", slowest {taken[-1] * 1000:.0f} ms, median {taken[len(taken) // 2] * 1000:.0f} ms" if taken else ""
    return f"{name}: {len(results) - len(taken)} of {len(results)} failed{slowest}"


def streams():
    """Open streams from /health, waiting as long as the node takes to answer (up to 60 s); -1 if it does not."""
    return gateway_probe.streams(PORT, timeout=60)


gw = gateway_probe.start_gateway(JAR, PORT, ["--max-streams", str(N + 1000), "--max-streams-per-client", "0",
                                             "--h2-max-concurrent-streams", "1000", "--request-head-timeout", "60s",
                                             "--management-port", str(MANAGEMENT_PORT)],
                                  f"{OUT}/gateway.log", java=JAVA, jvm=JVM + [f"-Xlog:gc:file={OUT}/gc.log"])
h2 = None
try:
    time.sleep(2)
    answers, stop_probing = {PORT: [], MANAGEMENT_PORT: []}, threading.Event()
    probers = [threading.Thread(target=probe_every_second, args=(port, results, stop_probing), daemon=True)
               for port, results in answers.items()]
    for prober in probers:
        prober.start()
    cpu0, t0 = gateway_probe.cpu_seconds(gw.pid), time.monotonic()
    h2 = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                           f"http://127.0.0.1:{PORT}/events?topic=b"],
                          stdout=open(f"{OUT}/h2load.log", "w"), stderr=subprocess.STDOUT)
    while (now := streams()) < N:
        if h2.poll() is not None or gw.poll() is not None or time.monotonic() - t0 > 300:
            sys.exit(f"{now} of {N} open when a process ended or 300 s passed: {OUT}/h2load.log, {OUT}/gateway.log")
        time.sleep(0.5)
    opened = time.monotonic() - t0
    stop_probing.set()
    for prober in probers:
        prober.join()
    gateway_cpu, h2load_cpu = gateway_probe.cpu_seconds(gw.pid) - cpu0, gateway_probe.cpu_seconds(h2.pid)
    with open(f"{OUT}/gc.log") as f:
        pauses = [float(ms) for ms in re.findall(r"Pause Young.* ([0-9.]+)ms", f.read())]
    settled = gateway_probe.settle(gw.pid)
    print(f"{N} streams open in {opened:.1f} s (the node settled {settled:.1f} s later: first writes out); "
          f"gateway CPU {gateway_cpu:.1f} s, h2load CPU {h2load_cpu:.1f} s; "
          f"{len(pauses)} young collections, {sum(pauses) / 1000:.1f} s of pauses; "
          f"RSS {gateway_probe.rss_bytes(gw.pid) // N} B per stream", flush=True)
    print(f"/ready probes (1 s timeout) while opening: {probes_report('main port', answers[PORT])}; "
          f"{probes_report('management port', answers[MANAGEMENT_PORT])}", flush=True)
finally:
    for process in (h2, gw):
        if process is not None:
            process.kill()
            process.wait()
