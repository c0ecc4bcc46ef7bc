"""``gaoqi schedule``: the crontab line and the systemd service + timer that run ``gaoqi auto`` every day.

Why: the scheduler entry is where unattended runs usually break — a relative path, a missing virtual
environment, a working directory cron does not set. So the entries are generated from this checkout's own
absolute paths (its root, its ``.venv/bin/gaoqi``), with ``GAOQI_ROOT`` set explicitly, and printed for a person
to install; nothing is installed behind anyone's back.

The shared folder is checked by the validator ``gaoqi auto`` uses (``helpers.share.check_publish_dir``): a
folder the daily run would refuse every day (inside ``reports/``, a missing parent) is refused here, at install
time.

Exit code 3 (another run holds the lock) is not a failure for a scheduler: the next run catches up, so the
service lists it in ``SuccessExitStatus``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.errors import EXIT_BUSY, InputError
from helpers.share import check_publish_dir
from helpers.wording import say

UNIT = "gaoqi-auto"
_AT_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
CONSOLE_LOG = "auto.console.log"


@dataclass(frozen=True)
class Schedule:
    """The three texts to install, and the command they run."""

    command: tuple[str, ...]  # argv of the daily run
    root: Path
    crontab: str
    service: str
    timer: str


def gaoqi_executable(lang: str = "zh") -> Path:
    """This environment's ``gaoqi`` script (beside the running Python, unresolved: a venv's python is a symlink)."""
    here = Path(os.path.abspath(sys.executable)).parent / "gaoqi"
    if here.is_file():
        return here
    found = shutil.which("gaoqi")
    if found:
        return Path(os.path.abspath(found))
    raise InputError(say("cli.schedule.no_gaoqi", lang))


def parse_at(at: str, lang: str = "zh") -> tuple[int, int]:
    m = _AT_RE.match(at.strip())
    if not m:
        raise InputError(say("cli.schedule.bad_at", lang, value=at))
    return int(m.group(1)), int(m.group(2))


def _systemd_quote(word: str) -> str:
    """A word for a systemd ``ExecStart=``/``Environment=`` line: % doubled, quoted when it has spaces or quotes."""
    word = word.replace("%", "%%")
    if re.search(r'[\s"\'\\]', word):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def build(at: str = "06:30", publish_dir: Path | None = None, wait_minutes: int = 30,
          root: Path | None = None, gaoqi: Path | None = None, lang: str = "zh") -> Schedule:
    """The crontab line and systemd units for a daily ``gaoqi auto`` at ``at`` on the tree ``root``; the shared
    folder is refused (exit 2) exactly when ``gaoqi auto`` would refuse it."""
    hour, minute = parse_at(at, lang)
    root = Path(os.path.abspath(root or paths.project_root()))
    target = check_publish_dir(publish_dir, lang) if publish_dir is not None else None
    gaoqi = gaoqi or gaoqi_executable(lang)
    command: list[str] = [str(gaoqi), "auto", "--wait", str(wait_minutes * 60)]
    if target is not None:
        command += ["--publish-dir", str(target)]
    console_log = root / "reports" / CONSOLE_LOG
    # cron: no environment, no working directory; % ends the command, so none may appear unescaped
    shell = (f"cd {shlex.quote(str(root))} && GAOQI_ROOT={shlex.quote(str(root))} "
             f"{' '.join(shlex.quote(w) for w in command)} >>{shlex.quote(str(console_log))} 2>&1")
    crontab = f"{minute} {hour} * * * {shell.replace('%', chr(92) + '%')}"
    service = "\n".join([
        "[Unit]",
        f"Description={say('schedule.unit.description', 'en')}",
        f"Documentation={(root / 'README.md').as_uri().replace('%', '%%')}",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={_systemd_quote(str(root))}",
        f"Environment={_systemd_quote('GAOQI_ROOT=' + str(root))}",
        f"ExecStart={' '.join(_systemd_quote(w) for w in command)}",
        f"SuccessExitStatus={EXIT_BUSY}",
        "Nice=10",
        "TimeoutStartSec=2h",
        "",
    ])
    timer = "\n".join([
        "[Unit]",
        f"Description={say('schedule.timer.description', 'en', at=f'{hour:02d}:{minute:02d}')}",
        "",
        "[Timer]",
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00",
        "Persistent=true",
        f"Unit={UNIT}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])
    return Schedule(tuple(command), root, crontab, service, timer)


def instructions(s: Schedule, lang: str = "zh") -> str:
    """The whole text ``gaoqi schedule`` prints: both entries and how to install either."""
    user_dir = "~/.config/systemd/user"
    return "\n".join([
        say("schedule.intro", lang, root=str(s.root)),
        "",
        say("schedule.cron.title", lang),
        say("schedule.cron.how", lang),
        "",
        s.crontab,
        "",
        say("schedule.systemd.title", lang),
        say("schedule.systemd.service", lang, path=f"{user_dir}/{UNIT}.service"),
        "",
        s.service,
        say("schedule.systemd.timer", lang, path=f"{user_dir}/{UNIT}.timer"),
        "",
        s.timer,
        say("schedule.systemd.how", lang),
        "",
        f"    systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer",
        f"    systemctl --user list-timers {UNIT}.timer",
        "    loginctl enable-linger \"$USER\"",
        "",
        say("schedule.codes", lang, log=str(s.root / "reports" / "auto.log")),
    ])
