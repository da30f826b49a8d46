#!/usr/bin/env python3
"""Where a broadcast to N held HTTP/2 streams spends the gateway's CPU, broadcast by broadcast (issue 25, point 2).

One gateway started as h2-million.py starts it (the profile, -Xmn for N, -Xlog:gc into OUT/gc.log), N cleartext h2
streams held by h2load (1,000 per connection, every connection at once), five unmeasured broadcasts of 1,000 bytes
5 s apart, then one measured broadcast after each pause in GAPS (seconds before it, at least 5). Per broadcast: the
time until the gateway handed all N writes to Jetty, its CPU (user + sys, from /proc), and the CPU of each kind of
thread (the collector's "GC Thread#", "C2 CompilerThread", the pumps, Jetty's "sse-http", the rest) from
/proc/PID/task/*/stat, counted from the publication to 4.5 s after it. A broadcast that a young collection fell in
shows its collector threads; one that C2 still compiled for shows C2.
  python3 docs/scripts/h2-broadcast-cost.py                     # after mvn package; N=1000000
  N=100000 GAPS="5 10" python3 docs/scripts/h2-broadcast-cost.py
  JVM="@jvm/sse-gateway.args -Xmn977m" python3 docs/scripts/h2-broadcast-cost.py   # other JVM flags
Needs h2load (Debian: nghttp2-client). Ends the processes it started.
"""
import glob
import os
import signal
import subprocess
import time

import gateway_probe

N = int(os.environ.get("N", "1000000"))
PORT = int(os.environ.get("PORT", "18995"))
JAR = os.environ.get("JAR", "target/sse-gateway.jar")
GAPS = [max(5, int(g)) for g in os.environ.get("GAPS", "10 5 5 15 5 5 10 5").split()]
OUT = os.environ.get("OUT", "target/h2-broadcast-cost")
os.makedirs(OUT, exist_ok=True)
JVM = (os.environ["JVM"].split() if "JVM" in os.environ else gateway_probe.profile_for(N + 1000)) \
    + [f"-Xlog:gc:file={OUT}/gc.log"]


def publish():
    gateway_probe.publish(PORT, "b", b"x" * 1000)


def socket_writes():
    return gateway_probe.metric(gateway_probe.get(PORT, "/metrics"), "sse_socket_writes_total")


def kind(thread_name):
    for prefix, name in (("GC Thread", "collector"), ("C2 Compiler", "C2"), ("sse-http", "jetty")):
        if thread_name.startswith(prefix):
            return name
    return "pumps" if "pump" in thread_name.lower() else "rest"


def cpu_by_kind(pid):
    """Milliseconds of CPU (user + sys) each kind of thread has used."""
    out = {}
    for path in glob.glob(f"/proc/{pid}/task/*/stat"):
        try:
            with open(path) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = kind(stat[stat.index("(") + 1:stat.rindex(")")])
        out[name] = out.get(name, 0) + gateway_probe.stat_cpu_seconds(stat) * 1000
    return out


gw = gateway_probe.start_gateway(JAR, PORT, ["--max-streams", str(N + 1000), "--max-streams-per-client", "0",
                                             "--h2-max-concurrent-streams", "1000", "--request-head-timeout", "60s"],
                                 f"{OUT}/gateway.log", jvm=JVM)
h2 = subprocess.Popen(["h2load", "-c", str(N // 1000), "-m", "1000", "-n", str(N), "-t", "1",
                       f"http://127.0.0.1:{PORT}/events?topic=b"],
                      stdout=open(f"{OUT}/h2load.log", "w"), stderr=subprocess.STDOUT)
try:
    t0 = time.monotonic()
    while gateway_probe.streams(PORT) < N:
        if h2.poll() is not None or time.monotonic() - t0 > 300:
            raise SystemExit(f"not all {N} streams opened: {OUT}/h2load.log, {OUT}/gateway.log")
        time.sleep(0.2)
    gateway_probe.settle(gw.pid)
    for _ in range(5):  # the JIT's first broadcasts, not measured
        publish()
        time.sleep(5)
    for gap in GAPS:
        time.sleep(gap - 5)
        writes, start = socket_writes(), time.monotonic()
        threads, total = cpu_by_kind(gw.pid), gateway_probe.cpu_seconds(gw.pid)
        publish()
        while socket_writes() - writes < N:
            time.sleep(0.02)
        handed = time.monotonic() - start
        time.sleep(max(0.0, 4.5 - handed))
        after = cpu_by_kind(gw.pid)
        spent = {k: round(after[k] - threads.get(k, 0)) for k in sorted(after)}
        print(f"{gap:2d} s before: all {N} handed to Jetty in {handed:.2f} s; gateway CPU "
              f"{(gateway_probe.cpu_seconds(gw.pid) - total) * 1000:.0f} ms, by thread kind (ms) {spent}", flush=True)
finally:
    gw.send_signal(signal.SIGTERM)
    gw.wait(60)
    h2.kill()
    h2.wait()
