"""Set options in an airflow.cfg, keeping its comments and everything else as it is.

Usage: python set_config.py AIRFLOW_CFG SECTION.KEY=VALUE ...

configparser would rewrite the whole file and drop Airflow's comments; this replaces the
one `key = value` line of the section, or adds it (and the section) when missing.
"""

import re
import sys


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
    path, *settings = sys.argv[1:]
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
