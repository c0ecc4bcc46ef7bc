"""One exception hierarchy for the whole suite, each class carrying the exit code the CLI returns.

Why: every command of ``gaoqi`` used to catch its own mix of seven unrelated exception classes. Now every error
the suite raises on purpose derives from :class:`GaoqiError`; the CLI has one handler that prints the message
(located, never a traceback) and exits with ``exit_code``. Schedulers rely on these codes (README, "Running it
unattended"): 0 done or nothing to do, 1 a render failed, 2 bad input, 3 another run is in progress.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_RENDER_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_BUSY = 3


class GaoqiError(Exception):
    """Base of every error the suite raises deliberately; ``str(exc)`` is the message a person reads."""

    exit_code: int = EXIT_BAD_INPUT


class InputError(GaoqiError):
    """Bad input (a return, the plan, a region or vocabulary file, a command-line value): exit 2."""

    exit_code = EXIT_BAD_INPUT


class RenderFailure(GaoqiError):
    """A notebook or an export failed while rendering; the published briefing is untouched: exit 1."""

    exit_code = EXIT_RENDER_FAILED


class RunInProgress(GaoqiError):
    """Another clean/render/auto run holds the tree's run lock: exit 3."""

    exit_code = EXIT_BUSY
