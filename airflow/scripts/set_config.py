"""Set options in an airflow.cfg, keeping its comments and everything else as it is.

Usage: python set_config.py AIRFLOW_CFG [--low-latency] SECTION.KEY=VALUE ...

configparser would rewrite the whole file and drop Airflow's comments; this replaces the
one `key = value` line of the section, or adds it (and the section) when missing.
--low-latency first applies LOW_LATENCY below (setup.sh, the benchmark and the tests use it).
"""

import re
import sys

# Airflow 3.3's defaults suit many long tasks; tspipe's tasks last a few seconds each and a
# run's time is mostly the hops between them. Measured on the gaming DAG (BENCHMARKS.md).
# airflow/Dockerfile sets the same as AIRFLOW__SECTION__KEY variables: change both.
LOW_LATENCY = {
    # The task supervisor polls its task process every min_heartbeat_interval seconds (default
    # 5): when the task's sockets close before the process has exited, which happened after
    # ~60% of tasks here, the supervisor sleeps a whole interval before it frees the executor
    # slot, so the next task waits 5 s. 1 is the smallest value (an integer); the price is one
    # heartbeat call to the API server per running task per second instead of per 5 s.
    "workers.min_heartbeat_interval": "1",
    # How long the scheduler sleeps after a loop that found nothing to do (default 1 s): a task
    # that becomes ready waited half of it on average before being scheduled. Each loop costs
    # ~10 ms of CPU (SQLite): an idle scheduler used 2% of a core at 1 s, 6% at 0.25 s, 13% at
    # 0.1 s, CPU that the tasks' SQL wants on a small machine.
    "scheduler.scheduler_idle_sleep_time": "0.25",
}


def set_option(lines: list[str], section: str, key: str, value: str) -> list[str]:
    header = f"[{section}]"
    line = f"{key} = {value}\n"
    start = next((i for i, text in enumerate(lines) if text.strip() == header), None)
    if start is None:
        return [*lines, "\n", f"{header}\n", line]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    for i in range(start + 1, end):
        if re.match(rf"{re.escape(key)}\s*=", lines[i]):
            return [*lines[:i], line, *lines[i + 1 :]]
    return [*lines[: start + 1], line, *lines[start + 1 :]]


def main() -> None:
    path, *args = sys.argv[1:]
    settings = [f"{name}={value}" for name, value in LOW_LATENCY.items()] if "--low-latency" in args else []
    settings += [arg for arg in args if arg != "--low-latency"]
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for setting in settings:
        name, value = setting.split("=", 1)
        section, key = name.split(".", 1)
        lines = set_option(lines, section, key, value)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
