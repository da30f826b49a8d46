#!/usr/bin/env python3
"""One gateway process holding N HTTP/2 streams (issue 25): open, fan out, heartbeats, scrapes, resets, SIGTERM.

One gateway started as production runs it (java @jvm/sse-gateway.args -Xmn<512 B per stream> -jar ...), N cleartext
h2 streams held by nghttp2's h2load (1,000 per connection, every connection at once), then, printing each figure as it
is measured:
  1. the time until /health counts all N, how much later the node settled (its first writes out), RSS per stream
     (the process's whole RSS over N), live heap per stream (class histograms, each after a full collection, before
     opening and after the node settled; the second in OUT/histogram.txt);
  2. broadcasts of 1,000 bytes: time until the gateway handed all N writes to Jetty, p99 of publish-to-write
     (sse_publish_to_write_seconds), gateway CPU per delivery (the process's CPU over the broadcast minus its idle
     CPU over as long), heap after; then one broadcast every 5 s for SUSTAIN seconds, heap and queued bytes after;
  3. /metrics and /health answer times (health while a broadcast runs), heartbeat writes per second over
     30 s idle (max and mean), a second h2load of RESET streams killed at once: time until the gateway released
     them; SIGTERM: time until the process exited (drain-timeout 10 s).
  python3 docs/scripts/h2-million.py                      # after mvn package; N=1000000 by default
  N=100000 SUSTAIN=0 python3 docs/scripts/h2-million.py   # a quick look
  GATEWAY_ARGS="--request-head-timeout 60s" python3 docs/scripts/h2-million.py   # more gateway settings
  JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JVM="@jvm/sse-gateway.args -Xmn538m -XX:+UseCompactObjectHeaders" \
      python3 docs/scripts/h2-million.py                  # another JDK, other JVM flags (default: the profile and -Xmn for N)
Needs h2load (Debian: nghttp2-client) and jcmd. Ends the processes it started.
"""
import os
import re
import signal
import subprocess
import sys
import time

import gateway_probe

N = int(os.environ.get("N", "1000000"))
RESET = int(os.environ.get("RESET", str(min(100000, N // 10))))
SUSTAIN = int(os.environ.get("SUSTAIN", "120"))
PORT = int(os.environ.get("PORT", "18992"))
JAR = os.environ.get("JAR", "target/sse-gateway.jar")
JAVA = os.environ.get("JAVA", "java")
JVM = os.environ["JVM"].split() if "JVM" in os.environ else gateway_probe.profile_for(N + RESET + 1000)
JCMD = os.path.join(os.path.dirname(JAVA), "jcmd")  # the JDK's own: "jcmd" when JAVA is "java"
OUT = os.environ.get("OUT", "target/h2-million")
DATA = b"x" * 1000
os.makedirs(OUT, exist_ok=True)


def get(path):
    return gateway_probe.get(PORT, path)


def timed_get(path):
    t = time.monotonic()
    body = get(path)
    return time.monotonic() - t, body


def publish():
    gateway_probe.publish(PORT, "b", DATA)


def streams():
    return gateway_probe.streams(PORT)


def buckets(text):
    """Cumulative counts of sse_publish_to_write_seconds by upper bound."""
    out = {}
    for le, v in re.findall(r'^sse_publish_to_write_seconds_bucket\{le="([^"]+)"\} ([0-9.eE+-]+)$', text, re.M):
        out[float("inf") if le == "+Inf" else float(le)] = float(v)
    return out


def p99(before, after):
    """The upper bound of the bucket holding the 99th percentile of what arrived between two scrapes."""
    delta = sorted((le, after[le] - before.get(le, 0)) for le in after)
    total = delta[-1][1] if delta else 0
    for le, count in delta:
        if total and count >= 0.99 * total:
            return le
    return float("nan")


def histogram_total(text):
    """The bytes of the 'Total' line of a class histogram."""
    return int(re.search(r"^Total\s+\d+\s+(\d+)", text, re.M).group(1))


def heap_used_mb(pid):
    out = subprocess.run([JCMD, str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    used = [int(u) for u in re.findall(r"used (\d+)K", out)]
    return sum(used[:2]) / 1024 if used else float("nan")


def say(line):
    print(line, flush=True)


gw = gateway_probe.start_gateway(JAR, PORT, ["--max-streams", str(N + RESET + 1000), "--max-streams-per-client", "0",
                                             "--h2-max-concurrent-streams", "1000"] + os.environ.get("GATEWAY_ARGS", "").split(),
                                  f"{OUT}/gateway.log", java=JAVA, jvm=JVM)
loads = []
try:

    # 1. Open N streams, every connection at once.
    heap_before = histogram_total(subprocess.run([JCMD, str(gw.pid), "GC.class_histogram"],
                                                 capture_output=True, text=True).stdout)
    t0 = time.monotonic()
    h2 = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                           f"http://127.0.0.1:{PORT}/events?topic=b"],
                          stdout=open(f"{OUT}/h2load.log", "w"), stderr=subprocess.STDOUT)
    loads.append(h2)
    last, since = -1, time.monotonic()
    while (now := streams()) < N:
        if h2.poll() is not None or gw.poll() is not None:
            sys.exit(f"a process ended with {now} streams open: {OUT}/h2load.log, {OUT}/gateway.log")
        if now < 0 and time.monotonic() - t0 > 300:
            sys.exit("/health did not answer for 300 s")
        if now != last or now < 0:  # -1: /health did not answer within 5 s, the node is busy opening
            last, since = now, time.monotonic()
        elif time.monotonic() - since > 15:
            break  # h2load does not retry a connection that failed: go on with what it holds
        time.sleep(0.1)
    opened = time.monotonic() - t0 - (15 if now < N else 0)
    say(f"1. streams open: {now} of {N} in {opened:.1f} s (h2load: {N // 1000} connections at once, 1,000 each)")
    N = now
    say(f"   the node settled (CPU under 0.2 s a second: first writes out) {gateway_probe.settle(gw.pid):.1f} s later")
    rss = gateway_probe.rss_bytes(gw.pid) // 1024
    say(f"   gateway RSS: {rss} kB, {rss * 1024 // N} B per stream")
    histogram = subprocess.run([JCMD, str(gw.pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    with open(f"{OUT}/histogram.txt", "w") as f:
        f.write(histogram)
    say(f"   live heap: {(histogram_total(histogram) - heap_before) // N} B per stream (class histograms before and after)")

    # 2. Broadcasts.
    for _ in range(5):  # warm-up: JIT
        publish()
        time.sleep(5)
    i0 = gateway_probe.cpu_seconds(gw.pid)
    time.sleep(10)
    idle_per_s = (gateway_probe.cpu_seconds(gw.pid) - i0) / 10
    for n in range(3):
        m0 = get("/metrics")
        w0, b0 = gateway_probe.metric(m0, "sse_socket_writes_total"), buckets(m0)
        c0, t = gateway_probe.cpu_seconds(gw.pid), time.monotonic()
        publish()
        health = []
        while True:
            dt, m1 = timed_get("/metrics")
            if gateway_probe.metric(m1, "sse_socket_writes_total") - w0 >= N:
                break
            health.append(timed_get("/health")[0])
        done = time.monotonic() - t
        c1 = gateway_probe.cpu_seconds(gw.pid)
        time.sleep(max(0.0, 5 - done))
        cpu_us = ((c1 - c0) - idle_per_s * done) * 1e6 / N
        say(f"2. broadcast {n + 1}: all {N} writes handed to Jetty in {done:.2f} s, p99 publish-to-write "
            f"<= {p99(b0, buckets(m1)):g} s, {cpu_us:.2f} us gateway CPU per delivery; "
            f"/health during it: max {max(health, default=0) * 1000:.0f} ms over {len(health)} asks")
    say(f"   heap used after: {heap_used_mb(gw.pid):.0f} MB, idle CPU {idle_per_s * 1000:.0f} ms/s")
    if SUSTAIN > 0:
        heap0 = heap_used_mb(gw.pid)
        end = time.monotonic() + SUSTAIN
        while time.monotonic() < end:
            publish()
            time.sleep(5)
        m = get("/metrics")
        subprocess.run([JCMD, str(gw.pid), "GC.run"], capture_output=True)
        say(f"   sustained: one broadcast every 5 s for {SUSTAIN} s; heap used {heap0:.0f} MB before, "
            f"{heap_used_mb(gw.pid):.0f} MB after (after a GC), queued {gateway_probe.metric(m, 'sse_queued_bytes'):.0f} B")

    # 3. Scrapes, heartbeats, resets, SIGTERM.
    scrapes = [timed_get("/metrics")[0] for _ in range(5)]
    say(f"3. /metrics: {min(scrapes) * 1000:.0f}-{max(scrapes) * 1000:.0f} ms over 5 scrapes; "
        f"/health: {timed_get('/health')[0] * 1000:.0f} ms")
    per_s, last = [], gateway_probe.metric(get("/metrics"), "sse_socket_writes_total")
    for _ in range(30):
        time.sleep(1)
        now = gateway_probe.metric(get("/metrics"), "sse_socket_writes_total")
        per_s.append(now - last)
        last = now
    say(f"   heartbeat writes per second over 30 s idle: max {max(per_s):.0f}, mean {sum(per_s) / len(per_s):.0f} "
        f"(all {N} at once would be one second of {N})")
    if RESET > 0:
        before = streams()
        extra = subprocess.Popen(["h2load", "-c", str(RESET // 1000), "-m", "1000", "-n", str(RESET), "-t", "1",
                                  f"http://127.0.0.1:{PORT}/events?topic=r"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        loads.append(extra)
        while streams() < before + RESET:
            time.sleep(0.1)
        t = time.monotonic()
        extra.kill()  # its connections end at once: every one of their streams is gone
        # -1 is a /health that did not answer within 5 s (the node is busy releasing): not released yet.
        while (left := streams()) > before or left < 0:
            time.sleep(0.02)
        say(f"   {RESET} streams whose client died released in {time.monotonic() - t:.2f} s")
    t = time.monotonic()
    gw.send_signal(signal.SIGTERM)
    code = gw.wait(120)
    say(f"   SIGTERM with {N} streams: exited {code} after {time.monotonic() - t:.1f} s (drain-timeout 10 s)")
    for line in open(f"{OUT}/gateway.log"):
        if "shutdown" in line:
            say("   gateway: " + line.strip()[:200])
finally:
    for p in loads:
        if p.poll() is None:
            p.kill()
    if gw.poll() is None:
        gw.kill()
    gw.wait()
