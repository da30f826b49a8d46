#!/usr/bin/env bash
# Streams per gateway process with HAProxy speaking HTTP/2 to it (proto h2): four HAProxy processes
# with the shipped configuration, all in front of the same one gateway, and one load process per
# HAProxy holding $1 HTTP/1.1 streams (default 9500) from its own loopback source addresses.
# Every process here has the machine's open-file limit (20,000): HAProxy reserves two descriptors
# per connection, so one HAProxy process holds under 10,000 clients. The gateway gets a max-streams
# far above its own limit, because its streams arrive multiplexed on a few connections.
# Prints streams, connections and descriptors of the gateway, and its RSS. Run from the repository.
# GW_JVM='…' sets the gateway's JVM flags (default: @jvm/sse-gateway.args).
set -u
PER=${1:-9500}
N=4
JAR=target/sse-gateway.jar
GWPORT=18091
OUT=$(mktemp -d)
# The gateway's JVM flags: $GW_JVM, by default the production profile.
java ${GW_JVM:-@jvm/sse-gateway.args} -jar $JAR --port $GWPORT --host 127.0.0.1 --max-streams 60000 \
  --heartbeat 25s > $OUT/gw.log 2>&1 &
GW=$!
sleep 3
PIDS=()
for i in $(seq 1 $N); do
  sed -e "s#/etc/haproxy/sse-gateway-internal.acl#$PWD/haproxy/sse-gateway-internal.acl#" \
      -e "s/bind :80/bind 127.0.0.1:$((18091 + i))/" -e "s/maxconn 200000/maxconn 9900/" \
      -e "s/log stdout format raw local0 notice/log stderr format raw local0 warning/" \
      -e "s/server node1 127.0.0.1:8081 check/server node1 127.0.0.1:$GWPORT check proto h2/" \
      -e "/server node2 127.0.0.1:8082 check/d" haproxy/sse-gateway.cfg > $OUT/haproxy$i.cfg
  haproxy -db -f $OUT/haproxy$i.cfg > $OUT/haproxy$i.log 2>&1 &
  PIDS+=($!)
done
sleep 3
LOADS=()
for i in $(seq 1 $N); do
  java -Xmx1g -jar $JAR load --url "http://127.0.0.1:$((18091 + i))/events?topic=mux" --streams $PER \
    --source-addresses "127.0.$i.1-127.0.$i.8" --ramp 2000 --duration 20 --json $OUT/load$i.json > $OUT/load$i.out 2>&1 &
  LOADS+=($!)
done
for s in $(seq 1 40); do
  sleep 3
  n=$(curl -s 127.0.0.1:$GWPORT/health | grep -o '"streams":[0-9]*' | cut -d: -f2)
  echo "t=$((s * 3))s gateway streams: $n"
  [ "${n:-0}" -ge $((N * PER)) ] && break
done
echo "gateway streams:      $(curl -s 127.0.0.1:$GWPORT/health | grep -o '"streams":[0-9]*')"
echo "gateway connections:  $(ss -Htn state established "( sport = :$GWPORT )" | wc -l)"
echo "gateway descriptors:  $(ls /proc/$GW/fd | wc -l) (open-file limit $(awk '/open files/{print $4}' /proc/$GW/limits))"
grep -E 'VmRSS|VmHWM' /proc/$GW/status
curl -s -X POST "127.0.0.1:$GWPORT/publish?topic=mux" -d 'to every multiplexed stream'; echo
wait "${LOADS[@]}"
for i in $(seq 1 $N); do echo "load $i: $(cat $OUT/load$i.json)"; done
kill "${PIDS[@]}"; kill -TERM $GW; wait $GW
echo "logs in $OUT"
