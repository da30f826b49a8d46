"""What the measuring scripts beside this file ask of a running gateway and of its process."""
import os
import re
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")


def streams(port):
    """The gateway's open streams from /health; -1 while /health does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
            return int(re.search(r'"streams":(\d+)', r.read().decode()).group(1))
    except OSError:
        return -1


def cpu_seconds(pid):
    """CPU the process has used (user + system) from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_bytes(pid):
    """The process's resident memory from /proc."""
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024
