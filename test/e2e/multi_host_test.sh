#!/usr/bin/env bash
# More than one machine: a platform started by `./dev up` on an address of a veth pair this
# test creates (CUPOLA_ADDRESS), and a third cell started by `./dev cell` in a network
# namespace of its own, at the other end of the pair, with a state directory of its own: the
# way a cell on another host joins. It reaches NATS, the BBS and the Cloud Controller's
# blobstore over that address only (the namespace's loopback is its own), registers, wins
# auctions, and the router reaches its instances; their logs reach the log store, and an
# instance there uses a database of the pg broker's. `./dev status` on either side shows it
# among the processes announced on NATS. Stopping it moves its instances to the other cells
# while the app is requested.
# Needs root (runc, network namespaces). Prints each check as `ok -`/`not ok -` and a
# closing count.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: the cells need runc and the test a network namespace; skipped"
  exit 0
fi

# A /24 of 10.251.0.0/16 that no interface of this machine is on.
net=
for ((i = 0; i < 20; i++)); do
  candidate="10.251.$((RANDOM % 250 + 1))"
  ip -4 -o addr show | grep -qF " $candidate." || {
    net=$candidate
    break
  }
done
[ -n "$net" ] || { echo "FAIL: no free 10.251.x.0/24 for the test's veth pair"; exit 1; }
ns="cupola-e2e-$$"
veth_host="cuh$$"
veth_cell="cuc$$"
netns_down() {
  ip netns del "$ns" 2>/dev/null || true # takes the veth pair with it
  ip link del "$veth_host" 2>/dev/null || true
}
netns_up() {
  ip netns add "$ns" &&
    ip link add "$veth_host" type veth peer name "$veth_cell" &&
    ip link set "$veth_cell" netns "$ns" &&
    ip addr add "$net.1/24" dev "$veth_host" &&
    ip link set "$veth_host" up &&
    ip -n "$ns" addr add "$net.2/24" dev "$veth_cell" &&
    ip -n "$ns" link set "$veth_cell" up &&
    ip -n "$ns" link set lo up
}
if ! netns_up; then
  netns_down
  echo "FAIL: could not make the network namespace $ns and its veth pair (ip netns, ip link)"
  exit 1
fi

export CUPOLA_ADDRESS="$net.1"
# shellcheck source-path=SCRIPTDIR source=platform.sh
source "$HERE/platform.sh"
# shellcheck source-path=SCRIPTDIR source=checks.sh
source "$HERE/checks.sh"
CUPOLA="$CUPOLA_BUILD_DIR/bin/cupola"
OUT="$state/out"
HOST=spread.apps.localhost
# The other machine: its own state directory, the same build and stack.
host2="$state/host2"
mkdir -p "$host2"
# on_host2 COMMAND...: COMMAND in the namespace, as the other machine's ./dev would run.
on_host2() {
  nsenter --net="/run/netns/$ns" -- env CUPOLA_STATE_DIR="$host2" CUPOLA_ADDRESS="$net.2" "$@"
}
all_down() {
  CUPOLA_STATE_DIR="$host2" "$ROOT/dev" down >/dev/null 2>&1 || true
  platform_down
  netns_down
}
trap all_down EXIT

cli() { "$CUPOLA" "$@" >"$OUT" 2>&1; }
body() { curl -s --max-time 2 -H "Host: $HOST" "http://$ADDRESS:$ROUTER_PORT/"; }
# The running instances as "cell_id address:port", one a line, from the BBS.
instances() {
  curl -fsS -X POST "$BBS/v1/actual_lrps/list" -d '{}' |
    jq -r '.actual_lrps[] | select(.state == "RUNNING") |
      "\(.cell_id) \(.address):\(.ports[0].host_port)"'
}
running_on() { [ "$(instances | grep -c "^$1 ")" -ge "${2:-1}" ]; }
running() { [ "$(instances | grep -c .)" = "$1" ]; }
cells() { curl -fsS -X POST "$BBS/v1/cells/list" -d '{}' >"$OUT" 2>&1; }
cell_listed() { cells && jq -e --arg id "$1" '.cells[] | select(.cell_id == $id)' "$OUT" >/dev/null; }
# answered_by ADDRESS: some answer of the app through the router came from an instance
# at ADDRESS (the app answers with its CF_INSTANCE_ADDR); 30 requests at most.
answered_by() {
  local i
  for ((i = 0; i < 30; i++)); do
    [[ $(body) == *"from $1:"* ]] && return 0
  done
  return 1
}

platform_up
BBS="http://$ADDRESS:$CUPOLA_BBS_PORT"
echo "# the platform is up on $ADDRESS (veth $veth_host); the other host is $net.2 in $ns"

check "the namespace reaches the platform at $ADDRESS" \
  on_host2 curl -fsS --max-time 5 -o /dev/null "$BBS/healthz"
check "... and not on its own loopback" \
  not on_host2 curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$CUPOLA_BBS_PORT/healthz"

on_host2 "$ROOT/dev" cell cell-3 >"$OUT" 2>&1
check "./dev cell without the platform's NATS and BBS says what to set" \
  grep -q "set CUPOLA_NATS_URL and CUPOLA_BBS_URL" "$OUT"
on_host2 env CUPOLA_NATS_URL="nats://$ADDRESS:$CUPOLA_NATS_PORT" CUPOLA_BBS_URL="$BBS" \
  "$ROOT/dev" cell "Cell 3" >"$OUT" 2>&1
check "./dev cell refuses a name with capitals and spaces" grep -q "NAME: lower-case" "$OUT"
on_host2 env CUPOLA_NATS_URL="nats://$ADDRESS:$CUPOLA_NATS_PORT" CUPOLA_BBS_URL="$BBS" \
  CUPOLA_CELL_ZONE=z3 CUPOLA_CELL_PORT=$((CUPOLA_CELL2_PORT + 100)) \
  "$ROOT/dev" cell cell-3 >"$OUT" 2>&1
must "./dev cell starts cell-3 in the namespace" grep -q "Cell cell-3 is up at $net.2" "$OUT"
check "the BBS lists cell-3" eventually cell_listed cell-3
"$ROOT/dev" status >"$OUT" 2>&1
check "./dev status here shows cell-3 as announced on NATS, healthy" \
  grep -Eq "^rep +cell-3 +$net\.2 .* healthy +http://$net\.2:" "$OUT"
on_host2 "$ROOT/dev" status >"$OUT" 2>&1
check "./dev status there shows cell-3 healthy" grep -Eq "^cell-3 +[0-9]+ +healthy" "$OUT"
started_here() { sed '/^Announced on NATS/q' "$OUT" | grep -Eq "^(cc|nats|postgres) "; }
check "... of what it started, only the cell" not started_here
check "... and, as announced on NATS, the platform's processes on the other host" \
  grep -Eq "^cc +- +$ADDRESS .* healthy" "$OUT"

app="$state/spread"
mkdir -p "$app"
cat >"$app/app.py" <<'PY'
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ADDR = os.environ.get("CF_INSTANCE_ADDR", "?")


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"from {ADDR}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


print(f"instance at {ADDR} listening", flush=True)
ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Answer).serve_forever()
PY
: >"$app/requirements.txt"
echo "web: python3 app.py" >"$app/Procfile"

for step in "api $CC_URL" "login -u admin -p $ADMIN_PASSWORD" "create-org multi" \
  "create-space s -o multi" "target -o multi -s s"; do
  # shellcheck disable=SC2086  # each step is a command line of words
  cli $step || platform_fail "cupola ${step%% *} failed: $(cat "$OUT")"
done
cd "$app" || exit 1
must "the app pushes with three instances" cli push spread -m 64M -i 3
check "three instances run" eventually running 3
check "cell-3 won one of them (one a zone)" eventually running_on cell-3
instances >"$OUT"
check "... announced at the namespace's address" grep -q "^cell-3 $net.2:" "$OUT"
check "the router reaches the instance on cell-3" answered_by "$net.2"
check "... and those on this host" answered_by "$ADDRESS"
logs_from_cell3() {
  "$CUPOLA" logs spread --recent >"$OUT" 2>&1 && grep -q "APP/PROC/WEB/.*instance at $net.2:" "$OUT"
}
check "the instance's log lines reach the log store" eventually logs_from_cell3

echo "# an app on cell-3 uses a database of the pg broker's, reached at $ADDRESS"
cd "$ROOT/test/fixtures/apps/python-pg" || exit 1
must "create-service makes a database" cli create-service postgresql small multi-db --wait
must "the notes app pushes with three instances" cli push notes -m 128M -i 3
must "bind-service binds it" cli bind-service notes multi-db
must "restart gives the instances the binding" cli restart notes
must "the admin has a token" admin_token "$state/auth"
notes_guid=$(curl -fsS -H @"$state/auth" "$CC_URL/v3/apps?names=notes" | jq -r '.resources[0].guid')
web_guid=$(curl -fsS -H @"$state/auth" "$CC_URL/v3/apps/$notes_guid/processes/web" | jq -r .guid)
# index_on CELL: the index of a running instance of the notes app on CELL.
index_on() {
  curl -fsS -X POST "$BBS/v1/actual_lrps/list" -d '{}' |
    jq -r --arg process "$web_guid" --arg cell "$1" '[.actual_lrps[] | select(.state == "RUNNING"
      and .cell_id == $cell and (.process_guid | startswith($process)))][0].index // empty'
}
on_cell3() { [ -n "$(index_on cell-3)" ]; }
must "cell-3 runs an instance of it" eventually on_cell3
index=$(index_on cell-3)
# notes_at PATH: PATH of the instance on cell-3, through the router (X-CF-App-Instance).
notes_at() {
  curl -fsS --max-time 10 -H "Host: notes.apps.localhost" \
    -H "X-CF-App-Instance: $notes_guid:$index" "http://$ADDRESS:$ROUTER_PORT$1" >"$OUT" 2>&1
}
check "the instance on cell-3 writes a row into the database" notes_at "/write?note=from-cell-3"
notes_at /
check "... and reads it back" grep -q "^from-cell-3$" "$OUT"
cd "$state" || exit 1

echo "# cell-3 stops (its machine goes away): its instance moves while the app is requested"
codes="$state/codes"
(
  end=$((SECONDS + 25))
  for ((n = 0; n < 500 && SECONDS < end; n++)); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 -H "Host: $HOST" \
      "http://$ADDRESS:$ROUTER_PORT/"
    sleep 0.05
  done >"$codes"
) &
loader=$!
sleep 1
CUPOLA_STATE_DIR="$host2" "$ROOT/dev" down >"$OUT" 2>&1
check "./dev down stops cell-3" grep -q "stopped cell-3" "$OUT"
wait "$loader"
lost=$(grep -vc '^200$' "$codes")
echo "# while cell-3 stopped: $lost of $(wc -l <"$codes") requests failed"
check "no request failed while cell-3's instance moved (evacuation)" test "$lost" -eq 0
moved() { running 6 && ! running_on cell-3; }
check "its instance runs on the other cells" eventually moved
check "the app answers" answered_by "$ADDRESS"
healthy() { "$ROOT/dev" status >"$OUT" 2>&1; }
check "every component here is healthy" healthy

finish
