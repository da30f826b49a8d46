"""What the measuring scripts beside this file ask of a running gateway and of its process, and how they start it."""
import os
import re
import subprocess
import sys
import time
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")


def health(port, timeout=5):
    """The gateway's /health body; None while /health does not answer within timeout seconds."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as r:
            return r.read().decode()
    except OSError:
        return None


def streams(port, timeout=5):
    """The gateway's open streams from /health; -1 while /health does not answer within timeout seconds."""
    body = health(port, timeout)
    return -1 if body is None else int(re.search(r'"streams":(\d+)', body).group(1))


def get(port, path, timeout=30):
    """The body of GET path on the gateway at 127.0.0.1:port."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.read().decode()


def publish(port, topic, data):
    """POSTs data (bytes) to /publish?topic=topic on the gateway at 127.0.0.1:port."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}/publish?topic={topic}", data=data, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()


def metric(text, name):
    """The value of the first sample of `name` in a /metrics text (any labels); 0 if there is none."""
    m = re.search(r"^" + re.escape(name) + r"(?:\{[^}]*\})? ([0-9.eE+-]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def profile_for(streams):
    """The JVM flags production runs a node for `streams` streams with: the profile and the young generation the
    gateway asks for at that many (512 B each, at least the profile's 64 MB; README, "A node for more than about
    130,000 streams")."""
    return ["@jvm/sse-gateway.args", f"-Xmn{max(64, -(-streams * 512 // (1 << 20)))}m"]


def stat_cpu_seconds(stat):
    """User + system CPU seconds from the text of a /proc/.../stat file (a process's or a thread's)."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def cpu_seconds(pid):
    """CPU the process has used (user + system) from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        return stat_cpu_seconds(f.read())


def settle(pid, busy=0.2, timeout=60):
    """Waits until the process uses less than `busy` seconds of CPU in a second (at most timeout seconds); returns
    the seconds waited. /health counts a stream once it is registered, before its first write (status, headers) is
    out: at a million those writes are still queued behind the last requests for seconds, and each stream keeps
    Jetty's HTTP layer until its first write is done, so memory read earlier is not what the held streams keep."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        cpu = cpu_seconds(pid)
        time.sleep(1)
        if cpu_seconds(pid) - cpu < busy:
            break
    return time.monotonic() - start


def lingering_sockets(port):
    """Loopback TCP sockets to or from `port` that are neither listening nor gone (closing, TIME_WAIT, ...), from
    /proc/net/tcp and tcp6: each holds an ephemeral port until the kernel lets it go."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                local, remote, state = line.split()[1:4]
                if state not in ("01", "0A") and port in (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)):
                    count += 1
    return count


def even_ephemeral_ports():
    """How many ports the kernel tries first for a client's connect(): the even half of net.ipv4.ip_local_port_range
    (Linux hands connect() even ports and bind() odd ones while it can). Past that many connections from one host to
    one address, every further connect() searches the whole even half first: h2load then opened about 1,000
    connections a second where it had opened 14,500 in the first second."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low, high = (int(p) for p in f.read().split())
    return (high - low + 1) // 2


def accept_queue(asked=65535):
    """The accept queue a gateway gets: what it asks (Capacity.ACCEPT_BACKLOG), capped by net.core.somaxconn.
    A storm of more connections than it holds, faster than the node accepts, has SYNs dropped and retried by the
    clients 1 s, then 3 s later."""
    with open("/proc/sys/net/core/somaxconn") as f:
        return min(asked, int(f.read().split()[0]))


def listen_overflows():
    """SYNs this network namespace dropped because an accept queue was full (TcpExtListenOverflows), since boot."""
    with open("/proc/net/netstat") as f:
        lines = [line.split() for line in f if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0][1:], lines[1][1:]))["ListenOverflows"])


def await_free_ports(port, most=1000, timeout=120):
    """Waits (at most timeout seconds) until at most `most` sockets of an earlier run on `port` linger; returns how
    many still do. While the last run's sockets still hold their ephemeral ports (TIME_WAIT is 60 s), a client's
    connects search longer for a free one (even_ephemeral_ports)."""
    deadline = time.monotonic() + timeout
    while (left := lingering_sockets(port)) > most and time.monotonic() < deadline:
        time.sleep(1)
    return left


def rss_bytes(pid):
    """The process's resident memory from /proc."""
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024


def start_gateway(jar, port, settings, log_path, java="java", jvm=("@jvm/sse-gateway.args",)):
    """One gateway as production runs it (java @jvm/sse-gateway.args -jar JAR) on 127.0.0.1:port with the given
    settings (flags), its output in log_path; returns its process once /health answers and any warm-up is over (as a
    balancer waits for /ready: clients that come earlier cut the warm-up short), or exits the script with where to
    look if that takes more than 90 s."""
    gw = subprocess.Popen([java] + list(jvm) + ["-jar", jar, "--port", str(port), "--host", "127.0.0.1"] + list(settings),
                          stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    for _ in range(450):
        body = health(port)
        if body is not None and '"warmingUp":true' not in body:
            return gw
        if gw.poll() is not None:
            break
        time.sleep(0.2)
    gw.kill()
    gw.wait()
    sys.exit(f"the gateway did not start (or did not end its warm-up) within 90 s: {log_path}")
