#!/usr/bin/env python3
"""How fast one gateway process opens N HTTP/2 streams requested all at once, and what that costs (issue 25, point 1).

One gateway started as production runs it (java @jvm/sse-gateway.args -jar ..., plus -Xlog:gc to OUT/gc.log), then
nghttp2's h2load opens N streams, 1,000 per connection, every connection at once. Prints the time until /health
counts all N, the CPU the gateway and h2load used meanwhile (/proc), the collector's young pauses (count and total),
and RSS per stream. /health is asked every 0.5 s with a long timeout: while the node opens a million streams its
answer waits behind them, and a client that gives up and asks again only adds requests to that queue.
Step 1 of h2-million.py, alone and quicker, to compare builds or JVM flags run by run:
  python3 docs/scripts/h2-open.py                                   # after mvn package; N=1000000
  JAR=/tmp/other.jar JVM="@jvm/sse-gateway.args -Xmn256m" python3 docs/scripts/h2-open.py
Needs h2load (Debian: nghttp2-client). Ends the processes it started.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import gateway_probe

N = int(os.environ.get("N", "1000000"))
PORT = int(os.environ.get("PORT", "18993"))
JAR = os.environ.get("JAR", "target/sse-gateway.jar")
JAVA = os.environ.get("JAVA", "java")
JVM = os.environ.get("JVM", "@jvm/sse-gateway.args").split()
OUT = os.environ.get("OUT", "target/h2-open")
os.makedirs(OUT, exist_ok=True)


def streams():
    """Open streams from /health, waiting as long as the node takes to answer; -1 if it does not."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=60) as r:
            return json.loads(r.read())["streams"]
    except OSError:
        return -1


gw = subprocess.Popen([JAVA] + JVM + [f"-Xlog:gc:file={OUT}/gc.log", "-jar", JAR, "--port", str(PORT),
                       "--host", "127.0.0.1", "--max-streams", str(N + 1000), "--max-streams-per-client", "0",
                       "--h2-max-concurrent-streams", "1000", "--request-head-timeout", "60s"],
                      stdout=open(f"{OUT}/gateway.log", "w"), stderr=subprocess.STDOUT)
h2 = None
try:
    for _ in range(150):
        if gateway_probe.streams(PORT) >= 0:
            break
        time.sleep(0.2)
    else:
        sys.exit(f"the gateway did not start: {OUT}/gateway.log")
    time.sleep(2)
    cpu0, t0 = gateway_probe.cpu_seconds(gw.pid), time.monotonic()
    h2 = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                           f"http://127.0.0.1:{PORT}/events?topic=b"],
                          stdout=open(f"{OUT}/h2load.log", "w"), stderr=subprocess.STDOUT)
    while (now := streams()) < N:
        if h2.poll() is not None or gw.poll() is not None or time.monotonic() - t0 > 300:
            sys.exit(f"{now} of {N} open when a process ended or 300 s passed: {OUT}/h2load.log, {OUT}/gateway.log")
        time.sleep(0.5)
    opened = time.monotonic() - t0
    gateway_cpu, h2load_cpu = gateway_probe.cpu_seconds(gw.pid) - cpu0, gateway_probe.cpu_seconds(h2.pid)
    with open(f"{OUT}/gc.log") as f:
        pauses = [float(ms) for ms in re.findall(r"Pause Young.* ([0-9.]+)ms", f.read())]
    print(f"{N} streams open in {opened:.1f} s; gateway CPU {gateway_cpu:.1f} s, h2load CPU {h2load_cpu:.1f} s; "
          f"{len(pauses)} young collections, {sum(pauses) / 1000:.1f} s of pauses; "
          f"RSS {gateway_probe.rss_bytes(gw.pid) // N} B per stream", flush=True)
finally:
    for process in (h2, gw):
        if process is not None:
            process.kill()
            process.wait()
