"""``selfcheck review DIR --list`` shows the 雷同 band of each file of a planted pair."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.similarity.model import BANDS

BAND = re.compile(r"雷同检查：与 .+ 的“.+”重合 \d+%（(" + "|".join(BANDS) + r")），请比对后判断")


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = run("demo", str(folder), "--people", "40", "--copies", "0.2")
    assert result.exit_code == 0, result.output
    return folder


def blocks(output: str) -> dict[str, str]:
    """The warnings block of each listed file, by the file's name (``N. 单位 姓名：FILE``)."""
    out: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        head = re.match(r"^\d+\. .+：(.+\.json)$", line)
        if head:
            current = Path(head.group(1)).name
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


def planted(demo: Path) -> set[str]:
    key = json.loads((demo / "雷同答案.json").read_text(encoding="utf-8"))
    names = set()
    for pair in key["planted"]:
        names.add(Path(pair["copier"]["file"]).name)
        names.add(Path(pair["source"]["file"]).name)
    return names


def test_list_names_the_band_for_both_files_of_a_planted_pair(demo: Path) -> None:
    result = run("review", str(demo / "答卷"), "--list")
    assert result.exit_code == 0, result.output
    listed = blocks(result.output)
    pairs = planted(demo)
    assert pairs, "the demo planted no copy"
    for name in pairs:
        assert BAND.search(listed[name]), (name, listed[name])
    honest = [n for n in listed if n not in pairs]
    assert honest
    for name in honest:
        assert "雷同检查" not in listed[name], (name, listed[name])
    assert "抄袭" not in result.output


def test_no_similarity_leaves_it_out(demo: Path) -> None:
    result = run("review", str(demo / "答卷"), "--list", "--no-similarity")
    assert result.exit_code == 0, result.output
    assert len(blocks(result.output)) >= len(planted(demo))
    assert "雷同检查" not in result.output


def test_the_list_counts_each_person_once_as_the_summary_does(demo: Path) -> None:
    """An earlier submission (the demo keeps some in 第一次收集/) is not a material to
    review: the list shows the newest, and its counts are the summary's 材料审核."""
    listed = run("review", str(demo / "答卷"), "--list", "--no-similarity")
    assert listed.exit_code == 0, listed.output
    summary = run("summary", str(demo / "答卷"), "--format", "json", "--no-similarity")
    data = json.loads(summary.output)
    total = data["figures"]["reviews"][-1]
    earlier = [s for s in data["skipped"] if s["code"] == "superseded"]
    assert earlier, "the demo keeps earlier submissions"
    assert f"共 {total['materials']} 份已提交的材料" in listed.output
    assert f"另有 {len(earlier)} 份是同一人较早的提交" in listed.output
    for skip in earlier:
        assert skip["file"] not in listed.output
