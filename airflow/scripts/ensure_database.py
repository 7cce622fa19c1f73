"""Create a PostgreSQL database if it does not exist yet (for Airflow's metadata).

Usage: python ensure_database.py postgresql+psycopg2://user@host:5432/name
Connects to the server's `postgres` database with the same credentials.
"""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


def main() -> None:
    url = urlsplit(sys.argv[1].replace("postgresql+psycopg2://", "postgresql://", 1))
    name = url.path.lstrip("/")
    server = urlunsplit(url._replace(path="/postgres"))
    conn = psycopg2.connect(server)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("select 1 from pg_database where datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
            print(f"created database {name}", file=sys.stderr)
    conn.close()


if __name__ == "__main__":
    main()
