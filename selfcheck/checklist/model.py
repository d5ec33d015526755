"""The checklist format, as pydantic v2 models.

Two layers:
- ``ChecklistSource`` and friends: the file as written, with references to
  shared scales and question sets (unknown fields forbidden);
- ``Checklist``: the resolved form everybody else uses, where every item has
  its full list of questions and every choice question its options.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from selfcheck.rules import role_label

SCHEMA_VERSION = 1

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        max_length=64,
        description="标识：字母开头，只含字母、数字、- 和 _",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]

QuestionType = Literal[
    "single_choice",
    "multiple_choice",
    "short_text",
    "long_text",
    "date",
    "yes_no",
    "number",
]
CHOICE_TYPES: frozenset[str] = frozenset({"single_choice", "multiple_choice"})

Meaning = Literal[
    "rating",
    "problem",
    "cause",
    "opinion",
    "measure",
    "deadline",
    "source",
    "rectify_type",
    "leader",
    "cause_category",
    "verdict",
    "opinion_count",
    "leading_body",
]
"""What an answer means for reports and the ledger (问题、原因、措施、时限…).

``cause_category`` (原因类别) groups part 二 and 三 of the material; ``verdict`` (本方面问题
概括) heads the section in part 一. ``opinion_count`` (征求意见建议条数) and
``leading_body`` (本单位党组织) are meanings of ``identity_questions``, asked once per
response; the opening of the material quotes them."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(_Strict):
    """One choice of a rating scale or of a choice question."""

    value: Identifier = Field(description="保存到答卷中的值")
    label: Text = Field(description="显示给填写人的文字")
    score: float | None = Field(
        default=None, allow_inf_nan=False, description="分值（用于统计平均分）"
    )
    problem: bool = Field(
        default=False,
        description="选中此项是否表示存在问题（true 时要求填写具体表现等后续问题，并计入问题统计）",
    )
    help: str | None = Field(default=None, description="选项说明")


class Role(_Strict):
    """A kind of respondent, e.g. 领导干部 or 一般干部."""

    id: Identifier = Field(description="角色标识，如 leader、staff")
    label: Text = Field(description="角色名称，如 领导干部")


class Campaign(_Strict):
    """Campaign metadata shown in the header and the report."""

    name: Text = Field(description="活动名称")
    issuer: str | None = Field(default=None, description="印发单位")
    basis: str | None = Field(default=None, description="依据文号，如 茂办发[2008]20号")
    basis_title: str | None = Field(default=None, description="依据文件标题")
    plan_title: str | None = Field(default=None, description="本单位实施方案标题")
    phase: str | None = Field(default=None, description="活动阶段")
    period: str | None = Field(default=None, description="时间范围，如 2008年12月—2009年2月")
    motto: str | None = Field(default=None, description="要求，如 从思想根源上查…")
    leading_body: str | None = Field(
        default=None,
        description="本单位党组织（对照检查材料开头引用），如 局党组、支队党支部；"
        "省略时用 issuer；填写人也可在 identity_questions 中自己填写",
    )


class Question(_Strict):
    """One question asked about an item."""

    id: Identifier = Field(description="问题标识（同一检查项内唯一），答卷中按它保存答案")
    type: QuestionType = Field(
        description="题型：single_choice 单选、multiple_choice 多选、short_text 短文本、"
        "long_text 多行文本、date 日期、yes_no 是否、number 数字"
    )
    prompt: Text = Field(description="提问文字")
    help: str | None = Field(default=None, description="输入 ? 时显示的说明")
    required: bool = Field(default=False, description="是否必填")
    when: str | None = Field(
        default=None,
        description="显示条件：Jinja 表达式，可引用本检查项中前面问题的答案，如 rating.problem",
    )
    scale: Identifier | None = Field(default=None, description="引用 scales 中的评分等级")
    options: list[Option] | None = Field(default=None, description="内联选项")
    meaning: Meaning | None = Field(
        default=None,
        description="答案在报告中的含义：rating/problem/cause/opinion/measure/deadline；"
        "整改台账的 source 问题来源、rectify_type 整改类型、leader 责任领导",
    )
    min: float | None = Field(default=None, allow_inf_nan=False, description="数字下限")
    max: float | None = Field(default=None, allow_inf_nan=False, description="数字上限")
    unit: str | None = Field(default=None, description="数字单位，如 次、天")
    max_length: int | None = Field(default=None, ge=1, description="文本长度上限")


class QuestionSetRef(_Strict):
    """``- use: SET_ID``: include a shared question set here."""

    use: Identifier = Field(description="要引用的问题组（question_sets 中的名称）")


def _entry_kind(value: Any) -> str:
    if isinstance(value, dict) and "use" in value:
        return "ref"
    if isinstance(value, QuestionSetRef):
        return "ref"
    return "question"


QuestionEntry = Annotated[
    Annotated[QuestionSetRef, Tag("ref")] | Annotated[Question, Tag("question")],
    Discriminator(_entry_kind),
]


class ItemSource(_Strict):
    """One item to check oneself against, as written."""

    id: Identifier = Field(description="检查项标识（整个检查表内唯一），答卷中按它保存答案")
    title: str | None = Field(default=None, description="简短标题")
    text: Text = Field(description="检查内容（原文）")
    standard: str | None = Field(default=None, description="检验标准（如三查三看中的“看”）")
    help: str | None = Field(default=None, description="填写提示")
    questions: list[QuestionEntry] | None = Field(
        default=None, description="问题；省略时使用所在章节的 questions"
    )


class SectionSource(_Strict):
    """A section (one rubric), as written."""

    id: Identifier = Field(description="章节标识（检查表内唯一）")
    title: Text = Field(description="章节标题，如 思想作风")
    rubric: str | None = Field(default=None, description="对照标准，如 三查三看")
    intro: str | None = Field(default=None, description="章节说明")
    roles: list[Identifier] | None = Field(
        default=None, description="适用对象（角色标识列表）；省略表示全部"
    )
    questions: list[QuestionEntry] | None = Field(
        default=None, description="本章节检查项的默认问题"
    )
    items: list[ItemSource] = Field(
        json_schema_extra={"minItems": 1}, description="检查项（至少一项）"
    )


class ChecklistSource(_Strict):
    """A checklist file exactly as written by its author."""

    schema_version: Literal[1] = Field(description="格式版本，目前为 1")
    id: Identifier = Field(description="检查表标识，如 zuofeng-2008；答卷和命令行用它指代本表")
    version: Text = Field(description='检查表版本（文本，请加引号，如 "2008.1"）')
    title: Text = Field(description="检查表标题")
    description: str | None = Field(default=None, description="检查表说明")
    campaign: Campaign = Field(description="活动信息（名称、印发单位、依据文号等）")
    roles: list[Role] = Field(min_length=1, description="填写人角色，如 领导干部、一般干部")
    scales: dict[Identifier, list[Option]] = Field(
        default_factory=dict, description="评分等级：名称 → 选项列表，供单选题用 scale 引用"
    )
    question_sets: dict[Identifier, list[QuestionEntry]] = Field(
        default_factory=dict, description="问题组：名称 → 问题列表，供检查项用 - use: 名称 引用"
    )
    identity_questions: list[Question] = Field(
        default_factory=list,
        description="每份答卷问一次的问题（填写基本信息后询问），如 征求意见建议（条）；"
        "meaning 用 opinion_count、leading_body 时进入材料开头",
    )
    sections: list[SectionSource] = Field(
        json_schema_extra={"minItems": 1}, description="章节（至少一个）"
    )


# ----------------------------------------------------------------- resolved form


class Item(BaseModel):
    """A resolved item: its questions expanded, choice options filled in."""

    id: str
    title: str | None = None
    text: str
    standard: str | None = None
    help: str | None = None
    questions: list[Question]

    @property
    def label(self) -> str:
        """Short name for tables: the title, else the wording."""
        return self.title or self.text

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return next((q for q in self.questions if q.id == question_id), None)


class Section(BaseModel):
    """A resolved section; ``roles`` always lists the roles it applies to."""

    id: str
    title: str
    rubric: str | None = None
    intro: str | None = None
    roles: list[str]
    items: list[Item]

    def applies_to(self, role: str) -> bool:
        """Whether a respondent with ``role`` answers this section."""
        return role in self.roles


class Checklist(BaseModel):
    """A validated, resolved checklist with its content hash."""

    schema_version: int = SCHEMA_VERSION
    id: str
    version: str
    sha256: str
    title: str
    description: str | None = None
    campaign: Campaign
    roles: list[Role]
    sections: list[Section]
    identity_questions: list[Question] = Field(default_factory=list)
    source: str = Field(default="", exclude=True)

    def role(self, role_id: str) -> Role | None:
        """The role with this id, if any."""
        return next((r for r in self.roles if r.id == role_id), None)

    def role_label(self, role_id: str) -> str:
        """``一般干部`` for ``staff`` (:func:`selfcheck.rules.role_label`)."""
        return role_label(role_id, ((r.id, r.label) for r in self.roles))

    def sections_for(self, role: str) -> list[Section]:
        """Sections that apply to ``role``, in order."""
        return [s for s in self.sections if s.applies_to(role)]

    def items_for(self, role: str) -> list[tuple[Section, Item]]:
        """Every (section, item) pair ``role`` answers, in order."""
        return [(s, i) for s in self.sections_for(role) for i in s.items]

    def item(self, item_id: str) -> tuple[Section, Item] | None:
        """Find an item anywhere in the checklist."""
        for section in self.sections:
            for item in section.items:
                if item.id == item_id:
                    return section, item
        return None

    @property
    def item_count(self) -> int:
        """Number of items over all sections."""
        return sum(len(s.items) for s in self.sections)
