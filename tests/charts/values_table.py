#!/usr/bin/env python3
"""Prints the values table of a chart's README from its values.yaml.

A value's description is the `# -- ...` comment block right above it (continued by further
`#` lines); its default is the parsed value as compact JSON. A map none of whose entries is
described is one row (resources, security contexts, probes). The README carries the
table between `<!-- values:start -->` and `<!-- values:end -->`; check_charts.py fails when
it is out of date.

Usage: python3 tests/charts/values_table.py charts/mongodb           print the table
       python3 tests/charts/values_table.py charts/mongodb --write   update README.md in place
"""

import json
import re
import sys
from pathlib import Path

import yaml

START, END = "<!-- values:start -->", "<!-- values:end -->"


def rows(values_path: Path) -> list[tuple[str, str, str]]:
    values = yaml.safe_load(values_path.read_text())
    keys: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[int, str]] = []
    desc: list[str] = []
    in_desc = False
    for line in values_path.read_text().splitlines():
        stripped = line.strip()
        if stripped == "# --" or stripped.startswith("# -- "):
            desc, in_desc = [stripped[4:].strip()], True
            continue
        if stripped.startswith("#"):
            if in_desc:
                desc.append(stripped[1:].strip())
            continue
        m = re.match(r"^( *)([A-Za-z0-9_.-]+):(.*)$", line)
        if not m:
            if stripped and not stripped.startswith("- "):
                desc, in_desc = [], False
            continue
        indent, key = len(m.group(1)), m.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        keys.append((tuple(k for _, k in stack), " ".join(desc)))
        desc, in_desc = [], False
    described = {path for path, d in keys if d}
    out = []
    collapsed: list[tuple[str, ...]] = []
    for path, d in keys:
        if any(path[: len(c)] == c for c in collapsed):
            continue
        value = values
        for k in path:
            value = value[k]
        has_described_child = any(p[: len(path)] == path and p != path for p in described)
        if isinstance(value, dict) and value and has_described_child:
            if d:
                out.append((".".join(path), "", d))
            continue
        if isinstance(value, dict) and value:
            collapsed.append(path)
        out.append((".".join(path), json.dumps(value, separators=(",", ":")), d))
    return out


def table(chart: Path) -> str:
    lines = ["| Key | Default | Description |", "|---|---|---|"]
    for key, default, desc in rows(chart / "values.yaml"):
        default = f"`{default}`" if default else ""
        cells = [f"`{key}`", default, desc]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def readme_table(chart: Path) -> str | None:
    text = (chart / "README.md").read_text()
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def write(chart: Path) -> None:
    readme = chart / "README.md"
    text = readme.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table(chart)}\n{END}{tail}")


if __name__ == "__main__":
    chart = Path(sys.argv[1])
    if "--write" in sys.argv:
        write(chart)
    else:
        print(table(chart))
