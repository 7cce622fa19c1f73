"""Print the runs of one DAG and the state of each task instance, as JSON on the last stdout line.

Usage: python run_states.py DAG_ID

{"runs": [{"run_id", "state", "logical_date", "tasks": {task_id: {"state", "try_number", "hostname",
"scheduled_dttm", "queued_dttm", "start_date", "end_date"}}}]},
oldest run first. One process instead of one `airflow tasks states-for-dag-run` per run.
"""

import json
import sys

from sqlalchemy import select

from airflow.models.dagrun import DagRun
from airflow.models.taskinstance import TaskInstance
from airflow.utils.session import create_session


def main() -> None:
    dag_id = sys.argv[1]
    with create_session() as session:
        runs = session.scalars(select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.run_after)).all()
        tis = session.scalars(select(TaskInstance).where(TaskInstance.dag_id == dag_id)).all()
        report = {
            "runs": [
                {
                    "run_id": run.run_id,
                    "state": run.state,
                    "logical_date": run.logical_date.isoformat() if run.logical_date else None,
                    "tasks": {
                        ti.task_id: {
                            "state": ti.state,
                            "try_number": ti.try_number,
                            # Which worker ran it, and when: what shows work spread over workers.
                            "hostname": ti.hostname,
                            # When the scheduler found it ready, and handed it to the executor: with
                            # start_date, what shows the scheduler's and the executor's latency.
                            "scheduled_dttm": ti.scheduled_dttm.isoformat() if ti.scheduled_dttm else None,
                            "queued_dttm": ti.queued_dttm.isoformat() if ti.queued_dttm else None,
                            "start_date": ti.start_date.isoformat() if ti.start_date else None,
                            "end_date": ti.end_date.isoformat() if ti.end_date else None,
                        }
                        for ti in sorted(tis, key=lambda t: t.task_id)
                        if ti.run_id == run.run_id
                    },
                }
                for run in runs
            ]
        }
    print(json.dumps(report, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
