#!/usr/bin/env bash
# The bundled buildpacks (buildpacks/) run against the sample apps (test/fixtures/apps/) on
# this host the way the builder and the launcher run them: bin/detect on every app, then
# bin/supply and bin/finalize into fresh directories (DEPS_IDX 0), bin/release, then the
# droplet moved to another folder (as it is on a cell: the staging paths are gone), started
# by sourcing the profile scripts as the launcher does, with a free PORT, and asked over HTTP.
# Needs bash, python3, nginx, curl and setsid; no root, no network.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILDPACKS="$ROOT/buildpacks"
APPS="$ROOT/test/fixtures/apps"
WORK=$(mktemp -d /tmp/cupola-buildpacks-test-XXXXXX)
# Nothing here may reach a package index: vendored wheels must be enough.
export PIP_INDEX_URL=http://127.0.0.1:9/simple
passed=0
failed=0
running=()

ok() {
  passed=$((passed + 1))
  echo "ok - $*"
}
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $*"
}
# expect DESCRIPTION COMMAND...: COMMAND succeeds.
expect() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
# show FILE: a log, indented, after a failure.
show() { sed 's/^/    | /' "$1"; }

# Apps run in their own process group, whose id is the PID start() records, so that
# stopping one reaches everything it started (nginx's workers too).
# group_gone PID: no process is left in PID's group.
group_gone() { ! kill -0 -- "-$1" 2>/dev/null; }
# stop_group PID: SIGTERM to the group, SIGKILL if it is not gone within 5 s. Returns
# non-zero when SIGKILL was needed.
stop_group() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    if group_gone "$pid"; then
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}
cleanup() {
  local pid
  for pid in "${running[@]}"; do stop_group "$pid" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# http ARGS...: curl that ignores proxies and gives up after 5 s.
http() { curl --noproxy '*' --max-time 5 -sS "$@"; }

# detect BUILDPACK APP: bin/detect's output; its exit status is the function's.
detect() { "$BUILDPACKS/$1/bin/detect" "$2" 2>&1; }
expect_detects() {
  local out
  if out=$(detect "$1" "$2") && [ "$out" = "$3" ]; then
    ok "$1 detects $(basename "$2") and says '$3'"
  else
    not_ok "$1 detects $(basename "$2") and says '$3' (said '$out')"
  fi
}
expect_no_detect() {
  if detect "$1" "$2" >/dev/null; then
    not_ok "$1 does not detect $(basename "$2")"
  else
    ok "$1 does not detect $(basename "$2")"
  fi
}

# stage BUILDPACK APP NAME [CACHE_DIR]: supply then finalize on a copy of APP in $WORK/NAME,
# with fresh deps and profile directories. Output in NAME/staging.out and NAME/staging.err.
stage() {
  local bp=$1 dir="$WORK/$3"
  local cache=${4:-$dir/cache}
  rm -rf "$dir"
  mkdir -p "$dir/deps" "$dir/profile.d" "$cache"
  cp -a "$2" "$dir/app"
  {
    "$BUILDPACKS/$bp/bin/supply" "$dir/app" "$cache" "$dir/deps" 0 &&
      "$BUILDPACKS/$bp/bin/finalize" "$dir/app" "$cache" "$dir/deps" 0 "$dir/profile.d"
  } >"$dir/staging.out" 2>"$dir/staging.err"
}
# expect_stages BUILDPACK APP NAME [CACHE_DIR]
expect_stages() {
  if stage "$@"; then
    ok "$1 stages $3"
  else
    not_ok "$1 stages $3"
    show "$WORK/$3/staging.out"
    show "$WORK/$3/staging.err"
    return 1
  fi
}
# expect_release BUILDPACK NAME WANT: bin/release prints exactly WANT for NAME's app.
expect_release() {
  local out
  out=$("$BUILDPACKS/$1/bin/release" "$WORK/$2/app") || out="(bin/release exited with $?)"
  if [ "$out" = "$3" ]; then
    ok "$1 releases $2 with: ${3//$'\n'/ | }"
  else
    not_ok "$1 releases $2 with: ${3//$'\n'/ | } (printed: ${out//$'\n'/ | })"
  fi
}

# droplet NAME: moves the staged app/, deps/ and profile.d/ into $WORK/NAME-droplet, next to
# a tmp/, as the droplet lands on a cell; the staging directories are gone afterwards.
droplet() {
  local from="$WORK/$1" to="$WORK/$1-droplet"
  rm -rf "$to"
  mkdir -p "$to/tmp"
  mv "$from/app" "$from/deps" "$from/profile.d" "$to/"
}

# The launcher (diego/lifecycle/launcher/script.cpp): profile scripts, then the command.
# shellcheck disable=SC2016 # expanded by the launched shell.
LAUNCHER='cd "$1" || exit 1
for cupola_profile in ../profile.d/* .profile.d/*; do
  if [ -f "$cupola_profile" ]; then
    source "$cupola_profile"
  fi
done
unset cupola_profile
if [ -f .profile ]; then
  source .profile
fi
shift
exec bash -c "$@"'

# launcher_argv NAME PORT COMMAND: sets LAUNCH to the command line that runs COMMAND in
# NAME's droplet with the launcher's environment.
launcher_argv() {
  local d="$WORK/$1-droplet"
  LAUNCH=(env HOME="$d/app" TMPDIR="$d/tmp" DEPS_DIR="$d/deps" PORT="$2"
    bash -c "$LAUNCHER" launcher "$d/app" "$3")
}
# launch NAME PORT COMMAND: runs COMMAND there in the foreground.
launch() {
  launcher_argv "$@"
  "${LAUNCH[@]}"
}
# start NAME COMMAND: launches COMMAND in the background on a free port; sets PORT_OF and
# PID_OF, output in NAME-droplet/app.log. Waits (at most 5 s) for it to answer HTTP.
start() {
  local port i log="$WORK/$1-droplet/app.log"
  port=$(free_port)
  launcher_argv "$1" "$port" "$2"
  setsid "${LAUNCH[@]}" >"$log" 2>&1 &
  PID_OF=$!
  PORT_OF=$port
  running+=("$PID_OF")
  for ((i = 0; i < 50; i++)); do
    if http -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
      ok "$1 starts with '$2' and answers on its PORT"
      return 0
    fi
    kill -0 "$PID_OF" 2>/dev/null || break
    sleep 0.1
  done
  not_ok "$1 starts with '$2' and answers on its PORT"
  show "$log"
  return 1
}
# expect_stops NAME PID: SIGTERM ends every process of the app.
expect_stops() {
  local pid left=()
  expect "$1 stops on SIGTERM, leaving no process" stop_group "$2"
  for pid in "${running[@]}"; do
    [ "$pid" = "$2" ] || left+=("$pid")
  done
  running=("${left[@]}")
}

# status URL [CURL ARGS...]: the HTTP status code.
status() {
  local url=$1
  shift
  http -o /dev/null -w '%{http_code}' "$@" "$url"
}
# expect_status WANT URL [CURL ARGS...]
expect_status() {
  local want=$1 got
  got=$(status "${@:2}") || true
  expect_eq "GET $(path_of "$2") answers $want" "$got" "$want"
}
# body_is FILE URL [CURL ARGS...]: the body is FILE's content.
body_is() { http "${@:3}" "$2" | cmp -s - "$1"; }
# expect_body FILE URL [CURL ARGS...]
expect_body() {
  expect "GET $(path_of "$2") ${3:+(${*:3}) }gives $(basename "$1")" body_is "$@"
}

contains() { grep -q -- "$2" "$1"; }
# expect_eq DESCRIPTION GOT WANT: GOT is WANT; says what it got when not.
expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got: $2)"; fi
}
# path_of URL: the URL's path, for messages.
path_of() { echo "/${1#http://*/}"; }

echo "# detect"
for app in static python binary undetectable; do
  if [ "$app" = static ]; then
    expect_detects staticfile "$APPS/$app" staticfile
  else
    expect_no_detect staticfile "$APPS/$app"
  fi
  if [ "$app" = python ]; then
    expect_detects python "$APPS/$app" python
  else
    expect_no_detect python "$APPS/$app"
  fi
  expect_no_detect binary "$APPS/$app"
done
mkdir -p "$WORK/detect/index-only" "$WORK/detect/requirements-only" "$WORK/detect/py-no-procfile"
echo '<p>hi</p>' >"$WORK/detect/index-only/index.html"
echo 'flask' >"$WORK/detect/requirements-only/requirements.txt"
echo 'print("hi")' >"$WORK/detect/py-no-procfile/main.py"
expect_detects staticfile "$WORK/detect/index-only" staticfile
expect_detects python "$WORK/detect/requirements-only" python
expect_no_detect python "$WORK/detect/py-no-procfile"

echo "# the buildpacks share one copy of lib/buildpack.sh"
expect "lib/buildpack.sh is the same in every buildpack" \
  cmp -s "$BUILDPACKS/staticfile/lib/buildpack.sh" "$BUILDPACKS/python/lib/buildpack.sh"
expect "lib/buildpack.sh is the same in the binary buildpack" \
  cmp -s "$BUILDPACKS/staticfile/lib/buildpack.sh" "$BUILDPACKS/binary/lib/buildpack.sh"
if command -v shellcheck >/dev/null; then
  expect "shellcheck passes on the buildpacks and this test" shellcheck \
    "$BUILDPACKS"/*/bin/* "$BUILDPACKS"/*/lib/*.sh "${BASH_SOURCE[0]}"
else
  echo "# shellcheck is not installed: not run"
fi

echo "# staticfile: the static sample (pushstate: enabled)"
if expect_stages staticfile "$APPS/static" static; then
  expect "staging says which folder it serves" \
    contains "$WORK/static/staging.out" "Using root folder public"
  expect_release staticfile static $'---\ndefault_process_types:\n  web: $HOME/boot.sh'
  web=$("$BUILDPACKS/staticfile/bin/release" "$WORK/static/app" | sed -n 's/^  web: //p') || true
  droplet static
  if start static "$web"; then
    url="http://127.0.0.1:$PORT_OF"
    expect_status 200 "$url/"
    expect_body "$APPS/static/index.html" "$url/"
    expect_body "$APPS/static/css/style.css" "$url/css/style.css"
    type=$(http -o /dev/null -w '%{content_type}' "$url/css/style.css") || true
    expect_eq "css is served as text/css" "$type" text/css
    headers=$(http -D - -o /dev/null -H 'Accept-Encoding: gzip' "$url/") || true
    expect "Accept-Encoding: gzip gets Content-Encoding: gzip" \
      grep -qi '^Content-Encoding: gzip' <<<"$headers"
    expect_body "$APPS/static/index.html" "$url/" --compressed
    expect_status 200 "$url/some/client/route"
    expect_body "$APPS/static/index.html" "$url/some/client/route"
    # The app's own files are not served: pushstate answers with index.html instead.
    expect_body "$APPS/static/index.html" "$url/boot.sh"
    expect_body "$APPS/static/index.html" "$url/nginx/conf/nginx.conf"
    expect "nginx logs requests to stdout" \
      contains "$WORK/static-droplet/app.log" '"GET /css/style.css HTTP/1.1" 200'
    expect_stops static "$PID_OF"
  fi
fi

echo "# staticfile: root:, directory: visible, Staticfile.auth, dot files"
site="$WORK/src/site"
mkdir -p "$site/dist/docs"
printf 'root: "dist"   # the build output\ndirectory: visible\n' >"$site/Staticfile"
echo '<h1>dist</h1>' >"$site/dist/index.html"
echo 'a document' >"$site/dist/docs/a.txt"
echo 'SECRET=1' >"$site/dist/.env"
echo 'not public' >"$site/secret.txt"
hash=$(python3 -c 'import base64, hashlib; print(base64.b64encode(hashlib.sha1(b"s3cret").digest()).decode())')
echo "bob:{SHA}$hash" >"$site/Staticfile.auth"
if expect_stages staticfile "$site" site; then
  expect "staging uses the root: folder" contains "$WORK/site/staging.out" "Using root folder dist"
  droplet site
  if start site "\$HOME/boot.sh"; then
    url="http://127.0.0.1:$PORT_OF"
    expect_status 401 "$url/"
    expect_status 200 "$url/" -u bob:s3cret
    expect_body "$site/dist/index.html" "$url/" -u bob:s3cret
    expect_body "$site/dist/docs/a.txt" "$url/docs/a.txt" -u bob:s3cret
    http -u bob:s3cret "$url/docs/" >"$WORK/listing.html" || true
    expect "directory: visible lists docs/" contains "$WORK/listing.html" 'href="a.txt"'
    expect_status 404 "$url/missing.html" -u bob:s3cret
    expect_status 404 "$url/.env" -u bob:s3cret
    expect_status 404 "$url/secret.txt" -u bob:s3cret
    expect_status 404 "$url/boot.sh" -u bob:s3cret
    expect_stops site "$PID_OF"
  fi
fi

printf 'root: nowhere\n' >"$WORK/src/Staticfile.bad"
mkdir -p "$WORK/src/bad-root"
cp "$WORK/src/Staticfile.bad" "$WORK/src/bad-root/Staticfile"
if stage staticfile "$WORK/src/bad-root" bad-root; then
  not_ok "a Staticfile root: that does not exist fails staging"
else
  expect "a Staticfile root: that does not exist fails staging, saying why" \
    contains "$WORK/bad-root/staging.err" "'nowhere', which the app does not have"
fi

echo "# python: the python sample"
pycache="$WORK/python-cache"
if expect_stages python "$APPS/python" python "$pycache"; then
  expect_release python python $'---\ndefault_process_types:\n  web: python3 app.py'
  expect "finalize puts the virtualenv's profile script in PROFILE_DIR" \
    test -f "$WORK/python/profile.d/0_python.sh"
  droplet python
  prefix=$(launch python 0 'python3 -c "import sys; print(sys.prefix)"' 2>&1) || true
  expect_eq "python3 at run time is the virtualenv's, in the droplet's deps" \
    "$prefix" "$WORK/python-droplet/deps/0/venv"
  if start python "python3 app.py"; then
    body=$(http "http://127.0.0.1:$PORT_OF/") || true
    expect_eq "the app answers GET /" "${body%% (Python*}" "Hello from a Cupola Python app"
    expect_stops python "$PID_OF"
  fi
fi
if expect_stages python "$APPS/python" python-again "$pycache"; then
  expect "restaging with the same requirements reuses the cached virtualenv" \
    contains "$WORK/python-again/staging.out" "Reusing the cached virtualenv"
  droplet python-again
  out=$(launch python-again 0 'pip --version' 2>&1) || true
  expect "the reused virtualenv's pip runs from the droplet" \
    grep -q "^pip .* from $WORK/python-again-droplet/deps/0/venv/" <<<"$out"
fi

echo "# python: requirements from vendored wheels, offline"
wheel_app="$WORK/src/wheel-app"
cp -a "$APPS/python" "$wheel_app"
mkdir -p "$wheel_app/vendor"
echo 'cupola-hello==1.0' >"$wheel_app/requirements.txt"
python3 - "$wheel_app/vendor/cupola_hello-1.0-py3-none-any.whl" <<'PY'
import base64, hashlib, sys, zipfile

info = "cupola_hello-1.0.dist-info"
files = {
    "cupola_hello.py": "def main():\n    print('hello from a vendored wheel')\n",
    f"{info}/METADATA": "Metadata-Version: 2.1\nName: cupola-hello\nVersion: 1.0\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: cupola-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    f"{info}/entry_points.txt": "[console_scripts]\ncupola-hello = cupola_hello:main\n",
}
record = []
with zipfile.ZipFile(sys.argv[1], "w") as whl:
    for name, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
        whl.writestr(name, data)
    record.append(f"{info}/RECORD,,")
    whl.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
PY
if expect_stages python "$wheel_app" wheel-app; then
  expect "staging installs from vendor/ without the index" \
    contains "$WORK/wheel-app/staging.out" "Installing offline from vendor/"
  droplet wheel-app
  out=$(launch wheel-app 0 'cupola-hello' 2>&1) || true
  expect_eq "the wheel's console script runs from the moved droplet" \
    "$out" "hello from a vendored wheel"
fi
echo 'cupola-missing==1.0' >"$wheel_app/requirements.txt"
if stage python "$wheel_app" missing-wheel; then
  not_ok "a requirement with no wheel in vendor/ fails staging"
else
  expect "a requirement with no wheel in vendor/ fails staging, saying why" \
    contains "$WORK/missing-wheel/staging.err" "pip could not install requirements.txt"
fi

mkdir -p "$WORK/src/no-procfile/app" "$WORK/src/no-web/app"
cp "$APPS/python/app.py" "$WORK/src/no-procfile/app/"
echo 'print("hi")' >"$WORK/src/no-web/app/job.py"
WORK="$WORK/src" expect_release python no-procfile $'---\ndefault_process_types:\n  web: python3 app.py'
WORK="$WORK/src" expect_release python no-web $'---\ndefault_process_types: {}'

echo "# binary: the binary sample, chosen explicitly"
bin_app="$WORK/src/binary"
cp -a "$APPS/binary" "$bin_app"
chmod 644 "$bin_app/serve" # as an upload that lost its file modes
if expect_stages binary "$bin_app" binary; then
  expect "finalize makes the Procfile's ./serve executable" test -x "$WORK/binary/app/serve"
  expect_release binary binary $'---\ndefault_process_types:\n  web: ./serve'
  droplet binary
  if start binary "./serve"; then
    http "http://127.0.0.1:$PORT_OF/" >"$WORK/binary-listing.html" || true
    expect "the binary serves the app's folder" contains "$WORK/binary-listing.html" 'href="serve"'
    expect_stops binary "$PID_OF"
  fi
fi
mkdir -p "$WORK/src/bare/app"
WORK="$WORK/src" expect_release binary bare $'---\ndefault_process_types: {}'

echo "# python supplying a binary app (two buildpacks: DEPS_IDX 0 and 1)"
multi="$WORK/multi"
mkdir -p "$multi/deps" "$multi/profile.d" "$multi/cache0" "$multi/cache1"
cp -a "$APPS/binary" "$multi/app"
mkdir -p "$multi/deps/0/bin" # as a supply buildpack that ships programs leaves it
if {
  "$BUILDPACKS/python/bin/supply" "$multi/app" "$multi/cache0" "$multi/deps" 0 &&
    "$BUILDPACKS/binary/bin/supply" "$multi/app" "$multi/cache1" "$multi/deps" 1 &&
    "$BUILDPACKS/binary/bin/finalize" "$multi/app" "$multi/cache1" "$multi/deps" 1 \
      "$multi/profile.d"
} >"$multi/staging.out" 2>&1; then
  ok "python supplies and binary finalizes the binary sample"
  expect "the final buildpack copies deps/0/profile.d/python.sh to PROFILE_DIR/0_python.sh" \
    cmp -s "$multi/deps/0/profile.d/python.sh" "$multi/profile.d/0_python.sh"
  # shellcheck disable=SC2016 # the script's text, expanded only when the app starts.
  expect "the final buildpack puts deps/0/bin on PATH in 000_multi-supply.sh" \
    grep -qxF 'export PATH=$DEPS_DIR/0/bin${PATH:+:$PATH}' "$multi/profile.d/000_multi-supply.sh"
  droplet multi
  prefix=$(launch multi 0 'python3 -c "import sys; print(sys.prefix)"' 2>&1) || true
  expect_eq "the binary app's python3 is the supplied virtualenv" \
    "$prefix" "$WORK/multi-droplet/deps/0/venv"
else
  not_ok "python supplies and binary finalizes the binary sample"
  show "$multi/staging.out"
fi

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
