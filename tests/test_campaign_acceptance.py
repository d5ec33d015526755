"""Two campaigns end to end: 回头看, carry-forward and the committee's 整改落实情况报告.

Round one (checklist zuofeng-2008): 张三 and 李四 answer, record progress,
the committee re-checks (one 反弹). The committee's report is checked
against figures computed here by hand. Round two (a new checklist version
in which thinking-2 is renamed thinking-b and work-4 is gone): 张三 answers
with ``--previous``; his material opens with 一、上一轮查摆问题整改情况 and
the 反弹 item is a problem of this round, marked 上轮遗留.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_summary_helpers import write_roster
from typer.testing import CliRunner

from selfcheck.cli import app

REPO = Path(__file__).resolve().parent.parent
ROUND1 = "zuofeng-2008"

ZHANG_1 = """\
checklist: zuofeng-2008
respondent: {name: 张三, unit: 规划建设科, position: 科员, role: staff}
answers:
  thinking-1: {rating: good}
  thinking-2: {rating: some, manifestation: 对新业务学习不主动，满足于按老办法办事。,
               cause: 进取意识不强。, measure: 每月学习一项新业务规定并写出笔记。,
               deadline: 2009-02-28}
  thinking-3: {rating: good}
  work-1: {rating: good}
  work-2: {rating: some, manifestation: 办理群众来信有拖拉现象，个别件超过十五天才答复。,
           cause: 时间观念不强。, measure: 建立来信办理台账，七日内答复。, deadline: 2009-01-31}
  work-3: {rating: good}
  work-4: {rating: serious, manifestation: 工作缺乏通盘谋划，年度计划落实不到位。,
           cause: 思路不清。, measure: 制定季度工作计划并按月对账。, deadline: 2009-03-31}
  study-1: {rating: good}
  study-2: {rating: good}
"""

LI_1 = """\
checklist: zuofeng-2008
respondent: {name: 李四, unit: 办公室, position: 科员, role: staff}
answers:
  thinking-1: {rating: good}
  thinking-2: {rating: good}
  thinking-3: {rating: good}
  work-1: {rating: some, manifestation: 接待来访群众时态度生硬。, cause: 宗旨意识淡薄。,
           measure: 落实首问责任制，每月自查一次。, deadline: 2009-01-31}
  work-2: {rating: good}
  work-3: {rating: good}
  work-4: {rating: good}
  study-1: {rating: some, manifestation: 学习计划执行不到位，全年只读了两本业务书。,
            cause: 重工作轻学习。, measure: 制定个人学习计划，每月读一本书。, deadline: 2009-06-30}
  study-2: {rating: good}
"""

ZHANG_2 = """\
checklist: zuofeng-2009
respondent: {name: 张三, unit: 规划建设科, position: 科员, role: staff}
previous:
  thinking-2: {state: 已整改到位, note: 已坚持每月学习新规定并写出笔记}
  work-2: {state: 出现反弹, note: 三月又有两件来信超期答复, deadline: 2009-12-31}
  work-4: {state: 部分整改, note: 季度计划已制定，按月对账尚不到位}
answers:
  thinking-1: {rating: good}
  thinking-b: {rating: good}
  thinking-3: {rating: some, manifestation: 调研不够深入，对基层情况掌握不全面。,
               cause: 怕吃苦。, measure: 每季度下基层调研两次。, deadline: 2009-12-31}
  work-1: {rating: good}
  work-2: {rating: good}
  work-3: {rating: good}
  study-1: {rating: good}
  study-2: {rating: good}
"""


def cli(monkeypatch: pytest.MonkeyPatch, today: str, *args: str) -> Any:
    """Run ``selfcheck ARGS`` on ``today``."""
    monkeypatch.setenv("SELFCHECK_TODAY", today)
    return CliRunner().invoke(app, list(args))


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.output)


def round_two_checklist(folder: Path) -> Path:
    """zuofeng-2009: thinking-2 renamed thinking-b (same wording), work-4 removed."""
    text = (REPO / "checklists" / f"{ROUND1}.yaml").read_text(encoding="utf-8")
    text = text.replace("id: zuofeng-2008", "id: zuofeng-2009")
    text = text.replace('version: "2008.1"', 'version: "2009.1"')
    text = text.replace("      - id: thinking-2\n", "      - id: thinking-b\n")
    start = text.index("      - id: work-4\n")
    end = text.index("\n\n", start)
    text = text[:start] + text[end + 1 :]
    path = folder / "zuofeng-2009.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Round one answered, progress recorded, re-checked (work-2 of 张三 反弹)."""
    r1 = tmp_path / "第一轮"
    (tmp_path / "zhang1.yaml").write_text(ZHANG_1, encoding="utf-8")
    (tmp_path / "li1.yaml").write_text(LI_1, encoding="utf-8")
    for answers in ("zhang1.yaml", "li1.yaml"):
        ok(
            cli(
                monkeypatch,
                "2008-12-20",
                "run",
                "--answers",
                str(tmp_path / answers),
                "--no-input",
                "--out",
                str(r1),
                "--format",
                "none",
            )
        )
    zhang = r1 / f"规划建设科-张三-{ROUND1}.json"
    li = r1 / f"办公室-李四-{ROUND1}.json"
    ok(
        cli(
            monkeypatch,
            "2009-01-20",
            "rectify",
            str(zhang),
            "--no-input",
            "--set",
            "work-2=已完成:台账已建立",
            "--set",
            "thinking-2=整改中:已学两项",
            "--set",
            "work-4=长期坚持:按月对账",
        )
    )
    ok(cli(monkeypatch, "2009-01-25", "rectify", str(li), "--no-input", "--set", "work-1=已完成"))
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "rectify",
            str(zhang),
            "--no-input",
            "--recheck",
            "work-2",
            "--result",
            "反弹",
            "--note",
            "三月又有两件超期",
            "--deadline",
            "2009-06-30",
        )
    )
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "rectify",
            str(zhang),
            "--no-input",
            "--recheck",
            "work-4",
            "--result",
            "巩固",
            "--note",
            "计划按月对账",
        )
    )
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "rectify",
            str(li),
            "--no-input",
            "--recheck",
            "work-1",
            "--result",
            "巩固",
        )
    )
    roster = write_roster(
        tmp_path / "名单.csv",
        [
            ["张三", "规划建设科", "科员", "一般干部"],
            ["李四", "办公室", "科员", "一般干部"],
            ["王五", "办公室", "科员", "一般干部"],
        ],
    )
    return {"root": tmp_path, "r1": r1, "zhang": zhang, "li": li, "roster": roster}


# ----------------------------------------------------------------- round one


def test_rebound_reopens_the_measure_with_its_new_deadline(campaign: dict[str, Path]) -> None:
    data = json.loads(campaign["zhang"].read_text(encoding="utf-8"))
    assert [(r["item"], r["result"]) for r in data["rechecks"]] == [
        ("work-2", "反弹"),
        ("work-4", "巩固"),
    ]
    reopened = data["rectification"][-1]
    assert (reopened["item"], reopened["status"], reopened["deadline"]) == (
        "work-2",
        "整改中",
        "2009-06-30",
    )
    assert data["answers"]["work-2"]["deadline"] == "2009-01-31"  # answers never change


def test_rebound_without_a_deadline_is_refused_and_nothing_written(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = campaign["li"].read_bytes()
    result = cli(
        monkeypatch,
        "2009-03-11",
        "rectify",
        str(campaign["li"]),
        "--no-input",
        "--recheck",
        "work-1",
        "--result",
        "反弹",
    )
    assert result.exit_code == 1
    assert "--deadline" in result.output and "未记录" in result.output
    result = cli(
        monkeypatch,
        "2009-03-11",
        "rectify",
        str(campaign["li"]),
        "--no-input",
        "--recheck",
        "study-1",
        "--result",
        "巩固",
    )
    assert result.exit_code == 1 and "未开始" in result.output
    result = cli(
        monkeypatch,
        "2009-03-11",
        "rectify",
        str(campaign["li"]),
        "--no-input",
        "--recheck",
        "work-1",
        "--result",
        "好",
    )
    assert result.exit_code == 1 and "巩固、反弹" in result.output
    assert campaign["li"].read_bytes() == before


def test_summary_json_has_recheck_and_completion_figures_per_unit(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = campaign["root"] / "汇总.json"
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "summary",
            str(campaign["r1"]),
            "--format",
            "json",
            "-o",
            str(out),
        )
    )
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    rechecks = {
        r["unit"]: (r["checked"], r["by_result"], r["rebound_rate"]) for r in figures["rechecks"]
    }
    assert rechecks["规划建设科"] == (2, {"巩固": 1, "反弹": 1}, 0.5)
    assert rechecks["办公室"] == (1, {"巩固": 1, "反弹": 0}, 0.0)
    assert rechecks["合计"] == (3, {"巩固": 2, "反弹": 1}, 1 / 3)
    completion = {c["unit"]: c["by_completion"] for c in figures["completion"]}
    assert completion["合计"] == {"已完成": 1, "基本完成": 1, "长期坚持": 1, "未完成": 2}


def test_summary_md_and_table_show_the_recheck_figures_per_unit(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    md = ok(cli(monkeypatch, "2009-03-10", "summary", str(campaign["r1"]), "--format", "md"))
    block = md.split("### 回头看")[1]
    assert "| 规划建设科 | 2 | 1 | 1 | 50.0% |" in block
    assert "| 办公室 | 1 | 1 | 0 | 0.0% |" in block
    assert "| 合计 | 3 | 2 | 1 | 33.3% |" in block
    table = ok(cli(monkeypatch, "2009-03-10", "summary", str(campaign["r1"])))
    assert "回头看" in table and "反弹率" in table and "33.3%" in table


def test_the_committee_report_tells_verified_from_self_reported(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "rectify",
            str(campaign["li"]),
            "--no-input",
            "--verify",
            "work-1",
            "--accept",
            "--reviewer",
            "赵委员",
            "--note",
            "台账属实",
        )
    )
    out = ok(cli(monkeypatch, "2009-03-10", "summary", str(campaign["r1"]), "--format", "report"))
    assert "已完成的1条中，经机关党委对账销号1条，干部自报完成、尚未核验0条。" in out


def test_the_committee_report_states_the_hand_computed_figures(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """5 problems: 张三 thinking-2 (整改中, due 02-28: overdue → 未完成), work-2 (反弹 →
    整改中, due 06-30 → 基本完成), work-4 (长期坚持); 李四 work-1 (已完成), study-1 (未开始
    → 未完成). 完成率 1/5; 思想作风 1/5, 工作作风 3/5, 学风 1/5; 回头看 3, 反弹 1/3."""
    out = campaign["root"] / "整改落实情况报告.md"
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "summary",
            str(campaign["r1"]),
            "--roster",
            str(campaign["roster"]),
            "--format",
            "report",
            "-o",
            str(out),
        )
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 关于加强机关作风建设活动整改落实情况的报告")
    assert "\n局党组：\n" in text
    assert (
        "本次活动应参加3人，已提交个人对照检查材料2人（其中一般干部2人），参与率66.67%；尚有1人未提交。"
        in text
    )
    assert (
        "共查摆问题5条。其中，思想作风方面1条，占20.00%；工作作风方面3条，占60.00%；学风方面1条，占20.00%。"
        in text
    )
    assert "5条问题中，已完成1条，基本完成1条，长期坚持1条，未完成2条，整改完成率20.00%。" in text
    assert (
        "规划建设科：查摆问题3条，已完成0条，基本完成1条，长期坚持1条，未完成1条，整改完成率0.00%。"
        in text
    )
    assert (
        "办公室：查摆问题2条，已完成1条，基本完成0条，长期坚持0条，未完成1条，整改完成率50.00%。"
        in text
    )
    assert "超过整改时限仍未完成的问题共1条" in text
    assert "规划建设科张三，思想作风方面：对新业务学习不主动" in text and "已逾期10天" in text
    assert "共复查3项，巩固2项，反弹1项，反弹率33.33%。" in text
    assert "规划建设科：复查2项，巩固1项，反弹1项，反弹率50.00%。" in text
    assert "## 六、下一步工作" in text and "此处由机关党委填写" in text
    assert text.rstrip().endswith("局机关党委<br>\n2009年3月10日</div>")  # right-aligned


def test_the_committee_report_numbers_no_lone_subsection(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A （一） calls for a （二）: a part whose only list is the units' figures or the
    overdue problems lists them (一是、二是…) under its own sentence, with no （一） heading."""
    args = ["summary", str(campaign["r1"]), "--roster", str(campaign["roster"])]
    md = ok(cli(monkeypatch, "2009-03-10", *args, "--format", "report", "--no-similarity"))
    parts = md.split("\n## ")[1:]
    for part in parts:
        subsections = [line for line in part.splitlines() if line.startswith("### ")]
        assert len(subsections) != 1, f"{part.splitlines()[0]}: {subsections}"
    assert "各单位整改情况如下：\n\n一是规划建设科：查摆问题3条" in md
    assert "超过整改时限仍未完成的问题共1条：\n\n规划建设科张三" in md  # one: no 一是
    assert "各单位回头看情况如下：\n\n一是" in md


def test_the_committee_report_is_user_templatable_and_sandboxed(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    template = campaign["root"] / "我的报告.md.j2"
    template.write_text(
        "{% set t = close.completion[-1] %}{{ title }}|{{ t.found }}|"
        "{{ percent(t.done_rate) }}|{{ addressee }}\n",
        encoding="utf-8",
    )
    out = campaign["root"] / "自定义.md"
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "summary",
            str(campaign["r1"]),
            "--format",
            "report",
            "--template",
            str(template),
            "--addressee",
            "市直机关工委",
            "-o",
            str(out),
        )
    )
    assert out.read_text(encoding="utf-8") == (
        "关于加强机关作风建设活动整改落实情况的报告|5|20.00%|市直机关工委：\n"
    )
    template.write_text("{{ close.__class__.__mro__ }}", encoding="utf-8")
    result = cli(
        monkeypatch,
        "2009-03-10",
        "summary",
        str(campaign["r1"]),
        "--format",
        "report",
        "--template",
        str(template),
        "-o",
        str(out),
    )
    assert result.exit_code == 1 and "沙箱" in result.output


def test_the_committee_report_html_escapes_and_extends_the_personal_template(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = campaign["root"] / "报告.html"
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "summary",
            str(campaign["r1"]),
            "--format",
            "report",
            "--signer",
            "<b>局机关党委</b>",
            "-o",
            str(out),
        )
    )
    html = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;局机关党委&lt;/b&gt;" in html and "<b>局机关党委" not in html
    assert "仿宋_GB2312" in html and "37mm" in html  # the personal report's page setup
    assert '<p class="addressee">局党组：</p>' in html


@pytest.mark.e2e
@pytest.mark.slow
def test_the_committee_report_docx_opens_in_libreoffice(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftoppm") is None:
        pytest.skip("libreoffice / pdftoppm not installed")
    root = campaign["root"]
    docx = root / "整改落实情况报告.docx"
    ok(
        cli(
            monkeypatch,
            "2009-03-10",
            "summary",
            str(campaign["r1"]),
            "--roster",
            str(campaign["roster"]),
            "--format",
            "report",
            "-o",
            str(docx),
        )
    )
    profile = root / "lo-profile"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = root / "整改落实情况报告.pdf"
    assert pdf.stat().st_size > 0
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = "".join(text.split())
    assert "整改完成率20.00%" in flat and "反弹率33.33%" in flat and "局党组：" in flat
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(root / "page")], check=True)
    assert sorted(p.name for p in root.glob("page-*.png"))


# ----------------------------------------------------------------- round two


def test_round_two_carries_last_rounds_problems_forward(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = campaign["root"]
    checklist = round_two_checklist(root)
    (root / "zhang2.yaml").write_text(ZHANG_2, encoding="utf-8")
    r2 = root / "第二轮"
    answers = root / "zhang2.yaml"
    output = ok(round_two(monkeypatch, r2, answers, campaign["zhang"], checklist, "md"))
    assert "work-4" in output and "已不存在" in output  # listed, not lost
    response = json.loads((r2 / "规划建设科-张三-zuofeng-2009.json").read_text(encoding="utf-8"))
    carried = {p["previous_item"]: p for p in response["previous"]["problems"]}
    assert carried["thinking-2"]["item"] == "thinking-b"
    assert carried["thinking-2"]["matched_by"] == "wording"
    assert carried["work-2"]["last_status"] == "整改中"  # reopened by 反弹
    assert carried["work-4"]["item"] is None
    # The 反弹 item is a problem of this round, whatever the rating said.
    assert response["answers"]["work-2"]["rating"] == "some"
    assert response["answers"]["work-2"]["manifestation"].startswith("【上轮遗留】办理群众来信")
    assert response["answers"]["work-2"]["deadline"] == "2009-12-31"

    material = (r2 / "规划建设科-张三-zuofeng-2009-对照检查材料.md").read_text(encoding="utf-8")
    headings = [line for line in material.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 一、上一轮查摆问题整改情况",
        "## 二、存在的主要问题",
        "## 三、问题产生的原因剖析",
        "## 四、整改措施和努力方向",
    ]
    part_one = material.split("## 二、")[0]
    assert "本人共查摆问题3项。经对照整改，已整改到位1项，部分整改1项，出现反弹1项。" in part_one
    assert "### （三）出现反弹的问题" in part_one and "三月又有两件来信超期答复" in part_one
    assert "已列入本轮查摆的问题（上轮遗留），本轮整改时限2009年12月31日。" in part_one
    assert "该检查项在本轮检查表中已不再使用" in part_one
    problems = material.split("## 二、存在的主要问题")[1].split("## 三、")[0]
    assert "【上轮遗留】办理群众来信有拖拉现象" in problems

    # The round-two summary counts it as one of this round's problems.
    out = root / "二轮.json"
    ok(
        cli(
            monkeypatch,
            "2009-11-20",
            "summary",
            str(r2),
            "--checklist",
            str(checklist),
            "--format",
            "json",
            "-o",
            str(out),
        )
    )
    rows = json.loads(out.read_text(encoding="utf-8"))["records"][0]["problems"]
    assert sorted(r["item"] for r in rows) == ["thinking-3", "work-2"]


ZHANG_2_SAME_CHECKLIST = """\
checklist: zuofeng-2008
respondent: {name: 张三, unit: 规划建设科, position: 科员, role: staff}
previous:
  thinking-2: {state: 已整改到位}
  work-2: {state: 出现反弹, note: 三月又有两件来信超期答复, deadline: 2009-12-31}
  work-4: {state: 仍未整改, deadline: 2009-12-31}
answers:
  thinking-1: {rating: good}
  thinking-2: {rating: some, manifestation: 对新业务学习不主动，满足于按老办法办事。,
               measure: 每月学习一项新业务规定并写出笔记。, deadline: 2009-12-31}
  thinking-3: {rating: good}
  work-1: {rating: good}
  work-2: {rating: good}
  work-3: {rating: good}
  work-4: {rating: some, manifestation: 本轮季度计划按月对账仍不到位。,
           measure: 每月底对账并向科长报告。, deadline: 2009-12-31}
  study-1: {rating: good}
  study-2: {rating: good}
"""


def test_text_carried_by_previous_is_no_copying_of_ones_own_earlier_round(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """work-2 and work-4 are carried over (上轮遗留): compared with his own round one they
    are no evidence of copying; thinking-2, stated rectified yet written again word for
    word, still is."""
    root = campaign["root"]
    (root / "zhang2.yaml").write_text(ZHANG_2_SAME_CHECKLIST, encoding="utf-8")
    r2 = root / "第二轮"
    ok(round_two(monkeypatch, r2, root / "zhang2.yaml", campaign["zhang"], None, "none"))
    args = ["summary", str(r2), "--compare-with", str(campaign["r1"]), "--format", "json"]
    data = json.loads(ok(cli(monkeypatch, "2009-11-20", *args)))
    fields = {p["field"] for p in data["similar_pairs"] if p["b"]["kind"] == "earlier"}
    assert "thinking-2.manifestation" in fields
    assert not {f for f in fields if f.startswith(("work-2.", "work-4."))}, fields


def test_a_removed_carried_problem_is_not_a_problem_of_this_round(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = campaign["root"]
    checklist = round_two_checklist(root)
    answers = ZHANG_2.replace(
        "deadline: 2009-12-31}\n  work-4", "remove: 该项已调整到其他科室负责}\n  work-4", 1
    )
    (root / "zhang2.yaml").write_text(answers, encoding="utf-8")
    r2 = root / "第二轮"
    ok(round_two(monkeypatch, r2, root / "zhang2.yaml", campaign["zhang"], checklist, "md"))
    response = json.loads((r2 / "规划建设科-张三-zuofeng-2009.json").read_text(encoding="utf-8"))
    assert response["answers"]["work-2"] == {"rating": "good"}
    material = (r2 / "规划建设科-张三-zuofeng-2009-对照检查材料.md").read_text(encoding="utf-8")
    assert "经说明理由（该项已调整到其他科室负责），未列为本轮问题。" in material


def test_bad_previous_files_are_clear_errors(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = campaign["root"]
    checklist = round_two_checklist(root)
    (root / "zhang2.yaml").write_text(ZHANG_2, encoding="utf-8")
    r2 = root / "第二轮"

    def run(previous: Path, answers: str = "zhang2.yaml") -> Any:
        return round_two(monkeypatch, r2, root / answers, previous, checklist, "none")

    other = run(campaign["li"])
    assert (
        other.exit_code == 1 and "办公室 李四" in other.output and "不是本次填写人" in other.output
    )

    unknown = root / "unknown.json"
    data = json.loads(campaign["zhang"].read_text(encoding="utf-8"))
    data["checklist"]["sha256"] = "0" * 64
    unknown.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(unknown)
    assert result.exit_code == 1 and "找不到" in result.output and "--dir" in result.output

    (root / "nostate.yaml").write_text(
        ZHANG_2.replace(
            "  work-4: {state: 部分整改, note: 季度计划已制定，按月对账尚不到位}\n", ""
        ),
        encoding="utf-8",
    )
    missing = run(campaign["zhang"], "nostate.yaml")
    assert missing.exit_code == 1 and "previous.work-4" in missing.output
    assert "Traceback" not in missing.output

    # A 本轮整改时限 already past is refused, as every 整改时限 is.
    (root / "past.yaml").write_text(
        ZHANG_2.replace("deadline: 2009-12-31}\n  work-4", "deadline: 2009-11-19}\n  work-4"),
        encoding="utf-8",
    )
    past = run(campaign["zhang"], "past.yaml")
    assert past.exit_code == 1 and "previous.work-2.deadline" in past.output
    assert "整改时限 2009-11-19 已经过去（今天是 2009-11-20）" in past.output
    assert not r2.exists() or not list(r2.glob("*.json"))


def test_round_two_in_the_terminal_asks_where_each_problem_stands(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck.run.session import RunOptions, run_session
    from selfcheck.testing import ScriptedPrompter

    root = campaign["root"]
    checklist = round_two_checklist(root)
    prefill = root / "zhang2-answers.yaml"
    head, tail = ZHANG_2.split("previous:\n")
    prefill.write_text(head + "answers:" + tail.split("answers:", 1)[1], encoding="utf-8")
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-11-20")
    script = [
        "",  # 是您本人吗
        "",  # 预填的答案已经完整，直接进入核对
        "1",
        "已坚持学习",  # thinking-2 → thinking-b: 已整改到位
        "3",
        "又有超期",
        "是",
        "2009-11-19",  # work-2: 出现反弹, kept, a new deadline already past: refused
        "2009-12-31",
        "2",
        "部分到位",  # work-4 (gone from the checklist): 部分整改
        "",
        "",  # review: submit, confirm
    ]
    prompter = ScriptedPrompter(script)
    options = RunOptions(
        out=root / "第二轮",
        formats="md",
        checklist=str(checklist),
        answers=prefill,
        previous=campaign["zhang"],
    )
    assert run_session(options, prompter) == 0
    screen = prompter.console.export_text()
    assert "上一轮查摆问题整改情况" in screen and "上次状态：整改中" in screen
    assert "整改措施：建立来信办理台账" in screen and "已不存在" in screen
    assert "整改时限 2009-11-19 已经过去（今天是 2009-11-20）" in screen
    response = json.loads(
        (root / "第二轮" / "规划建设科-张三-zuofeng-2009.json").read_text(encoding="utf-8")
    )
    states = {p["previous_item"]: p["state"] for p in response["previous"]["problems"]}
    assert states == {"thinking-2": "已整改到位", "work-2": "出现反弹", "work-4": "部分整改"}
    kept = {p["previous_item"]: p["kept_deadline"] for p in response["previous"]["problems"]}
    assert kept["work-2"] == "2009-12-31"
    assert response["answers"]["work-2"]["manifestation"].startswith("【上轮遗留】")


def test_q_and_back_work_in_the_previous_rounds_questions(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``<`` goes back (within a problem, then to the problem before), ``q`` saves and
    stops, as in the rest of the walk; the keys are shown; a second run goes on from there.
    The date hint's example is after today (2009-11-20)."""
    from selfcheck.run.session import RunOptions, run_session
    from selfcheck.testing import ScriptedPrompter

    root = campaign["root"]
    checklist = round_two_checklist(root)
    prefill = root / "zhang2-answers.yaml"
    head, tail = ZHANG_2.split("previous:\n")
    prefill.write_text(head + "answers:" + tail.split("answers:", 1)[1], encoding="utf-8")
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-11-20")
    options = RunOptions(
        out=root / "第二轮",
        formats="md",
        checklist=str(checklist),
        answers=prefill,
        previous=campaign["zhang"],
    )
    first = ScriptedPrompter(
        [
            "",  # 是您本人吗
            "",  # 预填的答案已经完整
            "<",  # at the very first question: nothing before
            "1",
            "<",  # back from 情况说明 to the state
            "2",  # thinking-2: 部分整改 now
            "学了一半",
            "反弹",  # work-2: an alias of 出现反弹
            "又有超期",
            "<",  # back from 列为本轮问题 to 情况说明
            "",  # keep 又有超期
            "是",
            "q",  # at 本轮整改时限: save and stop
        ]
    )
    assert run_session(options, first) == 0
    screen = first.console.export_text()
    assert "已经是第一项了" in screen and "< 上一步 · q 保存退出" in screen
    assert "请输入 1 到 4 之间的编号" not in screen
    assert "日期，如 2010-01-31" in screen  # after today, not 2009-12-31
    assert "已保存草稿" in screen
    draft = root / "第二轮" / "规划建设科-张三-zuofeng-2009.draft.json"
    saved = json.loads(draft.read_text(encoding="utf-8"))["previous"]["problems"]
    assert [(p["previous_item"], p["state"], p["note"]) for p in saved] == [
        ("thinking-2", "部分整改", "学了一半"),
        ("work-2", None, ""),
        ("work-4", None, ""),
    ]
    again = ScriptedPrompter(
        [
            "",  # 是您本人吗
            "",  # 继续草稿
            "3",
            "又有超期",
            "是",
            "2009-12-31",
            "<",  # back from work-4 to work-2, which is asked again with what was said
            "",
            "",
            "",
            "",
            "2",
            "部分到位",
            "q",  # in the walk of the items: the statements are all in the draft
        ]
    )
    assert run_session(options, again) == 0, again.console.export_text()
    saved = json.loads(draft.read_text(encoding="utf-8"))["previous"]["problems"]
    stated = {p["previous_item"]: (p["state"], p["kept_deadline"]) for p in saved}
    assert stated == {
        "thinking-2": ("部分整改", None),
        "work-2": ("出现反弹", "2009-12-31"),
        "work-4": ("部分整改", None),
    }


def test_an_interactive_rebound_asks_for_the_new_deadline(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-03-11")
    result = CliRunner().invoke(
        app,
        ["rectify", str(campaign["li"]), "--recheck", "work-1", "--result", "反弹"],
        input="2009-03-01\n2009-08-31\n",
    )
    assert result.exit_code == 0, result.output
    assert "新的整改时限" in result.output and "应晚于回头看日期" in result.output
    data = json.loads(campaign["li"].read_text(encoding="utf-8"))
    assert data["rechecks"][-1]["deadline"] == "2009-08-31"
    assert data["rectification"][-1]["deadline"] == "2009-08-31"


# ---------------------------------------------------------- year over year

ZHANG_AGAIN = (
    ZHANG_1.replace(
        "  thinking-1: {rating: good}",
        "  thinking-1: {rating: some, manifestation: 满足于完成交办任务，缺少主动作为。,"
        " measure: 每季度提出一项改进建议。}",
    )
    .replace(
        "  thinking-2: {rating: some, manifestation: 对新业务学习不主动，满足于按老办法办事。,\n"
        "               cause: 进取意识不强。, measure: 每月学习一项新业务规定并写出笔记。,\n"
        "               deadline: 2009-02-28}",
        "  thinking-2: {rating: good}",
    )
    .replace(
        "manifestation: 办理群众来信有拖拉现象，个别件超过十五天才答复。",
        "manifestation: 办理群众来信仍有拖拉现象，个别件超过十五天才答复。",
    )
)
LI_AGAIN = LI_1.replace(
    "  work-1: {rating: some, manifestation: 接待来访群众时态度生硬。, cause: 宗旨意识淡薄。,\n"
    "           measure: 落实首问责任制，每月自查一次。, deadline: 2009-01-31}",
    "  work-1: {rating: good}",
)


def test_year_over_year_part_compares_items_and_finds_recurring_problems(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last round: thinking-2 1/2, work-1 1/2, work-2 1/2, work-4 1/2, study-1 1/2.
    This round: thinking-1 1/2 (rose from 0/2), work-2 1/2 (same), work-4 1/2, study-1 1/2;
    张三's work-2 text is nearly the same, his work-4 and 李四's study-1 are the same: all three
    recur. A damaged file in the old folder is listed, not fatal."""
    root = campaign["root"]
    assert ZHANG_AGAIN != ZHANG_1 and "thinking-2: {rating: good}" in ZHANG_AGAIN
    assert LI_AGAIN != LI_1
    now = root / "本轮"
    for name, text in (("zhang.yaml", ZHANG_AGAIN), ("li.yaml", LI_AGAIN)):
        (root / name).write_text(text, encoding="utf-8")
        ok(
            cli(
                monkeypatch,
                "2008-12-21",
                "run",
                "--answers",
                str(root / name),
                "--no-input",
                "--out",
                str(now),
                "--format",
                "none",
            )
        )
    (campaign["r1"] / "坏文件.json").write_text('{"schema_version": 1, "checklist": ', "utf-8")
    out = ok(
        cli(
            monkeypatch,
            "2008-12-21",
            "summary",
            str(now),
            "--format",
            "report",
            "--compare-with",
            str(campaign["r1"]),
            "--no-similarity",
        )
    )
    part = out.split("## 六、与上一轮比较")[1].split("## 七、下一步工作")[0]
    assert "本轮2人提交，查摆问题4条；上一轮2人提交，查摆问题5条。" in part
    assert "坏文件.json" in part and "未计入" in part
    rose = part.split("### （一）问题率上升的检查项")[1].split("### （二）")[0]
    assert (
        "思想作风方面“查满足现状、不思进取的思想认识根源”：本轮1人（2人作答，问题率50.00%），"
        "上一轮0人（2人作答，问题率0.00%）。" in rose
    )
    assert "工作效率" not in rose  # 1/2 both rounds: not risen
    recur = part.split("### （二）同一问题再次出现")[1]
    assert "规划建设科张三，“工作效率是否高效”：本轮“办理群众来信仍有拖拉现象" in recur
    assert "二是规划建设科张三，“工作思路是否清晰”" in recur  # work-4: the same text
    assert "三是办公室李四，“注重自身学习”" in recur and "四是" not in recur
    anonymous = ok(
        cli(
            monkeypatch,
            "2008-12-21",
            "summary",
            str(now),
            "--format",
            "report",
            "--compare-with",
            str(campaign["r1"]),
            "--no-similarity",
            "--anonymize",
        )
    )
    recur_anon = anonymous.split("### （二）同一问题再次出现")[1]
    assert "张三" not in anonymous and "“工作效率是否高效”" in recur_anon


def test_a_recurring_answer_of_several_paragraphs_is_quoted_as_one(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """同一问题再次出现 quotes each answer inside one justified paragraph: its paragraphs
    are run together (report.text.as_one_paragraph), never a line break in the quote."""
    import zipfile

    root = campaign["root"]
    now = root / "本轮"
    text = ZHANG_1.replace(
        "manifestation: 工作缺乏通盘谋划，年度计划落实不到位。,",
        'manifestation: "工作缺乏通盘谋划，\\n年度计划落实不到位。",',
    )
    assert text != ZHANG_1
    (root / "zhang.yaml").write_text(text, encoding="utf-8")
    args = ["--no-input", "--out", str(now), "--format", "none"]
    ok(cli(monkeypatch, "2008-12-21", "run", "--answers", str(root / "zhang.yaml"), *args))
    report = ["summary", str(now), "--format", "report", "--compare-with", str(campaign["r1"])]
    md = ok(cli(monkeypatch, "2008-12-21", *report, "--no-similarity"))
    recur = md.split("### （二）同一问题再次出现")[1]
    assert "本轮“工作缺乏通盘谋划。年度计划落实不到位”" in recur
    docx = tmp_path / "报告.docx"
    ok(cli(monkeypatch, "2008-12-21", *report, "--no-similarity", "-o", str(docx)))
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    para = next(p for p in xml.split("</w:p>") if "工作缺乏通盘谋划" in p and "本轮" in p)
    assert "<w:br/>" not in para


def test_every_heading_of_the_markdown_report_has_its_text(
    campaign: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A part with nothing to list says so in md as in html and docx (once the md left
    “（一）问题率上升的检查项” with nothing under it); the signature stays right-aligned."""
    args = ["summary", str(campaign["r1"]), "--compare-with", str(campaign["r1"])]
    md = ok(cli(monkeypatch, "2008-12-21", *args, "--format", "report", "--no-similarity"))
    assert "没有问题率上升的检查项。" in md
    html_file = tmp_path / "r.html"
    ok(
        cli(
            monkeypatch,
            "2008-12-21",
            *args,
            "--format",
            "report",
            "--no-similarity",
            "-o",
            str(html_file),
        )
    )
    assert "没有问题率上升的检查项。" in html_file.read_text(encoding="utf-8")
    lines = [line for line in md.splitlines() if line.strip()]
    for line, following in itertools.pairwise(lines):
        if line.startswith("#"):
            assert not following.startswith("#"), f"{line!r} has no text under it"
    assert '<div align="right">局机关党委<br>' in md


def round_two(
    monkeypatch: pytest.MonkeyPatch,
    out: Path,
    answers: Path,
    previous: Path,
    checklist: Path | None,
    fmt: str,
) -> Any:
    """张三's second round on 2009-11-20: ``run --answers --previous --no-input`` into ``out``
    (with the round-two ``checklist`` when given), his material as ``fmt``."""
    options = ["--checklist", str(checklist)] if checklist is not None else []
    return cli(
        monkeypatch,
        "2009-11-20",
        *("run", *options, "--answers", str(answers), "--previous", str(previous)),
        *("--no-input", "--out", str(out), "--format", fmt),
    )
