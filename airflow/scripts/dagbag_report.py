"""Load DAG files into an Airflow DagBag and print what Airflow sees, as JSON.

Usage: python dagbag_report.py PATH   (a DAG file or a folder)

Prints, as the last line of stdout, {"import_errors": {file: error}, "parse_seconds": {file: s},
"dags": {dag_id: {"tasks", "edges", "retries", "bash_commands", "defaults", ...}}}.
The tests compare it with the graph the DAG file was generated from.
"""

import json
import sys
import time

from airflow.dag_processing.dagbag import DagBag


def describe(dag) -> dict:
    tasks = sorted(dag.task_dict)
    return {
        "fileloc": dag.fileloc,
        "tasks": tasks,
        "edges": sorted([up, down] for up in tasks for down in sorted(dag.task_dict[up].downstream_task_ids)),
        "retries": {t: dag.task_dict[t].retries for t in tasks},
        "retry_delay_seconds": {t: dag.task_dict[t].retry_delay.total_seconds() for t in tasks},
        "retry_exponential_backoff": {t: dag.task_dict[t].retry_exponential_backoff for t in tasks},
        "operators": sorted({type(dag.task_dict[t]).__module__ + "." + type(dag.task_dict[t]).__name__ for t in tasks}),
        "bash_commands": {t: getattr(dag.task_dict[t], "bash_command", None) for t in tasks},
        # A timetable object reads as its cron expression ("@daily").
        "schedule": dag.schedule if dag.schedule is None or isinstance(dag.schedule, str) else dag.timetable.summary,
        "timetable": type(dag.timetable).__name__,
        "catchup": dag.catchup,
        "max_active_tasks": dag.max_active_tasks,
        "max_active_runs": dag.max_active_runs,
        "tags": sorted(dag.tags),
        "params": {k: dag.params.get_param(k).resolve() for k in dag.params},
        "doc_md": dag.doc_md,
        # The settings a task falls back to (tspipe's DAG passes them as the `tspipe` macro).
        "defaults": (dag.user_defined_macros or {}).get("tspipe"),
    }


def main() -> None:
    path = sys.argv[1]
    started = time.perf_counter()
    bag = DagBag(dag_folder=path, safe_mode=False)
    report = {
        "import_errors": dict(bag.import_errors),
        "load_seconds": time.perf_counter() - started,
        "parse_seconds": {s.file: s.duration.total_seconds() for s in bag.dagbag_stats},
        "dags": {dag_id: describe(dag) for dag_id, dag in sorted(bag.dags.items())},
    }
    # Airflow logs to stdout too: the report is the last line.
    print(json.dumps(report, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
