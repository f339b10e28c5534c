#!/usr/bin/env bash
# Side-by-side load run on one machine: the same 1 KiB upstream reached directly, through
# Sekisho (bearer JWT + decide + signed assertion + audit + metrics), through Sekisho with a
# device posture token checked as well (target "posture"), and through nginx as a plain
# reverse proxy (no auth). Servers share core 0, wrk runs on core 1 (as in
# ../shared/PERFORMANCE-NOTES.md); rounds are interleaved and ratios are taken per round.
#
# Needs: a built proxy/target/sekisho.jar, and Debian's wrk and nginx (installed if missing).
# Usage: bench/load-run.sh [rounds] [seconds] [connections]
#   WARMUP=30 (seconds of Sekisho warm-up first); SEKISHO_JAVA_OPTS adds JVM flags, e.g. for JFR;
#   AUDIT_MODE=strict measures the durable-before-forwarding audit mode (default batched)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; SECS=${2:-10}; CONNS=${3:-32}
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-bench.XXXXXX)
UP=18080; NGINX_PROXY=18081; SEKISHO=18443; MGMT=19090; ISSUER=18444; ECHO=18445; DEMO=18446; DEMO_MGMT=19091
source bench/lib.sh

# 1) nginx: the upstream (1 KiB static answer) and a plain reverse proxy in front of it.
start_nginx $UP "server {
    listen 127.0.0.1:$NGINX_PROXY;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"

# 2) The demo issuer (idle during the run) mints the token; Sekisho runs alone on core 0.
start_demo_issuer
cat > "$WORK/sekisho.yaml" <<YAML
listen: {host: 127.0.0.1, port: $SEKISHO}
management: {host: 127.0.0.1, port: $MGMT}
dataDir: data
audit: {mode: ${AUDIT_MODE:-batched}}
issuers:
  - id: demo
    issuer: http://127.0.0.1:$ISSUER
    audiences: [sekisho]
    userClaim: preferred_username
devicePosture:
  issuers:
    - id: demo-mdm
      issuer: https://posture.demo.localhost
      jwksFile: $WORK/demo/keys/demo-posture-jwks.json
apps:
  - id: bench
    hosts: [bench.localhost]
    upstream: http://127.0.0.1:$UP
    allow:
      - id: staff
        groups: [all-staff]
  - id: bench-posture
    hosts: [posture.localhost]
    upstream: http://127.0.0.1:$UP
    allow:
      - id: staff
        groups: [all-staff]
    posture:
      managed: true
      compliant: true
      edr: {running: true, maxRisk: low}
      diskEncrypted: true
      maxObservationAgeSeconds: 86400
YAML
# shellcheck disable=SC2086 # SEKISHO_JAVA_OPTS holds several flags
start_sekisho -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m ${SEKISHO_JAVA_OPTS:-}
TOKEN=$(demo_token)
check=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$SEKISHO/")
[ "$check" = 200 ] || { echo "Sekisho did not answer 200 (got $check)"; cat "$WORK/sekisho.log"; exit 1; }
# A device posture token for the demo's healthy terminal (10 minutes: the whole run fits in it).
DPT=$(java -jar "$JAR" posture issue --key "$WORK/demo/keys/demo-posture-key.jwk.json" \
  --issuer https://posture.demo.localhost --records "$WORK/demo/devices.json" --device LG-PC-0001)
check=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: posture.localhost" -H "Authorization: Bearer $TOKEN" \
  -H "X-Sekisho-Device-Posture: $DPT" "http://127.0.0.1:$SEKISHO/")
[ "$check" = 200 ] || { echo "Sekisho with posture did not answer 200 (got $check)"; exit 1; }

# One longer warm-up: on a single core the JIT competes with the event loop for a while.
taskset -c 1 wrk -t1 -c"$CONNS" -d"${WARMUP:-30}s" -H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$SEKISHO/" >/dev/null
echo "rounds=$ROUNDS seconds=$SECS connections=$CONNS  (servers on core 0, wrk on core 1)"
printf "%-6s %-8s %10s %9s %9s %7s %9s\n" round target req/s p50_ms p99_ms errors vs_direct
for r in $(seq 1 "$ROUNDS"); do
  d=$(run direct "http://127.0.0.1:$UP/" -H "Host: bench.localhost")
  s=$(run sekisho "http://127.0.0.1:$SEKISHO/" -H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN")
  p=$(run posture "http://127.0.0.1:$SEKISHO/" -H "Host: posture.localhost" -H "Authorization: Bearer $TOKEN" \
    -H "X-Sekisho-Device-Posture: $DPT")
  n=$(run nginx "http://127.0.0.1:$NGINX_PROXY/" -H "Host: bench.localhost")
  drps=$(echo "$d" | awk '{print $2}')
  for line in "$d" "$s" "$p" "$n"; do
    echo "$line" | awk -v r="$r" -v d="$drps" '{printf "%-6s %-8s %10s %9s %9s %7s %9.2f\n", r, $1, $2, $3, $4, $5, $2/d}'
  done
done
echo "audit records written: $(cat "$WORK"/data/audit/audit-*.jsonl 2>/dev/null | grep -c "\"kind\":\"access\"")"
curl -s "http://127.0.0.1:$MGMT/metrics" | grep -E '^sekisho_(token_verifications|posture_token_verifications|posture_results|assertion_signatures|audit_dropped)' || true
