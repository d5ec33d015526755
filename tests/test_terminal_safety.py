"""What a response file holds never reaches the terminal as escape codes or control characters.

A folder of files from many people may hold anything: a name with ``ESC [2J`` clears
the committee's screen, an OSC sequence retitles the window. Every console the program
prints through removes them, while the colours it adds itself still reach a terminal.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from test_summary_helpers import make_response, write
from typer.testing import CliRunner

from selfcheck.checklist.registry import resolve_checklist
from selfcheck.cli import app

HOSTILE = ("\x1b[2J", "\x1b]0;窗口\x07", "\x1b[5m", "\x08", "\x9b")


def _has_hostile(text: str) -> bool:
    return "\x1b" in text or "\x07" in text or "\x08" in text or "\x9b" in text


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A submitted response whose name, unit and texts carry terminal control sequences."""
    response = make_response(
        resolve_checklist(None),
        name="张" + HOSTILE[0] + "三",
        unit="办" + HOSTILE[1] + "公室",
        role="staff",
        ratings={"work-2": "some"},
        problems={
            "work-2": {
                "problem": "拖" + HOSTILE[2] + "拉",
                "measure": "台" + HOSTILE[3] + "账" + HOSTILE[4],
                "deadline": "2009-03-31",
            }
        },
    )
    return write(tmp_path / "收集", "a.json", response)


@pytest.mark.parametrize(
    "command",
    [
        ["review", "{folder}", "--list"],
        ["rectify", "{file}"],
        ["summary", "{folder}", "--format", "table"],
    ],
    ids=["review-list", "rectify-listing", "summary-table"],
)
def test_a_hostile_response_prints_no_control_sequence(hostile: Path, command: list[str]) -> None:
    args = [a.format(folder=hostile.parent, file=hostile) for a in command]
    result = CliRunner().invoke(app, args)
    assert "内部错误" not in result.output
    flat = "".join(result.output.split())
    assert "张三" in flat and "办公室" in flat, result.output  # cleaned, nothing else lost
    assert not _has_hostile(result.output), repr(result.output)


def test_the_console_keeps_its_own_colours_and_drops_the_texts_codes() -> None:
    from selfcheck.console import _literal_console_class

    buffer = io.StringIO()
    console = _literal_console_class()(
        file=buffer, force_terminal=True, color_system="standard", markup=False, width=60
    )
    table = Table()
    table.add_column("姓名" + HOSTILE[1])
    table.add_row("李四" + HOSTILE[0])
    console.print(Text("逾期" + HOSTILE[2], style="red"), table)
    out = buffer.getvalue()
    assert "\x1b[31m逾期" in out  # the program's own colour
    assert "[2J" not in out and "]0;" not in out and "[5m" not in out
    assert "姓名" in out and "李四" in out


def test_an_error_on_a_screen_is_wrapped_between_words_and_in_a_pipe_kept_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import selfcheck.console
    from selfcheck.cli import _print_error
    from selfcheck.console import _literal_console_class

    message = (
        "已中断，答案已保存在草稿 out/规划建设科-张伟-zuofeng-2008.draft.json 中。第 1 项"
        "“具体表现”写到一半的内容也已保存，下次从这里接着写。"
        "继续填写请运行：selfcheck run --out out"
    )
    for terminal in (True, False):
        buffer = io.StringIO()
        console = _literal_console_class()(
            file=buffer, force_terminal=terminal, markup=False, width=80, color_system=None
        )
        monkeypatch.setattr(selfcheck.console, "make_console", lambda _c=console, **_: _c)
        _print_error(message)
        lines = buffer.getvalue().splitlines()
        if terminal:  # the terminal would break "selfcheck ru|n" at column 80 itself
            assert len(lines) >= 3 and all(cell_len(line) <= 80 for line in lines)
            assert " ".join(line.strip() for line in lines).endswith("selfcheck run --out out")
            assert not any(line.lstrip().startswith(("，", "。", "”")) for line in lines)
        else:
            assert lines == [message]
