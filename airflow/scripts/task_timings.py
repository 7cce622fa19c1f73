"""Where a DAG run's time went, from Airflow's task instance records and task logs.

Usage: python task_timings.py DAG_ID RUN_ID   (AIRFLOW_HOME set; prints JSON on the last line)

For each task instance, the phases between its upstream tasks' end and its own end:
  schedule  last upstream end (or the run's start) -> scheduled_dttm: the scheduler noticing it can run
  queue     scheduled_dttm -> queued_dttm: handed to the executor
  start     queued_dttm -> start_date: an executor slot, the supervisor, the execution API's "run" call
  prepare   start_date -> the command starts (task log): DAG file parse in the task process, templates
  tspipe    the command's own time (task log), of which `sql` is what tspipe reports as its nodes' time
  finish    the command's end -> end_date: post-execute and the final state call
Then the critical path: from the task that ended last, back through the upstream that ended last,
with each phase summed along it; that sum is the run's first start to last end.
"""

import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from airflow.models.dagrun import DagRun
from airflow.models.serialized_dag import SerializedDagModel
from airflow.models.taskinstance import TaskInstance
from airflow.utils.session import create_session

PHASES = ["schedule", "queue", "start", "prepare", "tspipe", "finish"]
FINISHED = re.compile(r"Finished \d+ nodes? in ([0-9.]+)s")


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def command_times(log: Path) -> dict[str, float]:
    """When the bash command started and ended, and tspipe's own total for its nodes."""
    found: dict[str, float] = {}
    if not log.exists():
        return found
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        event = str(record.get("event", ""))
        if event.startswith("Running command:") and "command_start" not in found:
            found["command_start"] = parse_time(record["timestamp"])
        elif event.startswith("Command exited with return code"):
            found["command_end"] = parse_time(record["timestamp"])
        elif match := FINISHED.search(event):
            found["sql"] = found.get("sql", 0.0) + float(match.group(1))
    return found


def main() -> None:
    dag_id, run_id = sys.argv[1:3]
    logs = Path(os.environ["AIRFLOW_HOME"]) / "logs"
    with create_session() as session:
        run = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id)).one()
        tis = session.scalars(select(TaskInstance).where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)).all()
        dag = SerializedDagModel.get_dag(dag_id, session=session)
        run_start = run.start_date.timestamp()
    ends = {ti.task_id: ti.end_date.timestamp() for ti in tis if ti.end_date}
    tasks = {}
    for ti in tis:
        if not (ti.start_date and ti.end_date and ti.queued_dttm and ti.scheduled_dttm):
            continue
        upstream = sorted(dag.get_task(ti.task_id).upstream_task_ids)
        last_up = max(upstream, key=lambda t: ends.get(t, 0.0), default=None)
        ready = ends[last_up] if last_up else run_start
        log = logs / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={ti.task_id}" / f"attempt={ti.try_number}.log"
        cmd = command_times(log)
        start, end = ti.start_date.timestamp(), ti.end_date.timestamp()
        command_start = cmd.get("command_start", start)
        command_end = cmd.get("command_end", end)
        tasks[ti.task_id] = {
            "after": last_up,
            "schedule": ti.scheduled_dttm.timestamp() - ready,
            "queue": ti.queued_dttm.timestamp() - ti.scheduled_dttm.timestamp(),
            "start": start - ti.queued_dttm.timestamp(),
            "prepare": command_start - start,
            "tspipe": command_end - command_start,
            "sql": cmd.get("sql", 0.0),
            "finish": end - command_end,
            "wall": end - start,
        }
    path = []
    task = max(tasks, key=lambda t: ends[t], default=None)
    while task is not None:
        path.append(task)
        task = tasks[task]["after"] if tasks[task]["after"] in tasks else None
    path.reverse()
    total = lambda names, key: round(sum(tasks[t][key] for t in names), 2)  # noqa: E731
    report = {
        "tasks": {t: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in tasks[t].items()} for t in sorted(tasks)},
        "all": {key: total(tasks, key) for key in [*PHASES, "sql", "wall"]},
        "critical_path": {"tasks": path, **{key: total(path, key) for key in [*PHASES, "sql"]}},
    }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
