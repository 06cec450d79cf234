#!/usr/bin/env bash
# The web dashboard (/dashboard) in Debian's headless Chromium, driven by playwright-core from
# npm, against a whole platform started by `./dev up` (private state and ports): an org
# manager signs in, creates a space, adds a space developer and a space auditor; the developer
# pushes an app with the cupola CLI; the manager sees it, scales it to 2 and sees both
# instances running, sees a new log line arrive live, and stops it; from the marketplace the
# manager (a developer of the space they made) creates a postgresql instance of the bundled
# cupola-pg broker, binds it to the app, sees it among the app's bound services, unbinds and
# deletes it, and makes a user-provided instance; the auditor sees the same pages read-only
# and no environment variables. Then a space of 1,000 apps (made through the API) is listed a
# page at a time; how long the first page took is printed, not asserted. Last, quotas and
# users: the org manager creates a space quota and assigns it, and the space's bars show its
# limits; the admin creates an org quota, applies it to the org, and creates a user who then
# signs in.
# Screenshots of each page go to .cupola/screenshots/. The npm install is kept in
# .cupola/npm/dashboard and redone when package.json changes; the first run needs the npm
# registry. Needs root (runc). Prints each check as `ok -`/`not ok -` and a closing count.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: the cells need runc; skipped"
  exit 0
fi
# shellcheck source-path=SCRIPTDIR source=../e2e/platform.sh
source "$HERE/../e2e/platform.sh"
# shellcheck source-path=SCRIPTDIR source=../e2e/checks.sh
source "$HERE/../e2e/checks.sh"

OUT="$state/out"
AUTH="$state/auth-header"
NPM_DIR="$ROOT/.cupola/npm/dashboard"
SCREENSHOTS="$ROOT/.cupola/screenshots"
CHROMIUM="${CUPOLA_CHROMIUM:-/usr/bin/chromium}"
ORG=dash
MANAGER=dash-manager
DEVELOPER=dash-developer
AUDITOR=dash-auditor
PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
MANY_APPS=1000

# cc METHOD PATH [JSON]: calls the Cloud Controller as the admin; the body in $OUT, the HTTP
# status in $STATUS.
cc() {
  local args=(-sS --max-time 60 -X "$1" -o "$OUT" -w '%{http_code}' -H @"$AUTH")
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

# --- the browser and its driver ---------------------------------------------------------

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "node and npm are needed (Debian packages nodejs and npm)"
fi
command -v jq >/dev/null || fail "jq is needed (Debian package jq)"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: install Debian's chromium package (./dev deps)"
echo "# node $(node --version), $("$CHROMIUM" --version 2>/dev/null | head -1)"

if ! cmp -s "$HERE/package.json" "$NPM_DIR/package.json" ||
  [ ! -f "$NPM_DIR/node_modules/playwright-core/package.json" ]; then
  echo "# installing playwright-core from npm into .cupola/npm/dashboard"
  rm -rf "$NPM_DIR.new"
  mkdir -p "$NPM_DIR.new"
  cp "$HERE/package.json" "$NPM_DIR.new/"
  # playwright-core downloads no browser; Debian's Chromium is the one driven.
  if ! (cd "$NPM_DIR.new" && timeout 600 npm install --no-audit --no-fund) >"$state/npm.out" 2>&1; then
    tail -20 "$state/npm.out" >&2
    rm -rf "$NPM_DIR.new"
    fail "npm could not install playwright-core (is the npm registry reachable? npm's output above)"
  fi
  rm -rf "$NPM_DIR"
  mv "$NPM_DIR.new" "$NPM_DIR"
fi
version=$(jq -r .version "$NPM_DIR/node_modules/playwright-core/package.json")
[ "$version" = "$(jq -r '.dependencies["playwright-core"]' "$HERE/package.json")" ] ||
  fail "npm installed playwright-core $version, not the version package.json names"
echo "# playwright-core $version"

# --- the platform, an org, its people and a space of 1,000 apps -------------------------

platform_up
echo "# the platform is up: $CC_URL/dashboard"

must "the admin gets a token" admin_token "$AUTH"

dashboard_served() {
  local type
  type=$(curl -s -o "$OUT" -w '%{content_type}' "$CC_URL/dashboard/orgs/x") &&
    [ "$type" = "text/html; charset=utf-8" ] && grep -q 'js/main.js' "$OUT"
}
must "the Cloud Controller serves the dashboard at /dashboard" dashboard_served

cc POST /v3/organizations "{\"name\": \"$ORG\"}"
must "create the org $ORG" status_is 201
org=$(jq -r .guid "$OUT")

make_user() {
  cc POST /Users "{\"userName\": \"$1\", \"password\": \"$PASSWORD\", \"origin\": \"uaa\",
    \"emails\": [{\"value\": \"$1@example.com\", \"primary\": true}]}"
  status_is 201 || return 1
  local id
  id=$(jq -r .id "$OUT")
  cc POST /v3/users "{\"guid\": \"$id\"}"
  status_is 201
}
for user in "$MANAGER" "$DEVELOPER" "$AUDITOR"; do
  must "create the user $user" make_user "$user"
done
role() {
  cc POST /v3/roles "{\"type\": \"$1\", \"relationships\": {\"$2\": {\"data\": {\"guid\": \"$3\"}},
    \"user\": {\"data\": {\"username\": \"$4\"}}}}"
  status_is 201
}
must "make $MANAGER the org's manager" role organization_manager organization "$org" "$MANAGER"

cc POST /v3/spaces "{\"name\": \"many\", \"relationships\": {\"organization\": {\"data\": {\"guid\": \"$org\"}}}}"
must "create the space many" status_is 201
many=$(jq -r .guid "$OUT")
must "make $MANAGER its space manager" role space_manager space "$many" "$MANAGER"

echo "# creating $MANY_APPS apps in the space many (8 requests at a time)"
apps_started=$(date +%s%N)
seq -f 'app-%04g' 0 $((MANY_APPS - 1)) |
  xargs -P 8 -I{} curl -sS --max-time 30 -o /dev/null -w '%{http_code}\n' -H @"$AUTH" \
    -H 'Content-Type: application/json' -X POST "$CC_URL/v3/apps" \
    -d "{\"name\": \"{}\", \"relationships\": {\"space\": {\"data\": {\"guid\": \"$many\"}}}}" \
    >"$state/apps.codes" 2>&1
echo "# $MANY_APPS apps created in $((($(date +%s%N) - apps_started) / 1000000)) ms"
cc GET "/v3/apps?space_guids=$many&per_page=1"
many_count=$(jq -r '.pagination.total_results' "$OUT" 2>/dev/null)
must "the space many holds $MANY_APPS apps ($many_count)" test "$many_count" = "$MANY_APPS"

# --- the browser ------------------------------------------------------------------------

mkdir -p "$SCREENSHOTS"
rm -f "$SCREENSHOTS"/*.png
echo "# driving $CHROMIUM"
CC_URL=$CC_URL ROUTER_PORT=$ROUTER_PORT ORG=$ORG MANAGER=$MANAGER DEVELOPER=$DEVELOPER \
  AUDITOR=$AUDITOR PASSWORD=$PASSWORD ADMIN_PASSWORD=$ADMIN_PASSWORD NEW_USER=dash-newcomer \
  MANY_SPACE=$many CUPOLA="$CUPOLA_BUILD_DIR/bin/cupola" \
  APP_DIR="$ROOT/test/fixtures/apps/static" SCREENSHOTS=$SCREENSHOTS NPM_DIR=$NPM_DIR \
  CHROMIUM=$CHROMIUM timeout 900 node "$HERE/flow.mjs" | tee "$state/flow.out"
flow_passed=$(grep -c '^ok - ' "$state/flow.out")
flow_failed=$(grep -c '^not ok - ' "$state/flow.out")
passed=$((passed + flow_passed))
failed=$((failed + flow_failed))
grep -q '^# dashboard: ' "$state/flow.out" || {
  failed=$((failed + 1))
  echo "not ok - the browser run ended before its last check"
}
echo "# screenshots in .cupola/screenshots/: $(cd "$SCREENSHOTS" && echo *.png)"

finish || platform_fail "$failed checks failed"
