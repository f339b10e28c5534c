#!/usr/bin/env bash
# Strict audit mode under a crash: wrk drives requests through Sekisho (audit.mode strict), the
# proxy is killed with SIGKILL part-way, then restarted. The nginx upstream logs the X-Request-Id
# of every request that reached it; every one of those must have a decision record in the audit
# trail. Then `audit verify` must accept the trail (a torn last record is cut and recorded).
#
# Needs: a built proxy/target/sekisho.jar, and Debian's wrk and nginx (installed if missing).
# Usage: bench/crash-run.sh [runSeconds] [connections] [mode]   (mode: strict or batched)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}; CONNS=${2:-32}; MODE=${3:-strict}
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-crash.XXXXXX)
UP=18280; SEKISHO=18643; MGMT=19290; ISSUER=18644; ECHO=18645; DEMO=18646; DEMO_MGMT=19291
source bench/lib.sh

# The upstream (1 KiB answer) logs each request's X-Request-Id: what Sekisho sends it.
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  log_format ids '\$http_x_request_id';
  access_log $WORK/upstream-ids.log ids;
  server { listen 127.0.0.1:$UP; location / { default_type text/plain; return 200 "$(head -c 1024 /dev/zero | tr '\0' 'x')"; } }
}
NGINX
taskset -c 0 nginx -c "$WORK/nginx.conf" -p "$WORK"

start_demo_issuer
bench_config "audit: {mode: $MODE}" > "$WORK/sekisho.yaml"
start_sekisho -Xms256m -Xmx256m
TOKEN=$(demo_token)

taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" -H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$SEKISHO/" > "$WORK/wrk.txt" 2>&1 & WRK=$!
sleep $((SECS / 2))
kill -KILL "$SEKISHO_PID"
wait "$WRK" || true
start_sekisho -Xms256m -Xmx256m   # recovers the trail: a torn last record is cut and recorded
kill -TERM "$SEKISHO_PID"; wait "$SEKISHO_PID" || true

cat "$WORK"/data/audit/audit-*.jsonl | grep -o '"requestId":"[^"]*"' | cut -d'"' -f4 | sort -u > "$WORK/audited-ids"
sort -u "$WORK/upstream-ids.log" | grep -v '^-$' > "$WORK/forwarded-ids"
forwarded=$(wc -l < "$WORK/forwarded-ids")
unaudited=$(comm -23 "$WORK/forwarded-ids" "$WORK/audited-ids" | wc -l)
echo "mode=$MODE connections=$CONNS run=${SECS}s, SIGKILL after $((SECS / 2)) s, then restarted"
echo "requests that reached the upstream:       $forwarded"
echo "of those, without an audit record:        $unaudited"
echo "recovery records (torn tail cut):         $(cat "$WORK"/data/audit/audit-*.jsonl | grep -c '"kind":"recovery"' || true)"
java -jar "$JAR" audit verify "$WORK/data/audit" --public-key "$WORK/data/keys/audit-signing-key.pub.jwk.json" 2>/dev/null \
  | sed 's/^/audit verify: /'
