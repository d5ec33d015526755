"""The sandbox bounds arithmetic: a ``when`` or a user template never hangs the program.

Jinja's sandbox caps ``range()`` but not ``**``, ``*`` or ``%``: ``9**999999999`` runs
for minutes and ``'x' * 2000000000`` takes gigabytes. Worse, Jinja folds a constant
expression while compiling, so ``checklist validate`` hung on such a ``when`` before it
printed anything. The checks run the command in a real process with a deadline, so a
regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck import sandbox
from selfcheck.checklist.conditions import evaluate
from selfcheck.jinja import make_environment
from selfcheck.sandbox import render

REPO = Path(__file__).resolve().parent.parent
ZUOFENG = (REPO / "checklists" / "zuofeng-2008.yaml").read_text(encoding="utf-8")
FIXTURES = Path(__file__).parent / "fixtures"
DEADLINE = 60


def selfcheck(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m selfcheck ARGS`` in a real process; fails the test past the deadline."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "selfcheck", *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            cwd=cwd,
            timeout=DEADLINE,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"selfcheck {' '.join(map(str, args))} still running after {DEADLINE} s")


HUGE = [
    "9**999999999 > 1",
    "('x' * 2000000000) | length > 0",
    "('%999999999d' % 1) | length > 0",
]


@pytest.mark.parametrize("expression", HUGE)
def test_a_huge_when_is_a_warning_not_a_hang(expression: str, tmp_path: Path) -> None:
    old = "when: rating.problem\n      prompt: 具体表现"
    assert old in ZUOFENG
    text = ZUOFENG.replace(old, f'when: "rating.problem and {expression}"\n      prompt: 具体表现')
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")

    result = selfcheck("checklist", "validate", path, cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "question_sets.self_check[1].when: 警告" in result.stdout
    assert "这个问题永远不会出现" in result.stdout


@pytest.mark.parametrize(
    "expression",
    # just past the bounds, so that without them the test fails quickly instead of hanging
    ["2**5000 > 1", "('x' * 100001) | length > 0", "('%100001d' % 1) | length > 0"],
)
def test_a_result_past_the_bounds_counts_as_false(expression: str) -> None:
    assert evaluate(expression, {}) is False


@pytest.mark.parametrize(
    "expression",
    [
        "2**10 == 1024",
        "2**-1 == 0.5",
        "(-2)**3 == -8",
        "'ab' * 3 == 'ababab'",
        "3 * [1] == [1, 1, 1]",
        "6 * 7 == 42",
        "'%05d' % 42 == '00042'",
        "'%s%%' % 50 == '50%'",
        "7 % 3 == 1",
    ],
)
def test_ordinary_arithmetic_still_works(expression: str) -> None:
    assert evaluate(expression, {}) is True


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{{ 9**999999999 }}", "乘方的结果太大"),
        ("{{ ('x' * 2000000000) | length }}", "重复的结果太长"),
        ("{{ '%999999999d' % 1 }}", "格式化的宽度太大"),
        ("{{ lipsum(100000000) }}", "变量 lipsum 未定义"),
    ],
)
def test_a_huge_user_template_is_refused_with_its_line(
    source: str, said: str, tmp_path: Path
) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(f"# {{{{ title }}}}\n{source}\n", encoding="utf-8")

    result = selfcheck(
        "report",
        FIXTURES / "report_leader.json",
        "--template",
        template,
        "-o",
        tmp_path / "out.md",
        cwd=tmp_path,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert f"{template}:2:" in result.stderr and said in result.stderr
    assert not (tmp_path / "out.md").exists()


# A user template has loops, methods and filters too: each bounded, so that a template
# never runs for hours or fills the memory (the report is refused at its line instead).
LOOPS_AND_WIDTHS = [
    (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "循环的次数太多",
    ),
    ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}", "模板输出的内容太长"),
    ("{{ ''.center(1000000000) }}", "宽度太大"),
    ("{{ 'x' | center(1000000000) }}", "宽度太大"),
    ("{{ [1] | batch(1000000000, 'x') | list }}", "宽度太大"),
    ("{{ [1] | slice(1000000000) | list }}", "宽度太大"),
    ("{{ '{:>999999999}'.format(1) }}", "格式化的宽度太大"),
    ("{{ '{:{}}'.format(1, 999999999) }}", "格式化的宽度太大"),
    ("{{ '%999999999d' | format(1) }}", "格式化的宽度太大"),
    ("{{ ('x' * 100000) | replace('x', 'y' * 100000) }}", "替换的结果太长"),
    ("{{ ('x' * 100000).replace('', 'y' * 1000) }}", "替换的结果太长"),
]


@pytest.mark.parametrize(("source", "said"), LOOPS_AND_WIDTHS)
def test_a_user_template_that_would_run_away_is_stopped_with_its_line(
    source: str, said: str, tmp_path: Path
) -> None:
    test_a_huge_user_template_is_refused_with_its_line(source, said, tmp_path)


def test_ordinary_template_work_is_untouched() -> None:
    source = (
        "{{ 'ab' | center(6) }}|{{ 'x'.rjust(3) }}|{{ '{:>4}'.format(1) }}|"
        "{{ 'aXbX' | replace('X', '-', 1) }}|{{ 'a\\nb' | indent(2) }}|"
        "{{ [1, 2, 3] | batch(2) | list }}|{{ [1, 2, 3] | slice(2) | list }}|"
        "{{ '%03d' | format(7) }}|{% for i in range(3) %}{{ i }}{% endfor %}"
    )

    out = render(make_environment("user").from_string(source), {})

    assert out == "  ab  |  x|   1|a-bX|a\n  b|[[1, 2], [3]]|[[1, 2], [3]]|007|012"


def test_a_rendering_past_its_time_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_RENDER_SECONDS", 0.2)
    slow = (
        "{% for i in range(100000) %}{% for j in range(99) %}"
        "{{ ''.upper() }}{% endfor %}{% endfor %}"
    )
    env = make_environment("user")

    with pytest.raises(sandbox.SandboxLimit, match=r"模板运行超过 0\.2 秒"):
        render(env.from_string(slow), {})
    # the clock and the range() count belong to one rendering: the next one starts afresh
    assert render(env.from_string("{% for i in range(100000) %}{% endfor %}ok"), {}) == "ok"
