# shellcheck shell=bash disable=SC2034  # passed and failed are the sourcing script's.
# Sourced by the end-to-end tests: one line per check (`ok -` / `not ok -`), counted, and a
# closing count. A failed check shows the tail of $OUT (where a test keeps the output of its
# last command), when the test sets it.

passed=0
failed=0

ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  if [ -n "${OUT:-}" ] && [ -s "$OUT" ]; then
    sed 's/^/    /' "$OUT" | tail -25
    [ -z "$(tail -c1 "$OUT")" ] || echo # a body without a final newline
  fi
}
# check DESCRIPTION COMMAND...: COMMAND succeeds.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
not() { ! "$@"; }
# eventually COMMAND...: COMMAND succeeds within 120 s (tried every 0.2 s, 600 times).
eventually() {
  local i
  for ((i = 0; i < 600; i++)); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}
# must DESCRIPTION COMMAND...: as check, but the steps after it need it: a failure stops the
# test (after the test's on_must_fail, when it defines one) and the platform.
must() {
  local what=$1
  shift
  if "$@"; then
    ok "$what"
    return 0
  fi
  not_ok "$what"
  echo "# $passed passed, $failed failed"
  if declare -F on_must_fail >/dev/null; then on_must_fail; fi
  platform_fail "$what: the steps after it need it"
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# admin_token FILE: the admin's token from $CC_URL/oauth/token (a password grant, as the cf
# CLI makes it) as an Authorization header line in FILE, readable by its owner only.
admin_token() {
  local token
  token=$(printf '%s' "$ADMIN_PASSWORD" | curl -sS --max-time 30 -u cf: \
    -d grant_type=password -d username=admin --data-urlencode password@- \
    "$CC_URL/oauth/token" | jq -r '.access_token // empty' 2>/dev/null) || return 1
  [ -n "$token" ] || return 1
  (
    umask 077
    printf 'Authorization: bearer %s\n' "$token" >"$1"
  )
}
# finish: the closing count; false when a check failed.
finish() {
  echo "# $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
