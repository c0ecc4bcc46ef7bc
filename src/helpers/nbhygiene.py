"""Notebook hygiene: committed notebooks carry no outputs, no execution counts, a usable kernelspec, exactly
one ``parameters`` cell of literals, and stable cell ids. ``python -m helpers.nbhygiene notebooks`` checks (CI,
make lint); ``--fix`` strips outputs and renumbers ids in place.

Why: the notebooks are the source a person edits in JupyterLab (nothing generates them). nbstripout, installed as
a git filter by ``make .venv/.dev``, strips outputs and replaces JupyterLab's random cell ids by sequential ones
("0", "1", …) on every commit; this check makes sure what is committed looks exactly so, so a diff shows only
what a person changed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat

KERNEL = "gaoqi-briefings"


def problems(path: Path) -> list[str]:
    """Every hygiene problem of one notebook, as readable sentences (empty when clean)."""
    nb = nbformat.read(path, as_version=4)
    out: list[str] = []
    spec = nb.metadata.get("kernelspec", {})
    if spec.get("name") != KERNEL:
        out.append(f"{path}: kernelspec name is {spec.get('name')!r}; expected {KERNEL!r}")
    params = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1:
        out.append(f"{path}: has {len(params)} cells tagged 'parameters'; expected exactly 1")
    else:
        try:
            tree = ast.parse(params[0].source)
        except SyntaxError as exc:
            out.append(f"{path}: parameters cell does not parse: {exc}")
        else:
            for node in tree.body:
                if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)):
                    out.append(f"{path}: parameters cell line {node.lineno} is not `name = literal`")
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            out.append(f"{path}: cell {i} has outputs (strip them: python -m helpers.nbhygiene --fix)")
        if cell.get("execution_count") is not None:
            out.append(f"{path}: cell {i} has an execution count")
    ids = [cell.get("id") for cell in nb.cells]
    if ids != [str(i) for i in range(len(nb.cells))]:
        out.append(f"{path}: cell ids are {ids[:4]}…, not the sequential ids nbstripout writes "
                   "(run python -m helpers.nbhygiene --fix)")
    return out


def strip(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    for i, cell in enumerate(nb.cells):
        cell.id = str(i)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    roots = [Path(a) for a in argv if not a.startswith("--")] or [Path("notebooks")]
    files = sorted(f for r in roots for f in ([r] if r.is_file() else r.glob("*.ipynb")))
    found = []
    for f in files:
        if fix:
            strip(f)
        found += problems(f)
    for p in found:
        print(p)
    print(f"notebook hygiene: {len(files)} notebooks, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
