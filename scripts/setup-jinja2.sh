#!/usr/bin/env bash
# Makes the Python venv the differential tests of src/jinja/ run real Jinja2 in
# (tests/unit/jinja/differential.test.ts). Jinja2 is pinned to the version dbt-core
# 1.11 installs, so "what Jinja2 does" means what dbt does.
#
#   bash scripts/setup-jinja2.sh     idempotent; a second run takes well under a second
#
# Environment: PYTHON (default python3), TSPIPE_JINJA2_VENV (default tests/.jinja2-venv).
set -euo pipefail

JINJA2_VERSION=3.1.6
MARKUPSAFE_VERSION=3.0.4

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${TSPIPE_JINJA2_VENV:-$root/tests/.jinja2-venv}
python=${PYTHON:-python3}
stamp="jinja2 $JINJA2_VERSION markupsafe $MARKUPSAFE_VERSION $("$python" --version 2>&1)"

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.tspipe-stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
echo "setup-jinja2.sh: installing Jinja2 $JINJA2_VERSION into $venv" >&2
"$python" -m venv --clear "$venv"
# -qq: this machine's pip config lists local mirrors that print a warning per package.
"$venv/bin/pip" install -qq --disable-pip-version-check \
  "jinja2==$JINJA2_VERSION" "markupsafe==$MARKUPSAFE_VERSION"
echo "$stamp" > "$venv/.tspipe-stamp"
