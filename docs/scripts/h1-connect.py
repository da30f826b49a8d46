#!/usr/bin/env python3
"""How fast one gateway process takes 19,000 HTTP/1.1 streams connecting at once (issue 25, point 5).

One gateway started as production runs it (java @jvm/sse-gateway.args -jar ...); per round, nghttp2's h2load
(a lean C client: one thread, one event loop) opens N HTTP/1.1 connections to /events at once and holds them.
/health is asked every 20 ms: the time from the last answer that counted no stream to the first that counts N,
and h2load's own "time to 1st byte" (per connection, from its connect), and the gateway's CPU (utime + stime from
/proc) over the round. The first round meets a cold JIT; the later ones a warm one. Each round (the first too: another
run may have just ended) starts once the sockets of the last one are gone (gateway_probe.await_free_ports).
h2load sends its requests only once all N connections are made. With Debian's port range (32768-60999) its connects
slow to about 1,000 a second past 14,116 (gateway_probe.even_ephemeral_ports), so the node has accepted every
connection seconds before the requests come: the figure is then the requests' alone.
With a range whose even half holds N (sysctl -w net.ipv4.ip_local_port_range="1024 65535" on the load's side),
connections and requests come together, as a reconnect storm's do. The script says which it measured. Such a storm
overflows an accept queue that net.core.somaxconn keeps at 4,096 (Linux's default): the script says how many SYNs were
dropped (TcpExtListenOverflows; each client retries 1 s, then 3 s later).
  python3 docs/scripts/h1-connect.py                 # after mvn package; N=19000, 3 rounds
  JAR=/tmp/other.jar ROUNDS=1 python3 docs/scripts/h1-connect.py
  GATEWAY_ARGS="--warm-up true" ROUNDS=1 python3 docs/scripts/h1-connect.py   # more gateway settings
  JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JVM="-XX:AOTCache=sse-gateway.aot @jvm/sse-gateway.args" \
      ROUNDS=1 python3 docs/scripts/h1-connect.py                              # another JDK, other JVM flags
Needs h2load (Debian: nghttp2-client) and an open-file limit above N (h2load and the gateway each hold N).
Ends the processes it started.
"""
import os
import signal
import subprocess
import time

from gateway_probe import (accept_queue, await_free_ports, cpu_seconds, even_ephemeral_ports, listen_overflows,
                           start_gateway, streams)

JAR = os.environ.get("JAR", "target/sse-gateway.jar")
PORT = int(os.environ.get("PORT", "18982"))
N = int(os.environ.get("N", "19000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
# h2load's -D counts from its start, the seconds it takes to open its N connections included (6.5-7.5 s
# here at a slow hour, when its requests only then go out): a shorter hold could end the round before the
# gateway saw them all.
HOLD = int(os.environ.get("HOLD", "15"))
OUT = os.environ.get("OUT", "target/h1-connect")
JAVA = os.environ.get("JAVA", "java")
JVM = os.environ.get("JVM", "@jvm/sse-gateway.args").split()
os.makedirs(OUT, exist_ok=True)


def free_ports():
    left = await_free_ports(PORT)
    if left > 1000:
        print(f"{left} sockets of an earlier run still hold ephemeral ports: h2load may connect slowly", flush=True)


tried_first = even_ephemeral_ports()
print(f"ephemeral ports tried first: {tried_first}; measuring "
      + ("connects and requests together" if tried_first >= N else "requests on connections already accepted"), flush=True)
queue = accept_queue()
print(f"accept queue: {queue}" + ("" if queue >= N else f" (net.core.somaxconn): a storm of {N} can have SYNs dropped, "
      "retried 1 s and 3 s later; systemd/99-sse-gateway.conf sets 65535"), flush=True)
free_ports()  # before the node starts: its first round must follow its start at once
gw = start_gateway(JAR, PORT, os.environ.get("GATEWAY_ARGS", "").split(), f"{OUT}/gateway.log",
                   java=JAVA, jvm=JVM)
try:
    for r in range(ROUNDS):
        if r > 0:
            free_ports()
        cpu, overflows = cpu_seconds(gw.pid), listen_overflows()
        client = subprocess.Popen(["h2load", "--h1", "-c", str(N), "-n", str(N), "-D", str(HOLD),
                                   f"http://127.0.0.1:{PORT}/events?topic=h"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        none_at, most, took = time.monotonic(), 0, None
        while client.poll() is None:
            count = streams(PORT)
            now = time.monotonic()
            if count == 0:
                none_at = now
            most = max(most, count)
            if count >= N:
                took = now - none_at
                break
            time.sleep(0.02)
        report = client.communicate()[0]
        first_byte = next((line.split(":", 1)[1].split() for line in report.splitlines()
                           if line.startswith("time to 1st byte")), ["?", "?", "?"])
        status = next((line.strip() for line in report.splitlines() if line.startswith("status codes")), "")
        opened = f"all {N} open {took:.2f} s after the last count of none" if took is not None \
            else f"only {most} of {N} open at once"
        print(f"round {r + 1}: {opened}; h2load time to 1st byte min {first_byte[0]} max {first_byte[1]} "
              f"mean {first_byte[2]} ({status}); gateway CPU {cpu_seconds(gw.pid) - cpu:.2f} s "
              f"(connecting, holding {HOLD} s, closing); SYNs dropped on a full accept queue: "
              f"{listen_overflows() - overflows}", flush=True)
finally:
    gw.send_signal(signal.SIGTERM)
    gw.wait(60)
