#!/usr/bin/env bash
# Memory with many open keep-alive connections: Sekisho runs its whole pipeline under a 256 MB
# heap cap (-Xmx256m); a client opens N connections (default 10,000, the default
# listen.limits.maxConnections), sends one authenticated request on each and keeps it open.
# With all of them open it reports the live heap after a full GC, the committed heap and the
# process RSS, then sends a second request on every connection to show none was dropped.
# Usage: bench/connections-run.sh [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; CONNS=1; SECS=1
JAR=proxy/target/sekisho.jar
WORK=$(mktemp -d /tmp/sekisho-conns.XXXXXX)
UP=18080; SEKISHO=18443; MGMT=19090; ISSUER=18444; ECHO=18445; DEMO=18446; DEMO_MGMT=19091
source bench/lib.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # each side holds N sockets

start_nginx $UP
start_demo_issuer
bench_config "audit: {mode: batched}" > "$WORK/sekisho.yaml"
start_sekisho -XX:ActiveProcessorCount=1 -Xmx256m
TOKEN=$(demo_token)
heap() { # live heap after a full GC, committed heap (MB)
  jcmd "$SEKISHO_PID" GC.run >/dev/null
  jcmd "$SEKISHO_PID" GC.heap_info | awk '/total/ {for (i=1;i<=NF;i++) {if ($i=="total") t=$(i+1); if ($i=="used") u=$(i+1)}} END {
    gsub(/K,?/, "", t); gsub(/K,?/, "", u); printf "live heap %.0f MB of %.0f MB committed", u/1024, t/1024}'
}
rss() { awk '/VmRSS/ {printf "RSS %.0f MB", $2/1024}' "/proc/$SEKISHO_PID/status"; }
echo "before: $(heap), $(rss)"
cat > "$WORK/client.py" <<'PY'
import os, socket, sys, time
n, port, token, go = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
request = ("GET / HTTP/1.1\r\nHost: bench.localhost\r\nAuthorization: Bearer %s\r\n\r\n" % token).encode()

def exchange(s):
    s.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length"))
    while len(body) < length:
        body += s.recv(65536)
    return status

sockets, statuses = [], {}
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    st = exchange(s)
    statuses[st] = statuses.get(st, 0) + 1
    sockets.append(s)
print("opened %d connections, answers %s" % (len(sockets), statuses), flush=True)
while not os.path.exists(go):  # the script measures the heap meanwhile
    time.sleep(0.2)
again = {}
for s in sockets:
    try:
        st = exchange(s)
    except (ConnectionError, OSError):
        st = "closed"
    again[st] = again.get(st, 0) + 1
print("second request on each: %s" % again, flush=True)
PY
python3 "$WORK/client.py" "$N" "$SEKISHO" "$TOKEN" "$WORK/go" > "$WORK/client.out" 2>&1 & CLIENT=$!
until grep -q opened "$WORK/client.out" || ! kill -0 $CLIENT 2>/dev/null; do sleep 0.5; done
cat "$WORK/client.out"
echo "with all open: $(heap), $(rss), $(ss -Htn state established "( sport = :$SEKISHO )" | wc -l) established"
touch "$WORK/go"
wait $CLIENT
tail -1 "$WORK/client.out"
curl -s "http://127.0.0.1:$MGMT/metrics" | grep -E '^sekisho_connections_refused_total' || true
