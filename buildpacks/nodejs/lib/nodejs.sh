# shellcheck shell=bash
# The nodejs buildpack's own helpers. Sourced after buildpack.sh.

# nodejs_web_command BUILD_DIR: the Procfile's web command, else `npm start`.
nodejs_web_command() {
  local web
  web=$(bp_procfile_command "$1" web)
  if [ -n "$web" ]; then
    printf '%s\n' "$web"
  else
    echo "npm start"
  fi
}

# nodejs_tools: sets NODE and NPM to the stack's node and npm, and NODE_VERSION and
# NPM_VERSION to their versions; fails when the stack lacks either.
# shellcheck disable=SC2034 # the versions are read by the bin/ scripts.
nodejs_tools() {
  NODE=$(command -v node || command -v nodejs) ||
    bp_fail "this stack has no node (Debian's nodejs package); the nodejs buildpack runs apps on the stack's Node.js and downloads none"
  NPM=$(command -v npm) ||
    bp_fail "this stack has no npm (Debian's npm package); the nodejs buildpack installs packages with the stack's npm"
  NODE_VERSION=$("$NODE" --version) || bp_fail "$NODE --version failed"
  NPM_VERSION=$(npm_config_update_notifier=false "$NPM" --version) || bp_fail "$NPM --version failed"
}

# nodejs_npm_environment BUILD_DIR CACHE_DIR: npm's settings for staging, in the environment:
# its cache in CACHE_DIR/nodejs/npm (kept between stagings), no audit, funding or update
# notices (each would ask the registry), no progress bar. `file:` folders are linked into
# node_modules, as every npm but 9.0 to 9.4.1 (Debian 12's is 9.2) does by default and as the
# lockfiles of the others record, unless the app's .npmrc or the environment says otherwise.
nodejs_npm_environment() {
  mkdir -p "$2/nodejs/npm" || bp_fail "cannot create npm's cache in $2/nodejs/npm"
  npm_config_cache=$(cd "$2/nodejs/npm" && pwd) || bp_fail "cannot enter $2/nodejs/npm"
  export npm_config_cache
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  export npm_config_progress=false
  if [ -z "${npm_config_install_links:-}${NPM_CONFIG_INSTALL_LINKS:-}" ] &&
    ! grep -qsE '^[[:space:]]*install-links[[:space:]]*=' "$1/.npmrc"; then
    export npm_config_install_links=false
  fi
  export NODE_ENV="${NODE_ENV:-production}"
}

# nodejs_package_field BUILD_DIR KEY[.KEY...]: the string at that key of package.json, or nothing.
nodejs_package_field() {
  "$NODE" -e '
    let value = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const key of process.argv[2].split(".")) {
      value = value !== null && typeof value === "object" ? value[key] : undefined;
    }
    if (typeof value === "string") process.stdout.write(value);
  ' "$1/package.json" "$2"
}

# nodejs_check_package_json BUILD_DIR: fails, saying why, unless package.json is a JSON object.
nodejs_check_package_json() {
  local why
  why=$("$NODE" -e '
    try {
      const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      if (p === null || typeof p !== "object" || Array.isArray(p)) console.log("it is not a JSON object");
    } catch (e) {
      console.log(String(e.message).split("\n")[0]);
    }
  ' "$1/package.json") || bp_fail "cannot read $1/package.json"
  [ -z "$why" ] || bp_fail "package.json is not valid: $why"
}

# nodejs_check_engines BUILD_DIR: warns when package.json's engines.node asks for versions the
# stack's node is not (the buildpack installs no other), with npm's semver module.
nodejs_check_engines() {
  local range verdict
  range=$(nodejs_package_field "$1" engines.node) || return 0
  [ -n "$range" ] || return 0
  verdict=$("$NODE" -e '
    const path = require("path");
    const [range, npmCli] = process.argv.slice(1);
    let semver;
    try {
      semver = require(require.resolve("semver", { paths: [path.dirname(npmCli)] }));
    } catch {
      try { semver = require("semver"); } catch { console.log("unknown"); process.exit(0); }
    }
    if (!semver.validRange(range)) console.log("invalid");
    else console.log(semver.satisfies(process.version, range) ? "yes" : "no");
  ' "$range" "$(readlink -f "$NPM")") || verdict=unknown
  case "$verdict" in
    yes) bp_info "package.json's engines.node ($range) accepts Node.js $NODE_VERSION" ;;
    no) bp_warn "package.json's engines.node asks for '$range' but this stack has Node.js $NODE_VERSION, and the buildpack installs no other: the app may not run" ;;
    invalid) bp_warn "package.json's engines.node '$range' is not a version range; ignoring it" ;;
    *) bp_info "Cannot check package.json's engines.node ($range): npm's semver module was not found" ;;
  esac
}

# nodejs_unbuilt_addons BUILD_DIR: a line for each native addon in BUILD_DIR/node_modules that
# the stack's node cannot use: a .node file that does not load (built for another Node.js or
# system), or a package with a binding.gyp and no .node file (never built).
nodejs_unbuilt_addons() {
  [ -d "$1/node_modules" ] || return 0
  (
    cd "$1" || exit 1
    local gyp dir
    while IFS= read -r -d '' gyp; do
      dir=$(dirname "$gyp")
      [ -f "$dir/package.json" ] || continue
      if [ -z "$(find "$dir" -name '*.node' -type f -print -quit)" ]; then
        printf '%s: a binding.gyp and no built addon\n' "$dir"
      fi
    done < <(find node_modules -name binding.gyp -type f -print0)
    find node_modules -name '*.node' -type f -print0 | xargs -0 -r "$NODE" -e '
      for (const file of process.argv.slice(1)) {
        try {
          process.dlopen({ exports: {} }, require("path").resolve(file));
        } catch (e) {
          console.log(file + ": " + String(e.message).split("\n")[0]);
        }
      }'
  )
}

# nodejs_unlinked_programs BUILD_DIR: the programs (package.json "bin") of the packages in
# BUILD_DIR/node_modules that have no link in node_modules/.bin, one a line; uploads that drop
# symbolic links lose them.
nodejs_unlinked_programs() {
  [ -d "$1/node_modules" ] || return 0
  (cd "$1" && "$NODE" -e '
    const fs = require("fs");
    const path = require("path");
    const dirs = [];
    for (const entry of fs.readdirSync("node_modules")) {
      if (entry.startsWith(".")) continue;
      const dir = path.join("node_modules", entry);
      if (entry.startsWith("@")) {
        try {
          for (const name of fs.readdirSync(dir)) dirs.push(path.join(dir, name));
        } catch {}
      } else {
        dirs.push(dir);
      }
    }
    for (const dir of dirs) {
      let pkg;
      try {
        pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      let bin = pkg.bin;
      if (typeof bin === "string") bin = { [String(pkg.name || "").split("/").pop()]: bin };
      if (bin === null || typeof bin !== "object") continue;
      for (const name of Object.keys(bin)) {
        const link = path.join("node_modules", ".bin", path.basename(name));
        if (!fs.existsSync(link)) console.log(path.basename(name) + " (" + dir + ")");
      }
    }
  ')
}

# nodejs_npm_errors LOG: npm's error lines in LOG, without their prefix and without the line
# naming npm's debug log, joined with " / ".
nodejs_npm_errors() {
  sed -n -E 's/^npm (ERR!|error) ?//p' "$1" |
    grep -v -e '^[[:space:]]*$' -e 'A complete log of this run' -e '^Log files were not written' |
    head -n 6 | paste -s -d '\t' - | sed 's/\t/ \/ /g'
}
