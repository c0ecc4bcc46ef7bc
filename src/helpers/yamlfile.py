"""Reading the suite's YAML data files (plan, region, vocabulary, funnel stages) with located errors.

Why one reader: each data file used to parse YAML its own way, and some let a syntax error escape as a traceback.
Here a missing file or broken YAML always becomes the caller's own ``InputError`` subclass naming the file and,
for a syntax error, the line, so a person editing the file by hand is told where to look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers.errors import InputError


def read_yaml(path: str | Path, error: type[InputError] = InputError, *, missing: str = "file not found") -> Any:
    """The parsed content of ``path``; ``error`` (an InputError subclass) names the file, and the line of a
    syntax error, when it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise error(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', None) or exc}); check the "
                    "indentation and the brackets of that line") from None
    except ValueError as exc:  # a well-formed scalar that is no value, e.g. the date 2026-02-30
        line, value = _unconstructable(text)
        raise error(f"{path} line {line}: {value!r} is not a valid value ({exc}); expected e.g. a real date "
                    "YYYY-MM-DD") from None


def _unconstructable(text: str) -> tuple[int, str]:
    """The line and text of the first scalar YAML recognises (as a date, a number …) but cannot build."""
    loader = yaml.SafeLoader(text)
    try:
        nodes = [loader.get_single_node()]
        while nodes:
            node = nodes.pop(0)
            if isinstance(node, yaml.ScalarNode):
                try:
                    loader.construct_object(node, deep=True)
                except ValueError:
                    return node.start_mark.line + 1, node.value
            elif isinstance(node, yaml.SequenceNode):
                nodes = list(node.value) + nodes
            elif isinstance(node, yaml.MappingNode):
                nodes = [n for pair in node.value for n in pair] + nodes
    finally:
        loader.dispose()
    return 0, ""
