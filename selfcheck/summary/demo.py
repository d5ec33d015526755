"""``selfcheck demo``: a realistic synthetic bureau to try ``summary`` on.

Writes a roster (``名单.csv``, UTF-8 with BOM as Chinese Excel saves it) and one
response file per person through the real :class:`~selfcheck.response.Response`
model: most people submitted, some only saved a draft, some sent nothing, a few
handed in an earlier copy too. Problems come with varied Chinese text chosen by
what an item is about (its wording), deadlines fall on both sides of today, and
some measures already have rectification progress. Same seed, same bureau
(dates are relative to :func:`selfcheck.clock.today`).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock, rules
from selfcheck.atomicio import write_bytes_atomic
from selfcheck.errors import UsageError
from selfcheck.rules import Status
from selfcheck.summary import demo_copies, demo_texts

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist, Item, Question
    from selfcheck.response import Answer, RectifyEntry, Response

ROSTER_NAME = "名单.csv"
RESPONSES_DIR = "答卷"
EARLIER_DIR = "第一次收集"
ANSWER_KEY = "雷同答案.json"
"""The demo's answer key of planted copies (beside the roster, not among the responses)."""

UNITS: tuple[tuple[str, int], ...] = (
    ("局机关办公室", 6),
    ("规划建设科", 5),
    ("城建监察支队", 12),
    ("市政工程管理处", 10),
    ("建筑工程质量监督站", 8),
    ("房地产管理所", 9),
    ("公用事业管理处", 7),
    ("建设工程造价管理站", 4),
)
"""局属单位 and their relative sizes."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红志海燕峰亮文斌宇浩凯健俊帆帅旭宁"
    "婷雪琳晨阳丹毅林东晓春云飞波瑞龙成新国庆德荣永兴振家祥嘉鑫佳慧颖思远卫彬琦欣梅秋月"
)
LEADER_POSITIONS = (
    "局长",
    "副局长",
    "主任",
    "副主任",
    "科长",
    "副科长",
    "支队长",
    "副支队长",
    "所长",
    "站长",
)
STAFF_POSITIONS = ("科员", "科员", "副主任科员", "主任科员", "办事员", "工作人员", "技术员")

CONTEXTS = (
    "在办理建设工程报建审批时",
    "在窗口接待来访群众时",
    "在城区道路改造项目协调中",
    "在工程质量安全检查中",
    "在处理群众来信来访时",
    "在起草文件材料时",
    "在参加集中学习时",
    "在下基层调研时",
    "在项目资金审核中",
    "在房屋产权登记工作中",
    "在市政设施维护管理中",
    "在年度目标任务推进中",
    "在城建执法巡查中",
    "在商品房预售许可审查中",
)
SYMPTOMS: dict[str, tuple[str, ...]] = {
    "thinking": (
        "满足于完成上级交办的任务，缺乏主动思考和开拓创新的劲头",
        "存在“差不多就行”的思想，工作标准不高",
        "习惯按老办法、老经验办事，对新情况新问题研究不够",
        "对科学发展观的理解停留在表面，没有真正用于指导工作",
        "存在重建设轻管理、重速度轻质量的倾向",
        "看问题局限于本科室、本单位，缺乏全局观念",
    ),
    "attitude": (
        "对前来办事的群众解释不够耐心，有时语气生硬",
        "一次性告知做得不到位，群众需要多次往返",
        "遇到不属于本科室职责的事情习惯往外推",
    ),
    "efficiency": (
        "个别审批事项超过承诺时限才办结",
        "对需要多方协调的事项有等靠思想，办理拖拉",
        "文件流转环节多，催办督办跟得不紧",
    ),
    "method": (
        "处理问题有时简单化，缺乏深入细致的思想工作",
        "追求短期效果，对长远规划考虑不足",
        "执法中重处罚轻教育，方式方法不够灵活",
    ),
    "innovation": (
        "工作思路不够开阔，创新意识不强",
        "对新问题不敢闯、不敢试，怕担责任",
        "工作按部就班，缺少改进服务的新办法",
    ),
    "masses": (
        "深入基层调研次数偏少，掌握一线情况不够全面",
        "听取干部群众意见的渠道单一，座谈多、走访少",
        "对群众反映的热点难点问题跟踪落实不够",
        "廉洁自律方面对身边人员要求不够严格",
    ),
    "study": (
        "学习缺乏系统性，工学矛盾处理得不好",
        "学习停留在读文件、记笔记，学用结合不够",
        "对新出台的法律法规和业务规范学习不及时",
    ),
    "general": (
        "自我要求有所放松，工作主动性不够",
        "对照要求还有差距，落实不够到位",
    ),
}
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("study", ("学习", "学以致用")),
    ("masses", ("群众", "基层", "意见", "口碑", "形象", "廉洁")),
    ("efficiency", ("效率", "拖拉", "扯皮")),
    ("attitude", ("态度", "门难进", "脸难看")),
    ("method", ("方式", "粗暴", "急功近利")),
    ("innovation", ("思路", "创新", "敢闯")),
    ("thinking", ("思想", "观念", "认识", "进取")),
)
CAUSES = (
    "理论学习不够深入，世界观、人生观、价值观改造抓得不紧",
    "宗旨意识有所淡化，服务意识不强",
    "对自己要求不够严格，存在松懈思想",
    "进取意识减退，满足于现状",
    "工作方法单一，调查研究不够",
    "对新形势新任务的认识不足，思想解放不够",
    "责任意识不强，有怕麻烦、图省事的想法",
)
OPINIONS = (
    "群众反映办事需要跑多次",
    "有同志提出窗口服务态度有待改进",
    "基层单位反映下来调研的时间较短",
    "干部职工希望多组织业务培训",
    "服务对象反映审批时限偏长",
    "征求意见中有同志指出会议多、落实少",
)
MEASURES = (
    "严格执行首问责任制和限时办结制，建立办件台账，每周对账一次",
    "每季度至少到基层调研{n}次，形成调研报告",
    "建立一次性告知清单并在窗口公示，杜绝群众多次往返",
    "制定个人学习计划，每月撰写学习心得不少于{n}篇",
    "主动征求服务对象意见，每月回访不少于{n}户",
    "对照岗位职责梳理工作流程，压缩办理环节{n}个",
    "认真学习科学发展观有关论述，结合本职工作写出心得体会",
    "把群众满意度作为检验工作的标准，定期开展自查",
)
NOTES = (
    "已建立台账，每周对账",
    "已完成调研报告{n}篇",
    "清单已在窗口公示",
    "已参加集中学习{n}次",
    "已回访服务对象{n}户",
    "流程图已修订并上墙",
)
RECTIFY_PATHS = (
    (Status.IN_PROGRESS,),
    (Status.IN_PROGRESS, Status.DONE),
    (Status.DONE,),
    (Status.IN_PROGRESS, Status.ONGOING),
    (Status.NOT_STARTED, Status.IN_PROGRESS),
)


@dataclass(frozen=True)
class DemoPerson:
    """One member of the synthetic bureau."""

    name: str
    unit: str
    position: str
    role: str


def demo_command(
    folder: Path, *, people: int, seed: int, console: Console, copies: float = 0.0
) -> None:
    """``selfcheck demo``: write a roster and responses for ``people`` people into ``folder``."""
    from selfcheck.checklist.registry import resolve_checklist

    if people < 1:
        raise UsageError("人数至少为 1")
    if not 0.0 <= copies <= 0.5:
        raise UsageError("--copies 应在 0 到 0.5 之间，如 0.05（5% 的答卷为抄改他人的文字）")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"文件夹 {folder} 已存在且不是空的：请指定一个新的或空的文件夹")
    checklist = resolve_checklist(None)
    stats = write_demo(folder, checklist, people=people, seed=seed, copies=copies)
    console.print(
        f"已在 {folder} 生成演示数据：{people} 人，{len(UNITS)} 个单位；"
        f"已提交 {stats['submitted']} 份，仅草稿 {stats['drafts']} 份，"
        f"未提交 {stats['missing']} 人，"
        f"重复提交的旧版 {stats['earlier']} 份。",
        soft_wrap=True,
    )
    if copies > 0:
        console.print(
            f"其中 {stats['copies']} 份的文字抄改自他人（演示用），名单见 {folder / ANSWER_KEY}。",
            soft_wrap=True,
        )
    console.print("试一试：", soft_wrap=True)
    console.print(
        f"  selfcheck summary {folder / RESPONSES_DIR} --roster {folder / ROSTER_NAME}",
        soft_wrap=True,
    )
    console.print(
        f"  selfcheck summary {folder / RESPONSES_DIR} --roster {folder / ROSTER_NAME}"
        f" --format html -o 汇总.html",
        soft_wrap=True,
    )


def write_demo(
    folder: Path, checklist: Checklist, *, people: int, seed: int, copies: float = 0.0
) -> dict[str, int]:
    """Write the demo bureau; return counts of what was written (by kind).

    ``copies`` is the share of submitted responses whose free texts are a
    disguised copy of another person's (:mod:`selfcheck.summary.demo_texts`);
    they are listed in :data:`ANSWER_KEY`, never marked in the responses.
    """
    rng = random.Random(seed)
    today = clock.today()
    bureau = make_bureau(rng, people, checklist)
    write_bytes_atomic(folder / ROSTER_NAME, roster_csv(bureau, checklist).encode("utf-8-sig"))
    stats = {"submitted": 0, "drafts": 0, "missing": 0, "earlier": 0, "copies": 0}
    unit_bias = {unit: rng.uniform(0.6, 1.6) for unit, _ in UNITS}
    planter = demo_copies.Planter(seed, copies, checklist) if copies > 0 else None
    for person in bureau:
        fate = rng.random()
        if fate < 0.07:
            stats["missing"] += 1
            continue
        draft = fate < 0.13
        response = make_response(
            rng, person, checklist, today, draft=draft, bias=unit_bias[person.unit]
        )
        if planter is not None and not draft:
            response = planter.offer(response, _relative(folder, response, draft=draft))
        _write(folder / RESPONSES_DIR / person.unit, response, draft=draft)
        stats["drafts" if draft else "submitted"] += 1
        if not draft and rng.random() < 0.02:
            earlier = make_response(
                rng, person, checklist, today, draft=False, bias=1.0, days_back=45
            )
            _write(folder / RESPONSES_DIR / person.unit / EARLIER_DIR, earlier, draft=False)
            stats["earlier"] += 1
    if planter is not None:
        stats["copies"] = planter.write_key(folder / ANSWER_KEY)
    return stats


def _relative(folder: Path, response: Response, *, draft: bool) -> str:
    """Where :func:`_write` puts ``response``, relative to the responses folder."""
    from selfcheck.response import response_filename

    r = response.respondent
    return f"{r.unit}/{response_filename(r.unit, r.name, response.checklist.id, draft=draft)}"


def _write(folder: Path, response: Response, *, draft: bool) -> None:
    from selfcheck.response import response_filename, save_response

    r = response.respondent
    save_response(
        response, folder / response_filename(r.unit, r.name, response.checklist.id, draft=draft)
    )


def make_bureau(rng: random.Random, people: int, checklist: Checklist) -> list[DemoPerson]:
    """``people`` persons spread over :data:`UNITS`, unique names within a unit."""
    roles = [r.id for r in checklist.roles]
    leader_role = roles[0]
    staff_role = roles[-1]
    weights = [w for _, w in UNITS]
    units = [u for u, _ in UNITS]
    taken: set[tuple[str, str]] = set()
    bureau: list[DemoPerson] = []
    for _ in range(people):
        unit = rng.choices(units, weights)[0]
        name = _unique_name(rng, unit, taken)
        if rng.random() < 0.16:
            bureau.append(DemoPerson(name, unit, rng.choice(LEADER_POSITIONS), leader_role))
        else:
            bureau.append(DemoPerson(name, unit, rng.choice(STAFF_POSITIONS), staff_role))
    # A roster as an office keeps it: unit by unit, leaders first.
    bureau.sort(key=lambda p: (units.index(p.unit), p.role != leader_role))
    return bureau


def _unique_name(rng: random.Random, unit: str, taken: set[tuple[str, str]]) -> str:
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = rng.choice(SURNAMES) + given
        if (unit, name) not in taken:
            taken.add((unit, name))
            return name


def roster_csv(bureau: list[DemoPerson], checklist: Checklist) -> str:
    """The roster as CSV text: 姓名, 单位, 职务, 类别 (role labels)."""
    labels = {r.id: r.label for r in checklist.roles}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["姓名", "单位", "职务", "类别"])
    for p in bureau:
        writer.writerow([p.name, p.unit, p.position, labels[p.role]])
    return buffer.getvalue()


def _category(item: Item) -> str:
    words = f"{item.title or ''}{item.text}{item.standard or ''}"
    for category, keys in KEYWORDS:
        if any(k in words for k in keys):
            return category
    return "general"


def make_response(
    rng: random.Random,
    person: DemoPerson,
    checklist: Checklist,
    today: date,
    *,
    draft: bool,
    bias: float,
    days_back: int = 0,
) -> Response:
    """One person's response; ``bias`` scales how often they admit a problem."""
    from selfcheck.response import ChecklistRef, Respondent, Response

    tz = timezone(timedelta(hours=8))
    submitted_day = today - timedelta(days=rng.randint(3, 40) + days_back)
    started = datetime.combine(submitted_day - timedelta(days=rng.randint(0, 3)), time(9, 0), tz)
    started += timedelta(minutes=rng.randint(0, 480))
    finished = datetime.combine(submitted_day, time(8, 30), tz) + timedelta(
        minutes=rng.randint(0, 540)
    )
    finished = max(finished, started + timedelta(minutes=20))
    items = checklist.items_for(person.role)
    stop_at = rng.randint(1, len(items) - 1) if draft else len(items)
    answers: dict[str, dict[str, Answer]] = {}
    rectification: list[RectifyEntry] = []
    for _section, item in items[:stop_at]:
        given = _answer_item(rng, item, bias, submitted_day)
        answers[item.id] = given
        if not draft and len(given) > 1:
            rectification += _progress(rng, item.id, submitted_day, today, tz)
    return Response(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
        respondent=Respondent(
            name=person.name, unit=person.unit, position=person.position, role=person.role
        ),
        status="draft" if draft else "submitted",
        started_at=started,
        updated_at=finished,
        submitted_at=None if draft else finished,
        answers=answers,
        cursor=items[stop_at][1].id if draft else None,
        rectification=rectification,
    )


def _answer_item(rng: random.Random, item: Item, bias: float, day: date) -> dict[str, Answer]:
    rating = rules.rating_question(item.questions)
    if rating is None or not rating.options:
        return {}
    weights = []
    problem_options_seen = 0
    for option in rating.options:
        if option.problem:
            weights.append((0.16 if problem_options_seen == 0 else 0.04) * bias)
            problem_options_seen += 1
        else:
            weights.append(1.0)
    option = rng.choices(rating.options, weights)[0]
    given: dict[str, Answer] = {rating.id: option.value}
    if not option.problem:
        return given
    category = _category(item)
    for question in item.questions:
        text = _follow_up(rng, question, category, day)
        if text is not None:
            given[question.id] = text
    return given


def _follow_up(rng: random.Random, question: Question, category: str, day: date) -> Answer:
    n = rng.randint(2, 6)
    if question.meaning == "problem":
        symptom = rng.choice(SYMPTOMS[category] + SYMPTOMS["general"][:1])
        return demo_texts.problem_text(rng, rng.choice(CONTEXTS), symptom)
    if question.meaning == "cause":
        return demo_texts.cause_text(rng, rng.choice(CAUSES))
    if question.meaning == "opinion":
        return rng.choice(OPINIONS) + "。" if rng.random() < 0.5 else None
    if question.meaning == "measure":
        return demo_texts.measure_text(rng, rng.choice(MEASURES).format(n=n))
    if question.meaning == "deadline":
        return (day + timedelta(days=rng.choice((20, 30, 45, 60, 90, 120, 180)))).isoformat()
    return None


def _progress(
    rng: random.Random, item_id: str, start: date, today: date, tz: timezone
) -> list[RectifyEntry]:
    from selfcheck.response import RectifyEntry

    if rng.random() < 0.55 or today <= start:
        return []
    entries: list[RectifyEntry] = []
    day = start
    # Never on today itself: its evening stamps would come after an entry someone trying
    # the demo records now (SELFCHECK_TODAY fixes now at midnight), which would then not
    # be the latest and seem to be ignored.
    last = today - timedelta(days=1)
    for status in rng.choice(RECTIFY_PATHS):
        day = min(last, day + timedelta(days=rng.randint(1, 20)))
        started_work = status is not Status.NOT_STARTED
        note = rng.choice(NOTES).format(n=rng.randint(1, 5)) if started_work else ""
        stamp = datetime.combine(day, time(17, 0), tz) + timedelta(minutes=rng.randint(0, 120))
        if entries and stamp <= entries[-1].recorded_at:
            # two entries on one day: the later one in the log is the later one recorded,
            # as rectify writes them (the latest by recorded_at is the current status)
            stamp = entries[-1].recorded_at + timedelta(minutes=rng.randint(1, 30))
        entries.append(
            RectifyEntry(
                item=item_id,
                status=status,
                date=day,
                note=note,
                recorded_at=stamp,
            )
        )
    return entries
