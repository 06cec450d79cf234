#!/usr/bin/env bash
# The router under load, next to its peers, in one run on one machine: the same nginx
# backend (a small body), the same wrk settings, and the same number of threads for every
# proxy. Cases: direct to the backend, cupola-router, haproxy, nginx as a proxy; cupola-router
# again with 100,000 routes in its table. Prints a table and BENCH lines; never fails on
# timing. Needs wrk, haproxy, nginx and nats-server (./dev installs them).
#   CUPOLA_BUILD_DIR (default ./build), BENCH_THREADS (proxy threads, default 1),
#   BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 50)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${CUPOLA_BUILD_DIR:-$ROOT/build}"
THREADS="${BENCH_THREADS:-1}"
SECONDS_PER_RUN="${BENCH_SECONDS:-8}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${CUPOLA_ROUTER_BIN:-}" ] && [ -x "$HERE/cupola-router" ]; then CUPOLA_ROUTER_BIN="$HERE/cupola-router"; fi
ROUTER="${CUPOLA_ROUTER_BIN:-$BUILD/bin/cupola-router}"

for tool in wrk haproxy nginx nats-server python3; do
  command -v "$tool" >/dev/null || { echo "router bench: $tool is missing (./dev deps installs it)"; exit 0; }
done
[ -x "$ROUTER" ] || { echo "router bench: $ROUTER is missing (build first)"; exit 0; }

work=$(mktemp -d /tmp/cupola-router-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BACKEND=$(port); NATS=$(port); CUPOLA=$(port); STATUS=$(port); HAPROXY=$(port); NGINX=$(port)

wait_port() {
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "router bench: nothing listens on $1"; tail -5 "$work"/*.log "$work"/*/error.log 2>/dev/null; exit 1
}

mkdir -p "$work/nginx-backend" "$work/nginx-proxy"
cat >"$work/nginx-backend/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx-backend/nginx.pid;
error_log $work/nginx-backend/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-backend;
  proxy_temp_path $work/nginx-backend;
  fastcgi_temp_path $work/nginx-backend;
  uwsgi_temp_path $work/nginx-backend;
  scgi_temp_path $work/nginx-backend;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND;
    location / { default_type text/plain; return 200 "hello from the backend\n"; }
  }
}
NGINX
cat >"$work/nginx-proxy/nginx.conf" <<NGINX
worker_processes $THREADS;
daemon off;
pid $work/nginx-proxy/nginx.pid;
error_log $work/nginx-proxy/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-proxy;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-proxy;
  uwsgi_temp_path $work/nginx-proxy;
  scgi_temp_path $work/nginx-proxy;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$BACKEND; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
NGINX
cat >"$work/haproxy.cfg" <<HAPROXY
global
  nbthread $THREADS
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  option forwardfor
frontend bench
  bind 127.0.0.1:$HAPROXY
  default_backend app
backend app
  http-reuse always
  server s1 127.0.0.1:$BACKEND
HAPROXY
# Two routers: as deployed (each request's RTR log line published on NATS, as gorouter
# does), and without app logs, which is the work haproxy and nginx do here.
CUPOLA_LOGS=$(port); STATUS_LOGS=$(port)
cat >"$work/router.json" <<JSON
{"address": "127.0.0.1", "port": $CUPOLA, "status_address": "127.0.0.1:$STATUS",
 "nats_servers": ["nats://127.0.0.1:$NATS"], "threads": $THREADS, "log_level": "error",
 "app_logs": false}
JSON
cat >"$work/router-logs.json" <<JSON
{"address": "127.0.0.1", "port": $CUPOLA_LOGS, "status_address": "127.0.0.1:$STATUS_LOGS",
 "nats_servers": ["nats://127.0.0.1:$NATS"], "threads": $THREADS, "log_level": "error"}
JSON

nginx -c "$work/nginx-backend/nginx.conf" & pids+=($!)
nats-server -a 127.0.0.1 -p "$NATS" >"$work/nats.log" 2>&1 & pids+=($!)
wait_port "$BACKEND"; wait_port "$NATS"
"$ROUTER" --config "$work/router.json" >"$work/router.log" 2>&1 & pids+=($!)
ROUTER_PID=$!
"$ROUTER" --config "$work/router-logs.json" >"$work/router-logs.log" 2>&1 & pids+=($!)
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 & pids+=($!)
nginx -c "$work/nginx-proxy/nginx.conf" & pids+=($!)
wait_port "$CUPOLA"; wait_port "$CUPOLA_LOGS"; wait_port "$HAPROXY"; wait_port "$NGINX"

# Registers `count` routes (route-0.bench ... and app.bench) on NATS, as emitters do.
register() {
  python3 - "$NATS" "$BACKEND" "$1" <<'PY'
import json, socket, sys
nats, backend, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", nats))
s.recv(4096)
out = [b'CONNECT {"verbose":false}\r\n']
for i in range(count):
    uri = "app.bench" if i == 0 else "route-%d.bench" % i
    msg = json.dumps({"host": "127.0.0.1", "port": backend, "uris": [uri],
                      "app": "app-%d" % i, "private_instance_id": "inst-%d" % i,
                      "private_instance_index": "0"}).encode()
    out.append(b"PUB router.register %d\r\n%s\r\n" % (len(msg), msg))
out.append(b"PING\r\n")
s.sendall(b"".join(out))
buf = b""
while b"PONG" not in buf:
    buf += s.recv(4096)
PY
}
routes() { curl -fsS "http://127.0.0.1:$STATUS/varz" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("router.routes",0))' 2>/dev/null || echo 0; }
register 1
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: app.bench' "http://127.0.0.1:$CUPOLA/")" = 200 ] && break; sleep 0.05; done

# run NAME PORT: wrk against 127.0.0.1:PORT with Host app.bench; prints "rps p50_ms p99_ms".
run() {
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Host: app.bench" "http://127.0.0.1:$2/" 2>&1)
  echo "$out" >"$work/wrk-$1.txt"
  python3 - "$work/wrk-$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print("%.0f %.3f %.3f %d" % (rps, ms("50%"), ms("99%"), int(errors.group(1)) if errors else 0))
PY
}

declare -A RPS P50 P99 ERR
for case in direct cupola cupola_app_logs haproxy nginx; do
  case $case in
    direct) p=$BACKEND ;; cupola) p=$CUPOLA ;; cupola_app_logs) p=$CUPOLA_LOGS ;;
    haproxy) p=$HAPROXY ;; nginx) p=$NGINX ;;
  esac
  read -r RPS[$case] P50[$case] P99[$case] ERR[$case] < <(run "$case" "$p")
done
register 100000
for _ in $(seq 1 200); do [ "$(routes)" -ge 100000 ] && break; sleep 0.1; done
ROUTES=$(routes)
read -r RPS[cupola_100k] P50[cupola_100k] P99[cupola_100k] ERR[cupola_100k] < <(run cupola_100k "$CUPOLA")
RSS=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$ROUTER_PID/status")

printf '\nrouter bench: %s proxy thread(s), wrk -t1 -c%s -d%ss, nginx backend\n' "$THREADS" "$CONNECTIONS" "$SECONDS_PER_RUN"
printf '%-14s %10s %9s %9s %8s\n' case req/s p50_ms p99_ms non2xx
for c in direct cupola cupola_app_logs haproxy nginx cupola_100k; do
  printf '%-14s %10s %9s %9s %8s\n' "$c" "${RPS[$c]}" "${P50[$c]}" "${P99[$c]}" "${ERR[$c]}"
done
printf 'cupola-router with %s routes: %s MB resident\n' "$ROUTES" "$RSS"
printf 'cupola: no app logs, as haproxy and nginx; cupola_app_logs: each request also logged to its app over NATS\n'
for c in direct cupola cupola_app_logs haproxy nginx; do
  echo "BENCH name=router case=$c rps=${RPS[$c]} p50_ms=${P50[$c]} p99_ms=${P99[$c]} threads=$THREADS"
done
echo "BENCH name=router case=cupola_100k_routes routes=$ROUTES rps=${RPS[cupola_100k]} p50_ms=${P50[cupola_100k]} p99_ms=${P99[cupola_100k]} rss_mb=$RSS"
python3 -c "import sys; c,h,n,pc,ph=map(float,sys.argv[1:]); print('BENCH name=router case=ratio cupola_over_haproxy=%.3f cupola_over_nginx=%.3f p99_cupola_over_haproxy=%.3f' % (c/h, c/n, pc/ph))" \
    "${RPS[cupola]}" "${RPS[haproxy]}" "${RPS[nginx]}" "${P99[cupola]}" "${P99[haproxy]}"
