# shellcheck shell=bash
# The ruby buildpack's own helpers. Sourced after buildpack.sh.

# ruby_web_command BUILD_DIR: the Procfile's web command, else rackup through Bundler when the
# app has a config.ru, else nothing.
ruby_web_command() {
  local web
  web=$(bp_procfile_command "$1" web)
  if [ -n "$web" ]; then
    printf '%s\n' "$web"
  elif [ -f "$1/config.ru" ]; then
    # shellcheck disable=SC2016 # $PORT is the app's, expanded when the process starts.
    echo 'bundle exec rackup -p $PORT -o 0.0.0.0'
  fi
}

# ruby_tools: sets RUBY and BUNDLE to the stack's ruby and bundle, and RUBY_VERSION_TEXT and
# BUNDLER_VERSION_TEXT to their versions; fails when the stack lacks either.
# shellcheck disable=SC2034 # the versions are read by the bin/ scripts.
ruby_tools() {
  RUBY=$(command -v ruby) ||
    bp_fail "this stack has no ruby (Debian's ruby package); the ruby buildpack runs apps on the stack's Ruby and downloads none"
  BUNDLE=$(command -v bundle) ||
    bp_fail "this stack has no bundle (Debian's bundler package); the ruby buildpack installs gems with the stack's Bundler"
  RUBY_VERSION_TEXT=$("$RUBY" -e 'print RUBY_VERSION') || bp_fail "$RUBY cannot run"
  BUNDLER_VERSION_TEXT=$("$BUNDLE" --version 2>/dev/null | sed -n 's/^Bundler version //p')
}

# ruby_bundler_errors LOG: the end of Bundler's output in LOG, where it says why it failed,
# on one line.
ruby_bundler_errors() {
  grep -v -e '^[[:space:]]*$' -e '^Retrying ' "$1" | tail -n 3 | paste -s -d ' ' -
}
