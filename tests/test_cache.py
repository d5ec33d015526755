"""Results kept between runs are keyed by their inputs: an edited input is made afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.errors import SummaryError, YamlError
from selfcheck.similarity import phrases


def test_stock_phrases_are_parsed_once_per_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCHECK_CONFIG_DIR", str(tmp_path / "config"))
    file = tmp_path / "套话.yaml"
    file.write_text("phrases:\n  - 理论学习不够深入\n  - 宗旨意识淡化\n", "utf-8")
    assert phrases.load_stock_phrases(file) == ["理论学习不够深入", "宗旨意识淡化"]
    parsed: list[Path] = []
    real = phrases._parse

    def counting(path: Path) -> list[str]:
        parsed.append(path)
        return real(path)

    monkeypatch.setattr(phrases, "_parse", counting)
    assert phrases.load_stock_phrases(file) == ["理论学习不够深入", "宗旨意识淡化"]
    assert parsed == []  # the same bytes: from the cache
    file.write_text("phrases:\n  - 作风不够扎实\n", "utf-8")
    assert phrases.load_stock_phrases(file) == ["作风不够扎实"]
    assert parsed == [file]  # edited: parsed again
    file.write_text("phrases: 作风不够扎实\n", "utf-8")
    with pytest.raises(SummaryError, match="套话表格式不对"):
        phrases.load_stock_phrases(file)  # a broken file is never served from the cache
    file.unlink()
    with pytest.raises(YamlError, match="找不到文件"):
        phrases.load_stock_phrases(file)


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("SELFCHECK_CONFIG_DIR", str(blocker))
    assert "宗旨意识淡化" in "".join(phrases.load_stock_phrases())
