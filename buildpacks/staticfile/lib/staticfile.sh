# shellcheck shell=bash
# The staticfile buildpack's own helpers. Sourced after buildpack.sh.

# staticfile_nginx: the stack's nginx binary, printed; fails when the stack has none.
staticfile_nginx() {
  if [ -x /usr/sbin/nginx ]; then
    echo /usr/sbin/nginx
  elif command -v nginx >/dev/null 2>&1; then
    command -v nginx
  else
    bp_fail "this stack has no nginx (looked for /usr/sbin/nginx and nginx on PATH); the staticfile buildpack serves sites with the stack's nginx"
  fi
}

# staticfile_read_options FILE: fills the associative array STATICFILE (declared by the
# caller) from FILE's `key: value` lines. Quotes around a value and trailing comments go.
staticfile_read_options() {
  local line key value n=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#.*)?$ || $line == "---" ]] && continue
    if [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*:[[:space:]]*(.*)$ ]]; then
      key=${BASH_REMATCH[1]}
      value=${BASH_REMATCH[2]}
      [[ $value =~ ^(.*[^[:space:]])?[[:space:]]+#.*$ ]] && value=${BASH_REMATCH[1]}
      [[ $value =~ ^(.*[^[:space:]])[[:space:]]*$ ]] && value=${BASH_REMATCH[1]}
      [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]] && value=${BASH_REMATCH[1]}
      # shellcheck disable=SC2034 # declared and read by the caller.
      STATICFILE["$key"]=$value
    else
      bp_fail "Staticfile line $n is not a 'key: value' line: $line"
    fi
  done <"$1"
}

# staticfile_enabled VALUE: VALUE switches an option on.
staticfile_enabled() {
  case "${1,,}" in
    enabled | true | yes | on | visible) return 0 ;;
    *) return 1 ;;
  esac
}
