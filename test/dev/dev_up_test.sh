#!/usr/bin/env bash
# `./dev up` starts Postgres and NATS healthy, `./dev status` says so, and `./dev down`
# leaves no process behind. Uses its own state directory and ports (Postgres listens on the
# loopback too, so it takes a port of its own as well).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state=$(mktemp -d /tmp/cupola-dev-test-XXXXXX)
chmod 755 "$state"
export CUPOLA_STATE_DIR="$state"
export CUPOLA_NATS_PORT=$((20000 + RANDOM % 10000))
export CUPOLA_NATS_MONITOR_PORT=$((CUPOLA_NATS_PORT + 1))
export CUPOLA_BBS_PORT=$((CUPOLA_NATS_PORT + 2))
export CUPOLA_AUCTIONEER_PORT=$((CUPOLA_NATS_PORT + 3))
export CUPOLA_CELL1_PORT=$((CUPOLA_NATS_PORT + 4))
export CUPOLA_CELL2_PORT=$((CUPOLA_NATS_PORT + 5))
export CUPOLA_ROUTE_EMITTER_PORT=$((CUPOLA_NATS_PORT + 6))
export CUPOLA_ROUTER_PORT=$((CUPOLA_NATS_PORT + 7))
export CUPOLA_ROUTER_STATUS_PORT=$((CUPOLA_NATS_PORT + 8))
export CUPOLA_ROUTER_TLS_PORT=$((CUPOLA_NATS_PORT + 9))
export CUPOLA_LOGSTORE_PORT=$((CUPOLA_NATS_PORT + 10))
export CUPOLA_CC_PORT=$((CUPOLA_NATS_PORT + 11))
export CUPOLA_PG_PORT=$((CUPOLA_NATS_PORT + 12))
export CUPOLA_PG_BROKER_PORT=$((CUPOLA_NATS_PORT + 13))
export CUPOLA_CELL_HOST_PORTS=62000
# The stack is shared with the other tests: never rebuilt in the private state directory.
if [ -n "${CUPOLA_STACK_DIR:-}" ]; then
  export CUPOLA_STACKS_DIR="$(dirname "$CUPOLA_STACK_DIR")"
else
  export CUPOLA_STACKS_DIR="$ROOT/.cupola/stacks"
fi
export CUPOLA_BUILD_DIR="${CUPOLA_BUILD_DIR:-$ROOT/build}"

fail() {
  echo "FAIL: $*"
  "$ROOT/dev" down >/dev/null 2>&1 || true
  exit 1
}
cleanup() {
  "$ROOT/dev" down >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

"$ROOT/dev" up >"$state/up.out" 2>&1 || { cat "$state/up.out"; fail "./dev up failed"; }
grep -q "Cupola is up" "$state/up.out" || fail "./dev up did not say it is up"
grep -q "the cupola-pg broker (postgresql: small, medium, large) is registered" "$state/up.out" ||
  { cat "$state/up.out"; fail "./dev up did not say the pg broker is registered"; }

status=$("$ROOT/dev" status) || { echo "$status"; fail "./dev status reported a problem"; }
echo "$status"
# expect_healthy NAME: the status table lists NAME with its pid as healthy.
expect_healthy() {
  echo "$status" | grep -Eq "^$1 +[0-9]+ +healthy" || fail "$1 is not healthy"
}
pids=()
for component in postgres nats cc logstore bbs auctioneer cell-1 cell-2 route-emitter router pg-broker; do
  expect_healthy "$component"
  pids+=("$(echo "$status" | awk -v c="$component" '$1 == c {print $2}')")
done

# The BBS answers through its API with what it stores.
curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/domains/upsert" \
  -d '{"domain": "cf-apps", "ttl": 0}' >/dev/null || fail "the bbs did not take a domain"
curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/domains/list" | grep -q cf-apps ||
  fail "the bbs did not list the domain"

# An app desired in the BBS runs on a cell and answers on its host port.
bbs() { curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/$1" -d "$2"; }
bbs desired_lrps/desire '{"desired_lrp": {"process_guid": "smoke", "domain": "cf-apps",
  "log_guid": "smoke-app",
  "rootfs": "preloaded:cupolafs", "instances": 1, "memory_mb": 64, "disk_mb": 64,
  "ports": [8080],
  "routes": {"cf-router": [{"hostnames": ["smoke.apps.localhost"], "port": 8080}]},
  "action": {"run": {"path": "/bin/sh", "args": ["-c", "exec python3 -m http.server $PORT"],
                     "user": "vcap"}},
  "monitor": {"run": {"path": "/bin/sh",
                      "args": ["-c", "exec /tmp/lifecycle/cupola-healthcheck --port $PORT"],
                      "user": "vcap"}}}}' >/dev/null || fail "the bbs did not take the app"
port=""
for ((i = 0; i < 300; i++)); do
  port=$(bbs actual_lrps/list '{"process_guid": "smoke"}' |
    python3 -c 'import json,sys; a=json.load(sys.stdin)["actual_lrps"]; print(a[0]["ports"][0]["host_port"] if a and a[0]["state"]=="RUNNING" else "")' 2>/dev/null || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { "$ROOT/dev" logs cell-1; fail "the app did not run on a cell"; }
curl -fsS --max-time 5 "http://127.0.0.1:$port/" >/dev/null || fail "the app did not answer on port $port"
# ... and through the router, by its route, once the emitter registered it.
routed=""
for ((i = 0; i < 100; i++)); do
  if curl -fsS --max-time 2 -H "Host: smoke.apps.localhost" "http://127.0.0.1:$CUPOLA_ROUTER_PORT/" >/dev/null 2>&1; then
    routed=yes
    break
  fi
  sleep 0.1
done
[ -n "$routed" ] || fail "the app was not reachable through the router"
curl -fsS --max-time 5 --cacert "$state/certs/router.crt" --resolve "smoke.apps.localhost:$CUPOLA_ROUTER_TLS_PORT:127.0.0.1" \
  "https://smoke.apps.localhost:$CUPOLA_ROUTER_TLS_PORT/" >/dev/null ||
  fail "the app was not reachable through the router's TLS listener"
# The app's output and the router's access lines reach the log store (reading them back needs
# a token from the Cloud Controller; its counters show they arrived).
stored=""
for ((i = 0; i < 100; i++)); do
  stored=$(curl -fsS "http://127.0.0.1:$CUPOLA_LOGSTORE_PORT/varz" |
    python3 -c 'import json,sys; v=json.load(sys.stdin); print(v.get("logstore.ingress",0) if v.get("logstore.sources",0) >= 1 else 0)' 2>/dev/null || echo 0)
  [ "${stored:-0}" -ge 2 ] && break
  sleep 0.1
done
[ "${stored:-0}" -ge 2 ] || fail "the log store did not receive the app's logs"
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CUPOLA_LOGSTORE_PORT/api/v1/read/smoke-app" | grep -q 401 ||
  fail "the log store served logs without a token"

# The admin logs in at the Cloud Controller (as `cf login` does), creates an org, and reads
# the app's lines from the log store with that token.
cc="http://127.0.0.1:$CUPOLA_CC_PORT"
token=$(curl -fsS -u cf: -d grant_type=password -d username=admin \
  --data-urlencode "password=$(cat "$state/cc/admin_password")" "$cc/oauth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') ||
  fail "the admin could not log in"
curl -fsS "$cc/" | grep -q '"cloud_controller_v3"' || fail "the cc root has no v3 link"
# ... and through the router over TLS, by the names the CC and the log store register.
routed_api=""
for ((i = 0; i < 100; i++)); do
  if curl -fsS --max-time 2 --cacert "$state/certs/router.crt" \
      --resolve "api.localhost:$CUPOLA_ROUTER_TLS_PORT:127.0.0.1" \
      "https://api.localhost:$CUPOLA_ROUTER_TLS_PORT/v3" 2>/dev/null | grep -q '"organizations"'; then
    routed_api=yes
    break
  fi
  sleep 0.1
done
[ -n "$routed_api" ] || fail "api.localhost did not reach the cc through the router"
curl -fsS --cacert "$state/certs/router.crt" --resolve "login.localhost:$CUPOLA_ROUTER_TLS_PORT:127.0.0.1" \
  "https://login.localhost:$CUPOLA_ROUTER_TLS_PORT/login" | grep -q '"prompts"' ||
  fail "login.localhost did not reach the token service through the router"
curl -fsS --cacert "$state/certs/router.crt" --resolve "log-cache.localhost:$CUPOLA_ROUTER_TLS_PORT:127.0.0.1" \
  "https://log-cache.localhost:$CUPOLA_ROUTER_TLS_PORT/api/v1/info" | grep -q '"version"' ||
  fail "log-cache.localhost did not reach the log store through the router"
curl -fsS -X POST -H "Authorization: bearer $token" -H 'Content-Type: application/json' \
  -d '{"name": "smoke-org"}' "$cc/v3/organizations" | grep -q '"name":"smoke-org"' ||
  fail "the admin could not create an org"
curl -fsS -H "Authorization: bearer $token" "$cc/v3/organizations?names=smoke-org" |
  grep -q '"total_results":1' || fail "the new org is not listed"
lines=$(curl -fsS -H "Authorization: bearer $token" \
  "http://127.0.0.1:$CUPOLA_LOGSTORE_PORT/api/v1/read/smoke-app?envelope_types=LOG&limit=1000" |
  python3 -c 'import json,sys,base64; b=json.load(sys.stdin)["envelopes"]["batch"]; print(sum(1 for e in b if e["tags"].get("source_type") in ("RTR","APP/PROC/WEB")))') ||
  fail "the log store did not answer the admin"
[ "${lines:-0}" -ge 1 ] || fail "the app's log lines were not readable with the admin's token"
bbs desired_lrps/remove '{"process_guid": "smoke"}' >/dev/null || fail "the bbs did not remove the app"

# The pg broker is registered: the marketplace offers postgresql, every plan public.
cc_get() { curl -fsS -H "Authorization: bearer $token" "$cc$1"; }
count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)["resources"]))'; }
offerings=$(cc_get "/v3/service_offerings?names=postgresql" | count) ||
  fail "the cc did not list the service offerings"
[ "$offerings" = 1 ] || fail "the marketplace has $offerings postgresql offerings, not 1"
plans=$(cc_get "/v3/service_plans?service_offering_names=postgresql" |
  python3 -c 'import json,sys; print(" ".join(sorted(p["name"] + ":" + p["visibility_type"] for p in json.load(sys.stdin)["resources"])))') ||
  fail "the cc did not list the service plans"
[ "$plans" = "large:public medium:public small:public" ] ||
  fail "the postgresql plans are not small, medium and large, all public: $plans"
brokers=$(cc_get "/v3/service_brokers?names=cupola-pg" | count) || fail "the cc did not list the brokers"
[ "$brokers" = 1 ] || fail "$brokers brokers named cupola-pg, not 1"

# An app in a container reaches a database the pg broker made, at the address its binding
# hands out (containers share the host's network; Postgres listens on the loopback too).
broker="http://127.0.0.1:$CUPOLA_PG_BROKER_PORT"
osb() {
  curl -fsS -u "broker:$(cat "$state/pg-broker/password")" -H 'X-Broker-API-Version: 2.17' \
    -H 'Content-Type: application/json' "$@"
}
ids=$(osb "$broker/v2/catalog" |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["services"][0]; print(json.dumps({"service_id": s["id"], "plan_id": s["plans"][0]["id"]}))') ||
  fail "the pg broker did not serve its catalog"
osb -X PUT "$broker/v2/service_instances/smoke-db?accepts_incomplete=true" \
  -d "${ids%\}}, \"organization_guid\": \"smoke-org\", \"space_guid\": \"smoke-space\"}" >/dev/null ||
  fail "the pg broker did not take a provision"
provisioned=""
for ((i = 0; i < 300; i++)); do
  if osb "$broker/v2/service_instances/smoke-db/last_operation" | grep -q '"succeeded"'; then
    provisioned=yes
    break
  fi
  sleep 0.1
done
[ -n "$provisioned" ] || { "$ROOT/dev" logs pg-broker; fail "the pg broker did not make the database"; }
db_uri=$(osb -X PUT "$broker/v2/service_instances/smoke-db/service_bindings/smoke-binding" -d "$ids" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["credentials"]["uri"])') ||
  fail "the pg broker did not bind"
# shellcheck disable=SC2016  # $PORT, $CHECK and $DB_URI are the container's.
bbs desired_lrps/desire "$(python3 -c 'import json,sys; print(json.dumps({"desired_lrp": {
  "process_guid": "pg-smoke", "domain": "cf-apps", "log_guid": "pg-smoke",
  "rootfs": "preloaded:cupolafs", "instances": 1, "memory_mb": 64, "disk_mb": 64, "ports": [8080],
  "action": {"run": {"path": "/bin/sh", "user": "vcap",
    "args": ["-c", "mkdir -p /tmp/out && python3 -c \"$CHECK\" \"$DB_URI\" >/tmp/out/result 2>&1; exec python3 -m http.server $PORT --directory /tmp/out"],
    "env": [{"name": "DB_URI", "value": sys.argv[1]}, {"name": "CHECK", "value": sys.argv[2]}]}},
  "monitor": {"run": {"path": "/bin/sh", "user": "vcap",
    "args": ["-c", "exec /tmp/lifecycle/cupola-healthcheck --port $PORT"]}}}}))' "$db_uri" '
import ctypes, sys
pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
pq.PQerrorMessage.restype = ctypes.c_char_p
conn = ctypes.c_void_p(pq.PQconnectdb(sys.argv[1].encode()))
print("connected" if pq.PQstatus(conn) == 0 else "refused: " + pq.PQerrorMessage(conn).decode())
')" >/dev/null || fail "the bbs did not take the database check"
port=""
for ((i = 0; i < 300; i++)); do
  port=$(bbs actual_lrps/list '{"process_guid": "pg-smoke"}' |
    python3 -c 'import json,sys; a=json.load(sys.stdin)["actual_lrps"]; print(a[0]["ports"][0]["host_port"] if a and a[0]["state"]=="RUNNING" else "")' 2>/dev/null || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { "$ROOT/dev" logs cell-1; fail "the database check did not run on a cell"; }
result=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/result") || fail "the database check did not answer"
[ "$result" = connected ] || fail "an app could not reach the database at ${db_uri##*@}: $result"
bbs desired_lrps/remove '{"process_guid": "pg-smoke"}' >/dev/null || fail "the bbs did not remove the check"

# A second `up` is harmless, and keeps the one broker (registered again with the same name).
"$ROOT/dev" up >"$state/up2.out" 2>&1 || { cat "$state/up2.out"; fail "a second ./dev up failed"; }
grep -q "the cupola-pg broker (postgresql: small, medium, large) is registered" "$state/up2.out" ||
  fail "the second ./dev up did not say the pg broker is registered"
brokers=$(cc_get "/v3/service_brokers" | count) || fail "the cc did not list the brokers"
[ "$brokers" = 1 ] || fail "$brokers brokers after a second ./dev up, not 1"
offerings=$(cc_get "/v3/service_offerings?names=postgresql" | count) ||
  fail "the cc did not list the service offerings"
[ "$offerings" = 1 ] || fail "$offerings postgresql offerings after a second ./dev up, not 1"

"$ROOT/dev" down || fail "./dev down failed"
for pid in "${pids[@]}"; do
  if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    fail "process $pid is still running after ./dev down"
  fi
done
if "$ROOT/dev" status >/dev/null; then fail "./dev status says healthy after down"; fi
echo "dev up/status/down: 1 passed, 0 failed"
