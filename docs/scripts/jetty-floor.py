#!/usr/bin/env python3
"""What Jetty itself costs per held HTTP/2 stream, at three depths of its stack (issue 25).

For each mode of docs/scripts/JettyFloor.java (a bare Jetty holding every request as a stream; servlet: an ee10
async servlet, core: Jetty's core Handler API, http2: Jetty's HTTP/2 API below the HTTP layer) started with the
production profile, N h2c streams opened by h2load (1,000 per connection), then live heap per stream (class
histograms after full collections, before and after), RSS per stream, gateway-free CPU per delivery over
BROADCASTS broadcasts of 1,000 bytes 5 s apart (the process's CPU over each 5 s, idle included), and the time
until RESET more streams are released after their h2load is killed.
  python3 docs/scripts/jetty-floor.py               # after mvn package; N=100000, RESET=10000
  N=1000000 BROADCASTS=3 MODES="core http2" python3 docs/scripts/jetty-floor.py
Needs h2load (Debian: nghttp2-client) and jcmd. Ends the processes it started.
"""
import os
import re
import subprocess
import time

from gateway_probe import cpu_seconds, rss_bytes

JAR = os.environ.get("JAR", "target/sse-gateway.jar")
PORT = int(os.environ.get("PORT", "18996"))
N = int(os.environ.get("N", "100000"))
BROADCASTS = int(os.environ.get("BROADCASTS", "5"))
RESET = int(os.environ.get("RESET", str(min(100000, N // 10))))
OUT = os.environ.get("OUT", "target/jetty-floor")
os.makedirs(OUT, exist_ok=True)


def heap_bytes(pid, name):
    """Live heap (the histogram's total, after a full collection); the histogram is kept in OUT."""
    text = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    with open(f"{OUT}/{name}.txt", "w") as f:
        f.write(text)
    return int(re.search(r"^Total\s+\d+\s+(\d+)", text, re.M).group(1))


for mode in os.environ.get("MODES", "servlet core http2").split():
    floor = subprocess.Popen(["java", "@jvm/sse-gateway.args", "-cp", JAR, "docs/scripts/JettyFloor.java", mode, str(PORT)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = None
    try:
        def ask(command):
            floor.stdin.write(command + "\n")
            floor.stdin.flush()
            while not (line := floor.stdout.readline()).startswith(command + ":"):
                if not line:
                    raise SystemExit(f"JettyFloor {mode} ended")
            return int(re.search(r": (\d+) streams", line).group(1))

        ask("count")  # answers once the server has started
        heap0, rss0 = heap_bytes(floor.pid, f"{mode}-before"), rss_bytes(floor.pid)
        client = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                                   f"http://127.0.0.1:{PORT}/events"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        t = time.monotonic()
        while ask("count") < N:
            time.sleep(0.2)
        opened = time.monotonic() - t
        time.sleep(3)
        heap1, rss1 = heap_bytes(floor.pid, f"{mode}-after"), rss_bytes(floor.pid)
        per_delivery = []
        for _ in range(BROADCASTS):
            c = cpu_seconds(floor.pid)
            ask("broadcast")
            time.sleep(5)
            per_delivery.append((cpu_seconds(floor.pid) - c) * 1e6 / N)
        released = ""
        if RESET > 0:
            extra = subprocess.Popen(["h2load", "-c", str(RESET // 1000), "-m", "1000", "-n", str(RESET), "-t", "1",
                                      f"http://127.0.0.1:{PORT}/events"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            while ask("count") < N + RESET:
                time.sleep(0.1)
            t = time.monotonic()
            extra.kill()  # its connections end at once: every one of their streams is gone
            extra.wait()
            # A servlet container may hear of a dropped stream only when it next writes: give up after 60 s.
            while (left := ask("count") - N) > 0 and time.monotonic() - t < 60:
                time.sleep(0.02)
            released = (f"; {RESET} streams whose client died released in {time.monotonic() - t:.2f} s" if left <= 0
                        else f"; {left} of {RESET} streams whose client died still held after 60 s")
        print(f"{mode}: {N} streams held in {opened:.1f} s; heap {(heap1 - heap0) / N:.0f} B and RSS "
              f"{(rss1 - rss0) / N:.0f} B per stream; CPU per delivery (idle included) "
              + " ".join(f"{us:.2f}" for us in per_delivery) + " us" + released, flush=True)
    finally:
        if client:
            client.kill()
        floor.kill()
        floor.wait()
