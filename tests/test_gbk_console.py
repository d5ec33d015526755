"""Every command on a Chinese Windows console: output redirected, encoding GBK (cp936).

Each command runs as the installed ``selfcheck`` script with
``PYTHONIOENCODING=gbk`` and stdout/stderr redirected to files, as
``selfcheck checklist validate … > v.txt`` does in cmd.exe on a Chinese PC.
What it prints must decode as GBK (nothing cp936 can't encode) and it must
never end in 内部错误 or a traceback.

Documents written to stdout (``summary --format md/csv/json``, ``rollup
--format md``, ``checklist schema/template/show --json``) are file contents,
not console text: they are UTF-8 by definition (the CSV starts with a BOM for
Excel; JSON is read back by ``rollup``, the schema by VS Code, the template by
``run --answers``), so for those stdout must be valid UTF-8 instead.

A second test reads every ``--help`` and allows no English word in it beyond
what the user types or a proper name (see ``ALLOWED_WORDS``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main

from selfcheck.cli import app
from selfcheck.clitext import iter_commands

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("selfcheck" + (".exe" if os.name == "nt" else ""))

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="selfcheck script not installed")


@dataclass(frozen=True)
class Outcome:
    """One finished run: exit code and the raw bytes of both streams."""

    code: int
    out: bytes
    err: bytes

    def stderr_text(self) -> str:
        return self.err.decode("gbk")


def gbk_env(home: Path) -> dict[str, str]:
    """The environment of a Chinese Windows console, redirected."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SELFCHECK_")}
    return {
        **env,
        "SELFCHECK_TODAY": "2009-01-15",
        "PYTHONIOENCODING": "gbk",
        "COLUMNS": "100",
        "SELFCHECK_CONFIG_DIR": str(home / "配置"),
        "HOME": str(home),
    }


def run_gbk(args: list[str], cwd: Path) -> Outcome:
    """``selfcheck ARGS > out 2> err`` with a GBK console encoding."""
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        completed = subprocess.run(
            [str(SCRIPT), *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=gbk_env(cwd),
            timeout=180,
        )
    return Outcome(completed.returncode, out_path.read_bytes(), err_path.read_bytes())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A unit's folder: demo roster and responses, a unit summary, spare copies."""
    root = tmp_path_factory.mktemp("gbk")
    made = run_gbk(["demo", "演示", "--people", "8"], root)
    assert made.code == 0, made.err.decode("gbk", "replace")
    responses = sorted((root / "演示" / "答卷").rglob("*.json"))
    loaded = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in responses]
    submitted, data = next(
        (p, d)
        for p, d in loaded
        if d["status"] == "submitted" and any(a.get("measure") for a in d["answers"].values())
    )
    for name in ("答卷.json", "整改.json", "审核.json"):
        shutil.copy(submitted, root / name)
    item = next(key for key, answer in data["answers"].items() if answer.get("measure"))
    (root / "item.txt").write_text(item, encoding="utf-8")
    summary = run_gbk(["summary", "演示/答卷", "--format", "json", "-o", "汇总.json"], root)
    assert summary.code == 0, summary.err.decode("gbk", "replace")
    (root / "坏.yaml").write_text("id: [没有闭合\n", encoding="utf-8")
    (root / "文件夹").mkdir()
    return root


CONSOLE, DOCUMENT = "console", "document"

CASES: list[tuple[str, list[str], set[int], str]] = [
    ("version", ["--version"], {0}, CONSOLE),
    ("checklist list", ["checklist", "list"], {0}, CONSOLE),
    ("checklist show", ["checklist", "show", "zuofeng-2008"], {0}, CONSOLE),
    ("checklist show --json", ["checklist", "show", "liuxing-jiguan", "--json"], {0}, DOCUMENT),
    (
        "checklist validate ✓",
        ["checklist", "validate", str(REPO / "checklists" / "zuofeng-2008.yaml")],
        {0},
        CONSOLE,
    ),
    ("checklist validate ✗", ["checklist", "validate", "坏.yaml"], {1}, CONSOLE),
    ("checklist schema", ["checklist", "schema"], {0}, DOCUMENT),
    (
        "checklist template",
        ["checklist", "template", "zuofeng-2008", "--role", "staff"],
        {0},
        DOCUMENT,
    ),
    ("checklist new", ["checklist", "new", "新检查表.yaml"], {0}, CONSOLE),
    ("checklist diff", ["checklist", "diff", "zuofeng-2008", "liuxing-jiguan"], {0}, CONSOLE),
    ("demo", ["demo", "演示二", "--people", "3"], {0}, CONSOLE),
    ("summary table", ["summary", "演示/答卷", "--roster", "演示/名单.csv"], {0}, CONSOLE),
    ("summary md", ["summary", "演示/答卷", "--format", "md"], {0}, DOCUMENT),
    ("summary csv", ["summary", "演示/答卷", "--format", "csv"], {0}, DOCUMENT),
    ("summary json", ["summary", "演示/答卷", "--format", "json"], {0}, DOCUMENT),
    ("summary html", ["summary", "演示/答卷", "--format", "html", "-o", "汇总.html"], {0}, CONSOLE),
    ("summary xlsx", ["summary", "演示/答卷", "--format", "xlsx", "-o", "台账.xlsx"], {0}, CONSOLE),
    ("summary roster is a folder", ["summary", "演示/答卷", "--roster", "文件夹"], {1}, CONSOLE),
    ("rollup", ["rollup", "汇总.json", "汇总.json"], {0}, CONSOLE),
    ("rollup md", ["rollup", "汇总.json", "--format", "md"], {0}, DOCUMENT),
    ("report", ["report", "答卷.json", "-o", "材料"], {0}, CONSOLE),
    ("report of a folder", ["report", "文件夹"], {1}, CONSOLE),
    ("rectify list", ["rectify", "答卷.json", "--no-input", "--history"], {0}, CONSOLE),
    (
        "rectify set",
        ["rectify", "整改.json", "--no-input", "--set", "{item}=整改中:已开始"],
        {0},
        CONSOLE,
    ),
    (
        "rectify bad set",
        ["rectify", "整改.json", "--no-input", "--set", "没有=已完成"],
        {1},
        CONSOLE,
    ),
    ("review list", ["review", "演示/答卷", "--list"], {0}, CONSOLE),
    ("review pass", ["review", "审核.json", "--pass", "--reviewer", "王五"], {0}, CONSOLE),
    (
        "run --no-input",
        ["run", "--answers", "答卷.json", "--no-input", "--out", "新答卷", "--format", "md"],
        {0},
        CONSOLE,
    ),
    # stdin is not a terminal and empty: the walk stops at the first question.
    ("run, no terminal", ["run", "--out", "草稿"], {1, 130}, CONSOLE),
    ("usage: command typo", ["sumary"], {1}, CONSOLE),
    ("usage: unknown option", ["report", "--outptu", "x"], {1}, CONSOLE),
    ("usage: missing argument", ["checklist", "show"], {1}, CONSOLE),
]


def _check(outcome: Outcome, kind: str, codes: set[int]) -> None:
    err = outcome.stderr_text()  # raises UnicodeDecodeError if not GBK
    out = outcome.out.decode("utf-8" if kind == DOCUMENT else "gbk")
    both = out + err
    assert "内部错误" not in both and "Traceback" not in both, both
    assert outcome.code in codes, f"exit {outcome.code}: {both}"
    if outcome.code != 0:
        assert re.search(r"[\u4e00-\u9fff]", err + out), "a Chinese message"


@pytest.mark.parametrize(("name", "args", "codes", "kind"), CASES, ids=[c[0] for c in CASES])
def test_every_command_prints_gbk_safe_output(
    workspace: Path, name: str, args: list[str], codes: set[int], kind: str
) -> None:
    item = (workspace / "item.txt").read_text(encoding="utf-8")
    outcome = run_gbk([a.replace("{item}", item) for a in args], workspace)
    _check(outcome, kind, codes)


def test_validate_marks_success_with_a_symbol_gbk_has(workspace: Path) -> None:
    """The ✓ of ``checklist validate`` becomes √ (the crash of issue 10), not ? or an error."""
    outcome = run_gbk(
        ["checklist", "validate", str(REPO / "checklists" / "zuofeng-2008.yaml")], workspace
    )
    assert outcome.code == 0
    assert outcome.out.decode("gbk").startswith("√ ")


def test_documents_redirected_on_a_gbk_console_are_utf8(workspace: Path) -> None:
    """``checklist template > 答案.yaml`` in cmd.exe gives the UTF-8 file run --answers reads."""
    schema = run_gbk(["checklist", "schema"], workspace)
    assert json.loads(schema.out.decode("utf-8"))["title"]
    template = run_gbk(["checklist", "template", "zuofeng-2008"], workspace)
    assert "思想作风" in template.out.decode("utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(os.name == "nt", reason="stops the server with SIGINT")
def test_serve_prints_gbk_safe_output_until_ctrl_c(workspace: Path) -> None:
    folder = workspace / "在线"
    out_path, err_path = workspace / ".serve.out", workspace / ".serve.err"
    args = ["serve", str(folder), "--roster", "演示/名单.csv", "--port", str(_free_port())]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        server = subprocess.Popen(
            [str(SCRIPT), *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=workspace,
            env=gbk_env(workspace),
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and server.poll() is None:
                if "Ctrl-C".encode("gbk") in out_path.read_bytes():
                    break
                time.sleep(0.2)
            else:
                pytest.fail(f"serve did not start: {err_path.read_bytes().decode('gbk')}")
            server.send_signal(signal.SIGINT)
            code = server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
    _check(Outcome(code, out_path.read_bytes(), err_path.read_bytes()), CONSOLE, {0, 130})


def _commands() -> list[tuple[str, ...]]:
    return list(iter_commands(typer.main.get_command(app)))  # type: ignore[arg-type]


def _leaf_commands() -> set[tuple[str, ...]]:
    paths = _commands()
    return {p for p in paths if not any(q[: len(p)] == p and q != p for q in paths)}


def test_every_command_has_a_gbk_case() -> None:
    """A new command must be added to CASES (or its own test, like serve)."""
    covered = {("serve",)}
    for _name, args, _codes, _kind in CASES:
        for length in (1, 2):
            covered.add(tuple(args[:length]))
    assert _leaf_commands() - covered == set()


# ------------------------------------------------------------------- --help


ALLOWED_WORDS = {
    # the program and its commands: what the user types
    "selfcheck",
    *{name for path in _commands() for name in path},
    # values the user types: formats, roles, keys, all
    "md", "html", "docx", "xlsx", "csv", "json", "yaml", "table", "none", "report", "all",
    "staff", "q", "e",
    # proper names of formats, programs and standards
    "Markdown", "HTML", "Word", "Excel", "WPS", "JSON", "YAML", "CSV", "XLSX", "Jinja",
    "Schema", "VS", "Code", "HTTPS", "UUID", "Bash",
}  # fmt: skip
"""English that may appear in help: commands, typed values, proper names."""

_NOT_WORDS = [
    r"(?<![\w-])--?[A-Za-z][\w-]*",  # option names: --out, -o
    r"\bCtrl-[A-Z]\b",  # keys
    r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b",  # environment variables: SELFCHECK_PATH
    r"\b[a-z]+://\S+",  # addresses: http://10.1.2.3:8000
    r"(?:\.{0,2}/)?\b\w+\.(?:json|yaml|yml|csv|xlsx|docx|html|md|j2|pdf)\b",  # file names
    r"\.[a-z0-9]+(?:\.[a-z0-9]+)*",  # extensions: .json, .html.j2
    r"\./[\w/]+",  # relative folders: ./checklists
    r"\b[a-z]+-\d+(?:-\d+)*\b",  # item and checklist ids: work-2, zuofeng-2008
]


def english_words(text: str) -> set[str]:
    """Latin-letter words in ``text`` that are not options, ids, file names or allowed."""
    for pattern in _NOT_WORDS:
        text = re.sub(pattern, " ", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in ALLOWED_WORDS}


@pytest.mark.parametrize("path", [(), *_commands()], ids=lambda p: " ".join(p) or "selfcheck")
def test_every_help_is_chinese(tmp_path: Path, path: tuple[str, ...]) -> None:
    outcome = run_gbk([*path, "--help"], tmp_path)
    assert outcome.code == 0, outcome.stderr_text()
    text = outcome.out.decode("gbk")
    assert english_words(text) == set(), text
    assert "用法：selfcheck" in text and "选项：" in text


def test_english_words_finds_what_help_used_to_show() -> None:
    """The checker itself: the English of an untranslated help page is caught."""
    old = "Usage: selfcheck report [OPTIONS] RESPONSE\n  -f, --format TEXT  [default: md]"
    assert english_words(old) == {"Usage", "OPTIONS", "RESPONSE", "TEXT", "default"}
    assert english_words("--out 路径  见 ./checklists、work-2、答卷.json、.html.j2") == set()
