#!/usr/bin/env bash
# HTTP/2 fan-out profile: one gateway started as production runs it, N cleartext h2 streams held by
# nghttp2's h2load (1,000 per connection), five warm-up broadcasts, then three 1,000-byte broadcasts
# under a JFR profile recording. Prints the time to open the streams, RSS per stream, the gateway's
# CPU per delivery (the process, minus its idle CPU over as long) and CPU by thread group; leaves
# the recording and the class histogram in $OUT.
#   N=100000 bash docs/scripts/h2-fanout-profile.sh          # from the repository, after mvn package
# Needs h2load (Debian: nghttp2-client), curl, jcmd. Ends the two processes it started.
set -euo pipefail
N=${N:-100000}
OUT=${OUT:-target/h2-fanout}
PORT=${PORT:-18990}
mkdir -p "$OUT"
java @jvm/sse-gateway.args -jar "${JAR:-target/sse-gateway.jar}" --port "$PORT" --host 127.0.0.1 --max-streams 1001000 \
  --max-streams-per-client 0 > "$OUT/gateway.log" 2>&1 &
GW=$!
# The gateway drains on SIGTERM: wait for it, so that the next run finds the port free.
trap 'kill ${H2:-} $GW 2>/dev/null; wait $GW 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health" > /dev/null && break; sleep 0.2; done
kill -0 $GW || { echo "the gateway did not start: $OUT/gateway.log"; exit 1; }
streams() { curl -s "localhost:$PORT/health" | grep -o '"streams":[0-9]*' | cut -d: -f2 || echo 0; }
t0=$(date +%s.%N)
h2load -c $((N / 1000)) -m 1000 -n "$N" -t 1 "http://127.0.0.1:$PORT/events?topic=b" > "$OUT/h2load.log" 2>&1 &
H2=$!
until [ "$(streams)" -ge "$N" ]; do
  kill -0 $GW && kill -0 $H2 || { echo "a process ended: $OUT/gateway.log, $OUT/h2load.log"; exit 1; }
  sleep 0.2
done
echo "streams open: $N in $(echo "$(date +%s.%N) - $t0" | bc) s"
rss=$(awk '/VmRSS/ {print $2}' /proc/$GW/status)
echo "gateway RSS: $rss kB, $((rss * 1024 / N)) B per stream"
jcmd $GW GC.class_histogram > "$OUT/histogram.txt"
# utime and stime of the process or of each thread: the fields after the name, which may hold spaces.
ticks() { sed 's/.*) //' "$1" | awk '{print $12 + $13}'; }
per_thread() { for t in /proc/$GW/task/*; do echo "$(tr ' ' '_' < "$t/comm" | sed 's/[-#_]*[0-9]*$//') $(ticks "$t/stat")"; done; }
hz=$(getconf CLK_TCK)
DATA=$(head -c 1000 /dev/zero | tr '\0' 'x')
broadcasts() { for _ in $(seq 1 "$1"); do curl -s -o /dev/null -d "$DATA" "localhost:$PORT/publish?topic=b"; sleep 5; done; }
broadcasts 5
i0=$(ticks /proc/$GW/stat); sleep 15; i1=$(ticks /proc/$GW/stat)
per_thread > "$OUT/threads-before.txt"
jcmd $GW JFR.start name=fanout settings=profile filename="$(realpath "$OUT")/fanout.jfr" > /dev/null
c0=$(ticks /proc/$GW/stat)
broadcasts 3
c1=$(ticks /proc/$GW/stat)
jcmd $GW JFR.stop name=fanout > /dev/null
per_thread > "$OUT/threads-after.txt"
echo "gateway CPU: idle $(( (i1 - i0) * 1000 / hz )) ms per 15 s; 3 broadcasts $(( (c1 - c0) * 1000 / hz )) ms per 15 s;" \
  "$(echo "((c1 - c0) - (i1 - i0)) * 1000000 / $hz / (3 * $N)" | sed "s/c1/$c1/;s/c0/$c0/;s/i1/$i1/;s/i0/$i0/" | bc -l | cut -c1-5) us per delivery"
echo "CPU by thread group during the 3 broadcasts (ms):"
join <(awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' "$OUT/threads-before.txt" | sort) \
     <(awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' "$OUT/threads-after.txt" | sort) \
  | awk -v hz="$hz" '{d = ($3 - $2) * 1000 / hz; if (d > 0) print "  " $1, d}' | sort -k2 -n -r | head -8
m0=$(date +%s.%N); curl -s -o /dev/null "localhost:$PORT/metrics"; echo "/metrics: $(echo "$(date +%s.%N) - $m0" | bc) s"
