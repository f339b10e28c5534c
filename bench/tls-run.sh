#!/usr/bin/env bash
# HTTPS beside plain HTTP through Sekisho, in one run on one machine: the same bearer-token
# request to the same 1 KiB nginx upstream, over a kept-alive connection (the cost of TLS
# records) and over a new connection per request (the cost of a full handshake). Servers on
# core 0, wrk on core 1, rounds interleaved.
#
# Needs: a built proxy/target/sekisho.jar, Debian's wrk and nginx (installed if missing).
# Usage: bench/tls-run.sh [rounds] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; SECS=${2:-10}; CONNS=${3:-32}
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-tls-bench.XXXXXX)
UP=18180; HTTP=18181; HTTPS=18182; MGMT1=19181; MGMT2=19182; ISSUER=18184; ECHO=18185; DEMO=18186; DEMO_MGMT=19186
source bench/lib.sh
start_nginx $UP

# The demo (idle during the run) mints the token and makes a certificate (ECDSA P-256).
java -jar "$JAR" demo --https --port $DEMO --management-port $DEMO_MGMT --issuer-port $ISSUER --upstream-port $ECHO \
  --data-dir "$WORK/demo" > "$WORK/demo.log" 2>&1 & PIDS+=($!)
for i in $(seq 1 60); do curl -sf "http://127.0.0.1:$ISSUER/jwks" >/dev/null && break; sleep 0.5; done
for i in $(seq 1 60); do [ -f "$WORK/demo/tls/demo-server-key.pem" ] && break; sleep 0.5; done
config() { # port management-port tls-lines
  cat <<YAML
listen: {host: 127.0.0.1, port: $1$3}
management: {host: 127.0.0.1, port: $2}
dataDir: data-$1
issuers:
  - {id: demo, issuer: "http://127.0.0.1:$ISSUER", audiences: [sekisho], userClaim: preferred_username}
apps:
  - id: bench
    hosts: [localhost]
    upstream: http://127.0.0.1:$UP
    allow: [{id: staff, groups: [all-staff]}]
YAML
}
config $HTTP $MGMT1 "" > "$WORK/http.yaml"
config $HTTPS $MGMT2 ", tls: {certificateFile: $WORK/demo/tls/demo-server.pem, keyFile: $WORK/demo/tls/demo-server-key.pem}" \
  > "$WORK/https.yaml"
for name in http https; do
  taskset -c 0 java -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m -jar "$JAR" run --config "$WORK/$name.yaml" \
    --event-loops 1 > "$WORK/$name.log" 2>&1 & PIDS+=($!)
done
for m in $MGMT1 $MGMT2; do for i in $(seq 1 60); do curl -sf "http://127.0.0.1:$m/readyz" >/dev/null && break; sleep 0.5; done; done
TOKEN=$(curl -sf "http://127.0.0.1:$ISSUER/token?user=sato&amr=face&ttl=7200")
AUTH="Authorization: Bearer $TOKEN"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "http://localhost:$HTTP/")" = 200 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/demo/tls/demo-ca.pem" -H "$AUTH" "https://localhost:$HTTPS/")" = 200 ]

for url in "http://localhost:$HTTP/" "https://localhost:$HTTPS/"; do   # warm-up, both
  taskset -c 1 wrk -t1 -c"$CONNS" -d"${WARMUP:-20}s" -H "$AUTH" "$url" >/dev/null
done
echo "rounds=$ROUNDS seconds=$SECS connections=$CONNS  (servers on core 0, wrk on core 1)"
printf "%-6s %-16s %10s %9s %9s\n" round target req/s p50_ms p99_ms
for r in $(seq 1 "$ROUNDS"); do
  for line in "$(run http-keepalive "http://localhost:$HTTP/" -H "$AUTH")" \
              "$(run https-keepalive "https://localhost:$HTTPS/" -H "$AUTH")" \
              "$(run http-new-conn "http://localhost:$HTTP/" -H "$AUTH" -H "Connection: close")" \
              "$(run https-new-conn "https://localhost:$HTTPS/" -H "$AUTH" -H "Connection: close")"; do
    echo "$line" | awk -v r="$r" '{printf "%-6s %-16s %10s %9s %9s\n", r, $1, $2, $3, $4}'
  done
done
