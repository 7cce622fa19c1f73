#!/usr/bin/env bash
# Installs a pinned Apache Airflow 3 in airflow/.venv and initialises a local
# AIRFLOW_HOME (SQLite metadata, no examples, DAGs from airflow/dags).
#
#   bash airflow/setup.sh [AIRFLOW_HOME]   idempotent; a second run takes well under a second
#   bash airflow/setup.sh --lock           re-resolve AIRFLOW_VERSION from PyPI, rewrite requirements.txt
#
# AIRFLOW_HOME: the argument, else $AIRFLOW_HOME, else airflow/home.
# Environment: PYTHON (default python3), TSPIPE_AIRFLOW_VENV (default airflow/.venv),
# TSPIPE_AIRFLOW_DAGS (default airflow/dags).
set -euo pipefail

AIRFLOW_VERSION=3.3.2

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${TSPIPE_AIRFLOW_VENV:-$here/.venv}
lock=$here/requirements.txt
python=${PYTHON:-python3}
relock=false
home_arg=
for arg in "$@"; do
  case $arg in
    --lock) relock=true ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
    *) home_arg=$arg ;;
  esac
done

log() { echo "airflow/setup.sh: $*" >&2; }

python_minor=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# The lock records the Python it was made with: wheels differ between versions.
lock_python=
[ -f "$lock" ] && lock_python=$(sed -n '1s/^# python \([0-9.]*\).*/\1/p' "$lock")
lock_sum() { if [ -f "$lock" ]; then cksum < "$lock"; fi; }

install_airflow() {
  local from stamp
  if ! $relock && [ -f "$lock" ] && [ "$lock_python" = "$python_minor" ]; then
    from=lock
  else
    from=pypi
  fi
  stamp="airflow $AIRFLOW_VERSION python $python_minor from $from $(lock_sum)"
  if ! $relock && [ -x "$venv/bin/airflow" ] && [ "$(cat "$venv/.tspipe-stamp" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  log "installing Apache Airflow $AIRFLOW_VERSION into $venv from $from (a minute or two)"
  local started=$SECONDS
  "$python" -m venv --clear "$venv"
  # -qq: this machine's pip config lists local mirrors that print a warning per package.
  if [ "$from" = lock ]; then
    "$venv/bin/pip" install -qq --disable-pip-version-check -r "$lock"
  else
    [ -f "$lock" ] && ! $relock && log "requirements.txt is for Python $lock_python, not $python_minor: resolving from PyPI"
    "$venv/bin/pip" install -qq --disable-pip-version-check "apache-airflow==$AIRFLOW_VERSION"
  fi
  if $relock; then
    {
      echo "# python $python_minor: the packages 'pip install apache-airflow==$AIRFLOW_VERSION' installed, frozen"
      echo "# by 'bash airflow/setup.sh --lock' so that installs repeat without Airflow's constraint files."
      "$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null | grep '=='
    } > "$lock"
    stamp="airflow $AIRFLOW_VERSION python $python_minor from lock $(lock_sum)"
    log "wrote $lock"
  fi
  echo "$stamp" > "$venv/.tspipe-stamp"
  log "installed in $((SECONDS - started)) s"
}

init_home() {
  local home dags cfg
  home=${home_arg:-${AIRFLOW_HOME:-$here/home}}
  mkdir -p "$home"
  home=$(cd "$home" && pwd)
  dags=${TSPIPE_AIRFLOW_DAGS:-$here/dags}
  mkdir -p "$dags"
  dags=$(cd "$dags" && pwd)
  cfg=$home/airflow.cfg
  export AIRFLOW_HOME=$home
  # Any airflow command writes a default airflow.cfg (with fresh secrets) when there is none.
  [ -f "$cfg" ] || "$venv/bin/airflow" config get-value core executor > /dev/null
  sed -i -E \
    -e "s|^dags_folder = .*|dags_folder = $dags|" \
    -e 's|^load_examples = .*|load_examples = False|' \
    "$cfg"
  if [ "$(cat "$home/.tspipe-migrated" 2>/dev/null)" != "$AIRFLOW_VERSION" ] || [ ! -f "$home/airflow.db" ]; then
    log "initialising the metadata database in $home"
    "$venv/bin/airflow" db migrate > "$home/db-migrate.log" 2>&1 || {
      cat "$home/db-migrate.log" >&2
      exit 1
    }
    echo "$AIRFLOW_VERSION" > "$home/.tspipe-migrated"
  fi
  log "ready: export AIRFLOW_HOME=$home; $venv/bin/airflow dags list"
}

install_airflow
init_home
