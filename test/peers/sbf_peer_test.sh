#!/usr/bin/env bash
# A third-party service broker through the Cloud Controller's v3 API: the SAP Service Broker
# Framework (@sap/sbf 6.11.2 from npm, with the catalog and hooks in sbf/) started on
# 127.0.0.1, registered with a whole platform started by `./dev up` (private state and
# ports), its plans made public, a managed instance of its synchronous plan and one of its
# asynchronous plan (202 and last_operation polling), a service key of each whose
# credentials are those the broker returned, then the keys and instances deleted and the
# broker unregistered. Each step is checked on both sides: what the API answers, and what the
# broker was asked (its hooks write one JSON line per call).
# The npm install is kept in .cupola/npm/sbf and redone when sbf/package.json changes; the
# first run needs the npm registry. Prints each check as `ok -`/`not ok -` and a closing count.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEER="$HERE/sbf"
# shellcheck source-path=SCRIPTDIR source=../e2e/platform.sh
source "$HERE/../e2e/platform.sh"
# shellcheck source-path=SCRIPTDIR source=../e2e/checks.sh
source "$HERE/../e2e/checks.sh"

OUT="$state/out"
HDR="$state/headers"
AUTH="$state/auth-header"
SBF_DIR="$state/sbf"
HOOKS="$SBF_DIR/hooks.log"
SBF_LOG="$state/logs/sbf-peer.log"
NPM_CACHE="$ROOT/.cupola/npm/sbf"
BROKER_NAME=sbf-peer
BROKER_USER=platform
BROKER_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
# How long the broker keeps an asynchronous operation "in progress" (it also waits for a
# second poll): long enough that the API is seen answering "in progress" first.
ASYNC_DELAY_MS=3000
WAIT_SECONDS=90 # the longest any one operation may take
sbf_pid=""

stop_sbf() {
  [ -n "$sbf_pid" ] || return 0
  kill "$sbf_pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$sbf_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$sbf_pid" 2>/dev/null || true
  wait "$sbf_pid" 2>/dev/null || true
  sbf_pid=""
}
# platform.sh's own trap stops the platform; this one stops the broker first.
trap 'stop_sbf; platform_down' EXIT

# When a step the others need fails: the broker's log.
on_must_fail() {
  [ -f "$SBF_LOG" ] && { echo "--- the broker's log (last lines)"; tail -15 "$SBF_LOG"; }
  return 0
}

# cc METHOD PATH [JSON]: calls the Cloud Controller as the admin; the body in $OUT, the
# headers in $HDR, the HTTP status in $STATUS (000: no answer).
cc() {
  local args=(-sS --max-time 60 -X "$1" -o "$OUT" -D "$HDR" -w '%{http_code}' -H @"$AUTH")
  # The body goes through stdin, not the command line: it can hold the broker's password.
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary @-)
  STATUS=$(printf '%s' "${3:-}" | curl "${args[@]}" "$CC_URL$2" 2>"$state/curl.err") || {
    STATUS=000
    cp "$state/curl.err" "$OUT"
  }
}
status_is() {
  [ "$STATUS" = "$1" ] || {
    echo "    HTTP $STATUS, not $1"
    return 1
  }
}
# out_has JQ_EXPRESSION: the last answer's body makes it true.
out_has() { jq -e "$1" "$OUT" >/dev/null 2>&1; }
# The guid of the job in the last answer's Location header.
location_job() { tr -d '\r' <"$HDR" | sed -n 's|^[Ll]ocation: .*/v3/jobs/\([^/ ]*\)$|\1|p' | tail -1; }

# await_job GUID: the job ends COMPLETE within WAIT_SECONDS (FAILED or too long: false).
await_job() {
  local guid=$1 job_state="" i
  [ -n "$guid" ] || {
    echo "    no job"
    return 1
  }
  for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    cc GET "/v3/jobs/$guid"
    job_state=$(jq -r '.state // empty' "$OUT" 2>/dev/null || true)
    case "$job_state" in
      COMPLETE) return 0 ;;
      FAILED)
        echo "    job $guid FAILED: $(jq -c '.errors' "$OUT" 2>/dev/null || true)"
        return 1
        ;;
    esac
    sleep 0.25
  done
  echo "    job $guid still ${job_state:-unknown} after ${WAIT_SECONDS}s"
  return 1
}
# await_gone PATH: the Cloud Controller answers 404 for PATH within WAIT_SECONDS.
await_gone() {
  local i
  for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
    cc GET "$1"
    [ "$STATUS" = 404 ] && return 0
    sleep 0.25
  done
  echo "    $1 still answers $STATUS"
  return 1
}

# same_json RETURNED SHOWN: the same non-empty JSON (both sorted and compact).
same_json() {
  if [ -z "$1" ] || [ "$1" != "$2" ]; then
    echo "    the broker returned $1"
    echo "    the API shows      $2"
    return 1
  fi
}
# hook OP JQ_FILTER: the broker's calls of kind OP that match the filter, one JSON a line.
hook() { jq -c --arg op "$1" "select(.op == \$op) | select($2)" "$HOOKS" 2>/dev/null || true; }
# hook_seen DESCRIPTION OP JQ_FILTER: at least one such call.
hook_seen() { [ -n "$(hook "$2" "$3")" ] || { echo "    the broker saw no $1" && return 1; }; }

# --- the broker, installed and started on its own ---------------------------------------

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "node and npm are needed (Debian packages nodejs and npm)"
fi
command -v jq >/dev/null || fail "jq is needed (Debian package jq)"
echo "# node $(node --version), npm $(npm --version)"

# The install is reused while package.json is the same; a new one is made beside it and put
# in place whole, so an interrupted install is never taken for a good one.
if ! cmp -s "$PEER/package.json" "$NPM_CACHE/package.json" ||
  [ ! -f "$NPM_CACHE/node_modules/@sap/sbf/package.json" ]; then
  echo "# installing @sap/sbf from npm into .cupola/npm/sbf"
  rm -rf "$NPM_CACHE.new"
  mkdir -p "$NPM_CACHE.new"
  cp "$PEER/package.json" "$NPM_CACHE.new/"
  if ! (cd "$NPM_CACHE.new" && timeout 600 npm install --no-audit --no-fund) >"$state/npm.out" 2>&1; then
    tail -20 "$state/npm.out" >&2
    rm -rf "$NPM_CACHE.new"
    fail "npm could not install @sap/sbf (is the npm registry reachable? npm's output above)"
  fi
  rm -rf "$NPM_CACHE"
  mv "$NPM_CACHE.new" "$NPM_CACHE"
fi
sbf_version=$(jq -r .version "$NPM_CACHE/node_modules/@sap/sbf/package.json")
[ "$sbf_version" = "$(jq -r '.dependencies["@sap/sbf"]' "$PEER/package.json")" ] ||
  fail "npm installed @sap/sbf $sbf_version, not the version sbf/package.json names"

mkdir -p "$SBF_DIR" "$(dirname "$SBF_LOG")"
: >"$HOOKS"
PORT=0 BROKER_USER=$BROKER_USER BROKER_PASSWORD=$BROKER_PASSWORD HOOK_LOG=$HOOKS \
  ASYNC_DELAY_MS=$ASYNC_DELAY_MS NODE_PATH="$NPM_CACHE/node_modules" \
  node "$PEER/start.js" >"$SBF_LOG" 2>&1 &
sbf_pid=$!
sbf_port=""
for ((i = 0; i < 150; i++)); do
  sbf_port=$(grep -h '"sbf-peer.started"' "$SBF_LOG" 2>/dev/null | jq -r '.data.port' 2>/dev/null || true)
  [ -n "$sbf_port" ] && break
  kill -0 "$sbf_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$sbf_port" ]; then
  tail -20 "$SBF_LOG" >&2
  fail "@sap/sbf did not start (its log above)"
fi
SBF_URL="http://127.0.0.1:$sbf_port"
echo "# @sap/sbf $sbf_version listens on $SBF_URL"

listening=$(ss -Hltn "sport = :$sbf_port" 2>/dev/null | awk '{print $4}' | sort -u | xargs)
check "sbf listens on 127.0.0.1 only ($listening)" test "$listening" = "127.0.0.1:$sbf_port"

# sbf_catalog ARGS...: the broker's HTTP status for a GET of its catalog with curl ARGS added.
sbf_catalog() {
  curl -s --max-time 10 -o "$OUT" -w '%{http_code}' "$@" "$SBF_URL/v2/catalog" || true
}
STATUS=$(sbf_catalog -u "$BROKER_USER:$BROKER_PASSWORD")
check "sbf refuses a catalog request without X-Broker-API-Version (412)" status_is 412
STATUS=$(sbf_catalog -H 'X-Broker-API-Version: 2.17')
check "sbf refuses a catalog request without its credentials (401)" status_is 401
STATUS=$(sbf_catalog -u "$BROKER_USER:$BROKER_PASSWORD" -H 'X-Broker-API-Version: 2.17')
must "sbf answers its catalog with X-Broker-API-Version and basic auth (200)" status_is 200
check "the catalog offers sbf-peer with plans sync and async" \
  out_has '.services[0].name == "sbf-peer" and ([.services[0].plans[].name] | sort) == ["async", "sync"]'

# --- the platform -----------------------------------------------------------------------

platform_up
echo "# the platform is up: $CC_URL"

must "the admin gets a token from $CC_URL/oauth/token" admin_token "$AUTH"

cc POST /v3/organizations '{"name": "sbf-peer"}'
must "create an org" status_is 201
org=$(jq -r .guid "$OUT")
cc POST /v3/spaces "{\"name\": \"dev\", \"relationships\": {\"organization\": {\"data\": {\"guid\": \"$org\"}}}}"
must "create a space in it" status_is 201
space=$(jq -r .guid "$OUT")

echo "# registering the broker"
cc POST /v3/service_brokers "{\"name\": \"$BROKER_NAME\", \"url\": \"$SBF_URL\",
  \"authentication\": {\"type\": \"basic\",
    \"credentials\": {\"username\": \"$BROKER_USER\", \"password\": \"$BROKER_PASSWORD\"}}}"
must "POST /v3/service_brokers answers 202 with a job" status_is 202
must "the broker's registration job completes" await_job "$(location_job)"
cc GET "/v3/service_brokers?names=$BROKER_NAME"
must "the broker is listed" out_has '.resources | length == 1'
broker=$(jq -r '.resources[0].guid' "$OUT")
cc GET "/v3/service_plans?service_broker_names=$BROKER_NAME&per_page=100"
must "the Cloud Controller lists the broker's plans sync and async" \
  out_has '([.resources[].name] | sort) == ["async", "sync"]'
plan_sync=$(jq -r '.resources[] | select(.name == "sync") | .guid' "$OUT")
plan_async=$(jq -r '.resources[] | select(.name == "async") | .guid' "$OUT")
for plan in "$plan_sync" "$plan_async"; do
  cc POST "/v3/service_plans/$plan/visibility" '{"type": "public"}'
  must "make plan $plan public" status_is 200
done

# create_instance NAME PLAN_GUID: POST /v3/service_instances; the job's guid in $job.
create_instance() {
  cc POST /v3/service_instances "{\"type\": \"managed\", \"name\": \"$1\",
    \"relationships\": {\"space\": {\"data\": {\"guid\": \"$space\"}},
      \"service_plan\": {\"data\": {\"guid\": \"$2\"}}}}"
  job=$(location_job)
}
# instance_guid NAME: the guid of the space's instance NAME ("" when none).
instance_guid() {
  cc GET "/v3/service_instances?names=$1&space_guids=$space"
  jq -r '.resources[0].guid // empty' "$OUT" 2>/dev/null || true
}
# last_operation_is GUID TYPE STATE: the instance's last_operation.
last_operation_is() {
  cc GET "/v3/service_instances/$1"
  out_has ".last_operation.type == \"$2\" and .last_operation.state == \"$3\"" || {
    echo "    last_operation: $(jq -c .last_operation "$OUT" 2>/dev/null || true)"
    return 1
  }
}

echo "# a managed instance of the synchronous plan"
create_instance sbf-sync "$plan_sync"
must "POST /v3/service_instances (plan sync) answers 202 with a job" status_is 202
must "its job completes" await_job "$job"
sync_guid=$(instance_guid sbf-sync)
must "the instance is listed in the space" test -n "$sync_guid"
check "its last_operation is create succeeded" last_operation_is "$sync_guid" create succeeded
check "sbf was asked to provision it, with the instance's guid and plan sync" \
  hook_seen "provision of $sync_guid" provision ".instance_id == \"$sync_guid\" and .plan == \"sync\" and .async == false"
check "... and with the space in its context" \
  hook_seen "context naming space $space" provision ".instance_id == \"$sync_guid\" and .space_guid == \"$space\""

echo "# a managed instance of the asynchronous plan"
create_instance sbf-async "$plan_async"
must "POST /v3/service_instances (plan async) answers 202 with a job" status_is 202
async_job=$job
async_guid=$(instance_guid sbf-async)
must "the instance is listed in the space at once" test -n "$async_guid"
check "while the broker works, its last_operation is create in progress" \
  last_operation_is "$async_guid" create "in progress"
# job_accepted GUID: the job leaves PROCESSING within 10 s (the broker has answered).
job_accepted() {
  local i
  for ((i = 0; i < 40; i++)); do
    cc GET "/v3/jobs/$1"
    out_has '.state != "PROCESSING"' && return 0
    sleep 0.25
  done
  return 1
}
job_accepted "$async_job" || true
check "... and its job is POLLING once sbf accepted the work" out_has '.state == "POLLING"'
must "its job completes once the broker says succeeded" await_job "$async_job"
check "its last_operation is create succeeded" last_operation_is "$async_guid" create succeeded
check "sbf was asked to provision it asynchronously (it answered 202)" \
  hook_seen "async provision of $async_guid" provision ".instance_id == \"$async_guid\" and .async == true"
provision_op=$(hook provision ".instance_id == \"$async_guid\"" | jq -r '.operation' | head -1)
check "the platform polled last_operation until succeeded" \
  hook_seen "succeeded poll" last_operation ".instance_id == \"$async_guid\" and .state == \"succeeded\""
polls=$(hook last_operation ".instance_id == \"$async_guid\" and .operation == \"$provision_op\"" | wc -l)
check "... more than once, passing back the broker's operation ($provision_op): $polls polls" \
  test "$polls" -ge 2

# Keys: POST /v3/service_credential_bindings type key for each instance.
declare -A key_guid
for kind in sync async; do
  if [ "$kind" = sync ]; then guid=$sync_guid; else guid=$async_guid; fi
  echo "# a service key of the $kind instance"
  cc POST /v3/service_credential_bindings "{\"type\": \"key\", \"name\": \"sbf-$kind-key\",
    \"relationships\": {\"service_instance\": {\"data\": {\"guid\": \"$guid\"}}}}"
  must "POST /v3/service_credential_bindings (key of $kind) answers 202 with a job" status_is 202
  must "its job completes" await_job "$(location_job)"
  cc GET "/v3/service_credential_bindings?names=sbf-$kind-key&service_instance_guids=$guid"
  must "the key is listed for its instance" out_has '.resources | length == 1'
  key=$(jq -r '.resources[0].guid' "$OUT")
  key_guid[$kind]=$key
  check "sbf was asked to bind it, with the key's and the instance's guids" \
    hook_seen "bind of $key" bind ".binding_id == \"$key\" and .instance_id == \"$guid\""
  cc GET "/v3/service_credential_bindings/$key/details"
  check "GET .../details answers 200" status_is 200
  returned=$(hook bind ".binding_id == \"$key\"" | head -1 | jq -S -c '.credentials' 2>/dev/null || true)
  check "its credentials are those sbf's bind hook returned" same_json "$returned" "$(jq -S -c '.credentials' "$OUT" 2>/dev/null || true)"
  check "... a uri naming the instance, a username and a password" \
    out_has ".credentials.uri == (\"sbf-peer://\" + .credentials.username + \":\" + .credentials.password + \"@127.0.0.1/$guid\")"
done

echo "# deleting the keys"
for kind in sync async; do
  key=${key_guid[$kind]:-}
  cc DELETE "/v3/service_credential_bindings/$key"
  check "DELETE the $kind instance's key answers 202 with a job" status_is 202
  check "its job completes" await_job "$(location_job)"
  check "the key is gone" await_gone "/v3/service_credential_bindings/$key"
  check "sbf was asked to unbind it" hook_seen "unbind of $key" unbind ".binding_id == \"$key\" and (.gone | not)"
done

echo "# deleting the instances"
cc DELETE "/v3/service_instances/$sync_guid"
check "DELETE the sync instance answers 202 with a job" status_is 202
check "its job completes" await_job "$(location_job)"
check "the sync instance is gone" await_gone "/v3/service_instances/$sync_guid"
check "sbf was asked to deprovision it (synchronously)" \
  hook_seen "deprovision of $sync_guid" deprovision ".instance_id == \"$sync_guid\" and .async == false"

cc DELETE "/v3/service_instances/$async_guid"
check "DELETE the async instance answers 202 with a job" status_is 202
delete_job=$(location_job)
check "while the broker works, its last_operation is delete in progress" \
  last_operation_is "$async_guid" delete "in progress"
check "its job completes once the broker says succeeded" await_job "$delete_job"
check "the async instance is gone" await_gone "/v3/service_instances/$async_guid"
check "sbf was asked to deprovision it (asynchronously)" \
  hook_seen "async deprovision of $async_guid" deprovision ".instance_id == \"$async_guid\" and .async == true"
deprovision_op=$(hook deprovision ".instance_id == \"$async_guid\" and .async == true" | jq -r '.operation' | head -1)
check "the platform polled the deprovision ($deprovision_op) until succeeded" \
  hook_seen "succeeded deprovision poll" last_operation ".operation == \"$deprovision_op\" and .state == \"succeeded\""
cc GET "/v3/service_instances?space_guids=$space"
check "GET /v3/service_instances lists no instance in the space" out_has '.resources | length == 0'

echo "# unregistering the broker"
cc DELETE "/v3/service_brokers/$broker"
check "DELETE /v3/service_brokers answers 202 with a job" status_is 202
check "its job completes" await_job "$(location_job)"
cc GET "/v3/service_plans?service_broker_names=$BROKER_NAME"
check "its plans are gone" out_has '.resources | length == 0'

finish
