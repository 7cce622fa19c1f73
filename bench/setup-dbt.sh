#!/usr/bin/env bash
# Installs pinned dbt-core + dbt-postgres from PyPI into bench/.dbt-venv for the
# dbt side-by-side in bench/dbt.bench.mjs. Idempotent: a no-op once the pinned
# versions are present. dbt-core 1.11.16 is the newest that installs from
# PyPI alone (no github.com): 1.12.x pulls dbt-core-experimental-parser, whose build downloads a
# wheel from github.com.
set -euo pipefail

DBT_CORE_VERSION="${DBT_CORE_VERSION:-1.11.16}"
DBT_POSTGRES_VERSION="${DBT_POSTGRES_VERSION:-1.11.0}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.dbt-venv"
stamp="$venv/.installed-$DBT_CORE_VERSION-$DBT_POSTGRES_VERSION"

if [[ -f "$stamp" && -x "$venv/bin/dbt" ]]; then
  exit 0
fi

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
  done
fi
if [[ -z "$python" ]]; then
  echo "no python3 found" >&2
  exit 1
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "dbt-core==$DBT_CORE_VERSION" "dbt-postgres==$DBT_POSTGRES_VERSION"
"$venv/bin/dbt" --version >/dev/null
rm -f "$venv"/.installed-*
touch "$stamp"
