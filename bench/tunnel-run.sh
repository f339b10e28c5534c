#!/usr/bin/env bash
# Tunnel throughput on loopback: one large download from nginx directly, through a Sekisho
# CONNECT tunnel (curl --proxytunnel), and as an absolute-form request through the forward
# proxy, interleaved in each round. Sekisho and nginx on core 0, curl on core 1.
#
# Needs: a built proxy/target/sekisho.jar, Debian's nginx and curl (nginx installed if missing).
# Usage: bench/tunnel-run.sh [rounds] [megabytes]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}; MB=${2:-1024}; CONNS=1; SECS=1
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-tunnel.XXXXXX)
UP=18080; BIG=18082; FWD=13130; SEKISHO=18443; MGMT=19090; ISSUER=18444; ECHO=18445; DEMO=18446; DEMO_MGMT=19091
source bench/lib.sh

# The file lives in memory (tmpfs when /dev/shm exists), so the disk is not what is measured.
mkdir -p "$WORK/www"
SHM=$(mktemp -d /dev/shm/sekisho-tunnel.XXXXXX 2>/dev/null || mktemp -d "$WORK/shm.XXXXXX")
head -c "$((MB * 1024 * 1024))" /dev/urandom > "$SHM/big.bin"
ln -s "$SHM/big.bin" "$WORK/www/big.bin"
chmod a+rx "$WORK" "$WORK/www" "$SHM"; chmod a+r "$SHM/big.bin"   # nginx's workers run unprivileged
trap 'cleanup; rm -rf "$SHM"' EXIT
start_nginx $UP "server { listen 127.0.0.1:$BIG; root $WORK/www; sendfile on; }"

start_demo_issuer
bench_config "forwardProxy:
  listen: {host: 127.0.0.1, port: $FWD}
segments:
  - id: lgwan
    cidrs: [127.0.0.0/8]
breakout:
  allowlist:
    - id: bench-download
      domains: [download.localhost, localhost]
      ports: [$BIG]
      category: allow
      allowPrivate: true" > "$WORK/sekisho.yaml"
start_sekisho ${SEKISHO_JAVA_OPTS:-}
TOKEN=$(demo_token)

direct() { taskset -c 1 curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$BIG/big.bin"; }
tunnel() { taskset -c 1 curl -s -p -x "http://127.0.0.1:$FWD" --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
  -o /dev/null -w '%{speed_download}' "http://localhost:$BIG/big.bin"; }
absolute() { taskset -c 1 curl -s -x "http://127.0.0.1:$FWD" --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
  -o /dev/null -w '%{speed_download}' "http://localhost:$BIG/big.bin"; }

check=$(taskset -c 1 curl -s -p -x "http://127.0.0.1:$FWD" --proxy-header "Proxy-Authorization: Bearer $TOKEN" \
  -o /dev/null -w '%{http_code}' "http://localhost:$BIG/big.bin")
[ "$check" = 200 ] || { echo "the tunnel did not work (HTTP $check)"; cat "$WORK/sekisho.log"; exit 1; }
tunnel >/dev/null; absolute >/dev/null   # warm-up: the JIT sees the relay before it is timed

printf '%-6s %12s %12s %12s %8s %8s\n' round "direct MB/s" "tunnel MB/s" "absolute" "tunnel%" "abs%"
for r in $(seq 1 "$ROUNDS"); do
  d=$(direct); t=$(tunnel); a=$(absolute)
  echo "$d $t $a" >> "$WORK/values.txt"
  awk -v r="$r" -v d="$d" -v t="$t" -v a="$a" 'BEGIN {
    printf "%-6s %12.0f %12.0f %12.0f %7.0f%% %7.0f%%\n", r, d/1e6, t/1e6, a/1e6, 100*t/d, 100*a/d }'
done
median() { cut -d' ' -f"$1" "$WORK/values.txt" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
d=$(median 1); t=$(median 2); a=$(median 3)
awk -v d="$d" -v t="$t" -v a="$a" 'BEGIN {
  printf "median %12.0f %12.0f %12.0f %7.0f%% %7.0f%%\n", d/1e6, t/1e6, a/1e6, 100*t/d, 100*a/d }'
curl -s "http://127.0.0.1:$MGMT/metrics" | grep -E '^sekisho_breakout_(bytes|requests)_total' || true
