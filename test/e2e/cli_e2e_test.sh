#!/usr/bin/env bash
# The cupola CLI against a whole platform started by `./dev up` (private state and ports):
# login (into the org and space `./dev up` made), org and space, pushing the sample apps
# (each answers through the router by its route), the app table, scale from 1 to 5 to 2,
# recent and tailed logs, restart, stop (the route then 404s), start, delete -r, a second
# push that uploads only what changed, a manifest of two apps, cups and bindings, the bundled
# broker in the marketplace, a managed database created, bound to an app that writes and
# reads a row in it, unbound and deleted, and the errors a user meets (unstageable apps, apps
# that crash at start or never listen on $PORT, malformed manifests, bad flags, unknown apps,
# a wrong password), after which the platform is healthy.
# Needs root (runc). Prints each check as `ok -`/`not ok -` and a closing count.
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
APPS="$ROOT/test/fixtures/apps"
OUT="$state/out"
# cli ARGS...: runs cupola, its stdout and stderr in $OUT; the exit status is cupola's.
cli() { "$CUPOLA" "$@" >"$OUT" 2>&1; }
# expect DESCRIPTION PATTERN ARGS...: cupola ARGS succeeds and prints PATTERN (grep -E).
expect() {
  local what=$1 pattern=$2
  shift 2
  if cli "$@" && grep -Eq -- "$pattern" "$OUT"; then ok "$what"; else not_ok "$what"; fi
}
# expect_failure DESCRIPTION PATTERN ARGS...: cupola ARGS exits 1 and prints PATTERN.
expect_failure() {
  local what=$1 pattern=$2
  shift 2
  cli "$@"
  local rc=$?
  if [ "$rc" -eq 1 ] && grep -Eq -- "$pattern" "$OUT"; then ok "$what"; else not_ok "$what (exit $rc)"; fi
}
# status HOST: the HTTP status the router answers for HOST's root.
status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: $1" "http://127.0.0.1:$ROUTER_PORT/"
}
# eventually_status WANT HOST: the router answers WANT for HOST within 30 s.
eventually_status() {
  local i got=""
  for ((i = 0; i < 150; i++)); do
    got=$(status "$2")
    [ "$got" = "$1" ] && return 0
    sleep 0.2
  done
  echo "    $2 answered $got, not $1"
  return 1
}
# running APP: how many instances `cupola app APP` shows running.
running() {
  "$CUPOLA" app "$1" 2>/dev/null | grep -Ec '^#[0-9]+ +running' || true
}

platform_up
echo "# the platform is up: $CC_URL, router on $ROUTER_PORT"

echo "# logging in"
expect "api points the CLI at the Cloud Controller" "API endpoint: +$CC_URL" api "$CC_URL"
expect_failure "a wrong password is rejected in cf's words" "Credentials were rejected" \
  login -u admin -p wrong-password
expect "login as admin" "Authenticating\.\.\." login -u admin -p "$ADMIN_PASSWORD"
check "... and targets the only org and space, which ./dev up made" \
  grep -q "Targeted space dev" "$OUT"
expect "target shows the default org" "org: +cupola" target
expect "create-org" "Creating org e2e as admin" create-org e2e
expect "create-space in it" "Creating space dev in org e2e" create-space dev -o e2e
expect "target the org and space" "space: +dev" target -o e2e -s dev
expect "oauth-token prints a bearer token" "^bearer [A-Za-z0-9_-]+\." oauth-token
expect "orgs lists the new org" "^e2e$" orgs

echo "# pushing the sample apps"
cd "$APPS/static" || exit 1
push_static_started=$(date +%s%N)
expect "push the static site" "#0 +running" push static -m 64M
if eventually_status 200 static.apps.localhost; then
  ok "the static site answers through the router by its route"
else
  not_ok "the static site answers through the router by its route"
fi
echo "# push to first 200 through the router: $((($(date +%s%N) - push_static_started) / 1000000)) ms"
check "push streams the staging logs (STG lines)" grep -q "\[STG/0\] OUT" "$OUT"
for sample in python node ruby go; do
  cd "$APPS/$sample" || exit 1
  expect "push the $sample sample" "#0 +running" push "$sample" -m 128M
  check "the $sample app answers through the router" eventually_status 200 "$sample.apps.localhost"
done
cd "$APPS/binary" || exit 1
expect "push the prebuilt binary with -b binary_buildpack" "#0 +running" push binary -m 64M -b binary_buildpack
check "the binary answers through the router" eventually_status 200 binary.apps.localhost

echo "# the app, scaled, its logs"
expect "apps lists the static site started with its route" \
  "^static +started +web:1/1 +static\.apps\.localhost" apps
expect "app shows the instances table" "state +since +cpu +memory +disk" app static
# has_running APP N: `cupola app APP` shows N running instances within 30 s.
has_running() {
  local i
  for ((i = 0; i < 150; i++)); do
    [ "$(running "$1")" = "$2" ] && return 0
    sleep 0.2
  done
  return 1
}
expect "scale -i 5" "Scaling app static" scale static -i 5
check "five instances run after scale -i 5" has_running static 5
check "the site answers with five instances" eventually_status 200 static.apps.localhost
expect "scale -i 2" "Scaling app static" scale static -i 2
check "two instances run after scale -i 2" has_running static 2
check "the site answers with two instances" eventually_status 200 static.apps.localhost
curl -s -o /dev/null -H "Host: static.apps.localhost" "http://127.0.0.1:$ROUTER_PORT/logs-check"
seen=""
for ((i = 0; i < 50; i++)); do
  cli logs static --recent
  grep -q 'GET /logs-check' "$OUT" && grep -q '\[RTR/' "$OUT" && seen=yes && break
  sleep 0.2
done
check "logs --recent shows the app's own line and the router's access line" test -n "$seen"
check "log lines are formatted as cf formats them" \
  grep -Eq '^   [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} \[APP/PROC/WEB/[0-9]+\] OUT ' "$OUT"
"$CUPOLA" logs static >"$state/tail.out" 2>&1 &
tail_pid=$!
tailed=""
for ((i = 0; i < 50; i++)); do
  curl -s -o /dev/null -H "Host: static.apps.localhost" "http://127.0.0.1:$ROUTER_PORT/tail-check"
  grep -q 'GET /tail-check' "$state/tail.out" && tailed=yes && break
  sleep 0.3
done
kill "$tail_pid" 2>/dev/null
wait "$tail_pid" 2>/dev/null
cp "$state/tail.out" "$OUT"
check "logs (tailing) shows a request made after it started" test -n "$tailed"

echo "# restart, stop, start, delete"
expect "restart" "^#[0-9]+ +running" restart static
check "the site answers after restart" eventually_status 200 static.apps.localhost
expect "stop" "Stopping app static" stop static
check "a stopped app's route answers 404" eventually_status 404 static.apps.localhost
expect "start" "^#[0-9]+ +running" start static
check "the site answers after start" eventually_status 200 static.apps.localhost
expect "set-env tells to restage" "TIP: Use 'cupola restage static'" set-env static GREETING hello
expect "env shows the variable" "^GREETING: hello" env static
expect "delete -r -f" "Deleting app static" delete static -r -f
expect "apps no longer lists it" "name +requested state" apps
check "the deleted app is gone from apps" not grep -q '^static ' "$OUT"
check "the deleted app's route answers 404" eventually_status 404 static.apps.localhost

echo "# a second push uploads only what changed"
site="$state/site"
cp -a "$APPS/static" "$site"
cd "$site" || exit 1
expect "first push of a copy" "#0 +running" push again -m 64M --no-route
expect "the same files again: nothing to upload" "Uploading 0 of 3 files" push again -m 64M --no-route -v
echo "<p>changed</p>" >>"$site/index.html"
expect "one file changed: one file uploaded" "Uploading 1 of 3 files" push again -m 64M --no-route -v

echo "# a manifest of two apps"
mkdir -p "$state/manifest"
cat >"$state/manifest/manifest.yml" <<YAML
applications:
- name: first
  path: $APPS/static
  memory: 64M
- name: second
  path: $APPS/binary
  memory: 64M
  buildpacks: [binary_buildpack]
  env:
    FROM_MANIFEST: yes
YAML
cd "$state/manifest" || exit 1
expect "push from the manifest" "Applying manifest file" push
check "the manifest's first app answers" eventually_status 200 first.apps.localhost
check "the manifest's second app answers" eventually_status 200 second.apps.localhost
expect "the manifest's env reached the app" "^FROM_MANIFEST: yes" env second

echo "# routes and services"
expect "map-route gives the app a second route" "Mapping route more\.apps\.localhost to app first" \
  map-route first apps.localhost --hostname more
check "the app answers on its second route" eventually_status 200 more.apps.localhost
expect "routes lists it" "more +apps\.localhost .* first" routes
expect "unmap-route" "Removing route more\.apps\.localhost from app first" \
  unmap-route first apps.localhost --hostname more
check "the unmapped route answers 404" eventually_status 404 more.apps.localhost
expect "cups makes a user-provided service" "Creating user provided service db" \
  cups db -p '{"uri": "postgres://db.example/app"}'
expect "bind-service says to restage" "TIP: Use 'cupola restage first'" bind-service first db
expect "services shows the binding" "^db +user-provided +first" services
expect "env shows the credentials in VCAP_SERVICES" '"uri":"postgres://db\.example/app"' env first
expect "unbind-service" "Unbinding app first from service db" unbind-service first db
expect "delete-service" "Deleting service instance db" delete-service db -f

echo "# service brokers and the marketplace"
expect "service-brokers lists the bundled broker" "^cupola-pg +http://" service-brokers
expect "marketplace lists its offering and plans" "^postgresql +small, medium, large|^postgresql +.*small" marketplace
expect "marketplace -e shows the plans" "^   small +" marketplace -e postgresql
expect "disable-service-access for one plan" "Disabling access to plan large" \
  disable-service-access postgresql -p large
expect "service-access shows it closed" "postgresql +large +none" service-access -e postgresql
expect "enable-service-access for one org" "Enabling access to plan large of service offering postgresql for org e2e" \
  enable-service-access postgresql -p large -o e2e
expect "service-access shows it open to that org" "postgresql +large +limited +e2e" service-access -e postgresql
broker_url=$("$CUPOLA" service-brokers --json | python3 -c 'import json,sys; print([b["url"] for b in json.load(sys.stdin) if b["name"] == "cupola-pg"][0])')
expect "create-service-broker registers a broker under another name" "Creating service broker again" \
  create-service-broker again broker "$(cat "$state/pg-broker/password")" "$broker_url"
expect_failure "a second broker offering the same plans makes -b necessary" "Specify a broker by using the '-b' flag" \
  enable-service-access postgresql
expect "delete-service-broker" "Deleting service broker again" delete-service-broker again -f
expect_failure "create-service-broker with a wrong password says why" "Authentication failed for the service broker" \
  create-service-broker wrong broker not-the-password "$broker_url"

echo "# a managed service: create, bind, write and read a row, unbind, delete"
# pg_has_database NAME: the platform's Postgres has a database called NAME.
pg_has_database() {
  local bin
  bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
  runuser -u postgres -- "$bin/psql" -h "$state/run" -p "$CUPOLA_PG_PORT" -U cupola -d postgres \
    -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}
expect "create-service --wait makes a database" "Service instance notes-db created" \
  create-service postgresql small notes-db --wait
expect "services shows it created by the broker" "^notes-db +postgresql +small +create succeeded +cupola-pg" services
expect "service shows its plan and last operation" "status: +create succeeded" service notes-db
cd "$APPS/python-pg" || exit 1
expect "push the notes app" "#0 +running" push notes -m 128M
expect "bind-service binds it and says to restage" "TIP: Use 'cupola restage notes'" \
  bind-service notes notes-db
expect "env shows the database in VCAP_SERVICES by its offering" '"label":"postgresql"' env notes
expect "services shows the bound app" "^notes-db +postgresql +small +notes +create succeeded" services
expect "restart gives the app its binding" "#0 +running" restart notes
eventually_status 200 notes.apps.localhost >/dev/null
notes() { curl -sS --max-time 10 -H "Host: notes.apps.localhost" "http://127.0.0.1:$ROUTER_PORT$1" >"$OUT" 2>&1; }
check "the app writes a row into its database" notes "/write?note=written-through-a-binding"
notes /
check "the app reads the row back" grep -q "^written-through-a-binding$" "$OUT"
db_name=$(sed -n 's/^database //p' "$OUT")
check "the app's database is the broker's" test -n "$db_name"
expect "create-service-key" "Creating service key admin-key for service instance notes-db" \
  create-service-key notes-db admin-key --wait
expect "service-key shows its credentials" '"uri": "postgres' service-key notes-db admin-key
expect "delete-service-key" "Deleting key admin-key for service instance notes-db" \
  delete-service-key notes-db admin-key -f --wait
expect "unbind-service" "Unbinding app notes from service notes-db" unbind-service notes notes-db
expect "delete-service --wait deletes it" "Service instance notes-db deleted" delete-service notes-db -f --wait
check "the broker dropped the database" not pg_has_database "$db_name"
expect "services no longer lists it" "^No service instances found|^name" services
check "... and notes-db is gone" not grep -q "^notes-db " "$OUT"
expect_failure "create-service with an unknown plan says so" "The plan 'huge' could not be found for service offering 'postgresql'" \
  create-service postgresql huge other-db

echo "# people, roles and quotas"
expect "create-user" "Creating user dev1" create-user dev1 dev1-secret-1
expect "set-space-role makes dev1 a developer of dev" "Assigning role SpaceDeveloper to user dev1" \
  set-space-role dev1 e2e dev SpaceDeveloper
expect "space-users lists dev1 as a developer" "^  dev1 " space-users e2e dev
expect "create-org-quota" "Creating org quota small" create-org-quota small -m 4G -i 512M -r 50 -a 20
expect "set-org-quota" "Setting quota small to org e2e" set-org-quota e2e small
expect "org shows the quota" "^quota: +small" org e2e
expect "apps --json is JSON a script can read" '^\[\{"name":"' apps --json
check "apps --json lists each app with its routes" python3 -c 'import json, sys
apps = json.load(open(sys.argv[1]))
assert any(a["name"] == "first" and a["routes"] == ["first.apps.localhost"] for a in apps)' "$OUT"
expect "dev1 logs in and is targeted at the only org and space" "space: +dev" \
  login -u dev1 -p dev1-secret-1
expect "dev1 sees the space's apps" "^first +started" apps
expect "admin logs in again" "space: +dev" login -u admin -p "$ADMIN_PASSWORD" -o e2e -s dev

echo "# errors a user meets"
cd "$APPS/undetectable" || exit 1
expect_failure "an app no buildpack detects" "not successfully detected by any available buildpack" \
  push undetectable -m 64M
cd "$APPS/failing" || exit 1
expect_failure "an app whose compile fails says why and what to do next" \
  "BuildpackCompileFailed" push failing -m 64M
check "... with a TIP naming logs --recent" grep -q "cupola logs failing --recent" "$OUT"
cd "$APPS/crashing" || exit 1
expect_failure "an app that exits as it starts says so" "Start unsuccessful" push crashing -m 64M
check "... with a TIP naming logs --recent" grep -q "cupola logs crashing --recent" "$OUT"
expect "its recent logs say why it stopped" "ERR cannot start: DATABASE_URL is not set" \
  logs crashing --recent
cd "$APPS/deaf" || exit 1
expect_failure "an app that never listens on \$PORT fails its health check" \
  "Start unsuccessful|Start app timeout" push deaf -m 64M -t 3
printf 'applications:\n- name: web\n  memory: lots\n' >"$state/bad-manifest.yml"
expect_failure "a manifest with a bad memory value names the field" "memory|Byte quantity" \
  push -f "$state/bad-manifest.yml"
printf 'applications:\n- name: web\n  env: {A: [1, 2}\n' >"$state/bad-manifest.yml"
expect_failure "a manifest that is not YAML says where" "not valid yaml: line 3" \
  push -f "$state/bad-manifest.yml"
healthy() { "$ROOT/dev" status >"$OUT" 2>&1; }
check "every component is still healthy after the bad input" healthy
expect_failure "an unknown flag" "Incorrect Usage: unknown flag .bogus'" push x --bogus
expect_failure "a missing argument" "the required argument .APP_NAME. was not provided" scale
expect_failure "an unknown app" "App 'nope' not found" app nope
expect_failure "an unknown org" "Organization 'nope' not found" target -o nope
expect "logout" "Logging out admin" logout
expect_failure "after logout, commands say to log in" "Not logged in" apps

finish
