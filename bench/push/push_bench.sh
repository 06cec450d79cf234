#!/usr/bin/env bash
# bench/push: the time from `cupola push` starting to the app's first 200 through the router,
# for the static, python and node samples, on a whole platform started by `./dev up` (private
# state and ports). Each sample is pushed RUNS times as a new app; the median is printed.
# Needs root (runc); prints numbers and never fails on timing.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS=${RUNS:-3}
if [ "$(id -u)" -ne 0 ]; then
  echo "push bench: needs root (runc); skipped"
  exit 0
fi
# shellcheck source-path=SCRIPTDIR/../.. source=test/e2e/platform.sh
source "$HERE/../../test/e2e/platform.sh"
CUPOLA="$CUPOLA_BUILD_DIR/bin/cupola"
platform_up
if ! { "$CUPOLA" api "$CC_URL" && "$CUPOLA" login -u admin -p "$ADMIN_PASSWORD" &&
  "$CUPOLA" create-org bench && "$CUPOLA" create-space push -o bench &&
  "$CUPOLA" target -o bench -s push; } >"$state/login.out" 2>&1; then
  cat "$state/login.out"
  platform_fail "cannot log in and target"
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# push_once SAMPLE NAME: milliseconds from push to the first 200 (at most 120 s), or "".
push_once() {
  local started i
  started=$(now_ms)
  (cd "$ROOT/test/fixtures/apps/$1" && "$CUPOLA" push "$2" -m 128M >"$state/push.out" 2>&1) ||
    { tail -5 "$state/push.out" >&2; return 1; }
  for ((i = 0; i < 1200; i++)); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "Host: $2.apps.localhost" \
      "http://127.0.0.1:$ROUTER_PORT/")" = 200 ]; then
      echo $(($(now_ms) - started))
      return 0
    fi
    sleep 0.1
  done
  return 1
}

printf '%-8s %12s %12s %12s\n' sample median_s min_s max_s
for sample in static python node; do
  times=()
  for ((run = 1; run <= RUNS; run++)); do
    t=$(push_once "$sample" "$sample-$run") || { echo "push bench: $sample run $run failed" >&2; continue; }
    times+=("$t")
    "$CUPOLA" delete "$sample-$run" -r -f >/dev/null 2>&1
  done
  [ "${#times[@]}" -gt 0 ] || continue
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(((${#times[@]} + 1) / 2))p")
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
  printf '%-8s %12s %12s %12s\n' "$sample" "$(secs "$median")" "$(secs "$min")" "$(secs "$max")"
  echo "BENCH name=push case=$sample median_s=$(secs "$median") min_s=$(secs "$min") max_s=$(secs "$max") runs=${#times[@]}"
done
