# shellcheck shell=bash
# The go buildpack's own helpers. Sourced after buildpack.sh.

# go_tools: sets GO to the stack's go and GO_VERSION to its version (1.19.8); fails when the
# stack has no Go toolchain.
# shellcheck disable=SC2034 # GO_VERSION is read by the bin/ scripts.
go_tools() {
  local out
  GO=$(command -v go) ||
    bp_fail "this stack has no go (Debian's golang-go package); the go buildpack builds apps with the stack's Go toolchain and downloads none"
  out=$(GOTOOLCHAIN=local "$GO" version 2>&1) || bp_fail "$GO cannot run: $out"
  # go version go1.19.8 linux/amd64
  GO_VERSION=$(sed -n 's/^go version go\([0-9][^ ]*\) .*/\1/p' <<<"$out")
  [ -n "$GO_VERSION" ] || bp_fail "cannot tell the version of the stack's Go from '$out'"
}

# go_mod_directive BUILD_DIR WORD: the argument of go.mod's first WORD line (module, go,
# toolchain), without quotes or comment, or nothing.
go_mod_directive() {
  local line value
  [ -f "$1/go.mod" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line%%//*}
    if [[ $line =~ ^[[:space:]]*$2[[:space:]]+([^[:space:]]+)[[:space:]]*$ ]]; then
      value=${BASH_REMATCH[1]}
      value=${value#[\"\`]}
      value=${value%[\"\`]}
      printf '%s\n' "$value"
      return 0
    fi
  done <"$1/go.mod"
}

go_module_path() { go_mod_directive "$1" module; }

# go_program_name IMPORT_PATH: the name `go build` gives the program of a main package: the
# path's last element, or the one before it when that is a major version suffix (/v2).
go_program_name() {
  local path=${1%/}
  if [[ ${path##*/} =~ ^v([2-9]|[1-9][0-9]+)$ ]] && [[ $path == */* ]]; then
    path=${path%/*}
  fi
  printf '%s\n' "${path##*/}"
}

# go_package_program MODULE PACKAGE: the program name of PACKAGE (., ./cmd/web or an import
# path) in MODULE; nothing for a pattern (./cmd/...), which names no single program.
go_package_program() {
  local module=$1 package=${2%/}
  case "$package" in
    *...*) return 0 ;;
    . | '') go_program_name "$module" ;;
    ./*) go_program_name "$module/${package#./}" ;;
    *) go_program_name "$package" ;;
  esac
}

# go_packages: sets GO_PACKAGES to the packages to build: GO_INSTALL_PACKAGE_SPEC's, as Cloud
# Foundry's go buildpack reads it (separated by spaces), else the module's root.
go_packages() {
  read -r -a GO_PACKAGES <<<"${GO_INSTALL_PACKAGE_SPEC:-}"
  [ "${#GO_PACKAGES[@]}" -gt 0 ] || GO_PACKAGES=(.)
}

# go_web_command BUILD_DIR: the Procfile's web command, else ./bin/ and the program of the
# first package built, else nothing.
go_web_command() {
  local web module name
  web=$(bp_procfile_command "$1" web)
  if [ -n "$web" ]; then
    printf '%s\n' "$web"
    return 0
  fi
  module=$(go_module_path "$1")
  [ -n "$module" ] || return 0
  go_packages
  name=$(go_package_program "$module" "${GO_PACKAGES[0]}")
  [ -z "$name" ] || printf './bin/%s\n' "$name"
}

# go_version_newer A B: version A (1.21, 1.21.3, 1.21rc1) is newer than B.
go_version_newer() {
  local -a a b
  local i x y
  IFS=. read -r -a a <<<"${1%%[!0-9.]*}"
  IFS=. read -r -a b <<<"${2%%[!0-9.]*}"
  for ((i = 0; i < 3; i++)); do
    x=${a[i]:-0} y=${b[i]:-0}
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  return 1
}

# go_check_go_directive BUILD_DIR: warns when go.mod's go (or toolchain) line asks for a Go
# newer than the stack's, which is the only one used.
go_check_go_directive() {
  local want toolchain
  want=$(go_mod_directive "$1" go)
  if [ -z "$want" ]; then
    bp_info "go.mod has no go directive: building as Go $GO_VERSION"
  elif go_version_newer "$want" "$GO_VERSION"; then
    bp_warn "go.mod asks for Go $want but the stack has Go $GO_VERSION, the only one this buildpack uses (none is downloaded): the build fails if the app needs what is newer"
  else
    bp_info "go.mod's go directive ($want) is satisfied by the stack's Go $GO_VERSION"
  fi
  toolchain=$(go_mod_directive "$1" toolchain)
  if [ -n "$toolchain" ] && go_version_newer "${toolchain#go}" "$GO_VERSION"; then
    bp_warn "go.mod names the toolchain $toolchain; the stack's Go $GO_VERSION is used instead"
  fi
}

# go_remote_requires BUILD_DIR: the modules go.mod requires, one a line, but for those a
# replace directive points at a folder (replace x => ./x), which need no download.
go_remote_requires() {
  awk '
    function unquote(s) { gsub(/["`]/, "", s); return s }
    function replaced(line,    parts, from, to) {
      if (split(line, parts, "=>") < 2) return
      split(parts[1], from, " ")
      split(parts[2], to, " ")
      if (to[1] ~ /^(\.\/|\.\.\/|\/|\.$|\.\.$)/) local_dir[unquote(from[1])] = 1
    }
    { sub(/\r$/, ""); sub(/\/\/.*/, "") }
    NF == 0 { next }
    block != "" && $1 == ")" { block = ""; next }
    block == "require" { required[unquote($1)] = 1; next }
    block == "replace" { replaced($0); next }
    ($1 == "require" || $1 == "replace") && $2 == "(" { block = $1; next }
    $1 == "require(" || $1 == "replace(" { block = substr($1, 1, 7); next }
    $1 == "require" { required[unquote($2)] = 1; next }
    $1 == "replace" { sub(/^[[:space:]]*replace[[:space:]]+/, ""); replaced($0); next }
    END { for (m in required) if (!(m in local_dir)) print m }
  ' "$1/go.mod" | sort
}

# go_build_errors LOG: what go build said in LOG, on one line: its first error lines (not the
# indented details, nor the "# package" headings), else its last lines.
go_build_errors() {
  local errors
  errors=$(grep -v -e '^[[:space:]]' -e '^#' -e '^$' "$1" | head -n 3 | paste -s -d ' ' -)
  errors=${errors%:}
  [ -n "$errors" ] || errors=$(grep -v '^[[:space:]]*$' "$1" | tail -n 3 | paste -s -d ' ' -)
  printf '%s\n' "$errors"
}

# go_build_hint LOG: advice for a failed go build, from what go said in LOG.
go_build_hint() {
  if grep -q -e 'inconsistent vendoring' -e 'vendor/modules.txt' "$1"; then
    echo "; vendor/modules.txt does not match go.mod: run 'go mod vendor' again before pushing"
  elif grep -q -e 'GOPROXY=off' -e 'cannot find module providing package' \
    -e 'no required module provides package' -e 'missing go.sum entry' "$1"; then
    echo "; modules are never downloaded at staging: run 'go mod vendor' before pushing"
  elif grep -q -e '^no Go files in' "$1" && [ -z "${GO_INSTALL_PACKAGE_SPEC:-}" ]; then
    echo "; the module's root has no main package: set GO_INSTALL_PACKAGE_SPEC to the main package's folder (./cmd/web)"
  elif grep -q -e 'invalid go version' -e 'unknown directive: toolchain' "$1"; then
    echo "; go.mod is written for a newer Go than the stack's $GO_VERSION (a go line with a patch version or a toolchain line): write 'go 1.N' for N up to the stack's and no toolchain line"
  elif grep -q -e 'requires go' -e 'module requires Go' "$1"; then
    echo "; the module needs a newer Go than the stack's $GO_VERSION"
  fi
}
