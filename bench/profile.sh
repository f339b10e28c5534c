#!/usr/bin/env bash
# Where Sekisho's event loop spends its time under load: async-profiler (from Maven Central,
# tools.profiler:async-profiler) samples the whole pipeline (bearer JWT, posture token, decide,
# signed assertion, batched audit, metrics) while wrk drives the posture-checking app.
# Sekisho and its nginx upstream on core 0, wrk on core 1, as in bench/run.
#
# Writes $OUT/profile.html (flame graph) and $OUT/profile.collapsed, and prints the 25 hottest
# frames by self time and the share of samples under a few of Sekisho's own parts.
# Usage: bench/profile.sh [seconds] [connections]     (OUT=/tmp/sekisho-profile by default;
#   EVENT=itimer by default, which works where perf counters do not; EVENT=alloc profiles allocation)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}; CONNS=${2:-32}; OUT=${OUT:-/tmp/sekisho-profile}; EVENT=${EVENT:-itimer}
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-profile.XXXXXX)
UP=18080; SEKISHO=18443; MGMT=19090; ISSUER=18444; ECHO=18445; DEMO=18446; DEMO_MGMT=19091
source bench/lib.sh
mkdir -p "$OUT"

AP_VERSION=4.2
AP_JAR=~/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$AP_JAR" ] || mvn -B -ntp -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION
unzip -o -q "$AP_JAR" 'linux-x64/libasyncProfiler.so' -d "$WORK"
AGENT="$WORK/linux-x64/libasyncProfiler.so"

start_nginx $UP
start_demo_issuer
bench_config "audit: {mode: ${AUDIT_MODE:-batched}}
devicePosture:
  issuers:
    - id: demo-mdm
      issuer: https://posture.demo.localhost
      jwksFile: $WORK/demo/keys/demo-posture-jwks.json" > "$WORK/sekisho.yaml"
sed -i "s|^apps:|apps:\n  - id: bench-posture\n    hosts: [posture.localhost]\n    upstream: http://127.0.0.1:$UP\n    allow: [{id: staff, groups: [all-staff]}]\n    posture: {managed: true, compliant: true, edr: {running: true, maxRisk: low}, diskEncrypted: true}|" \
  "$WORK/sekisho.yaml"
# shellcheck disable=SC2086 # SEKISHO_JAVA_OPTS holds several flags
start_sekisho -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m ${SEKISHO_JAVA_OPTS:-}
TOKEN=$(demo_token)
DPT=$(java -jar "$JAR" posture issue --key "$WORK/demo/keys/demo-posture-key.jwk.json" \
  --issuer https://posture.demo.localhost --records "$WORK/demo/devices.json" --device LG-PC-0001)
ARGS=(-H "Host: posture.localhost" -H "Authorization: Bearer $TOKEN" -H "X-Sekisho-Device-Posture: $DPT")
code=$(curl -s -o /dev/null -w '%{http_code}' "${ARGS[@]}" "http://127.0.0.1:$SEKISHO/")
[ "$code" = 200 ] || { echo "Sekisho answered $code"; cat "$WORK/sekisho.log"; exit 1; }

taskset -c 1 wrk -t1 -c"$CONNS" -d"${WARMUP:-20}s" "${ARGS[@]}" "http://127.0.0.1:$SEKISHO/" >/dev/null
# jcmd reads a bare key=value as its own option: the agent's options go in quotes
profiler() { jcmd "$SEKISHO_PID" JVMTI.agent_load "$AGENT" "\"$1\"" | grep -q 'return code: 0' || { echo "profiler: $1 failed"; exit 1; }; }
profiler "start,event=$EVENT,interval=${INTERVAL:-1000000}"
taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "${ARGS[@]}" "http://127.0.0.1:$SEKISHO/" | grep -E 'Requests/sec|99%'
profiler "dump,file=$OUT/profile.html"
profiler "stop,file=$OUT/profile.collapsed,collapsed"

total=$(awk '{s+=$NF} END {print s}' "$OUT/profile.collapsed")
echo; echo "hottest frames by self time (% of $total samples)"
awk '{n=$NF; $NF=""; k=split($0, f, ";"); sub(/ $/, "", f[k]); self[f[k]]+=n} END {for (x in self) print self[x], x}' \
  "$OUT/profile.collapsed" | sort -rn | head -25 | awk -v t="$total" '{c=$1; $1=""; printf "%5.1f%% %s\n", 100*c/t, $0}'
echo; echo "share of samples under (inclusive)"
for part in 'jp/sekisho/identity' 'jp/sekisho/posture|jp/sekisho/device' 'jp/sekisho/policy' 'jp/sekisho/assertion' \
    'jp/sekisho/audit' 'jp/sekisho/metrics|micrometer' 'io/vertx/httpproxy' 'HeadersMultiMap|HttpHeaders' \
    'jp/sekisho/gateway/HeaderHygiene|jp/sekisho/gateway/Forwarding' 'GC|G1' 'epoll|writev|__send|sendmsg|recv|read'; do
  n=$(grep -E "$part" "$OUT/profile.collapsed" | awk '{s+=$NF} END {print s+0}')
  awk -v n="$n" -v t="$total" -v p="$part" 'BEGIN {printf "%5.1f%% %s\n", 100*n/t, p}'
done
