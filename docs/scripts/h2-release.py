#!/usr/bin/env python3
"""How fast one gateway process releases HTTP/2 streams whose client died (issue 25, point 3).

One gateway started as production runs it (java @jvm/sse-gateway.args -jar ...); per round, nghttp2's h2load
opens N cleartext h2 streams (1,000 per connection), holds them 2 s and is killed: the time until /health counts
0 streams, and the gateway's CPU (utime + stime from /proc) over that time.
  python3 docs/scripts/h2-release.py                 # after mvn package; N=100000, 3 rounds
  JAR=/tmp/other.jar N=20000 ROUNDS=1 python3 docs/scripts/h2-release.py
  JFR=1 python3 docs/scripts/h2-release.py           # a JFR profile of each release in target/h2-release/
Needs h2load (Debian: nghttp2-client). Ends the processes it started.
"""
import os
import signal
import subprocess
import time

from gateway_probe import cpu_seconds, start_gateway, streams

JAR = os.environ.get("JAR", "target/sse-gateway.jar")
PORT = int(os.environ.get("PORT", "18981"))
N = int(os.environ.get("N", "100000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
OUT = os.environ.get("OUT", "target/h2-release")
os.makedirs(OUT, exist_ok=True)


def jcmd(pid, *args):
    subprocess.run(["jcmd", str(pid)] + list(args), stdout=subprocess.DEVNULL, check=False)


gw = start_gateway(JAR, PORT, ["--max-streams", str(N + 1000), "--max-streams-per-client", "0",
                              "--h2-max-concurrent-streams", "1000", "--request-head-timeout", "60s"], f"{OUT}/gateway.log")
try:
    for r in range(ROUNDS):
        client = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                                   f"http://127.0.0.1:{PORT}/events?topic=r"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        t = time.monotonic()
        while streams(PORT) < N:
            time.sleep(0.1)
        opened = time.monotonic() - t
        time.sleep(2)
        if os.environ.get("JFR"):
            jcmd(gw.pid, "JFR.start", "name=release", "settings=profile")
        cpu = cpu_seconds(gw.pid)
        t = time.monotonic()
        client.kill()  # every connection ends at once, and every stream on it
        client.wait()
        while streams(PORT) != 0:
            time.sleep(0.02)
        took = time.monotonic() - t
        print(f"round {r + 1}: {N} streams opened in {opened:.1f} s; released {took:.2f} s after the client died, "
              f"gateway CPU meanwhile {cpu_seconds(gw.pid) - cpu:.2f} s", flush=True)
        if os.environ.get("JFR"):
            jcmd(gw.pid, "JFR.stop", "name=release", f"filename={OUT}/release-{r + 1}.jfr")
        time.sleep(3)
finally:
    gw.send_signal(signal.SIGTERM)
    gw.wait(60)
