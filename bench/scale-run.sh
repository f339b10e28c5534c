#!/usr/bin/env bash
# Scaling: two Sekisho instances sharing one PostgreSQL policy store (a database made afresh for
# the run on the machine's server), each pinned to its own core, against one instance on one core. The whole pipeline runs in both (bearer JWT, decide, signed assertion, batched
# audit, metrics). Rounds alternate: one instance alone (wrk at 32 connections), then both at
# once (one wrk of 32 connections each), and the ratio of their sum to the single figure.
#
# On a 2-core machine the upstream (nginx) and the load generator cannot have cores of their
# own: they float over both, so the two-instance figure is also limited by them. Say so beside
# the ratio.
# Usage: bench/scale-run.sh [rounds] [seconds]   (PGHOST_URL=postgresql://postgres@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; SECS=${2:-10}; CONNS=32
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-scale.XXXXXX)
UP=18080; SEKISHO=18443; MGMT=19090; ISSUER=18444; ECHO=18445; DEMO=18446; DEMO_MGMT=19091
B_PORT=18453; B_MGMT=19092
PGHOST_URL=${PGHOST_URL:-postgresql://postgres@127.0.0.1:5432}
PGOPTIONS='-c client_min_messages=warning' psql -q "$PGHOST_URL/postgres" -c 'DROP DATABASE IF EXISTS sekisho_bench' -c 'CREATE DATABASE sekisho_bench'
PGURL=$PGHOST_URL/sekisho_bench
source bench/lib.sh

start_nginx $UP
sed -i 's/^worker_processes 1;/worker_processes 2;/' "$WORK/nginx.conf" && nginx -c "$WORK/nginx.conf" -p "$WORK" -s reload
start_demo_issuer
bench_config "audit: {mode: batched}
policyStore: {type: postgresql, url: \"$PGURL\"}" > "$WORK/sekisho.yaml"
sed -e "s/port: $SEKISHO}/port: $B_PORT}/" -e "s/port: $MGMT}/port: $B_MGMT}/" -e "s|^dataDir: data|dataDir: data-b|" \
  "$WORK/sekisho.yaml" > "$WORK/sekisho-b.yaml"
start_sekisho -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m
taskset -c 1 java -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m -jar "$JAR" run --config "$WORK/sekisho-b.yaml" \
  --event-loops 1 >> "$WORK/sekisho-b.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$B_MGMT/readyz" >/dev/null && break; sleep 0.5; done
TOKEN=$(demo_token)
HDR=(-H "Host: bench.localhost" -H "Authorization: Bearer $TOKEN")
for port in $SEKISHO $B_PORT; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${HDR[@]}" "http://127.0.0.1:$port/")
  [ "$code" = 200 ] || { echo "instance on $port answered $code"; tail -20 "$WORK"/sekisho*.log; exit 1; }
  wrk -t1 -c$CONNS -d"${WARMUP:-30}s" "${HDR[@]}" "http://127.0.0.1:$port/" >/dev/null
done
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
printf "%-6s %10s %10s %10s %8s\n" round one two_a two_b ratio
for r in $(seq 1 "$ROUNDS"); do
  wrk -t1 -c$CONNS -d"${SECS}s" "${HDR[@]}" "http://127.0.0.1:$SEKISHO/" > "$WORK/one.txt"
  wrk -t1 -c$CONNS -d"${SECS}s" "${HDR[@]}" "http://127.0.0.1:$SEKISHO/" > "$WORK/a.txt" &
  wrk -t1 -c$CONNS -d"${SECS}s" "${HDR[@]}" "http://127.0.0.1:$B_PORT/" > "$WORK/b.txt"
  wait %%
  one=$(rps "$WORK/one.txt"); a=$(rps "$WORK/a.txt"); b=$(rps "$WORK/b.txt")
  awk -v r="$r" -v o="$one" -v a="$a" -v b="$b" 'BEGIN {printf "%-6s %10d %10d %10d %8.2f\n", r, o, a, b, (a+b)/o}' \
    | tee -a "$WORK/rounds.txt"
done
awk '{print $5}' "$WORK/rounds.txt" | sort -n | awk '{v[NR]=$1} END {printf "median ratio, two instances / one: %.2f\n", v[int((NR+1)/2)]}'
echo "policy versions agree: $(curl -s "http://127.0.0.1:$MGMT/metrics" | grep -o 'sekisho_policy_info{version="[^"]*"' | head -1) /" \
  "$(curl -s "http://127.0.0.1:$B_MGMT/metrics" | grep -o 'sekisho_policy_info{version="[^"]*"' | head -1)"
