#!/usr/bin/env bash
# A graceful stop under load: wrk keeps 32 connections busy through Sekisho, SIGTERM arrives
# part-way, and the run counts what staff would notice. Every request Sekisho read must have
# been answered: the audit log (one record per request read) is compared with the responses
# wrk received. Connections refused after the listener closed are reported apart; they never
# carried a request.
#
# Needs: a built proxy/target/sekisho.jar, and Debian's wrk and nginx (installed if missing).
# Usage: bench/drain-run.sh [delaySeconds] [runSeconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
DELAY=${1:-2}; SECS=${2:-12}; CONNS=${3:-32}
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-drain.XXXXXX)
UP=18180; SEKISHO=18543; MGMT=19190; ISSUER=18544; ECHO=18545; DEMO=18546; DEMO_MGMT=19191
source bench/lib.sh

start_nginx $UP
start_demo_issuer
bench_config "shutdown: {delaySeconds: $DELAY, drainSeconds: 25}" > "$WORK/sekisho.yaml"
start_sekisho -Xms256m -Xmx256m
TOKEN=$(demo_token)

taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" -H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$SEKISHO/" > "$WORK/wrk.txt" 2>&1 & WRK=$!
sleep $((SECS / 3))
kill -TERM "$SEKISHO_PID"
wait "$SEKISHO_PID" || true
wait "$WRK" || true

answered=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
audited=$(cat "$WORK"/data/audit/audit-*.jsonl | grep -c "\"kind\":\"access\"")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
errors=$(grep 'Socket errors' "$WORK/wrk.txt" || echo "Socket errors: none")
echo "delay=${DELAY}s connections=$CONNS run=${SECS}s, SIGTERM after $((SECS / 3)) s"
echo "requests Sekisho read (audit records): $audited"
echo "responses wrk received:                $answered (non-2xx: $non2xx)"
echo "read but not answered:                 $((audited - answered))"
echo "wrk $errors"
grep -E 'stopping|stopped' "$WORK/sekisho.log" | sed 's/^/sekisho: /'
