"""A `[core] hostname_callable` for several Celery workers on one machine.

Airflow records the host that ran each task instance (`hostname`); workers on one
machine would all record the same name. With AIRFLOW__CORE__HOSTNAME_CALLABLE set to
`worker_hostname.hostname` (this folder on PYTHONPATH) a worker started with
TSPIPE_WORKER_NAME=worker-1 records that name instead. Without it: the machine's name.
"""

import os
import socket


def hostname() -> str:
    return os.environ.get("TSPIPE_WORKER_NAME") or socket.getfqdn()
