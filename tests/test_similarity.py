"""雷同检查 (issue 12): normalisation, stock phrases, planted copies, the JSON contract,
anonymising, rollup across units, hostile template folders, and safe HTML."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_summary_helpers import make_response, write
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.similarity.detect import find_pairs
from selfcheck.similarity.materials import Material, fields_of
from selfcheck.similarity.model import BANDS, WHOLE, Party
from selfcheck.similarity.normalise import normalise, normalise_many
from selfcheck.similarity.phrases import load_stock_phrases

OWN = (
    "三月十二日在滨河路雨污分流工程的竣工验收中，我只看了施工方报来的台账，"
    "没有下到检查井里看接口，结果两个月后主管道渗漏，附近七户居民家中返水"
)
"""A paragraph nobody else would write: shared, it is evidence."""


def _plan() -> Any:
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.plan import plan_from_checklist

    return plan_from_checklist(resolve_checklist(None))


def _material(name: str, texts: dict[str, str], unit: str = "办公室") -> Material:
    return Material(Party(name, unit, f"{unit}/{name}.json"), list(texts.items()))


def _summary(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["summary", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# ------------------------------------------------------------ normalisation


def test_normalisation_folds_width_and_drops_punctuation_and_spaces() -> None:
    assert normalise("ＡＢＣ，１２３　理论 学习！") == "abc123理论学习"
    assert normalise("宗旨意识,淡化。") == normalise("宗旨意识，淡化；") == "宗旨意识淡化"
    assert normalise("\t整改\n措施\u3000") == "整改措施"
    # In bulk, a run with a cased letter is lower-cased, one without is left as it is.
    assert normalise_many(["PPT 做得多", "理论学习"]) == ["ppt做得多", "理论学习"]
    assert normalise_many(["ΣΟΦΊΑ 学习"]) == [normalise("ΣΟΦΊΑ 学习")] == ["σοφία学习"]


@given(st.lists(st.text(max_size=30), max_size=8))
def test_bulk_normalisation_equals_one_by_one(texts: list[str]) -> None:
    # NUL, the separator of the bulk path, included: the texts come from anyone.
    assert normalise_many(texts) == [normalise(t) for t in texts]


# ------------------------------------------------------------ the method


def test_shared_stock_phrases_and_checklist_wording_are_not_copying() -> None:
    plan = _plan()
    item = next(iter(plan.items.values()))
    field = fields_of(plan)[(item.id, "cause")]
    stock = "；".join(load_stock_phrases()[:8])
    quoted = f"{item.text}。{stock}。"
    pairs = find_pairs(
        plan,
        [_material("甲", {field: quoted}), _material("乙", {field: quoted})],
        stock_phrases=load_stock_phrases(),
    ).pairs
    assert pairs == []
    # The same two texts with one paragraph of their own in common: now it is evidence.
    result = find_pairs(
        plan,
        [_material("甲", {field: quoted + OWN}), _material("乙", {field: OWN + quoted})],
        stock_phrases=load_stock_phrases(),
    )
    assert {p.field for p in result.pairs} == {field, WHOLE}
    assert all(p.band == "重点审核" and p.score == 1.0 for p in result.pairs)
    assert normalise(OWN) in result.pairs[0].passages


CAUSE = (
    "我总以为验收是施工单位和监理的事，自己签字只是走程序，"
    "这种把责任推给别人的想法在参加工作第十二年时已经根深蒂固"
)
MEASURE = (
    "今后凡是我签字的隐蔽工程都要亲自下井查看接口并拍照留档，"
    "每月十五日前把上月签过字的工程逐项回访一遍，回访记录交科长审阅"
)


def test_a_disguised_copy_is_found_and_an_honest_text_is_not() -> None:
    import random

    from selfcheck.summary.demo_texts import disguise

    plan = _plan()
    item = next(iter(plan.items.values()))
    fields = fields_of(plan)
    own = {
        fields[(item.id, "problem")]: OWN,
        fields[(item.id, "cause")]: CAUSE,
        fields[(item.id, "measure")]: MEASURE,
    }
    honest = (
        "在窗口接待时我对一位老人的询问很不耐烦，让他在大厅里等了四十分钟，"
        "事后才知道他是来补办房产证的"
    )
    found = 0
    for seed in range(20):
        rng = random.Random(seed)
        copied = {
            f: disguise(rng, text + "。这件事让我认识到自己离群众的要求还差得远。")
            for f, text in own.items()
        }
        result = find_pairs(
            plan,
            [
                _material("甲", own),
                _material("乙", copied),
                _material("丙", {fields[(item.id, "problem")]: honest}),
            ],
            stock_phrases=load_stock_phrases(),
        )
        people = {frozenset((p.a.name, p.b.name)) for p in result.pairs}
        found += frozenset(("甲", "乙")) in people
        assert not any("丙" in pair for pair in people)
    # LSH is probabilistic: a heavily edited copy of three short answers (Jaccard
    # 0.4-0.5 each) is still found almost every time, an honest text never.
    assert found >= 18


def test_a_response_without_free_text_takes_no_part() -> None:
    plan = _plan()
    result = find_pairs(plan, [_material("甲", {}), _material("乙", {})])
    assert result.pairs == [] and result.compared == 0 and result.no_text == 2


# ------------------------------------------------------------ the demo end to end


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 400-person demo bureau with 8 % planted copies (and its answer key)."""
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.demo import write_demo

    root = tmp_path_factory.mktemp("sim")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", "2009-01-15")
        write_demo(root, resolve_checklist(None), people=400, seed=5, copies=0.08)
    yield root


def _planted(root: Path) -> list[dict[str, Any]]:
    key: list[dict[str, Any]] = json.loads((root / "雷同答案.json").read_text("utf-8"))["planted"]
    return key


def _who(p: dict[str, Any]) -> tuple[str, str]:
    return (p["unit"], p["name"])


def test_demo_plants_copies_only_in_the_answer_key(bureau: Path) -> None:
    planted = _planted(bureau)
    assert len(planted) >= 10
    for path in (bureau / "答卷").rglob("*.json"):
        text = path.read_text("utf-8")
        assert "copier" not in text and "雷同" not in text


def test_planted_copies_are_found_and_honest_people_are_not_flagged(bureau: Path) -> None:
    data = _summary([str(bureau / "答卷")])
    planted = {frozenset((_who(k["copier"]), _who(k["source"]))) for k in _planted(bureau)}
    found = {frozenset((_who(p["a"]), _who(p["b"]))) for p in data["similar_pairs"]}
    assert len(planted & found) / len(planted) >= 0.95
    involved = {person for pair in planted for person in pair}
    honest = {(r["unit"], r["name"]) for r in data["records"]} - involved
    flagged = {person for pair in found for person in pair} & honest
    assert len(flagged) <= 0.01 * len(honest)


def test_json_contract(bureau: Path) -> None:
    data = _summary([str(bureau / "答卷")])
    plan = _plan()
    fields = set(fields_of(plan).values())
    assert data["similar_pairs"]
    for pair in data["similar_pairs"]:
        for side in ("a", "b"):
            assert set(pair[side]) >= {"name", "unit", "file"}
            assert pair[side]["name"] and pair[side]["file"]
        assert pair["field"] == "whole" or pair["field"] in fields
        assert 0.0 <= pair["score"] <= 1.0
        assert pair["band"] in BANDS
        assert isinstance(pair["passages"], list)
    # The unit summary carries what rollup cannot recompute from its records (which
    # hold the texts): the thresholds and the pairs with earlier texts or templates,
    # without a second copy of any text.
    carried = data["similarity"]
    assert carried["params"]["shingle"] == 5
    assert "signatures" not in carried and "keys" not in carried
    assert all(pair["a_text"] == "" for pair in carried.get("external", []))


def test_no_similarity_leaves_the_part_out(bureau: Path) -> None:
    data = _summary([str(bureau / "答卷"), "--no-similarity"])
    assert "similar_pairs" not in data and "similarity" not in data
    result = CliRunner().invoke(app, ["summary", str(bureau / "答卷"), "--format", "md"])
    assert "## 十、雷同检查" in result.stdout
    off = CliRunner().invoke(
        app, ["summary", str(bureau / "答卷"), "--format", "md", "--no-similarity"]
    )
    assert "雷同检查" not in off.stdout


def test_the_part_is_numbered_after_the_others_and_ends_before_the_footer(bureau: Path) -> None:
    """On paper the summary runs 一、…九、; 雷同检查 is the next part, 十、, not an
    unnumbered heading, and in HTML it comes before the 由 selfcheck 生成 footer."""
    import re

    runner = CliRunner()
    folder = str(bureau / "答卷")
    md = runner.invoke(app, ["summary", folder, "--format", "md"]).stdout
    parts = re.findall(r"^## (.+)$", md, flags=re.M)
    assert parts[-1] == "十、雷同检查", parts
    html = runner.invoke(app, ["summary", folder, "--format", "html"]).stdout
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[-1] == "十、雷同检查", headings
    assert html.index("十、雷同检查") < html.index("由 selfcheck")
    assert "雷同检查" not in html[html.index("由 selfcheck") :]


def test_anonymize_shows_only_codes(bureau: Path) -> None:
    names = {k["copier"]["name"] for k in _planted(bureau)} | {
        k["source"]["name"] for k in _planted(bureau)
    }
    data = _summary([str(bureau / "答卷"), "--anonymize"])
    assert data["similar_pairs"]
    for pair in data["similar_pairs"]:
        for side in ("a", "b"):
            assert pair[side]["name"] not in names
            assert not any(n in pair[side]["file"] for n in names)
    md = (
        CliRunner()
        .invoke(app, ["summary", str(bureau / "答卷"), "--format", "md", "--anonymize"])
        .stdout
    )
    part = md[md.index("## 十、雷同检查") :]
    assert not any(n in part for n in names)


def test_rollup_of_two_unit_summaries_finds_a_copy_across_them(
    bureau: Path, tmp_path: Path
) -> None:
    across = [k for k in _planted(bureau) if k["copier"]["unit"] != k["source"]["unit"]]
    assert across
    pick = across[0]
    unit_a = pick["copier"]["unit"]
    folders = sorted(p for p in (bureau / "答卷").iterdir() if p.is_dir())
    part_a = [str(p) for p in folders if p.name == unit_a]
    part_b = [str(p) for p in folders if p.name != unit_a]
    runner = CliRunner()
    for name, part in (("a.json", part_a), ("b.json", part_b)):
        result = runner.invoke(
            app, ["summary", *part, "--format", "json", "-o", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    wanted = frozenset((_who(pick["copier"]), _who(pick["source"])))
    for name in ("a.json", "b.json"):
        unit = json.loads((tmp_path / name).read_text("utf-8"))
        assert wanted not in {
            frozenset((_who(p["a"]), _who(p["b"]))) for p in unit["similar_pairs"]
        }
    result = runner.invoke(
        app, ["rollup", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    merged = json.loads(result.stdout)
    assert wanted in {frozenset((_who(p["a"]), _who(p["b"]))) for p in merged["similar_pairs"]}
    # A unit summary of an earlier version carried signatures as well: still read.
    older = json.loads((tmp_path / "a.json").read_text("utf-8"))
    older["similarity"] |= {"keys": [["x.json", "whole"]], "signatures": "AAAA"}
    (tmp_path / "a.json").write_text(json.dumps(older, ensure_ascii=False), "utf-8")
    again = runner.invoke(
        app, ["rollup", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json"]
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["similar_pairs"] == merged["similar_pairs"]


def test_compare_with_an_earlier_folder_finds_the_same_text_again(
    bureau: Path, tmp_path: Path
) -> None:
    earlier = tmp_path / "去年"
    unit = sorted(p for p in (bureau / "答卷").iterdir() if p.is_dir())[0]
    shutil.copytree(unit, earlier / unit.name)
    data = _summary([str(unit), "--compare-with", str(earlier)])
    kinds = {p["b"]["kind"] for p in data["similar_pairs"]}
    assert "earlier" in kinds

    def relative(side: dict[str, Any], root: Path) -> Path | None:
        path = Path(side["file"])
        return path.relative_to(root) if path.is_relative_to(root) else None

    same_file = [  # the very file copied into 去年 (not someone's other submission there)
        p
        for p in data["similar_pairs"]
        if p["b"]["kind"] == "earlier"
        and p["field"] == "whole"
        and relative(p["a"], unit.parent) == relative(p["b"], earlier) is not None
    ]
    # Identical texts: everything but stretches shorter than a counted passage (13
    # characters between two stock phrases, which are not evidence) is shared; a text
    # full of stock phrases (one of this demo's: 0.94) scores a little lower.
    assert same_file and all(p["score"] >= 0.9 for p in same_file), [
        (p["a"]["file"], p["score"]) for p in same_file if p["score"] < 0.9
    ]
    assert all(p["band"] == "重点审核" for p in same_file)


# ------------------------------------------------------------ templates


def test_hostile_templates_folder_lists_skips_and_still_finds_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck.checklist.registry import resolve_checklist

    monkeypatch.setenv("SELFCHECK_TODAY", "2009-01-15")
    checklist = resolve_checklist(None)
    item = checklist.items_for("staff")[0][1].id
    folder = tmp_path / "答卷"
    write(
        folder,
        "张三.json",
        make_response(
            checklist,
            name="张三",
            unit="办公室",
            role="staff",
            ratings={item: "some"},
            problems={
                item: {"problem": OWN, "measure": "每周到现场一次", "deadline": "2009-03-01"}
            },
        ),
    )
    templates = tmp_path / "范文"
    templates.mkdir()
    (templates / "范文一.txt").write_text("某局干部个人对照检查材料\n" + OWN + "。\n", "gb18030")
    # the same 范文 saved by Notepad as "Unicode" (UTF-16) is read too
    (templates / "范文二.txt").write_text("某局干部个人对照检查材料\n" + OWN + "。\n", "utf-16")
    (templates / "空.txt").write_bytes(b"")
    (templates / "二进制.md").write_bytes(b"\x00\x01\x02PK\x00")
    (templates / "假的.docx").write_bytes(b"not a zip at all")
    (templates / "图片.png").write_bytes(b"\x89PNG\r\n")
    with (templates / "巨大.txt").open("wb") as handle:
        handle.truncate(3 << 20)
    (templates / "乱码.txt").write_bytes(b"\xff\xfe\xfa" * 10)
    (templates / "链接.txt").symlink_to(templates / "范文一.txt")  # listed, not followed
    hostile = {"空.txt", "二进制.md", "假的.docx", "图片.png", "巨大.txt", "乱码.txt", "链接.txt"}
    if hasattr(os, "mkfifo"):  # a pipe is listed at once, never waited on
        os.mkfifo(templates / "管道.txt")
        hostile.add("管道.txt")
    data = _summary([str(folder), "--templates", str(templates)])
    hits = [p for p in data["similar_pairs"] if p["b"]["kind"] == "template"]
    assert hits and hits[0]["b"]["name"] == "范文一" and hits[0]["band"] == "重点审核"
    # the link to 范文一 was not read as a second template
    assert {Path(p["b"]["file"]).name for p in hits} == {"范文一.txt", "范文二.txt"}
    skipped = {Path(s["file"]).name: s["reason"] for s in data["similarity"]["skipped_templates"]}
    assert set(skipped) == hostile
    assert skipped["巨大.txt"] == "文件过大（3 MB，上限 2 MB）"
    assert "符号链接" in skipped["链接.txt"]
    if "管道.txt" in skipped:
        assert skipped["管道.txt"] == "不是普通文件（如管道、设备），未读取"
    md = (
        CliRunner()
        .invoke(app, ["summary", str(folder), "--templates", str(templates), "--format", "md"])
        .stdout
    )
    for name in skipped:
        assert name in md


# ------------------------------------------------------------ html


def test_html_escapes_texts_and_marks_the_shared_passages() -> None:
    from selfcheck.similarity.render import highlight, html_section

    plan = _plan()
    item = next(iter(plan.items.values()))
    field = fields_of(plan)[(item.id, "problem")]
    hostile = "<script>alert(1)</script>" + OWN
    result = find_pairs(
        plan, [_material("<b>甲</b>", {field: hostile}), _material("乙", {field: OWN})]
    )
    page = str(html_section(result, plan))
    assert "<script>" not in page and "<b>甲</b>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;甲&lt;/b&gt;" in page
    marked = str(highlight(hostile, result.pairs[0].passages))
    assert marked.startswith("&lt;script&gt;") and '<mark class="p0"' in marked


@pytest.mark.e2e
def test_a_passage_the_other_side_holds_only_in_pieces_is_marked_there_too() -> None:
    """A passage is one side's run of shingles that the other side also has, each
    somewhere; a copy that swapped 每周 for 每个星期 at its start holds it only in
    pieces, which are marked (once the copy showed no mark at all)."""
    from selfcheck.similarity.render import highlight

    original = "每周对照检查；10月底前把绿化提升审批环节压缩到2个，每周对照检查。"
    copy = "这一点尤为明显，每个星期对照检查。10月底前把绿化提升审批环节压缩到2个，每周对照检查。"
    passage = "每周对照检查10月底前把绿化提升审批环节压缩到2个每周对照检查"
    assert passage not in copy.replace("；", "").replace("，", "").replace("。", "")
    whole = str(highlight(original, [passage]))
    assert whole.count('<mark class="p0"') == 1 and "每周对照检查；10月底前" in whole
    pieces = str(highlight(copy, [passage]))
    shared = "对照检查。10月底前把绿化提升审批环节压缩到2个，每周对照检查"
    assert f'<mark class="p0" title="重合段落 1">{shared}</mark>' in pieces
    assert "这一点尤为明显" not in pieces.split("<mark")[1]  # what is not shared stays plain


def test_chromium_shows_the_passages_marked_and_runs_no_script(
    bureau: Path, tmp_path: Path
) -> None:
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "汇总.html"
    result = CliRunner().invoke(
        app, ["summary", str(bureau / "答卷"), "--format", "html", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'id="similarity"' in dom
    pairs = dom.count('class="sim-pair"')
    assert pairs >= 1
    assert dom.count('<mark class="p0"') >= 2 * pairs  # both sides of every pair


def test_densify_fills_each_empty_bin_from_the_next_filled_bin_to_its_right() -> None:
    import numpy as np

    from selfcheck.similarity import sketch

    rng = np.random.default_rng(0)
    raw = rng.integers(0, 1 << 20, (300, sketch.BINS)).astype(np.uint32)
    raw[rng.random(raw.shape) < 0.85] = sketch.EMPTY
    raw[0] = sketch.EMPTY  # a text with no shingle stays empty
    raw[1] = sketch.EMPTY
    raw[1, 5] = 7  # one filled bin feeds every other bin, circularly
    expected = raw.copy()
    for i, row in enumerate(raw):
        for j in range(sketch.BINS):
            if row[j] != sketch.EMPTY:
                continue
            for d in range(1, sketch.BINS):
                value = row[(j + d) % sketch.BINS]
                if value != sketch.EMPTY:
                    expected[i, j] = value | (d << 24)
                    break
    assert (sketch.densify(raw) == expected).all()


def test_signature_agreement_estimates_jaccard() -> None:
    import numpy as np

    from selfcheck.similarity import sketch

    base = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400))
    other = base[:200] + "".join(chr(0x4E00 + (i * 104729) % 20000) for i in range(200))
    shingled = sketch.shingle_texts([base, other], None)
    a, b = shingled.as_set(0), shingled.as_set(1)
    true = len(a & b) / len(a | b)
    sig = sketch.signatures(shingled, shingled.bounds[:-1], shingled.bounds[1:])
    estimate = float(np.mean(sig[0] == sig[1]))
    assert abs(estimate - true) < 0.12
    # A whole material (the two texts as one row) agrees with each part at least as often
    # as the parts agree with each other.
    whole = sketch.signatures(shingled, shingled.bounds[:1], shingled.bounds[2:])
    assert np.mean(whole[0] == sig[0]) >= estimate and np.mean(whole[0] == sig[1]) >= estimate


def test_a_stock_phrase_that_yaml_reads_as_no_text_is_named_by_its_line(tmp_path: Path) -> None:
    """A phrase with an ASCII colon and space (``作风建设: 要常抓不懈``) is a key and value to
    YAML, a bare year a number: the message once named only the file."""
    from typer.testing import CliRunner

    from selfcheck.cli import app

    stock = tmp_path / "套话.yaml"
    stock.write_text(
        "phrases:\n  - 理论学习不够深入\n  - 作风建设: 要常抓不懈\n  - 2008\n", "utf-8"
    )
    result = CliRunner().invoke(
        app, ["summary", str(tmp_path), "--stock-phrases", str(stock), "--format", "json"]
    )
    assert result.exit_code == 1
    assert f"{stock}:3:5: phrases[1]: 应为一条文字" in result.stderr
    assert "冒号加空格" in result.stderr
    assert f"{stock}:4:5: phrases[2]: 应为一条文字：请加引号" in result.stderr
