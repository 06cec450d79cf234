#!/usr/bin/env bash
# Self-healing on a whole platform started by `./dev up` (private state and ports): an app of
# two instances keeps answering through the router while each platform component in turn
# (BBS, auctioneer, route emitter, log store, Cloud Controller, nats-server, and the router
# itself) is stopped and started again; a killed app process is restarted and routed again;
# a cell killed with SIGKILL has its instances started on the other cell. A bounded client
# loop requests the app during each step and the failed requests are counted and printed;
# the goal is zero for every component but the router and the cell that hosted an instance.
# Afterwards the platform converges: every component healthy, both instances running.
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
OUT="$state/out"
RUN="$state/run"
HOST=healer.apps.localhost
cli() { "$CUPOLA" "$@" >"$OUT" 2>&1; }
status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "Host: $HOST" "http://127.0.0.1:$ROUTER_PORT/"
}
answers() { [ "$(status)" = 200 ]; }
running() { [ "$("$CUPOLA" app healer 2>/dev/null | grep -Ec '^#[0-9]+ +running')" = "$1" ]; }
healthy() { "$ROOT/dev" status >"$OUT" 2>&1; }

# load FILE SECONDS: requests the app every 50 ms for SECONDS (at most 1,000 requests),
# one HTTP status a line in FILE.
load() {
  local end=$((SECONDS + $2)) n=0
  : >"$1"
  while ((SECONDS < end && n < 1000)); do
    status >>"$1"
    echo >>"$1"
    n=$((n + 1))
    sleep 0.05
  done
}
failures() { grep -vc '^200$' "$1" || true; }

# stop_component NAME: SIGTERM to the component by its pid file, waiting (10 s) until it is
# gone.
stop_component() {
  local pidfile="$RUN/$1.pid" pid i
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || return 1
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# The cells' ids of the running instances, one a line (from the BBS; the app is the only
# one on this platform).
instance_cells() {
  curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/actual_lrps/list" -d '{}' |
    python3 -c 'import json, sys
for a in json.load(sys.stdin)["actual_lrps"]:
    if a["state"] == "RUNNING":
        print(a["cell_id"])'
}

platform_up
echo "# the platform is up: $CC_URL, router on $ROUTER_PORT"
for step in "api $CC_URL" "login -u admin -p $ADMIN_PASSWORD" "create-org heal" \
  "create-space s -o heal" "target -o heal -s s"; do
  # shellcheck disable=SC2086  # each step is a command line of words
  cli $step || platform_fail "cupola ${step%% *} failed: $(cat "$OUT")"
done
cd "$ROOT/test/fixtures/apps/python" || exit 1
cli push healer -m 64M -i 2 || platform_fail "push failed: $(tail -20 "$OUT")"
check "the app answers through the router" eventually answers
check "both instances run" eventually running 2

echo "# restarting each component while the app is requested"
for component in bbs auctioneer route-emitter logstore cc nats router; do
  codes="$state/codes-$component"
  load "$codes" 14 &
  loader=$!
  sleep 2
  check "$component stops on SIGTERM" stop_component "$component"
  "$ROOT/dev" up >"$OUT" 2>&1 || not_ok "./dev up started $component again"
  wait "$loader"
  lost=$(failures "$codes")
  total=$(wc -l <"$codes")
  echo "# $component restarted: $lost of $total requests failed"
  if [ "$component" != router ]; then
    check "no request failed while $component restarted" test "$lost" -eq 0
  fi
  check "every component is healthy after $component restarted" eventually healthy
  check "... and the app still has two running instances" eventually running 2
done

echo "# a killed app process"
# The app's own processes: python3 app.py in this platform's containers (each container's
# cgroup is named by its instance guid).
app_pids() {
  local guids p g
  guids=$(curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/actual_lrps/list" -d '{}' |
    python3 -c 'import json, sys
for a in json.load(sys.stdin)["actual_lrps"]:
    if a["state"] == "RUNNING":
        print(a["instance_guid"])')
  for p in $(pgrep -f '^python3 app\.py' || true); do
    for g in $guids; do
      grep -qF "$g" "/proc/$p/cgroup" 2>/dev/null && echo "$p"
    done
  done
}
app_pids=$(app_pids)
check "the app's processes are found in its containers" test "$(echo "$app_pids" | grep -c .)" = 2
victim=$(echo "$app_pids" | head -1)
kill -KILL "$victim" 2>/dev/null
# crashed: some instance of the app has crashed once (the BBS counts it).
crashed() {
  curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/actual_lrps/list" -d '{}' |
    python3 -c 'import json, sys
sys.exit(0 if any(a.get("crash_count", 0) > 0 for a in json.load(sys.stdin)["actual_lrps"]) else 1)'
}
check "the BBS sees the instance crash" eventually crashed
check "the killed instance is restarted" eventually running 2
check "the app answers after its process was killed" eventually answers
check "the killed process is gone" not kill -0 "$victim"

echo "# a cell killed with SIGKILL"
cells=$(instance_cells | sort -u)
victim_cell=$(echo "$cells" | head -1)
check "the instances' cells are known" test -n "$victim_cell"
codes="$state/codes-$victim_cell"
load "$codes" 40 &
loader=$!
kill -KILL "$(cat "$RUN/$victim_cell.pid")"
moved() { ! instance_cells | grep -qx "$victim_cell" && [ "$(instance_cells | wc -l)" = 2 ]; }
check "the killed cell's instances run on the other cell" eventually moved
check "the app answers with one cell" eventually answers
wait "$loader"
echo "# $victim_cell killed: $(failures "$codes") of $(wc -l <"$codes") requests failed"
"$ROOT/dev" up >"$OUT" 2>&1 || not_ok "./dev up started $victim_cell again"
check "every component is healthy again" eventually healthy
check "both instances still run" eventually running 2

finish
