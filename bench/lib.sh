# shellcheck shell=bash
# Shared by the load scripts: process cleanup, the tools they need, the 1 KiB nginx upstream,
# and one measured wrk run. Source it after setting WORK, CONNS, SECS and JAR.

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

command -v wrk >/dev/null && command -v nginx >/dev/null || \
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
[ -f "$JAR" ] || mvn -B -q -DskipTests package

# start_nginx UPSTREAM_PORT [extra server blocks]: the 1 KiB static upstream on core 0
start_nginx() {
  local body
  body=$(head -c 1024 /dev/zero | tr '\0' 'x')
  cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream origin { server 127.0.0.1:$1; keepalive 64; }
  server { listen 127.0.0.1:$1; location / { default_type text/plain; return 200 "$body"; } }
  ${2:-}
}
NGINX
  taskset -c 0 nginx -c "$WORK/nginx.conf" -p "$WORK"
}

# run NAME URL [wrk args...] -> "NAME req/s p50_ms p99_ms errors" (wrk on core 1, after a 3 s warm-up).
# With RATE set, an open-loop run at RATE requests per second instead (tools/OpenLoop.java):
# latencies at a load every target can carry, measured from when each request was due.
run() {
  local name=$1 url=$2; shift 2
  if [ -n "${RATE:-}" ]; then
    echo "$name $(taskset -c 1 java -cp "$JAR" bench/tools/OpenLoop.java "$url" "$RATE" 5 "$SECS" "$CONNS" "$@" \
      | awk '{print $1, $2, $3, ($4 == "0" ? "0" : "errors")}')"
    return
  fi
  taskset -c 1 wrk -t1 -c"$CONNS" -d3s "$@" "$url" >/dev/null
  taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" > "$WORK/$name.txt"
  awk -v name="$name" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /Non-2xx|Socket errors/ {err=err $0}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%s %.0f %.2f %.2f %s\n", name, rps, ms(p50), ms(p99), (err=="" ? "0" : "errors")}' "$WORK/$name.txt"
}

# start_demo_issuer: the demo (its issuer mints tokens; idle during runs), waits for its keys.
# Uses DEMO, DEMO_MGMT, ISSUER, ECHO.
start_demo_issuer() {
  java -jar "$JAR" demo --port "$DEMO" --management-port "$DEMO_MGMT" --issuer-port "$ISSUER" --upstream-port "$ECHO" \
    --admin-port "${DEMO_ADMIN:-19443}" --forward-proxy-port "${DEMO_FORWARD:-13128}" \
    --parent-proxy-port "${DEMO_PARENT:-13129}" --data-dir "$WORK/demo" > "$WORK/demo.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$ISSUER/jwks" >/dev/null && return; sleep 0.5; done
  echo "the demo issuer did not start"; cat "$WORK/demo.log"; exit 1
}

# bench_config EXTRA_TOP_LEVEL_YAML: Sekisho on $SEKISHO/$MGMT in front of $UP, trusting the demo
# issuer, with the app "bench" (bench.localhost) open to all staff. Prints the YAML.
bench_config() {
  cat <<YAML
listen: {host: 127.0.0.1, port: $SEKISHO}
management: {host: 127.0.0.1, port: $MGMT}
dataDir: data
${1:-}
issuers:
  - id: demo
    issuer: http://127.0.0.1:$ISSUER
    audiences: [sekisho]
    userClaim: preferred_username
apps:
  - id: bench
    hosts: [bench.localhost]
    upstream: http://127.0.0.1:$UP
    allow:
      - id: staff
        groups: [all-staff]
YAML
}

# start_sekisho [JVM options...]: runs $WORK/sekisho.yaml on core 0, one event loop; waits until
# ready and sets SEKISHO_PID.
start_sekisho() {
  taskset -c 0 java "$@" -jar "$JAR" run --config "$WORK/sekisho.yaml" --event-loops 1 \
    >> "$WORK/sekisho.log" 2>&1 & SEKISHO_PID=$!; PIDS+=("$SEKISHO_PID")
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$MGMT/readyz" >/dev/null && return; sleep 0.5; done
  echo "Sekisho did not become ready"; cat "$WORK/sekisho.log"; exit 1
}

# demo_token: a two-hour token for sato (face) from the demo issuer.
demo_token() {
  curl -sf "http://127.0.0.1:$ISSUER/token?user=sato&amr=face&ttl=7200"
}
