"""The command line as a whole: --version, python -m, shell completion, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfcheck import __version__
from selfcheck.cli import app
from selfcheck.clitext import cell_width, iter_commands, wrap_line

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
    offered = run_module(env=env).stdout.split()
    assert {"rectify", "report"} <= set(offered)
    assert all(name.startswith("re") for name in offered)


# Typer detects the shell from the process tree (shellingham); a test run started
# outside any shell (nohup, a CI runner) has none, so the tests name it, as Typer's own do.
NAMED_SHELL = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


def test_show_completion_prints_a_script_for_the_shell() -> None:
    result = run_module("--show-completion", "bash", env=NAMED_SHELL)
    assert result.returncode == 0
    assert "_SELFCHECK_COMPLETE" in result.stdout and "complete" in result.stdout


def test_install_completion_writes_into_the_users_shell_setup(tmp_path: Path) -> None:
    result = run_module(
        "--install-completion",
        "bash",
        env={**NAMED_SHELL, "HOME": str(tmp_path), "SHELL": "/bin/bash"},
    )
    assert result.returncode == 0, result.stderr
    bashrc = tmp_path / ".bashrc"
    assert bashrc.is_file() and "selfcheck" in bashrc.read_text(encoding="utf-8")
    assert (
        "已为 bash 安装命令自动补全" in result.stdout
        and "completion installed" not in result.stdout
    )


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


def test_usage_errors_are_reported_in_chinese_with_exit_code_1() -> None:
    """README: errors exit 1. Click's own exit code for usage errors (2) is not used."""
    result = run_module("checklist", "show")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "错误：缺少参数 检查表（检查表标识或文件路径）。",
        "用法：selfcheck checklist show [选项] 检查表",
        "运行 selfcheck checklist show --help 查看帮助。",
    ]


ENGLISH_FROM_CLICK = ("Usage", "Error", "Try", "Did you mean", "Missing", "No such", "Options")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sumary"], "错误：没有“sumary”这个命令。您是不是要输入 summary？"),
        (["checklist", "valdate"], "错误：没有“valdate”这个命令。您是不是要输入 validate？"),
        (
            ["report", "--outptu", "x.json"],
            "错误：没有 --outptu 这个选项。您是不是要输入 --output？",
        ),
        (["report", "--zzz", "x.json"], "错误：没有 --zzz 这个选项。"),
        (["report"], "错误：缺少参数 答卷（答卷文件（.json））。"),
        (["report", "a.json", "b.json"], "错误：多余的参数：b.json"),
        (["report", "a.json", "-f"], "错误：选项 -f 后面需要一个值。"),
        (["demo", "x", "--people", "abc"], "错误：--people 的值无效：“abc”不是有效的数字。"),
        (["demo", "x", "--people", "0"], "错误：--people 的值无效：0 超出允许的范围（不小于 1）。"),
    ],
)
def test_each_usage_error_is_one_chinese_sentence(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected
    assert result.stderr.count("您是不是要输入") <= 1, "one suggestion, printed once"
    assert not any(word in result.stderr for word in ENGLISH_FROM_CLICK), result.stderr


def test_no_arguments_shows_the_help_and_succeeds() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：") and "[选项] 命令 [参数]..." in result.stdout
    sub = CliRunner().invoke(app, ["checklist"])
    assert sub.exit_code == 0 and "命令：" in sub.stdout


def _all_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    group = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for path in iter_commands(group):  # type: ignore[arg-type]
        command: click.Command = group
        for name in path:
            assert isinstance(command, click.Group)
            next_command = command.get_command(click.Context(command), name)
            assert next_command is not None
            command = next_command
        found.append((path, command))
    return found


def test_every_argument_of_every_command_is_described_in_its_help() -> None:
    """Typer 0.24 drops argument help under Click 8.5; selfcheck.clitext restores it."""
    checked = 0
    for path, command in _all_commands():
        for param in command.params:
            if isinstance(param, click.Argument):
                assert getattr(param, "help", None), f"{' '.join(path)} {param.name}: no help"
                shown = CliRunner().invoke(app, [*path, "--help"]).stdout
                assert param.help in shown  # type: ignore[attr-defined]
                assert param.metavar and param.metavar in shown
                checked += 1
    assert checked >= 10


def test_help_columns_line_up_by_display_width() -> None:
    """Chinese metavars are two columns wide each: help texts still start in one column."""
    shown = CliRunner().invoke(app, ["report", "--help"], env={"COLUMNS": "100"}).stdout
    options = shown.split("选项：\n")[1].splitlines()
    starts = set()
    for line in options:
        match = re.match(r"(\s+\S.*?\s{2,})\S", line)
        if match:
            starts.add(cell_width(match.group(1)))
    assert len(starts) == 1, options


def test_help_wraps_chinese_within_the_terminal_width() -> None:
    shown = run_module("rectify", "--help", env={"COLUMNS": "60"}).stdout
    # The examples are a \\b paragraph: printed as written, not wrapped.
    lines = [line for line in shown.splitlines() if "selfcheck rectify " not in line]
    assert max(cell_width(line) for line in lines) <= 60, shown


@given(st.text(alphabet="机关作风建设对照检查，。、（）abc --x", min_size=1, max_size=200))
def test_wrapping_keeps_every_character_and_the_width(text: str) -> None:
    """Help text is wrapped by display width: nothing lost, no line wider than asked (+2 for 。)."""
    lines = wrap_line(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_width(line) <= 22 or " " not in line.strip() for line in lines)


def test_wrapping_never_starts_a_line_with_closing_punctuation() -> None:
    lines = wrap_line("检查表标识或文件路径（默认按答卷记录查找），逗号分隔。" * 3, 20)
    assert len(lines) > 2
    assert not any(line[0] in "，。、）" for line in lines)
    assert not any(line[-1] == "（" for line in lines)


def test_help_texts_name_the_vocabulary_of_rules() -> None:
    """``--help`` is kept free of imports (it must start fast), so its lists of statuses,
    sources and kinds are written out: this keeps them equal to selfcheck.rules."""
    from selfcheck import rules
    from selfcheck.rectify.verify import ACCEPT_LABEL, REJECT_LABEL

    def flat_help(command: str) -> str:
        text = CliRunner().invoke(app, [command, "--help"], terminal_width=200).output
        return "".join(text.split())

    flat = flat_help("rectify")
    assert "记录整改进展：" + "、".join(rules.STATUS_LABELS) in flat
    assert f"核验结论：{ACCEPT_LABEL}/{REJECT_LABEL}。" in flat
    rechecked = "或".join(s.label for s in rules.Status if rules.can_recheck(s.value))
    assert f"复查该检查项{rechecked}的整改措施" in flat
    flat = flat_help("review")
    assert "问题来源：" + "、".join(rules.PROBLEM_SOURCES) + "。" in flat
    assert "整改类型：" + "、".join(rules.RECTIFY_KINDS) + "。" in flat


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "{d}"],
        ["rectify", "{d}/x.json", "--no-input"],
        ["serve", "{d}", "--roster", "{d}/x.json"],
    ],
)
@pytest.mark.parametrize("value", ["明天", "2009-02-30"])
def test_a_mistyped_selfcheck_today_is_a_chinese_usage_error(
    tmp_path: Path, args: list[str], value: str
) -> None:
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    argv = [a.format(d=tmp_path) for a in args]
    result = run_module(*argv, env={"SELFCHECK_TODAY": value})
    assert result.returncode == 1, result.stderr
    assert "环境变量 SELFCHECK_TODAY 的值不是日期" in result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr


def test_selfcheck_today_takes_the_date_forms_answers_take(tmp_path: Path) -> None:
    result = run_module("summary", str(tmp_path), env={"SELFCHECK_TODAY": "2009/1/5"})
    assert result.returncode == 0, result.stderr
    assert "统计日期：2009年1月5日" in result.stdout
