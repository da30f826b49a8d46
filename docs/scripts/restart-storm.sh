#!/usr/bin/env bash
# A node restarts under N browser-like clients while another node keeps publishing: every client
# reconnects with its Last-Event-ID (after the shutdown event's jittered retry) and the restarted
# node replays what each missed from the broker. Starts its own broker server on a free port.
#
#   docs/scripts/restart-storm.sh redis|nats [clients] [native|mercure]   (from the repository, after mvn package)
#
# With "mercure" the clients are Mercure subscribers (/.well-known/mercure?match=storm) and resume
# with the hub's ids; the events, still published at /publish, reach them through the Mercure log.
#
# Prints the storm's report (first attempts, closed for good, resumes with Last-Event-ID) and the
# restarted node's replay and gap counters. Ends only the processes it started.
set -euo pipefail
broker=${1:?redis or nats}
clients=${2:-5000}
door=${3:-native}
jar=target/sse-gateway.jar
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bport=$(free_port); a=$(free_port); b=$(free_port)
if [ "$broker" = redis ]; then
  redis-server --port "$bport" --bind 127.0.0.1 --save '' --appendonly no > "$dir/broker.log" 2>&1 & pids+=($!)
  settings=(--redis-url "redis://127.0.0.1:$bport")
else
  "$(command -v nats-server || echo /usr/sbin/nats-server)" --jetstream --store_dir "$dir/nats" --addr 127.0.0.1 \
    --port "$bport" > "$dir/broker.log" 2>&1 & pids+=($!)
  settings=(--broker nats --nats-url "nats://127.0.0.1:$bport")
fi
stream_path="events?topic=storm"
if [ "$door" = mercure ]; then
  settings+=(--mercure true)
  stream_path=".well-known/mercure?match=storm"
fi
sleep 1
java -jar "$jar" --port "$a" --host 127.0.0.1 "${settings[@]}" > "$dir/a.log" 2>&1 & pids+=($!)
start_b() { java @jvm/sse-gateway.args -jar "$jar" --port "$b" --host 127.0.0.1 --shutdown-retry-jitter 3s "${settings[@]}" \
  > "$dir/b.log" 2>&1 & nodeb=$!; pids+=($nodeb); }
start_b
until curl -sf "localhost:$a/ready" > /dev/null && curl -sf "localhost:$b/ready" > /dev/null; do sleep 0.2; done
java -jar "$jar" storm --url "http://127.0.0.1:$b/$stream_path" --clients "$clients" \
  --source-addresses 127.0.0.2-127.0.0.9 --hold 45 --timeout 60 > "$dir/storm.log" 2>&1 & storm=$!; pids+=($storm)
sleep 8
( n=0; end=$((SECONDS + 20)); while [ $SECONDS -lt $end ]; do
    curl -sf -o /dev/null -d "e$n" "localhost:$a/publish?topic=storm" && n=$((n + 1)); sleep 0.02; done
  echo "published $n through node A" ) & publisher=$!; pids+=($publisher)
sleep 4
echo "node B streams before restart: $(curl -s "localhost:$b/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["streams"])')"
kill -TERM "$nodeb"; while kill -0 "$nodeb" 2>/dev/null; do sleep 0.1; done
start_b
t0=$SECONDS
until [ "$(curl -s -m 1 "localhost:$b/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["streams"])' 2>/dev/null)" = "$clients" ]; do
  sleep 0.2; [ $((SECONDS - t0)) -gt 60 ] && { echo "not all back within 60 s"; break; }; done
echo "node B: all $clients streams back $((SECONDS - t0)) s after its restart began"
wait "$publisher"
sleep 2
curl -s "localhost:$b/metrics" | grep -E '^sse_(events_replayed_total|gaps_total|streams_opened_total|requests_rejected_total)' || true
wait "$storm" || true
tail -1 "$dir/storm.log"
echo "node B warnings and errors after the restart:"
grep -E ' (WARN|ERROR) ' "$dir/b.log" | sed -E 's/^[^ ]+ //' | cut -c1-160 | sort | uniq -c | sort -rn | head -5 || true
curl -s "localhost:$b/metrics" | grep -E '^sse_streams_closed_total' || true
