#!/usr/bin/env bash
# `./dev up` starts Postgres and NATS healthy, `./dev status` says so, and `./dev down`
# leaves no process behind. Uses its own state directory and ports.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state=$(mktemp -d /tmp/cupola-dev-test-XXXXXX)
chmod 755 "$state"
export CUPOLA_STATE_DIR="$state"
export CUPOLA_NATS_PORT=$((20000 + RANDOM % 10000))
export CUPOLA_NATS_MONITOR_PORT=$((CUPOLA_NATS_PORT + 1))
export CUPOLA_BBS_PORT=$((CUPOLA_NATS_PORT + 2))
export CUPOLA_AUCTIONEER_PORT=$((CUPOLA_NATS_PORT + 3))
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

status=$("$ROOT/dev" status) || { echo "$status"; fail "./dev status reported a problem"; }
echo "$status"
# expect_healthy NAME: the status table lists NAME with its pid as healthy.
expect_healthy() {
  echo "$status" | grep -Eq "^$1 +[0-9]+ +healthy" || fail "$1 is not healthy"
}
pids=()
for component in postgres nats bbs auctioneer; do
  expect_healthy "$component"
  pids+=("$(echo "$status" | awk -v c="$component" '$1 == c {print $2}')")
done

# The BBS answers through its API with what it stores.
curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/domains/upsert" \
  -d '{"domain": "cf-apps", "ttl": 0}' >/dev/null || fail "the bbs did not take a domain"
curl -fsS -X POST "http://127.0.0.1:$CUPOLA_BBS_PORT/v1/domains/list" | grep -q cf-apps ||
  fail "the bbs did not list the domain"

# A second `up` is harmless.
"$ROOT/dev" up >/dev/null 2>&1 || fail "a second ./dev up failed"

"$ROOT/dev" down || fail "./dev down failed"
for pid in "${pids[@]}"; do
  if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    fail "process $pid is still running after ./dev down"
  fi
done
if "$ROOT/dev" status >/dev/null; then fail "./dev status says healthy after down"; fi
echo "dev up/status/down: 1 passed, 0 failed"
