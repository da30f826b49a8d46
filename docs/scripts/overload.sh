#!/usr/bin/env bash
# Overload: 2,000 readers, one publisher as fast as it can (1 KB events) for 20 s, against a gateway
# this script starts on port 18081. Prints the gateway's peak RSS (VmHWM), the peak of
# sse_queued_bytes and how streams were closed. $1: the gateway's JVM flags (e.g. -Xmx600m).
set -u
JAR="$(dirname "$0")/../../target/sse-gateway.jar"
java ${1:-} -jar "$JAR" --port 18081 --host 127.0.0.1 > overload-gw.log 2>&1 &
GW=$!
sleep 3
( while kill -0 $GW 2>/dev/null; do curl -s 127.0.0.1:18081/metrics | awk '/^sse_queued_bytes /{print int($2)}'; sleep 0.5; done ) > queued.txt &
SAMPLER=$!
java -Xmx1g -jar "$JAR" load --url 'http://127.0.0.1:18081/events?topic=o' --streams 2000 \
  --publish-url 'http://127.0.0.1:18081/publish?topic=o' --publish-rate 0 --payload-bytes 1000 --duration 20 > load.out 2> load.err
echo "gateway flags: ${1:-none}"
grep -E "VmHWM|VmRSS" /proc/$GW/status
echo "queued bytes peak: $(sort -n queued.txt | tail -1)"
curl -s 127.0.0.1:18081/metrics | grep -E '^sse_streams_closed_total|^sse_events_published_total'
tail -2 load.out
kill $SAMPLER; kill -TERM $GW; wait $GW
