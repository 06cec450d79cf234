#!/usr/bin/env bash
# Tenancy on a whole platform started by `./dev up` (private state and ports): alice develops
# in org A, bob in org B. Alice pushes an app with a route, a user-provided service bound to
# it and a managed database. Bob cannot see or touch any of them through the CLI, the v3 and
# v2 APIs or the log store: what he may not see answers 404 (or an empty list), and alice's
# app still runs, bound and routed, afterwards. Alice sees all of it (the same requests, as
# the owner). Needs root (runc). Prints each check as `ok -`/`not ok -` and a closing count.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: the cells need runc; skipped"
  exit 0
fi
# shellcheck source-path=SCRIPTDIR source=platform.sh
source "$HERE/platform.sh"
# shellcheck source-path=SCRIPTDIR source=checks.sh
source "$HERE/checks.sh"
CUPOLA="$CUPOLA_BUILD_DIR/bin/cupola"
OUT="$state/out"
LOGSTORE="http://127.0.0.1:$CUPOLA_LOGSTORE_PORT"

# as USER ARGS...: cupola as USER (each has a config of their own); output in $OUT.
as() {
  local user=$1
  shift
  mkdir -p "$state/home-$user"
  CUPOLA_HOME="$state/home-$user" "$CUPOLA" "$@" >"$OUT" 2>&1
}
# expect USER DESCRIPTION PATTERN ARGS...: cupola ARGS as USER succeeds and prints PATTERN.
expect() {
  local user=$1 what=$2 pattern=$3
  shift 3
  if as "$user" "$@" && grep -Eq -- "$pattern" "$OUT"; then ok "$what"; else not_ok "$what"; fi
}
# refused USER DESCRIPTION PATTERN ARGS...: cupola ARGS as USER fails and prints PATTERN.
refused() {
  local user=$1 what=$2 pattern=$3
  shift 3
  if ! as "$user" "$@" && grep -Eq -- "$pattern" "$OUT"; then ok "$what"; else not_ok "$what"; fi
}
# http_status USER METHOD URL: the status of a request with USER's token.
http_status() {
  local token
  token=$(CUPOLA_HOME="$state/home-$1" "$CUPOLA" oauth-token 2>/dev/null)
  curl -s -o "$OUT" -w '%{http_code}' --max-time 10 -X "$2" -H "Authorization: $token" "$3"
}
# answers USER STATUS METHOD URL: the request as USER answers STATUS.
answers() {
  local got
  got=$(http_status "$1" "$3" "$4")
  [ "$got" = "$2" ] || {
    echo "    $3 $4 as $1 answered $got, not $2"
    return 1
  }
}
# lists_none USER URL: a list request as USER succeeds with no resources.
lists_none() {
  answers "$1" 200 GET "$2" && [ "$(jq -r '.resources | length' "$OUT")" = 0 ]
}
# eventually_up: alpha answers 200 through the router within 30 s.
eventually_up() {
  local i
  for ((i = 0; i < 150; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: alpha.apps.localhost" \
      "http://127.0.0.1:$ROUTER_PORT/")" = 200 ] && return 0
    sleep 0.2
  done
  return 1
}
# guid_of URL: the guid of the first resource the admin finds at URL.
guid_of() { http_status admin GET "$CC_URL$1" >/dev/null && jq -r '.resources[0].guid // empty' "$OUT"; }

platform_up
echo "# the platform is up: $CC_URL"
# log_in USER PASSWORD: USER's CLI points at the platform and is logged in.
log_in() {
  as "$1" api "$CC_URL" || return 1
  as "$1" login -u "$1" -p "$2"
}
log_in admin "$ADMIN_PASSWORD" || platform_fail "the admin could not log in: $(cat "$OUT")"
for step in "create-user alice alice-secret-1" "create-user bob bob-secret-1" \
  "create-org org-a" "create-space dev -o org-a" "create-org org-b" "create-space dev -o org-b" \
  "set-space-role alice org-a dev SpaceDeveloper" "set-space-role bob org-b dev SpaceDeveloper"; do
  # shellcheck disable=SC2086  # each step is a command line of words
  as admin $step || platform_fail "cupola ${step%% *} failed: $(cat "$OUT")"
done
for who in alice bob; do
  log_in "$who" "$who-secret-1" || platform_fail "$who could not log in: $(cat "$OUT")"
done

echo "# alice's app, route and services in org A"
cd "$ROOT/test/fixtures/apps/static" || exit 1
must "alice pushes alpha" as alice push alpha -m 64M
must "alice makes a user-provided service" as alice cups a-creds -p '{"secret": "alpha-only"}'
must "alice binds it to alpha" as alice bind-service alpha a-creds
must "alice creates a database" as alice create-service postgresql small a-db --wait
check "alpha answers through the router" eventually_up
app=$(guid_of "/v3/apps?names=alpha")
route=$(guid_of "/v3/routes?hosts=alpha")
ups=$(guid_of "/v3/service_instances?names=a-creds")
db=$(guid_of "/v3/service_instances?names=a-db")
binding=$(guid_of "/v3/service_credential_bindings?app_guids=$app")
org_a=$(guid_of "/v3/organizations?names=org-a")
all_found() {
  local v missing=0
  for v in app route ups db binding org_a; do
    [ -n "${!v}" ] || {
      echo "    no guid for $v"
      missing=1
    }
  done
  return $missing
}
must "the admin finds alice's app, route, services and binding" all_found

echo "# bob, in org B, through the CLI"
expect bob "bob is targeted at his own org" "org: +org-b" target
refused bob "bob cannot target org A" "Organization 'org-a' not found" target -o org-a
expect bob "bob's orgs do not list org A" "^org-b$" orgs
check "... and only org B" not grep -q "^org-a$" "$OUT"
refused bob "bob's CLI does not find alpha" "App 'alpha' not found" app alpha
refused bob "bob cannot read alpha's logs" "App 'alpha' not found" logs alpha --recent
refused bob "bob cannot stop alpha" "App 'alpha' not found" stop alpha
refused bob "bob cannot bind to alice's service" "not found" bind-service alpha a-creds
refused bob "bob's CLI does not find alice's database" "not found" service a-db

echo "# bob, through the v3 API"
check "bob gets 404 for alpha" answers bob 404 GET "$CC_URL/v3/apps/$app"
check "bob's app list has no alpha" lists_none bob "$CC_URL/v3/apps?names=alpha"
check "bob gets 404 for alpha's environment" answers bob 404 GET "$CC_URL/v3/apps/$app/env"
check "bob gets 404 stopping alpha" answers bob 404 POST "$CC_URL/v3/apps/$app/actions/stop"
check "bob gets 404 deleting alpha" answers bob 404 DELETE "$CC_URL/v3/apps/$app"
check "bob gets 404 for alpha's route" answers bob 404 GET "$CC_URL/v3/routes/$route"
check "bob gets 404 deleting alpha's route" answers bob 404 DELETE "$CC_URL/v3/routes/$route"
check "bob gets 404 for the user-provided service" \
  answers bob 404 GET "$CC_URL/v3/service_instances/$ups"
check "bob gets 404 for its credentials" \
  answers bob 404 GET "$CC_URL/v3/service_instances/$ups/credentials"
check "bob gets 404 for the database" answers bob 404 GET "$CC_URL/v3/service_instances/$db"
check "bob gets 404 deleting the database" \
  answers bob 404 DELETE "$CC_URL/v3/service_instances/$db"
check "bob gets 404 for the binding's credentials" \
  answers bob 404 GET "$CC_URL/v3/service_credential_bindings/$binding/details"
check "bob's service list has none of alice's" lists_none bob "$CC_URL/v3/service_instances"
check "bob gets 404 for org A" answers bob 404 GET "$CC_URL/v3/organizations/$org_a"

echo "# bob, through the v2 API and the log store"
check "bob gets 404 for the database through v2" \
  answers bob 404 GET "$CC_URL/v2/service_instances/$db"
check "bob gets 404 for alpha through v2" answers bob 404 GET "$CC_URL/v2/apps/$app"
check "bob's v2 service instances have none of alice's" \
  answers bob 200 GET "$CC_URL/v2/service_instances"
check "... (an empty list)" test "$(jq -r '.total_results' "$OUT")" = 0
log_refused() {
  local got
  got=$(http_status bob GET "$LOGSTORE/api/v1/read/$app")
  [ "$got" = 403 ] || [ "$got" = 404 ] || {
    echo "    the log store answered bob $got for alpha's logs"
    return 1
  }
}
check "the log store refuses bob alpha's logs" log_refused

echo "# alice still has all of it"
check "alice reads alpha's logs from the log store" answers alice 200 GET "$LOGSTORE/api/v1/read/$app"
check "alice reads the binding's credentials" \
  answers alice 200 GET "$CC_URL/v3/service_credential_bindings/$binding/details"
check "... which are hers" grep -q "alpha-only" "$OUT"
expect alice "alpha still runs" "#0 +running" app alpha
check "alpha still answers through the router" eventually_up
expect alice "alice's database is still there" "^a-db +postgresql +small" services

finish
