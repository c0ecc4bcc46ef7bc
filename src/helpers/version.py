"""The suite's version: printed in every page's footer and part of every briefing's fingerprint.

Why a module of its own: the rooms that read it (``fingerprint``, ``render.run``) would otherwise import the
package face they live in; the face only re-exports it (``helpers.__version__``). Keep it equal to
``pyproject.toml``'s ``version``.
"""

__version__ = "0.1.0"
