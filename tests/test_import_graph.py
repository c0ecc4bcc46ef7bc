"""No import loop in src/helpers: the import graph, read from the source with ``ast`` (nothing is imported).

Why a graph of the source rather than of ``sys.modules``: an import inside a function is a dependency as real as
one at the top (it runs whenever the function does), so a loop through one is still a loop; only reading every
``import`` statement, wherever it stands, sees all of them. ``if TYPE_CHECKING:`` imports never run and are
left out.

Each module is a node named by its dotted name (``helpers.render.index``; a package by its ``__init__``:
``helpers.render``). An edge ``a → b`` says a statement in ``a`` imports ``b``:

- ``import helpers.x.y`` → ``helpers.x.y``;
- ``from helpers.x import y`` → ``helpers.x.y`` when ``y`` is a submodule, else ``helpers.x`` (a name of its
  ``__init__``); relative imports are resolved against the importing module's package;
- importing ``helpers.x.y`` also runs ``helpers.x``'s ``__init__`` first, but that is Python's doing, not the
  module's: the edge to the package face is drawn only when a statement names it.
"""

from __future__ import annotations

import ast
from pathlib import Path


def modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted name → file of every module under ``root`` (the folder of ``package``)."""
    out = {}
    for f in sorted(root.rglob("*.py")):
        parts = list(f.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([package, *parts])] = f
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    out: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    walk_one(sub)
                continue
            walk_one(child)

    def walk_one(child: ast.AST) -> None:
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            out.append(child)
        walk(child)

    walk(tree)
    return out


def _source(node: ast.ImportFrom, here: str) -> str:
    """The module a ``from … import`` reads from, relative imports resolved against the package ``here``."""
    if not node.level:
        return node.module or ""
    base = here.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def edges(root: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules of ``package`` its statements import (top-level and inside functions alike)."""
    mods = modules(root, package)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, f in mods.items():
        is_pkg = f.name == "__init__.py"
        here = name if is_pkg else name.rpartition(".")[0]
        for node in _imports(ast.parse(f.read_text(encoding="utf-8"), filename=str(f))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                source = _source(node, here)
                for a in node.names:
                    sub = f"{source}.{a.name}"
                    targets.append(sub if sub in mods else source)
            for t in targets:
                while t and t not in mods and t.startswith(package):  # ``import helpers.x.y.z`` of a name
                    t = t.rpartition(".")[0]
                if t in mods and t != name:
                    graph[name].add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, …, a], or None when it has none (depth-first search, white/grey/black)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if state.get(m) is None:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if state.get(n) is None:
            found = visit(n)
            if found:
                return found
    return None


def all_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (each holds at least one cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def face_imports(root: Path, package: str) -> list[tuple[str, str, str]]:
    """(module, face, statement) for every statement by which a module reaches the face of a package it lives in.

    Two kinds: a statement that reads a *name* of an enclosing package's ``__init__`` (``import helpers`` for
    ``helpers.__version__``, ``from helpers.sample import REGION`` inside ``helpers.sample``), and, inside a
    sub-package, a statement that reaches a sibling through the package's face (``from helpers.forecast import
    tasks``, ``from . import yearly``) rather than by its module path (``from helpers.forecast.tasks import …``,
    ``import helpers.forecast.tasks as tasks``). The top package's face carries only the version, so
    ``from helpers import paths`` names a top-level room, not a face's re-export.
    """
    mods = modules(root, package)
    out = []
    for name, f in mods.items():
        is_pkg = f.name == "__init__.py"
        if is_pkg:
            continue
        here = name.rpartition(".")[0]
        enclosing = {here.rsplit(".", k)[0] for k in range(here.count(".") + 1)}
        for node in _imports(ast.parse(f.read_text(encoding="utf-8"), filename=str(f))):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in enclosing:
                        out.append((name, a.name, ast.unparse(node)))
                continue
            source = _source(node, here)
            if source not in enclosing:
                continue
            names_a_face_name = any(f"{source}.{a.name}" not in mods for a in node.names)
            through_own_face = source == here and source != package
            if names_a_face_name or through_own_face:
                out.append((name, source, ast.unparse(node)))
    return sorted(out)


# ------------------------------------------------------------------------------------------------ the suite
SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"


def test_the_suite_has_no_import_cycle():
    graph = edges(SRC, "helpers")
    loops = all_cycles(graph)
    assert not loops, "import cycles (each group imports itself through the others, in-function imports " \
                      f"included): {loops}; one of them: {' → '.join(find_cycle(graph) or [])}"


def test_no_module_reaches_its_own_package_through_its_face():
    found = face_imports(SRC, "helpers")
    assert not found, "modules importing their own package's __init__ (name the module instead): " + \
        "; ".join(f"{m}: {s}" for m, _, s in found)


def test_the_graph_sees_every_room_of_the_suite():
    """The graph is read from the files the suite is made of: a room missed would hide its loops."""
    graph = edges(SRC, "helpers")
    assert {"helpers.cli", "helpers.meeting_files", "helpers.render.index", "helpers.sample.writer"} <= set(graph)
    assert "helpers.meeting_files" in graph["helpers.notice"]
    assert graph["helpers.meeting_files"] == {"helpers.paths"}


# ------------------------------------------------------------------------------ the check on a tiny package
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root


def test_a_loop_through_an_import_inside_a_function_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "low.py": "def f():\n    from pkg import high\n    return high\n",
        "high.py": "from pkg.low import f\n",
    })
    assert find_cycle(edges(root, "pkg")) == ["pkg.high", "pkg.low", "pkg.high"]


def test_a_loop_through_a_relative_import_of_a_submodule_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "",
        "sub/a.py": "from . import b\n",
        "sub/b.py": "from ..sub.a import x\n",
    })
    assert all_cycles(edges(root, "pkg")) == [["pkg.sub.a", "pkg.sub.b"]]


def test_imports_for_type_checking_only_are_no_edge(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
        "b.py": "import pkg.a\n",
    })
    assert find_cycle(edges(root, "pkg")) is None


def test_a_module_importing_its_own_package_face_is_named(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "from pkg.sub.a import A\nVERSION = 1\n",
        "sub/a.py": "A = 1\n",
        "sub/b.py": "from pkg.sub import a\nfrom pkg.sub.a import A\n",
        "sub/c.py": "def f():\n    from pkg.sub import VERSION\n    return VERSION\n",
        "d.py": "from pkg import sub\n",
    })
    found = [(m, s) for m, _, s in face_imports(root, "pkg")]
    assert found == [("pkg.sub.b", "from pkg.sub import a"), ("pkg.sub.c", "from pkg.sub import VERSION")]
