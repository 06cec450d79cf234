# shellcheck shell=bash
# Helpers shared by the bin/ scripts of every Cupola buildpack; each buildpack carries its
# own copy (a buildpack is uploaded on its own), and the copies are identical.
# Sourced by a script that runs under `set -euo pipefail` and sets BP_DIR.

bp_step() { echo "-----> $*"; }
bp_info() { echo "       $*"; }
bp_warn() { echo "       **WARNING** $*"; }

# Stops the phase: the reason goes to stderr, the exit status is non-zero.
bp_fail() {
  echo "       **ERROR** $*" >&2
  exit 1
}

bp_version() { tr -d '[:space:]' <"$BP_DIR/VERSION"; }

bp_language() { sed -n 's/^language:[[:space:]]*//p' "$BP_DIR/manifest.yml" | head -n 1; }

# bp_require_args PHASE COUNT "$@": the phase's arguments are all there and non-empty.
bp_require_args() {
  local phase=$1 count=$2 usage
  shift 2
  case "$phase" in
    detect | release) usage="BUILD_DIR" ;;
    supply) usage="BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX" ;;
    finalize) usage="BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX PROFILE_DIR" ;;
    *) usage="?" ;;
  esac
  if [ "$#" -lt "$count" ]; then
    bp_fail "usage: bin/$phase $usage"
  fi
  local arg
  for arg in "${@:1:$count}"; do
    [ -n "$arg" ] || bp_fail "usage: bin/$phase $usage (an argument is empty)"
  done
  [ -d "$1" ] || bp_fail "the build directory $1 does not exist"
}

# bp_prepare_dirs CACHE_DIR DEPS_DIR DEPS_IDX: the cache and this buildpack's deps directory.
bp_prepare_dirs() {
  case "$3" in
    *[!0-9]* | '') bp_fail "DEPS_IDX must be a number, got '$3'" ;;
  esac
  mkdir -p "$1" "$2/$3" || bp_fail "cannot create $1 or $2/$3"
}

# bp_write_config_yml DEPS_DIR DEPS_IDX: DEPS_DIR/DEPS_IDX/config.yml names this buildpack.
bp_write_config_yml() {
  printf -- '---\nname: %s\nversion: %s\nconfig: {}\n' "$(bp_language)" "$(bp_version)" \
    >"$1/$2/config.yml"
}

# bp_yaml_scalar TEXT: TEXT as a YAML scalar, plain when it can be, else single-quoted.
bp_yaml_scalar() {
  local s=$1 quote=""
  case "${s:0:1}" in
    '' | [[:space:]] | - | '?' | : | , | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!') quote=1 ;;
    '|' | '>' | "'" | '"' | % | @ | '`') quote=1 ;;
  esac
  case "$s" in
    *': '* | *' #'* | *: | *[[:space:]]) quote=1 ;;
  esac
  if [ -n "$quote" ]; then
    printf "'%s'" "${s//\'/\'\'}"
  else
    printf '%s' "$s"
  fi
}

# bp_release_yaml [COMMAND]: bin/release's answer, with a web process when COMMAND is given.
bp_release_yaml() {
  if [ -n "${1:-}" ]; then
    printf -- '---\ndefault_process_types:\n  web: %s\n' "$(bp_yaml_scalar "$1")"
  else
    printf -- '---\ndefault_process_types: {}\n'
  fi
}

# bp_procfile_command BUILD_DIR TYPE: the command of TYPE in the app's Procfile, or nothing.
bp_procfile_command() {
  local procfile=$1/Procfile line
  [ -f "$procfile" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    if [[ $line =~ ^[[:space:]]*$2[[:space:]]*:[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
      printf '%s\n' "${BASH_REMATCH[1]}"
      return 0
    fi
  done <"$procfile"
}

# bp_link_launch_environment DEPS_DIR PROFILE_DIR: what the final buildpack does for every
# buildpack of a multi-buildpack staging, as Cloud Foundry's libbuildpack does. Writes
# PROFILE_DIR/000_multi-supply.sh putting each DEPS_DIR/<idx>/bin on PATH and lib on
# LD_LIBRARY_PATH and LIBRARY_PATH (in terms of $DEPS_DIR, which is only known at run time),
# and copies each DEPS_DIR/<idx>/profile.d/<name> to PROFILE_DIR/<idx>_<name>.
bp_link_launch_environment() {
  local deps=$1 profile=$2 dir idx script bins="" libs=""
  mkdir -p "$profile" || bp_fail "cannot create the profile directory $profile"
  for dir in "$deps"/*/; do
    idx=$(basename "$dir")
    case "$idx" in *[!0-9]*) continue ;; esac
    [ -d "$dir/bin" ] && bins="\$DEPS_DIR/$idx/bin${bins:+:$bins}"
    [ -d "$dir/lib" ] && libs="\$DEPS_DIR/$idx/lib${libs:+:$libs}"
    [ -d "$dir/profile.d" ] || continue
    for script in "$dir"/profile.d/*; do
      [ -f "$script" ] || continue
      cp "$script" "$profile/${idx}_$(basename "$script")" ||
        bp_fail "cannot copy $script into $profile"
    done
  done
  if [ -n "$bins$libs" ]; then
    # shellcheck disable=SC2016 # expanded by the app's shell at run time.
    {
      [ -z "$bins" ] || printf 'export PATH=%s${PATH:+:$PATH}\n' "$bins"
      [ -z "$libs" ] || printf 'export LD_LIBRARY_PATH=%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n' "$libs"
      [ -z "$libs" ] || printf 'export LIBRARY_PATH=%s${LIBRARY_PATH:+:$LIBRARY_PATH}\n' "$libs"
    } >"$profile/000_multi-supply.sh"
  fi
}
