"""Time how long Airflow takes to import one DAG file, as JSON on the last stdout line.

Usage: python import_time.py DAG_FILE [REPEAT]

"cold": the first DagBag parse in this process, which also pays the first import of
the operator modules the file uses. "warm": the fastest of REPEAT later parses
(default 5): what the dag-processor pays per parse, since it pre-imports those modules
(parsing_pre_import_modules). Wall seconds, and CPU seconds of this process, which
other load on the machine does not inflate.
"""

import gc
import json
import sys
import time

from airflow.dag_processing.dagbag import DagBag


def parse(path: str) -> tuple[float, float, DagBag]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    bag = DagBag(dag_folder=path, safe_mode=False)
    return time.perf_counter() - wall, time.process_time() - cpu, bag


def main() -> None:
    path = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cold_wall, cold_cpu, bag = parse(path)
    warm = [parse(path)[:2] for _ in range(repeat)]
    report = {
        "import_errors": dict(bag.import_errors),
        "tasks": sum(len(dag.task_dict) for dag in bag.dags.values()),
        "cold_seconds": cold_wall,
        "cold_cpu_seconds": cold_cpu,
        "warm_seconds": min(w for w, _ in warm),
        "warm_cpu_seconds": min(c for _, c in warm),
    }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
