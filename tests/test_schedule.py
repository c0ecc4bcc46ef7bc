"""`gaoqi schedule`: a crontab line and systemd units that run `gaoqi auto` daily on this checkout."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers.cli import app
from helpers.schedule import build

runner = CliRunner()


def _cron_command(line: str) -> str:
    """The shell command of a crontab line (after its five time fields), as cron hands it to /bin/sh."""
    return line.split(None, 5)[5].replace("\\%", "%")


def test_the_crontab_line_runs_gaoqi_auto_daily_with_absolute_paths(project_copy):
    s = build("06:30")

    minute, hour, dom, month, dow, command = s.crontab.split(None, 5)
    assert (minute, hour, dom, month, dow) == ("30", "6", "*", "*", "*")
    words = shlex.split(command)
    assert words[:2] == ["cd", str(project_copy)]
    assert f"GAOQI_ROOT={project_copy}" in words
    gaoqi = next(w for w in words if w.endswith("/gaoqi"))
    assert Path(gaoqi).is_absolute() and os.access(gaoqi, os.X_OK)
    assert words[words.index(gaoqi) + 1] == "auto"


def test_the_crontab_command_works_in_crons_bare_environment(project_copy, tmp_path):
    command = _cron_command(build("06:30").crontab).replace(" auto ", " auto --today 2024-05-01 ", 1)

    proc = subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)

    assert proc.returncode == 0, proc.stderr
    console = (project_copy / "reports" / "auto.console.log").read_text(encoding="utf-8")
    assert "2024-08-31" in console  # it names the next cut-off
    log = (project_copy / "reports" / "auto.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 1 and "today=2024-05-01\texit=0" in log[0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_systemd_units_pass_systemd_analyze_verify(project_copy, tmp_path):
    s = build("21:05", publish_dir=tmp_path / "shared folder")
    (tmp_path / "gaoqi-auto.service").write_text(s.service, encoding="utf-8")
    (tmp_path / "gaoqi-auto.timer").write_text(s.timer, encoding="utf-8")

    proc = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "gaoqi-auto.service"),
                           str(tmp_path / "gaoqi-auto.timer")], capture_output=True, text=True, timeout=120)

    assert proc.returncode == 0, proc.stderr
    assert "OnCalendar=*-*-* 21:05:00" in s.timer
    assert f'--publish-dir "{tmp_path / "shared folder"}"' in s.service
    assert f"Environment=GAOQI_ROOT={project_copy}" in s.service


def test_paths_with_spaces_survive_the_shell(project_copy, tmp_path):
    s = build("06:30", publish_dir=tmp_path / "共享 简报")
    words = shlex.split(_cron_command(s.crontab))
    assert words[words.index("--publish-dir") + 1] == str(tmp_path / "共享 简报")


def test_the_scheduled_run_waits_for_a_manual_run_rather_than_giving_up(project_copy):
    s = build("06:30")
    assert s.command[s.command.index("--wait") + 1] == "1800"
    assert "SuccessExitStatus=3" in s.service


def test_gaoqi_schedule_prints_both_entries_and_how_to_install_them(project_copy):
    result = runner.invoke(app, ["schedule", "--at", "07:15"])

    assert result.exit_code == 0
    out = result.output
    assert "15 7 * * * cd " in out
    assert "crontab -e" in out
    assert "~/.config/systemd/user/gaoqi-auto.service" in out and "[Timer]" in out
    assert "systemctl --user daemon-reload && systemctl --user enable --now gaoqi-auto.timer" in out
    assert "loginctl enable-linger" in out
    assert "3 另一运行正在进行" in out


def test_gaoqi_schedule_in_english(project_copy):
    result = runner.invoke(app, ["schedule", "--lang", "en"])
    assert result.exit_code == 0
    assert "Install one of them (cron or systemd), not both." in result.output


def test_a_time_that_is_not_hh_mm_is_refused(project_copy):
    result = runner.invoke(app, ["schedule", "--at", "25:00"])
    assert result.exit_code == 2
    assert "应为一天中的时刻 HH:MM" in result.output


@pytest.mark.parametrize("where", ["reports/shared", "not-mounted/briefings"])
def test_a_shared_folder_auto_would_refuse_is_refused_by_schedule_with_the_same_words(project_copy, where):
    target = project_copy / where
    scheduled = runner.invoke(app, ["schedule", "--publish-dir", str(target)])
    daily = runner.invoke(app, ["auto", "--today", "2024-09-01", "--publish-dir", str(target)])
    assert scheduled.exit_code == daily.exit_code == 2
    assert scheduled.output.strip() == daily.output.strip()
