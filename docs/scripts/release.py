#!/usr/bin/env python3
"""How long a node holds streams whose clients vanished: a `storm` process holds N streams, is
SIGKILLed, and /metrics is polled every 20 ms until sse_streams_open is 0.
Usage: release.py [gateway base URL] [clients]   (a gateway must be running; see docs/performance.md)"""
import os, re, signal, subprocess, sys, time, urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18080"
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
jar = os.path.join(os.path.dirname(__file__), "..", "..", "target", "sse-gateway.jar")

def open_streams():
    body = urllib.request.urlopen(base + "/metrics").read().decode()
    return float(re.search(r"^sse_streams_open (\S+)$", body, re.M).group(1))

storm = subprocess.Popen(["java", "-Xmx1g", "-jar", jar, "storm", "--url", base + "/events?topic=kill",
                          "--clients", str(clients), "--source-addresses", "127.0.0.20-127.0.0.27", "--hold", "-1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 120
while open_streams() < clients and time.monotonic() < deadline:
    time.sleep(0.2)
print("open before SIGKILL:", open_streams())
start = time.monotonic()
os.kill(storm.pid, signal.SIGKILL)
while open_streams() > 0 and time.monotonic() - start < 60:
    time.sleep(0.02)
print("sse_streams_open back to 0 %.0f ms after SIGKILL of the process holding %d streams"
      % ((time.monotonic() - start) * 1000, clients))
storm.wait()
