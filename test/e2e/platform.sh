# shellcheck shell=bash disable=SC2034  # the variables are the sourcing script's.
# Sourced by the end-to-end tests and benchmarks: a whole private platform started with
# `./dev up` in a state directory and on ports of its own (the stack is shared, never
# rebuilt), and stopped with `./dev down` when the script exits.
#
# After `platform_up`: $ROOT, $state, $ADDRESS (CUPOLA_ADDRESS or the loopback), $CC_URL,
# $ADMIN_PASSWORD, $ROUTER_PORT and the CUPOLA_* port variables; `platform_fail MESSAGE` stops the platform, shows the logs' tails
# and exits 1.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state=$(mktemp -d /tmp/cupola-e2e-XXXXXX)
chmod 755 "$state"
export CUPOLA_STATE_DIR="$state"
base=$((20000 + RANDOM % 10000))
export CUPOLA_NATS_PORT=$base
export CUPOLA_NATS_MONITOR_PORT=$((base + 1))
export CUPOLA_BBS_PORT=$((base + 2))
export CUPOLA_AUCTIONEER_PORT=$((base + 3))
export CUPOLA_CELL1_PORT=$((base + 4))
export CUPOLA_CELL2_PORT=$((base + 5))
export CUPOLA_ROUTE_EMITTER_PORT=$((base + 6))
export CUPOLA_ROUTER_PORT=$((base + 7))
export CUPOLA_ROUTER_STATUS_PORT=$((base + 8))
export CUPOLA_ROUTER_TLS_PORT=$((base + 9))
export CUPOLA_LOGSTORE_PORT=$((base + 10))
export CUPOLA_CC_PORT=$((base + 11))
export CUPOLA_PG_PORT=$((base + 12))
export CUPOLA_PG_BROKER_PORT=$((base + 13))
export CUPOLA_CELL_HOST_PORTS=$((63000 + (RANDOM % 10) * 100))
if [ -n "${CUPOLA_STACK_DIR:-}" ]; then
  CUPOLA_STACKS_DIR="$(dirname "$CUPOLA_STACK_DIR")"
else
  CUPOLA_STACKS_DIR="$ROOT/.cupola/stacks"
fi
export CUPOLA_STACKS_DIR
export CUPOLA_BUILD_DIR="${CUPOLA_BUILD_DIR:-$ROOT/build}"
# The CLI keeps its config in the state directory, not in the user's home.
export CUPOLA_HOME="$state/home"
mkdir -p "$CUPOLA_HOME"

platform_down() {
  "$ROOT/dev" down >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap platform_down EXIT

platform_fail() {
  echo "FAIL: $*"
  local log
  for log in "$state"/logs/*.log; do
    [ -f "$log" ] || continue
    echo "--- $(basename "$log") (last lines)"
    tail -15 "$log"
  done
  exit 1
}

platform_up() {
  "$ROOT/dev" up >"$state/up.out" 2>&1 || { cat "$state/up.out"; platform_fail "./dev up failed"; }
  grep -q "Cupola is up" "$state/up.out" || platform_fail "./dev up did not say it is up"
  ADDRESS=${CUPOLA_ADDRESS:-127.0.0.1}
  CC_URL="http://$ADDRESS:$CUPOLA_CC_PORT"
  ADMIN_PASSWORD=$(cat "$state/cc/admin_password")
  ROUTER_PORT=$CUPOLA_ROUTER_PORT
}
