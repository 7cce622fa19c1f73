#!/usr/bin/env bash
# Installs a pinned Apache Airflow 3 in airflow/.venv and initialises a local
# AIRFLOW_HOME (LocalExecutor, SQLite metadata, no examples, DAGs from airflow/dags,
# low-latency scheduler settings), then serializes the DAGs and lists them.
#
#   bash airflow/setup.sh [AIRFLOW_HOME]   idempotent; a second run takes a few seconds
#   bash airflow/setup.sh --celery         CeleryExecutor: Redis broker, PostgreSQL metadata
#   bash airflow/setup.sh --lock           re-resolve from PyPI, rewrite requirements*.txt
#
# AIRFLOW_HOME: the argument, else $AIRFLOW_HOME, else airflow/home (airflow/home-celery).
# Environment: PYTHON (default python3), TSPIPE_AIRFLOW_VENV (default airflow/.venv),
# TSPIPE_AIRFLOW_DAGS (default airflow/dags), TSPIPE_AIRFLOW_CELERY=1 (same as --celery).
# --celery: TSPIPE_AIRFLOW_DATABASE_URL (PostgreSQL for Airflow's metadata, created if
# missing; default postgresql://postgres@127.0.0.1:5432/airflow), TSPIPE_AIRFLOW_BROKER_URL
# (default redis://127.0.0.1:6379/0).
set -euo pipefail

AIRFLOW_VERSION=3.3.2

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${TSPIPE_AIRFLOW_VENV:-$here/.venv}
lock=$here/requirements.txt
# The Celery provider and its client libraries (Airflow 3 opens PostgreSQL with psycopg2 and asyncpg), on top of the lock above (only with --celery).
celery_lock=$here/requirements-celery.txt
CELERY_PACKAGES=("apache-airflow-providers-celery==3.26.0" "celery[redis]" psycopg2-binary asyncpg)
python=${PYTHON:-python3}
relock=false
celery=false
[ "${TSPIPE_AIRFLOW_CELERY:-}" = 1 ] && celery=true
home_arg=
for arg in "$@"; do
  case $arg in
    --lock) relock=true ;;
    --celery) celery=true ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
celery_sum() { if [ -f "$celery_lock" ]; then cksum < "$celery_lock"; fi; }

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

install_celery() {
  local stamp="celery $(celery_sum) on $(cat "$venv/.tspipe-stamp")"
  if ! $relock && [ -f "$celery_lock" ] && [ "$(cat "$venv/.tspipe-celery-stamp" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  log "installing the Celery provider, Redis and PostgreSQL clients into $venv"
  if ! $relock && [ -f "$celery_lock" ] && [ "$lock_python" = "$python_minor" ]; then
    "$venv/bin/pip" install -qq --disable-pip-version-check -c "$lock" -r "$celery_lock"
  else
    # Airflow's own packages stay as locked: the lock is a constraint here.
    "$venv/bin/pip" install -qq --disable-pip-version-check -c "$lock" "${CELERY_PACKAGES[@]}"
    {
      echo "# python $python_minor: what 'pip install ${CELERY_PACKAGES[*]}' added to requirements.txt, frozen"
      echo "# by 'bash airflow/setup.sh --celery --lock'; installed by 'bash airflow/setup.sh --celery'."
      "$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null | grep '==' | grep -v -x -F -f <(grep '==' "$lock")
    } > "$celery_lock"
    log "wrote $celery_lock"
    stamp="celery $(celery_sum) on $(cat "$venv/.tspipe-stamp")"
  fi
  echo "$stamp" > "$venv/.tspipe-celery-stamp"
}

init_home() {
  local home dags cfg
  local default_home=$here/home
  $celery && default_home=$here/home-celery
  home=${home_arg:-${AIRFLOW_HOME:-$default_home}}
  mkdir -p "$home"
  home=$(cd "$home" && pwd)
  dags=${TSPIPE_AIRFLOW_DAGS:-$here/dags}
  mkdir -p "$dags"
  dags=$(cd "$dags" && pwd)
  cfg=$home/airflow.cfg
  export AIRFLOW_HOME=$home
  # Any airflow command writes a default airflow.cfg (with fresh secrets) when there is none.
  [ -f "$cfg" ] || "$venv/bin/airflow" config get-value core executor > /dev/null
  # --low-latency: the scheduler and task supervisor settings that cut the seconds between
  # tspipe's short tasks (what and why: LOW_LATENCY in scripts/set_config.py).
  "$venv/bin/python" "$here/scripts/set_config.py" "$cfg" --low-latency "core.dags_folder=$dags" core.load_examples=False
  local migrated="$AIRFLOW_VERSION local"
  if $celery; then
    local db_url=${TSPIPE_AIRFLOW_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/airflow}
    db_url=postgresql+psycopg2://${db_url#*://}
    "$venv/bin/python" "$here/scripts/ensure_database.py" "$db_url"
    "$venv/bin/python" "$here/scripts/set_config.py" "$cfg" \
      core.executor=CeleryExecutor \
      "database.sql_alchemy_conn=$db_url" \
      "celery.broker_url=${TSPIPE_AIRFLOW_BROKER_URL:-redis://127.0.0.1:6379/0}" \
      "celery.result_backend=db+$db_url"
    migrated="$AIRFLOW_VERSION $db_url"
  else
    "$venv/bin/python" "$here/scripts/set_config.py" "$cfg" core.executor=LocalExecutor
  fi
  if [ "$(cat "$home/.tspipe-migrated" 2>/dev/null)" != "$migrated" ] || { ! $celery && [ ! -f "$home/airflow.db" ]; }; then
    log "initialising the metadata database in $home"
    "$venv/bin/airflow" db migrate > "$home/db-migrate.log" 2>&1 || {
      cat "$home/db-migrate.log" >&2
      exit 1
    }
    echo "$migrated" > "$home/.tspipe-migrated"
  fi
  AIRFLOW=$venv/bin/airflow
  HOME_DIR=$home
}

# Airflow 3 lists a DAG only once it is serialized into the metadata database (by the
# dag-processor, or here): until then `airflow dags list` prints "No data found".
serialize_and_list() {
  "$AIRFLOW" dags reserialize > "$HOME_DIR/reserialize.log" 2>&1 || {
    cat "$HOME_DIR/reserialize.log" >&2
    exit 1
  }
  # A DAG file that fails to import is logged, not fatal: show it rather than an empty list.
  grep -iE -A20 'failed to import|Traceback' "$HOME_DIR/reserialize.log" >&2 || true
  # The CLI warns, on stdout, that graphviz (for `dags show`) is missing: not needed here.
  PYTHONWARNINGS="ignore:Could not import graphviz" "$AIRFLOW" dags list 2> /dev/null
  local bin=$venv/bin
  if $celery; then
    log "ready (CeleryExecutor). In separate shells, with export AIRFLOW_HOME=$HOME_DIR:"
    log "  $bin/airflow api-server | $bin/airflow scheduler | $bin/airflow dag-processor"
    log "  $bin/airflow celery worker -H worker-1 | $bin/airflow celery worker -H worker-2"
    log "then: $bin/airflow dags trigger <dag>"
  else
    log "ready: export AIRFLOW_HOME=$HOME_DIR; $bin/airflow dags test <dag>   (one whole run, no scheduler)"
  fi
}

install_airflow
$celery && install_celery
init_home
serialize_and_list
