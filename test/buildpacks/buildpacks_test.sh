#!/usr/bin/env bash
# The bundled buildpacks (buildpacks/) run against the sample apps (test/fixtures/apps/) on
# this host the way the builder and the launcher run them: bin/detect on every app, then
# bin/supply and bin/finalize into fresh directories (DEPS_IDX 0), bin/release, then the
# droplet moved to another folder (as it is on a cell: the staging paths are gone), started
# by sourcing the profile scripts as the launcher does, with a free PORT, and asked over HTTP.
# Needs bash, python3, nginx, node and npm, ruby and bundler, go (golang-go), ruby-rack and
# ruby-webrick (vendor_gems.sh builds their gems), curl, setsid and timeout; no root, no network
# (npm's registry is one this test serves on 127.0.0.1).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILDPACKS="$ROOT/buildpacks"
APPS="$ROOT/test/fixtures/apps"
WORK=$(mktemp -d /tmp/cupola-buildpacks-test-XXXXXX)
# Nothing here may reach a package index: vendored wheels, packages and gems must be enough.
export PIP_INDEX_URL=http://127.0.0.1:9/simple
export npm_config_registry=http://127.0.0.1:9/ npm_config_fetch_retries=0
export npm_config_update_notifier=false npm_config_cache="$WORK/npm-cache"
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
# group_gone PID: no process is left in PID's group, and PID itself is gone (until setsid
# has run, it is in this shell's group).
group_gone() { ! kill -0 -- "-$1" 2>/dev/null && ! kill -0 "$1" 2>/dev/null; }
# stop_group PID: SIGTERM to the group (to PID when it has no group yet), SIGKILL if it is not
# gone within 5 s. Returns non-zero when SIGKILL was needed.
stop_group() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    if group_gone "$pid"; then
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
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
# with fresh deps and profile directories, each phase given at most 5 minutes. Output in
# NAME/staging.out and NAME/staging.err.
stage() {
  local bp=$1 dir="$WORK/$3"
  local cache=${4:-$dir/cache}
  rm -rf "$dir"
  mkdir -p "$dir/deps" "$dir/profile.d" "$cache"
  cp -a "$2" "$dir/app"
  {
    timeout 300 "$BUILDPACKS/$bp/bin/supply" "$dir/app" "$cache" "$dir/deps" 0 &&
      timeout 300 "$BUILDPACKS/$bp/bin/finalize" "$dir/app" "$cache" "$dir/deps" 0 "$dir/profile.d"
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
# launch NAME PORT COMMAND: runs COMMAND there in the foreground, for at most 60 s.
launch() {
  launcher_argv "$@"
  timeout 60 "${LAUNCH[@]}"
}
# start NAME COMMAND: launches COMMAND in the background on a free port; sets PORT_OF and
# PID_OF, output in NAME-droplet/app.log. Waits (at most 10 s) for it to answer HTTP.
start() {
  local port i log="$WORK/$1-droplet/app.log"
  port=$(free_port)
  launcher_argv "$1" "$port" "$2"
  setsid "${LAUNCH[@]}" >"$log" 2>&1 &
  PID_OF=$!
  PORT_OF=$port
  running+=("$PID_OF")
  for ((i = 0; i < 100; i++)); do
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
# The one buildpack that detects each sample; the others must not.
declare -A DETECTED_BY=([static]=staticfile [python]=python [node]=nodejs [failing]=nodejs
  [ruby]=ruby [ruby-rack]=ruby [go]=go)
for app in static python binary undetectable node ruby ruby-rack go failing; do
  for bp in staticfile nodejs ruby go python binary; do
    if [ "${DETECTED_BY[$app]:-}" = "$bp" ]; then
      expect_detects "$bp" "$APPS/$app" "$bp"
    else
      expect_no_detect "$bp" "$APPS/$app"
    fi
  done
done
mkdir -p "$WORK/detect/index-only" "$WORK/detect/requirements-only" "$WORK/detect/py-no-procfile" \
  "$WORK/detect/package-json-only" "$WORK/detect/gemfile-only" "$WORK/detect/go-mod-only" \
  "$WORK/detect/go-no-mod"
echo '<p>hi</p>' >"$WORK/detect/index-only/index.html"
echo 'flask' >"$WORK/detect/requirements-only/requirements.txt"
echo 'print("hi")' >"$WORK/detect/py-no-procfile/main.py"
echo '{}' >"$WORK/detect/package-json-only/package.json"
echo 'source "https://rubygems.org"' >"$WORK/detect/gemfile-only/Gemfile"
echo 'module example.com/m' >"$WORK/detect/go-mod-only/go.mod"
echo 'package main' >"$WORK/detect/go-no-mod/main.go"
expect_detects staticfile "$WORK/detect/index-only" staticfile
expect_detects python "$WORK/detect/requirements-only" python
expect_no_detect python "$WORK/detect/py-no-procfile"
expect_detects nodejs "$WORK/detect/package-json-only" nodejs
expect_no_detect ruby "$WORK/detect/package-json-only"
expect_detects ruby "$WORK/detect/gemfile-only" ruby
expect_no_detect nodejs "$WORK/detect/gemfile-only"
expect_detects go "$WORK/detect/go-mod-only" go
expect_no_detect go "$WORK/detect/go-no-mod"
expect_no_detect go "$WORK/detect/gemfile-only"
order=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$BUILDPACKS/order.txt" | paste -s -d ' ' -)
expect_eq "order.txt lists the buildpacks in Cloud Foundry's order" \
  "$order" "staticfile nodejs ruby go python binary"

echo "# the buildpacks share one copy of lib/buildpack.sh"
for bp in python binary nodejs ruby go; do
  expect "lib/buildpack.sh is the same in the $bp buildpack as in staticfile" \
    cmp -s "$BUILDPACKS/staticfile/lib/buildpack.sh" "$BUILDPACKS/$bp/lib/buildpack.sh"
done
if command -v shellcheck >/dev/null; then
  expect "shellcheck passes on the buildpacks, this test and its helpers" shellcheck \
    "$BUILDPACKS"/*/bin/* "$BUILDPACKS"/*/lib/*.sh "$ROOT"/test/buildpacks/*.sh
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
  out=$(launch python-again 0 'python3 -c "import sys; print(sys.prefix)"' 2>&1) || true
  expect_eq "the reused virtualenv runs from the droplet" \
    "$out" "$WORK/python-again-droplet/deps/0/venv"
  expect "an app without requirements gets no pip in its virtualenv (nothing to install)" \
    test ! -e "$WORK/python-again-droplet/deps/0/venv/bin/pip"
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
  out=$(launch wheel-app 0 'pip --version' 2>&1) || true
  expect "an app with requirements has pip in its virtualenv, run from the droplet" \
    grep -q "^pip .* from $WORK/wheel-app-droplet/deps/0/venv/" <<<"$out"
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

echo "# nodejs: the node sample (a file: dependency vendored in the app, package-lock.json)"
if expect_stages nodejs "$APPS/node" node; then
  expect "supply checks package.json's engines.node against the stack's node" \
    contains "$WORK/node/staging.out" "engines.node (>=18) accepts Node.js"
  expect "with a package-lock.json, finalize runs npm ci" \
    contains "$WORK/node/staging.out" "Installing dependencies with npm ci"
  expect "the vendored dependency is in node_modules/" \
    test -f "$WORK/node/app/node_modules/greeting/index.js"
  expect "npm's cache is in CACHE_DIR/nodejs/npm" test -d "$WORK/node/cache/nodejs/npm"
  expect_release nodejs node $'---\ndefault_process_types:\n  web: npm start'
  expect "finalize puts the profile script in PROFILE_DIR" test -f "$WORK/node/profile.d/0_nodejs.sh"
  droplet node
  # shellcheck disable=SC2016 # expanded by the launched shell.
  out=$(launch node 0 'echo "$NODE_ENV"' 2>&1) || true
  expect_eq "NODE_ENV is production when the app runs" "$out" production
  out=$(launch node 0 'greeting Diego' 2>&1) || true
  expect_eq "the dependency's program runs from node_modules/.bin on PATH in the moved droplet" \
    "$out" "Hello from a Cupola Node.js app, Diego!"
  if start node "npm start"; then
    body=$(http "http://127.0.0.1:$PORT_OF/") || true
    expect_eq "the app answers GET / through its dependency" \
      "${body%% (Node.js*}" "Hello from a Cupola Node.js app, Cupola!"
    expect "the app runs with NODE_ENV=production" \
      contains "$WORK/node-droplet/app.log" "NODE_ENV=production"
    expect_stops node "$PID_OF"
  fi
fi

echo "# nodejs: npm install without a lockfile; the Procfile's web process"
node_nolock="$WORK/src/node-nolock"
cp -a "$APPS/node" "$node_nolock"
rm "$node_nolock/package-lock.json"
echo 'web: node server.js' >"$node_nolock/Procfile"
if expect_stages nodejs "$node_nolock" node-nolock; then
  expect "without a lockfile, finalize runs npm install" \
    contains "$WORK/node-nolock/staging.out" "Installing dependencies with npm install"
  expect "the dependency is installed" test -f "$WORK/node-nolock/app/node_modules/greeting/index.js"
  expect_release nodejs node-nolock $'---\ndefault_process_types:\n  web: node server.js'
fi

echo "# nodejs: a vendored node_modules/ is used as it is, rebuilt only when it must be"
node_vendored="$WORK/src/node-vendored"
cp -a "$APPS/node" "$node_vendored"
rm "$node_vendored/package-lock.json"
# As an app vendors its packages: installed (copied, not linked) before the push.
(cd "$node_vendored" && timeout 120 npm install --install-links --no-package-lock --omit=dev) \
  >"$WORK/src/node-vendored.log" 2>&1 || show "$WORK/src/node-vendored.log"
if expect_stages nodejs "$node_vendored" node-vendored; then
  expect "finalize uses the app's node_modules/" \
    contains "$WORK/node-vendored/staging.out" "Using the app's node_modules/ as it is"
  expect "with no native addon to rebuild and its programs linked, npm does not run" \
    contains "$WORK/node-vendored/staging.out" "nothing to rebuild"
  if contains "$WORK/node-vendored/staging.out" "Installing dependencies"; then
    not_ok "a vendored node_modules/ is not installed again"
  else
    ok "a vendored node_modules/ is not installed again"
  fi
  droplet node-vendored
  out=$(launch node-vendored 0 'greeting vendored' 2>&1) || true
  expect_eq "the vendored package's program runs" "$out" "Hello from a Cupola Node.js app, vendored!"
fi
rm -rf "$node_vendored/node_modules/.bin" # as an upload that drops symbolic links
if expect_stages nodejs "$node_vendored" node-unlinked; then
  expect "programs without their links make finalize run npm rebuild --ignore-scripts --offline" \
    contains "$WORK/node-unlinked/staging.out" "npm rebuild --ignore-scripts --offline"
  droplet node-unlinked
  out=$(launch node-unlinked 0 'greeting relinked' 2>&1) || true
  expect_eq "the relinked program runs" "$out" "Hello from a Cupola Node.js app, relinked!"
fi
# A package whose addon is not a shared object (as one built for another system would not
# load); its install script stands for node-gyp and leaves a mark.
addon="$node_vendored/node_modules/cupola-addon"
mkdir -p "$addon/build/Release"
echo 'not a shared object' >"$addon/build/Release/addon.node"
cat >"$addon/package.json" <<'JSON'
{"name": "cupola-addon", "version": "1.0.0", "scripts": {"install": "node rebuild.js"}}
JSON
cat >"$addon/rebuild.js" <<'JS'
const fs = require("fs");
fs.rmSync("build/Release/addon.node");
fs.writeFileSync("rebuilt", "by npm rebuild\n");
JS
if expect_stages nodejs "$node_vendored" node-addon; then
  expect "an addon that does not load makes finalize run npm rebuild --offline" \
    contains "$WORK/node-addon/staging.out" "npm rebuild --offline"
  expect "npm rebuild ran the package's install script" \
    test -f "$WORK/node-addon/app/node_modules/cupola-addon/rebuilt"
fi

echo "# nodejs: npm's cache in CACHE_DIR makes a restage faster"
# A stand-in for the npm registry, on 127.0.0.1: it serves one package's metadata and tarball
# with registry.npmjs.org's cache headers, answers each request after `latency` seconds, the
# round trip to a registry across the network, and logs every request. The first staging
# fetches from it into CACHE_DIR; the restage, with the same CACHE_DIR, must not ask it again.
latency=0.5
registry="$WORK/registry"
mkdir -p "$registry/cupola-greeting"
cp "$APPS/node/vendor/greeting/index.js" "$registry/cupola-greeting/"
echo '{"name": "cupola-greeting", "version": "1.0.0", "main": "index.js", "license": "MIT"}' \
  >"$registry/cupola-greeting/package.json"
tarball=$(cd "$registry" && timeout 60 npm pack --silent ./cupola-greeting 2>/dev/null | tail -n 1) ||
  true
cat >"$registry/serve.py" <<'PY'
import base64, hashlib, json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

tarball, latency, log = sys.argv[1], float(sys.argv[2]), open(sys.argv[3], "a")
data = open(tarball, "rb").read()
integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry(BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.path + "\n")
        log.flush()
        time.sleep(latency)
        url = f"http://127.0.0.1:{self.server.server_address[1]}/cupola-greeting/-/cupola-greeting-1.0.0.tgz"
        if self.path == "/cupola-greeting":
            version = {"name": "cupola-greeting", "version": "1.0.0", "main": "index.js",
                       "dist": {"tarball": url, "integrity": integrity}}
            body = json.dumps({"name": "cupola-greeting", "dist-tags": {"latest": "1.0.0"},
                               "versions": {"1.0.0": version}}).encode()
            kind, cache = "application/json", "public, max-age=300"
        elif self.path == "/cupola-greeting/-/cupola-greeting-1.0.0.tgz":
            body, kind, cache = data, "application/octet-stream", "public, immutable, max-age=31557600"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", cache)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
: >"$registry/requests.log"
setsid python3 "$registry/serve.py" "$registry/$tarball" "$latency" "$registry/requests.log" \
  >"$registry/port" 2>"$registry/serve.err" &
registry_pid=$!
running+=("$registry_pid")
registry_port=""
for ((i = 0; i < 50; i++)); do
  registry_port=$(head -n 1 "$registry/port" 2>/dev/null) || true
  [ -z "$registry_port" ] || break
  kill -0 "$registry_pid" 2>/dev/null || break
  sleep 0.1
done
requests() { wc -l <"$registry/requests.log" | tr -d ' '; }
# staged_in NAME APP CACHE_DIR: stages APP as NAME against the stand-in registry; sets TOOK to
# the staging's duration in milliseconds.
staged_in() {
  local t0 t1
  t0=$(date +%s%N)
  npm_config_registry="http://127.0.0.1:$registry_port/" expect_stages nodejs "$2" "$1" "$3" ||
    return 1
  t1=$(date +%s%N)
  TOOK=$(((t1 - t0) / 1000000))
}
seconds() { printf '%d.%03d s' $(($1 / 1000)) $(($1 % 1000)); }
primed=""
if [ -z "$tarball" ] || [ -z "$registry_port" ]; then
  not_ok "the stand-in npm registry starts"
  show "$registry/serve.err"
else
  ok "the stand-in npm registry starts on port $registry_port (answers after $latency s)"
  registry_app="$WORK/src/node-registry"
  cp -a "$APPS/node" "$registry_app"
  rm -rf "$registry_app/vendor" "$registry_app/package-lock.json"
  sed -i 's|"greeting": "file:vendor/greeting"|"cupola-greeting": "^1.0.0"|' \
    "$registry_app/package.json"
  sed -i 's|require("greeting")|require("cupola-greeting")|' "$registry_app/server.js"
  npm_cache="$WORK/node-npm-cache"
  if staged_in node-cold "$registry_app" "$npm_cache"; then
    primed=1
    cold=$TOOK
    cold_requests=$(requests)
    expect "the first staging fetches the package from the registry" test "$cold_requests" -ge 1
    expect "npm keeps what it fetched in CACHE_DIR/nodejs/npm" \
      test -d "$npm_cache/nodejs/npm/_cacache"
    if staged_in node-warm "$registry_app" "$npm_cache"; then
      warm=$TOOK
      echo "# staging with npm install from the registry: cold npm cache $(seconds "$cold")," \
        "warm npm cache $(seconds "$warm")"
      expect "the restage says npm's cache holds earlier downloads" \
        contains "$WORK/node-warm/staging.out" "npm's cache holds what earlier stagings downloaded"
      expect_eq "the restage asks the registry nothing: npm's cache in CACHE_DIR has it all" \
        "$(($(requests) - cold_requests))" 0
      expect "the restage with the warm cache is not slower ($(seconds "$warm") <= $(seconds "$cold"))" \
        test "$warm" -le "$cold"
      droplet node-warm
      out=$(launch node-warm 0 'node -e "console.log(require(\"cupola-greeting\")(\"cache\"))"' \
        2>&1) || true
      expect_eq "the package from the cache works in the droplet" "$out" \
        "Hello from a Cupola Node.js app, cache!"
    fi
  fi
fi
expect_stops "the stand-in npm registry" "$registry_pid"
if [ -n "$primed" ]; then
  if npm_config_offline=true staged_in node-offline "$registry_app" "$npm_cache"; then
    echo "# staging with npm install --offline, the registry gone: $(seconds "$TOOK")"
    expect "offline, with the registry gone, npm install takes the package from CACHE_DIR" \
      test -f "$WORK/node-offline/app/node_modules/cupola-greeting/index.js"
  fi
fi

echo "# nodejs: the failing sample (a dependency npm cannot resolve offline)"
failing="$WORK/failing"
mkdir -p "$failing/deps" "$failing/profile.d" "$failing/cache"
cp -a "$APPS/failing" "$failing/app"
if timeout 300 "$BUILDPACKS/nodejs/bin/supply" "$failing/app" "$failing/cache" "$failing/deps" 0 \
  >"$failing/supply.out" 2>&1; then
  ok "supply accepts the failing sample"
else
  not_ok "supply accepts the failing sample"
  show "$failing/supply.out"
fi
rc=0
timeout 300 "$BUILDPACKS/nodejs/bin/finalize" "$failing/app" "$failing/cache" "$failing/deps" 0 \
  "$failing/profile.d" >"$failing/finalize.out" 2>"$failing/finalize.err" || rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; then
  not_ok "finalize fails on the failing sample (exit status $rc)"
else
  ok "finalize fails on the failing sample (exit status $rc)"
  expect "its stderr says npm install failed, and why (ENOTCACHED)" \
    grep -q "\*\*ERROR\*\* npm install could not install the app's dependencies: code ENOTCACHED" \
    "$failing/finalize.err"
  expect "its stderr names the dependency npm could not resolve" \
    contains "$failing/finalize.err" "cupola-unpublished-dependency"
  expect "its stdout shows npm's output" contains "$failing/finalize.out" "ENOTCACHED"
fi

echo "# ruby: the ruby sample (no gems beyond the stack's, bundle install), a Procfile"
ruby_plain="$WORK/src/ruby-plain"
mkdir -p "$ruby_plain"
cp -R "$APPS/ruby/." "$ruby_plain/"
if expect_stages ruby "$ruby_plain" ruby-plain; then
  expect "without a vendor/cache, finalize runs bundle install" \
    contains "$WORK/ruby-plain/staging.out" "fetching gems from the Gemfile's sources (bundle install)"
  expect_release ruby ruby-plain $'---\ndefault_process_types:\n  web: ruby app.rb'
  droplet ruby-plain
  if start ruby-plain "ruby app.rb"; then
    body=$(http "http://127.0.0.1:$PORT_OF/") || true
    expect_eq "the Procfile's WEBrick app answers GET /" "$body" "Hello from plain WEBrick"
    expect_stops ruby-plain "$PID_OF"
  fi
fi
printf 'source "http://127.0.0.1:9"\ngem "rack"\n' >"$ruby_plain/Gemfile"
if stage ruby "$ruby_plain" ruby-unreachable; then
  not_ok "a gem from a source staging cannot reach fails staging"
else
  expect "a gem from a source staging cannot reach fails staging, saying why" \
    grep -q "\*\*ERROR\*\* bundle install could not install the Gemfile's gems: .*127.0.0.1:9" \
    "$WORK/ruby-unreachable/staging.err"
fi
mkdir -p "$WORK/src/ruby-no-web/app"
echo 'source "https://rubygems.org"' >"$WORK/src/ruby-no-web/app/Gemfile"
WORK="$WORK/src" expect_release ruby ruby-no-web $'---\ndefault_process_types: {}'

echo "# ruby: the ruby-rack sample, its gems vendored in vendor/cache, staged offline"
# The gems are built from Debian's ruby-rack and ruby-webrick into a copy of the sample; the
# stack has no rack, so the app runs only if the vendored gems are installed and used.
rack_app="$WORK/src/ruby-rack"
cp -a "$APPS/ruby-rack" "$rack_app"
if "$ROOT/test/buildpacks/vendor_gems.sh" "$rack_app" >"$WORK/src/vendor-gems.log" 2>&1; then
  ok "vendor_gems.sh builds rack and webrick gems into a copy of the ruby-rack sample"
else
  not_ok "vendor_gems.sh builds rack and webrick gems into a copy of the ruby-rack sample"
  show "$WORK/src/vendor-gems.log"
fi
rack_gems=("$rack_app"/vendor/cache/rack-*.gem)
rack_version=$(basename "${rack_gems[0]}" .gem)
rack_version=${rack_version#rack-}
webrick_gems=("$rack_app"/vendor/cache/webrick-*.gem)
expect "vendor/cache holds rack-$rack_version.gem and $(basename "${webrick_gems[0]}")" \
  test -f "${rack_gems[0]}" -a -f "${webrick_gems[0]}"
expect "vendor_gems.sh writes a Gemfile.lock locking rack $rack_version" \
  grep -qxF "    rack ($rack_version)" "$rack_app/Gemfile.lock"
expect "the sample in the source tree has no vendor/ and no Gemfile.lock" \
  test ! -e "$APPS/ruby-rack/vendor" -a ! -e "$APPS/ruby-rack/Gemfile.lock"
if expect_stages ruby "$rack_app" ruby-rack; then
  expect "with a vendor/cache, finalize runs bundle install --local" \
    contains "$WORK/ruby-rack/staging.out" "Installing offline from vendor/cache (bundle install --local)"
  expect "the vendored rack is installed into vendor/bundle" \
    contains "$WORK/ruby-rack/staging.out" "Installing rack $rack_version"
  expect_release ruby ruby-rack $'---\ndefault_process_types:\n  web: bundle exec rackup -p $PORT -o 0.0.0.0'
  droplet ruby-rack
  out=$(launch ruby-rack 0 'bundle exec ruby -e "print Gem.loaded_specs.fetch(%q(rack)).full_gem_path"' \
    2>&1) || true
  expect_eq "under bundle exec, rack is the gem installed in the droplet's vendor/bundle" \
    "${out%/ruby/*}" "$WORK/ruby-rack-droplet/app/vendor/bundle"
  # shellcheck disable=SC2016 # expanded by the launched shell.
  if start ruby-rack 'bundle exec rackup -p $PORT -o 0.0.0.0'; then
    expect_status 200 "http://127.0.0.1:$PORT_OF/"
    body=$(http "http://127.0.0.1:$PORT_OF/") || true
    expect_eq "the Rack app answers GET / with the vendored rack's version" \
      "$body" "Hello from Rack $rack_version"
    expect "rackup serves with the vendored webrick" contains "$WORK/ruby-rack-droplet/app.log" WEBrick
    expect_stops ruby-rack "$PID_OF"
  fi
fi

echo "# go: the go sample (a module vendored in vendor/), built with the stack's Go"
gocache="$WORK/go-cache"
# go_staged NAME APP: stages APP with the go buildpack as NAME with the Go cache above; sets
# TOOK to the staging's duration in milliseconds.
go_staged() {
  local t0
  t0=$(date +%s%N)
  expect_stages go "$2" "$1" "$gocache" || return 1
  TOOK=$((($(date +%s%N) - t0) / 1000000))
}
go_version=$(go env GOVERSION 2>/dev/null) || go_version="(go is not installed)"
if go_staged go "$APPS/go"; then
  go_cold=$TOOK
  expect "finalize builds with -mod=vendor" \
    contains "$WORK/go/staging.out" "Using the modules vendored in vendor/ (-mod=vendor)"
  expect "finalize builds bin/hello" test -x "$WORK/go/app/bin/hello"
  expect "Go's build cache is in CACHE_DIR/go/build" test -d "$gocache/go/build"
  expect_release go go $'---\ndefault_process_types:\n  web: ./bin/hello'
  expect "finalize puts the profile script in PROFILE_DIR" test -f "$WORK/go/profile.d/0_go.sh"
  droplet go
  out=$(launch go 0 'command -v hello' 2>&1) || true
  expect_eq "the app's bin/ is on PATH in the moved droplet" "$out" "$WORK/go-droplet/app/bin/hello"
  if start go "./bin/hello"; then
    expect_status 200 "http://127.0.0.1:$PORT_OF/"
    body=$(http "http://127.0.0.1:$PORT_OF/") || true
    expect_eq "the app answers GET / through its vendored module, built by the stack's Go" \
      "$body" "Hello from a Cupola Go app, Cupola! ($go_version)"
    expect_stops go "$PID_OF"
  fi
  if go_staged go-again "$APPS/go"; then
    echo "# staging the go sample: first $(seconds "$go_cold"), restage with the same CACHE_DIR" \
      "$(seconds "$TOOK")"
    expect "the restage reuses Go's build cache" \
      contains "$WORK/go-again/staging.out" "Reusing Go's build cache from earlier stagings"
    expect "the restage is not slower ($(seconds "$TOOK") <= $(seconds "$go_cold"))" \
      test "$TOOK" -le "$go_cold"
    expect "the restage builds bin/hello" test -x "$WORK/go-again/app/bin/hello"
  fi
fi

echo "# go: required modules with no vendor/ fail; GO_INSTALL_PACKAGE_SPEC; a newer go line"
go_unvendored="$WORK/src/go-unvendored"
cp -a "$APPS/go" "$go_unvendored"
rm -rf "$go_unvendored/vendor"
if stage go "$go_unvendored" go-unvendored; then
  not_ok "an app requiring a module without vendor/ fails staging"
else
  expect "an app requiring a module without vendor/ fails staging, telling to run go mod vendor" \
    grep -q "\*\*ERROR\*\* go.mod requires modules (cupola.example/greeting) .*run 'go mod vendor'" \
    "$WORK/go-unvendored/staging.err"
fi
go_stale="$WORK/src/go-stale"
cp -a "$APPS/go" "$go_stale"
sed -i 's|cupola.example/greeting v1.0.0|cupola.example/greeting v1.1.0|' "$go_stale/go.mod"
if stage go "$go_stale" go-stale "$gocache"; then
  not_ok "a vendor/modules.txt that does not match go.mod fails staging"
else
  expect "a vendor/modules.txt that does not match go.mod fails staging, saying to vendor again" \
    grep -q "\*\*ERROR\*\* go build failed: .*run 'go mod vendor' again" "$WORK/go-stale/staging.err"
fi
go_cmd="$WORK/src/go-cmd"
mkdir -p "$go_cmd/cmd/server"
printf 'module cupola.example/tools/v2\n\ngo 1.99\n' >"$go_cmd/go.mod"
cat >"$go_cmd/cmd/server/main.go" <<'GO'
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "server") })
	if err := http.ListenAndServe(":"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
GO
if GO_INSTALL_PACKAGE_SPEC=./cmd/server expect_stages go "$go_cmd" go-cmd "$gocache"; then
  expect "a go line newer than the stack's Go gets a warning" \
    grep -q "\*\*WARNING\*\* go.mod asks for Go 1.99 but the stack has Go" "$WORK/go-cmd/staging.out"
  expect "a go.mod requiring no module builds as it is" \
    contains "$WORK/go-cmd/staging.out" "go.mod requires no module to download: building as it is"
  expect "GO_INSTALL_PACKAGE_SPEC=./cmd/server builds bin/server" test -x "$WORK/go-cmd/app/bin/server"
  GO_INSTALL_PACKAGE_SPEC=./cmd/server expect_release go go-cmd \
    $'---\ndefault_process_types:\n  web: ./bin/server'
  expect_release go go-cmd $'---\ndefault_process_types:\n  web: ./bin/tools'
  echo 'web: ./bin/server -v' >"$WORK/go-cmd/app/Procfile"
  expect_release go go-cmd $'---\ndefault_process_types:\n  web: ./bin/server -v'
fi

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
