"""The command line as a whole: --version, python -m, shell completion, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck import __version__
from selfcheck.cli import app

REPO = Path(__file__).resolve().parent.parent


def run_module(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m selfcheck ARGS`` in a real process (real stdout/stderr, real exit code)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_version_option() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"selfcheck {__version__}"


def test_python_dash_m_runs_the_same_program(tmp_path: Path) -> None:
    version = run_module("--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.strip() == f"selfcheck {__version__}"
    listing = run_module("checklist", "list", cwd=tmp_path, env={"COLUMNS": "200"})
    assert listing.returncode == 0, listing.stderr
    assert "zuofeng-2008" in listing.stdout and "liuxing-jiguan" in listing.stdout


def test_help_lists_every_command_in_chinese() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "report", "summary", "rollup", "demo", "rectify", "checklist"):
        assert command in result.output
    assert "机关作风建设" in result.output
    assert "--install-completion" in result.output and "--show-completion" in result.output
    sub = CliRunner().invoke(app, ["checklist", "--help"])
    for command in ("list", "show", "validate", "schema", "template", "new", "diff"):
        assert command in sub.output


def test_shell_completion_completes_commands_and_checklist_subcommands() -> None:
    env = {
        "_SELFCHECK_COMPLETE": "complete_bash",
        "COMP_WORDS": "selfcheck checklist va",
        "COMP_CWORD": "2",
    }
    result = run_module(env=env)
    assert result.returncode == 0
    assert result.stdout.split() == ["validate"]
    env = {"_SELFCHECK_COMPLETE": "complete_bash", "COMP_WORDS": "selfcheck re", "COMP_CWORD": "1"}
    assert sorted(run_module(env=env).stdout.split()) == ["rectify", "report"]


def test_show_completion_prints_a_script_for_the_shell() -> None:
    result = run_module("--show-completion", "bash")
    assert result.returncode == 0
    assert "_SELFCHECK_COMPLETE" in result.stdout and "complete" in result.stdout


def test_install_completion_writes_into_the_users_shell_setup(tmp_path: Path) -> None:
    result = run_module(
        "--install-completion", "bash", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"}
    )
    assert result.returncode == 0, result.stderr
    bashrc = tmp_path / ".bashrc"
    assert bashrc.is_file() and "selfcheck" in bashrc.read_text(encoding="utf-8")


GARBAGE = b"\x00\x01garbage{{[\xff\xfe not yaml: [\n"


@pytest.mark.parametrize(
    "args",
    [
        ["checklist", "validate", "{garbage}"],
        ["checklist", "show", "{garbage}"],
        ["checklist", "show", "{text}", "--json"],
        ["checklist", "template", "{text}"],
        ["checklist", "diff", "{garbage}", "zuofeng-2008"],
        ["checklist", "show", "no-such-checklist"],
        ["checklist", "list", "--dir", "{missing}"],
        ["checklist", "new", "{folder}"],
        ["checklist", "template", "zuofeng-2008", "-o", "{folder}"],
        ["report", "{garbage}"],
        ["report", "{text}"],
        ["rectify", "{garbage}", "--no-input"],
        ["rollup", "{garbage}"],
        ["summary", "{missing}"],
        ["run", "--answers", "{garbage}", "--no-input", "--out", "{folder}"],
    ],
)
def test_no_command_prints_a_traceback_on_bad_input(tmp_path: Path, args: list[str]) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(GARBAGE)
    text = tmp_path / "text.yaml"
    text.write_text("just: [some, text\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "x.yaml").write_text("x", encoding="utf-8")
    names = {"garbage": garbage, "text": text, "folder": folder, "missing": tmp_path / "missing"}
    argv = [a.format(**names) for a in args]
    result = run_module(*argv, cwd=tmp_path)
    both = result.stdout + result.stderr
    assert "Traceback" not in both
    assert "内部错误" not in both
    assert result.returncode == 1, both
    # Errors go to stderr; `validate` reports its findings on stdout, like a linter.
    report = result.stdout if args[1:2] == ["validate"] else result.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in report), "a Chinese message"


def test_usage_errors_are_reported_by_the_framework_not_as_tracebacks() -> None:
    result = run_module("checklist", "show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Missing argument" in result.stderr
