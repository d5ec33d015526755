"""The built-in checklists: the seed's wording, structure, and a content hash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.checklist.loader import load_checklist
from selfcheck.checklist.model import Checklist

REPO = Path(__file__).resolve().parent.parent
BUILTIN = REPO / "checklists"
SEED_CANDIDATES = [REPO.parent / "shared" / "seed" / "000_658fbbfa51b79dbc.txt"]


def _seed() -> str | None:
    for path in SEED_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def test_default_checklist_has_the_four_rubrics_of_the_second_phase(zuofeng: Checklist) -> None:
    shape = [(s.title, s.rubric, len(s.items)) for s in zuofeng.sections]
    assert shape == [
        ("思想作风", "三查三看", 3),
        ("工作作风", "四个是否", 4),
        ("领导作风", "三多三好", 6),
        ("学风", "两个注重", 2),
    ]
    assert zuofeng.campaign.basis == "茂办发[2008]20号"
    assert [r.label for r in zuofeng.roles] == ["领导干部", "一般干部"]


def test_leadership_section_is_for_leaders_only(zuofeng: Checklist) -> None:
    leader_only = [s.title for s in zuofeng.sections if s.roles == ["leader"]]
    assert leader_only == ["领导作风"]
    assert len(zuofeng.items_for("leader")) == 15
    assert len(zuofeng.items_for("staff")) == 9


def test_three_checks_three_looks_have_both_parts(zuofeng: Checklist) -> None:
    section = next(s for s in zuofeng.sections if s.rubric == "三查三看")
    for item in section.items:
        assert item.text.startswith("查")
        assert item.standard is not None and item.standard.startswith("看")


@pytest.mark.skipif(_seed() is None, reason="the seed document is not next to the repository")
def test_item_wording_is_verbatim_from_the_seed(zuofeng: Checklist) -> None:
    seed = _seed()
    assert seed is not None
    for _, item in zuofeng.items_for("leader"):
        for part in (item.text, item.standard, item.title):
            if not part:
                continue
            # The seed breaks off at its very end ("根本出发"); the item completes the word.
            assert part in seed or seed.rstrip().endswith(part[:-1]), part


def test_every_item_asks_the_rating_and_the_follow_ups(zuofeng: Checklist) -> None:
    for _, item in zuofeng.items_for("leader"):
        meanings = [(q.meaning, q.type, q.required, q.when) for q in item.questions]
        assert meanings == [
            ("rating", "single_choice", True, None),
            ("problem", "long_text", True, "rating.problem"),
            ("cause", "long_text", False, "rating.problem"),
            # asked only after a written cause: groups parts 二 and 三, heads the section
            ("cause_category", "single_choice", False, "rating.problem and cause"),
            ("verdict", "short_text", False, "rating.problem and cause_category"),
            ("opinion", "long_text", False, "rating.problem"),
            ("measure", "long_text", True, "rating.problem"),
            ("deadline", "date", False, "rating.problem"),
            # the ledger's 问题来源 and 整改类型 columns
            ("source", "single_choice", False, "rating.problem"),
            ("rectify_type", "single_choice", False, "rating.problem"),
        ]
        rating = item.questions[0]
        assert rating.options is not None
        assert [o.problem for o in rating.options] == [False, False, True, True]


def test_follow_up_questions_are_written_once_and_referenced() -> None:
    source = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8")
    assert source.count("prompt: 具体表现") == 1
    assert source.count("- use: self_check") == 4


def test_liuxing_checklist_covers_the_six_types_with_other_question_types(
    liuxing_path: Path,
) -> None:
    checklist = load_checklist(liuxing_path)
    assert [s.title for s in checklist.sections] == [
        f"{kind}型机关" for kind in ("学习", "服务", "高效", "和谐", "创新", "廉洁")
    ]
    types = {q.type for _, item in checklist.items_for("staff") for q in item.questions}
    assert {"multiple_choice", "number", "yes_no", "date", "short_text"} <= types


def test_no_code_names_a_section_or_item_of_a_built_in_checklist() -> None:
    """Code reads ``meaning``, ``Option.problem`` and rubrics, never a checklist's ids.

    Item ids (``work-2``) may not appear quoted anywhere; section ids are
    ordinary words (``study``), so only comparisons against them are flagged.
    """
    items: set[str] = set()
    sections: set[str] = set()
    for path in BUILTIN.glob("*.yaml"):
        for section in load_checklist(path).sections:
            sections.add(section.id)
            items.update(item.id for item in section.items)
    patterns = [rf"""(["']){re.escape(name)}\1""" for name in sorted(items)]
    patterns += [
        rf"""(==|!=|\bin)\s*[(\[{{]?\s*(["']){re.escape(name)}\2|(["']){re.escape(name)}\3\s*(==|!=)"""
        for name in sorted(sections)
    ]
    offenders = []
    for module in sorted((REPO / "selfcheck").rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        offenders += [f"{module.relative_to(REPO)}: {p}" for p in patterns if re.search(p, text)]
    assert offenders == [], "code must use meaning/problem/rubric, not ids of a checklist"


# ------------------------------------------------------------------ content hash


def test_hash_ignores_comments_layout_and_key_order(tmp_path: Path, zuofeng: Checklist) -> None:
    source = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8")
    reordered = source.replace(
        'id: zuofeng-2008\nversion: "2008.1"\n', 'version: "2008.1"\nid: zuofeng-2008\n'
    )
    reordered = reordered.replace("# 修改后请运行", "# 另一条注释\n# 修改后请运行")
    reordered = reordered.replace("roles: [leader]", "roles:\n      - leader")
    assert reordered != source
    path = tmp_path / "same.yaml"
    path.write_text(reordered, encoding="utf-8")
    assert load_checklist(path).sha256 == zuofeng.sha256


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("是否简单粗暴、急功近利", "是否简单粗暴"),
        ("label: 做得好", "label: 很好"),
        ("      problem: true\n", "      problem: false\n"),
        ("prompt: 整改措施", "prompt: 整改办法"),
    ],
)
def test_hash_changes_with_content(tmp_path: Path, zuofeng: Checklist, old: str, new: str) -> None:
    source = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8")
    path = tmp_path / "changed.yaml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    assert load_checklist(path).sha256 != zuofeng.sha256


def test_hash_is_hex_sha256(zuofeng: Checklist) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", zuofeng.sha256)
