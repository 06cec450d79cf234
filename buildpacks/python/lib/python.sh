# shellcheck shell=bash
# The python buildpack's own helpers. Sourced after buildpack.sh.

# python_web_command BUILD_DIR: the Procfile's web command, else `python3 app.py` when the
# app has an app.py, else nothing.
python_web_command() {
  local web
  web=$(bp_procfile_command "$1" web)
  if [ -n "$web" ]; then
    printf '%s\n' "$web"
  elif [ -f "$1/app.py" ]; then
    echo "python3 app.py"
  fi
}
