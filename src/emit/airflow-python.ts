/**
 * The fixed part of the generated DAG file and Python literal quoting. The per-project
 * part (task and edge lists, DAG arguments) is written by airflow-dag.ts.
 */

/** A Python str literal: JSON's escapes (\", \\, \n, \uXXXX) all mean the same in Python. */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/** A Python str literal for prose: triple-quoted when that needs no escape, so it reads as text. */
export function pyText(value: string): string {
  const plain = !/[\\\x00-\x09\x0b-\x1f\x7f\u2028\u2029]|"""|"$/.test(value);
  return plain ? `"""${value}"""` : pyString(value);
}

/**
 * Imports, settings and the task factory. Settings are resolved when a task runs, on
 * the worker (which parses this file itself): an Airflow Variable wins, then the
 * worker's environment, then a default. So one file serves a laptop and a cluster.
 */
export const DAG_FILE_PREAMBLE = `
import datetime
import os
import shlex

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, Variable
from airflow.sdk.log import mask_secret
from airflow.timetables.interval import CronDataIntervalTimetable


def defaults() -> dict[str, str]:
    """Settings used when no Airflow Variable is set: the worker's environment first."""
    here = os.path.dirname(os.path.abspath(__file__))
    project_dir = os.environ.get("TSPIPE_PROJECT_DIR") or os.path.normpath(os.path.join(here, *PROJECT_DIR_FROM_DAG))
    return {
        "project_dir": project_dir,
        "command": os.environ.get("TSPIPE_COMMAND") or own_tspipe(project_dir),
        "target": os.environ.get("TSPIPE_TARGET", ""),
    }


def own_tspipe(project_dir: str) -> str:
    """The project's own tspipe run by node: npx would spend ~0.6 s of npm start-up on every task."""
    script = os.path.join(project_dir, *TSPIPE_FROM_PROJECT)
    return f"node {shlex.quote(script)}" if os.path.isfile(script) else "npx tspipe"


def database_url() -> str:
    """TSPIPE_DATABASE_URL for the task, registered as a secret: logs and the UI show ***."""
    url = Variable.get("tspipe_database_url", default=os.environ.get("TSPIPE_DATABASE_URL", ""))
    if url:
        mask_secret(url)
    return url


# bash_command pieces, rendered by Jinja when the task runs.
CD_AND_COMMAND = (
    "cd {{ var.value.get('tspipe_project_dir', tspipe.project_dir) | shell_quote }}"
    " && {{ var.value.get('tspipe_command', tspipe.command) }} "
)
TARGET_ARGS = (
    "{% set target = var.value.get('tspipe_target', tspipe.target) %}"
    "{% if target %} --target {{ target | shell_quote }}{% endif %}"
)
FULL_REFRESH = "{% if params.full_refresh %} --full-refresh{% endif %}"
# A microbatch model's batches are the run's data interval (none on a manual run without
# one, or with full_refresh: then tspipe's own window applies).
DATA_INTERVAL = (
    "{% if data_interval_start and data_interval_end and data_interval_start < data_interval_end"
    " and not params.full_refresh %}"
    " --event-time-start {{ data_interval_start.isoformat() }} --event-time-end {{ data_interval_end.isoformat() }}"
    "{% endif %}"
)
# The URL travels in the environment, never on the command line that Airflow logs.
ENV = {"TSPIPE_DATABASE_URL": "{{ tspipe_database_url() }}"}


def make_task(task_id: str, verb: str, select: str | None, data_interval: bool = False) -> BashOperator:
    is_test = verb == "test"
    return BashOperator(
        task_id=task_id,
        bash_command=CD_AND_COMMAND
        + verb
        + (f" --select {select}" if select else "")
        # build names the node's tests: not the other tests that merely read the node, which
        # eager selection would add (a relationships test of a model not built yet).
        + (" --indirect-selection empty" if verb == "build" else "")
        + TARGET_ARGS
        + ("" if is_test else FULL_REFRESH)
        + (DATA_INTERVAL if data_interval else ""),
        env=ENV,
        append_env=True,
        do_xcom_push=False,
        # A failed assertion fails again when retried (cosmos #1537): test tasks get none. A build
        # task keeps them for its node (a lost connection, a lock): a retry builds and tests again.
        **({"retries": 0} if is_test else {}),
    )

`;
