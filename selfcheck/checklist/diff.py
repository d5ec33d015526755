"""Compare two versions of a checklist and say what that means for answers.

Answers are stored by item id and question id, so the comparison is by id:
items and questions added, removed, renamed (same wording, new id), reworded
or otherwise changed, each with its consequence for responses already given.
Question changes shared by many items (a shared question set) are reported
once, listing the items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from selfcheck.checklist.describe import TYPE_LABELS, format_number
from selfcheck.checklist.model import Checklist, Item, Option, Question, Section
from selfcheck.textsafe import one_line, shortened

if TYPE_CHECKING:
    from rich.console import Console

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

_SYMBOL = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
_STYLE = {ADDED: "green", REMOVED: "red", CHANGED: "yellow"}

_NO_EFFECT = "不影响已有答案"


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new checklist."""

    kind: str
    """``added``, ``removed`` or ``changed``."""
    where: str
    """What changed, in words: ``检查项 work-2`` or ``问题 rating``."""
    detail: str
    """The change itself, in Chinese."""
    impact: str
    """What it means for responses already given, in Chinese."""
    items: tuple[str, ...] = ()
    """Items a question-level change applies to."""


_Add = Callable[[Change], None]


@dataclass
class ChecklistDiff:
    """Every change from ``old`` to ``new``."""

    old: Checklist
    new: Checklist
    changes: list[Change] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """Same content hash: responses to one are responses to the other."""
        return self.old.sha256 == self.new.sha256

    def count(self, kind: str) -> int:
        """How many changes of ``kind``."""
        return sum(1 for c in self.changes if c.kind == kind)


def _t(text: str | None) -> str:
    return one_line(text)


def _short(text: str | None, limit: int = 40) -> str:
    return shortened(_t(text), limit)


def diff_checklists(old: Checklist, new: Checklist) -> ChecklistDiff:
    """Compare two resolved checklists."""
    result = ChecklistDiff(old, new)
    add = result.changes.append
    _header_changes(old, new, add)
    _role_changes(old, new, add)
    _section_changes(old, new, add)
    _item_changes(old, new, result)
    return result


def _header_changes(old: Checklist, new: Checklist, add: _Add) -> None:
    if old.id != new.id:
        add(
            Change(
                CHANGED,
                "检查表标识",
                f"{old.id} → {new.id}",
                "答卷按检查表标识对应检查表：按旧标识填写的答卷不会被算作新表的答卷",
            )
        )
    if old.version != new.version:
        add(
            Change(
                CHANGED,
                "版本",
                f"{_t(old.version)} → {_t(new.version)}",
                "答案本身不变；但按旧版本填写的答卷不计入新表的汇总（见上方说明）",
            )
        )
    if old.title != new.title:
        add(Change(CHANGED, "标题", f"{_short(old.title)} → {_short(new.title)}", _NO_EFFECT))
    if old.description != new.description or old.campaign != new.campaign:
        add(
            Change(
                CHANGED,
                "说明或活动信息",
                "检查表说明或 campaign 信息有改动",
                "只影响报告中的文字，不影响已有答案",
            )
        )


def _role_changes(old: Checklist, new: Checklist, add: _Add) -> None:
    old_roles = {r.id: r for r in old.roles}
    new_roles = {r.id: r for r in new.roles}
    for role_id, role in old_roles.items():
        if role_id not in new_roles:
            add(
                Change(
                    REMOVED,
                    f"角色 {role_id}",
                    _t(role.label),
                    f"角色为 {role_id} 的已有答卷在新表中没有对应角色，汇总时无法归类",
                )
            )
        elif new_roles[role_id].label != role.label:
            add(
                Change(
                    CHANGED,
                    f"角色 {role_id}",
                    f"名称 {_t(role.label)} → {_t(new_roles[role_id].label)}",
                    _NO_EFFECT,
                )
            )
    for role_id, role in new_roles.items():
        if role_id not in old_roles:
            add(Change(ADDED, f"角色 {role_id}", _t(role.label), _NO_EFFECT))


def _section_changes(old: Checklist, new: Checklist, add: _Add) -> None:
    old_sections = {s.id: s for s in old.sections}
    new_sections = {s.id: s for s in new.sections}
    for section_id, section in old_sections.items():
        if section_id not in new_sections:
            add(
                Change(
                    REMOVED,
                    f"章节 {section_id}",
                    _section_name(section),
                    "该章节检查项的已有答案不再出现在报告和汇总中（见下方各检查项）",
                )
            )
            continue
        other = new_sections[section_id]
        if (section.title, section.rubric) != (other.title, other.rubric):
            add(
                Change(
                    CHANGED,
                    f"章节 {section_id}",
                    f"{_section_name(section)} → {_section_name(other)}",
                    "答案不受影响；报告中的章节标题随之改变",
                )
            )
        gained = sorted(set(other.roles) - set(section.roles))
        lost = sorted(set(section.roles) - set(other.roles))
        if gained:
            add(
                Change(
                    CHANGED,
                    f"章节 {section_id}",
                    f"适用角色增加 {'、'.join(gained)}",
                    f"角色为 {'、'.join(gained)} 的已有答卷缺少本章节的答案，需要补填",
                )
            )
        if lost:
            add(
                Change(
                    CHANGED,
                    f"章节 {section_id}",
                    f"适用角色去掉 {'、'.join(lost)}",
                    f"角色为 {'、'.join(lost)} 的已有答卷中本章节的答案将不再使用",
                )
            )
    for section_id, section in new_sections.items():
        if section_id not in old_sections:
            add(Change(ADDED, f"章节 {section_id}", _section_name(section), "见下方新增的检查项"))


def _section_name(section: Section) -> str:
    return _t(section.title) + (f"（{_t(section.rubric)}）" if section.rubric else "")


def _item_index(checklist: Checklist) -> dict[str, tuple[Section, Item]]:
    return {item.id: (section, item) for section in checklist.sections for item in section.items}


def renamed_items(old: Checklist, new: Checklist) -> dict[str, str]:
    """Old id → new id of every item whose id changed but whose wording (检查内容 and
    检验标准) did not: how answers are matched across checklist versions."""
    old_items = _item_index(old)
    new_items = _item_index(new)
    removed = [i for i in old_items if i not in new_items]
    added = [i for i in new_items if i not in old_items]
    renamed: dict[str, str] = {}
    for old_id in removed:
        wording = (old_items[old_id][1].text, old_items[old_id][1].standard)
        match = next(
            (
                n
                for n in added
                if n not in renamed.values()
                and (new_items[n][1].text, new_items[n][1].standard) == wording
            ),
            None,
        )
        if match is not None:
            renamed[old_id] = match
    return renamed


def _item_changes(old: Checklist, new: Checklist, result: ChecklistDiff) -> None:
    add = result.changes.append
    old_items = _item_index(old)
    new_items = _item_index(new)
    removed = [i for i in old_items if i not in new_items]
    added = [i for i in new_items if i not in old_items]
    renamed = renamed_items(old, new)
    for old_id, new_id in renamed.items():
        add(
            Change(
                CHANGED,
                f"检查项 {old_id}",
                f"标识改为 {new_id}（内容相同）",
                f"已有答卷中的答案保存在 {old_id} 下，新表按 {new_id} 查找："
                "这些答案将找不到，需要重新填写",
            )
        )
    for old_id in removed:
        if old_id not in renamed:
            add(
                Change(
                    REMOVED,
                    f"检查项 {old_id}",
                    _short(old_items[old_id][1].text),
                    "已有答卷中这一项的答案将不再显示和统计",
                )
            )
    for new_id in added:
        if new_id not in renamed.values():
            section, item = new_items[new_id]
            required = any(q.required for q in item.questions)
            add(
                Change(
                    ADDED,
                    f"检查项 {new_id}",
                    f"{_short(item.text)}（{_t(section.title)}）",
                    "已有答卷没有这一项的答案" + ("，需要补填后才算完整" if required else ""),
                )
            )
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for item_id, (section, item) in old_items.items():
        if item_id not in new_items:
            continue
        new_section, new_item = new_items[item_id]
        if section.id != new_section.id:
            add(
                Change(
                    CHANGED,
                    f"检查项 {item_id}",
                    f"从章节 {section.id} 移到 {new_section.id}",
                    "答案不受影响；报告和汇总中的归类随之改变",
                )
            )
        for label, before, after in (
            ("检查内容", item.text, new_item.text),
            ("检验标准", item.standard, new_item.standard),
            ("标题", item.title, new_item.title),
        ):
            if before != after:
                add(
                    Change(
                        CHANGED,
                        f"检查项 {item_id}",
                        f"{label}改写：{_short(before) or '（无）'} → {_short(after) or '（无）'}",
                        "答案可以沿用，但它们是针对旧措辞作出的；改动较大时请填写人确认",
                    )
                )
        for change in _question_changes(item, new_item):
            grouped.setdefault(
                (change.kind, change.where, change.detail, change.impact), []
            ).append(item_id)
    for (kind, where, detail, impact), item_ids in grouped.items():
        add(Change(kind, where, detail, impact, tuple(item_ids)))


def _question_changes(old: Item, new: Item) -> list[Change]:
    out: list[Change] = []
    old_q = {q.id: q for q in old.questions}
    new_q = {q.id: q for q in new.questions}
    for qid, question in old_q.items():
        if qid not in new_q:
            out.append(
                Change(
                    REMOVED,
                    f"问题 {qid}",
                    _short(question.prompt),
                    "已有答卷中这个问题的答案将被忽略",
                )
            )
    for qid, question in new_q.items():
        if qid not in old_q:
            impact = "已有答卷中这个问题没有答案"
            if question.required:
                impact += "；它是必填题，适用时需要补填" + (
                    "（有显示条件）" if question.when else ""
                )
            out.append(Change(ADDED, f"问题 {qid}", _short(question.prompt), impact))
    for qid, before in old_q.items():
        after = new_q.get(qid)
        if after is not None:
            out += _one_question(before, after)
    return out


def _one_question(before: Question, after: Question) -> list[Change]:
    where = f"问题 {before.id}"
    out: list[Change] = []

    def changed(detail: str, impact: str) -> None:
        out.append(Change(CHANGED, where, detail, impact))

    if before.prompt != after.prompt:
        changed(
            f"提问改写：{_short(before.prompt)} → {_short(after.prompt)}",
            "答案可以沿用，但它们是针对旧提问作出的；改动较大时请填写人确认",
        )
    if before.type != after.type:
        changed(
            f"题型 {TYPE_LABELS[before.type]} → {TYPE_LABELS[after.type]}",
            "已有答案可能不符合新题型，需要重新填写",
        )
    if before.required != after.required:
        if after.required:
            changed("改为必填", "已有答卷中没有回答这个问题的，将被视为未完成")
        else:
            changed("改为选填", _NO_EFFECT)
    if before.when != after.when:
        changed(
            f"显示条件 {before.when or '（无）'} → {after.when or '（无）'}",
            "部分已有答案可能变为不适用（将被忽略），或出现需要补填的问题",
        )
    if before.meaning != after.meaning:
        changed(
            f"含义 {before.meaning or '（无）'} → {after.meaning or '（无）'}",
            "答案本身不变，但在对照检查材料和整改台账中的归类随之改变",
        )
    if (before.min, before.max) != (after.min, after.max):
        changed(
            f"取值范围 {_range(before)} → {_range(after)}",
            "超出新范围的已有答案将无效，需要重新填写",
        )
    out += [
        Change(CHANGED, where, d, i)
        for d, i in _option_changes(before.options or [], after.options or [])
    ]
    return out


def _range(q: Question) -> str:
    low = format_number(q.min) if q.min is not None else ""
    high = format_number(q.max) if q.max is not None else ""
    return f"{low}～{high}" if (low or high) else "不限"


def _option_changes(before: list[Option], after: list[Option]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    old_opts = {o.value: o for o in before}
    new_opts = {o.value: o for o in after}
    for value, option in old_opts.items():
        if value not in new_opts:
            out.append(
                (
                    f"删除选项 {value}（{_t(option.label)}）",
                    f"选了“{_t(option.label)}”的已有答案将无效，需要重新选择",
                )
            )
            continue
        other = new_opts[value]
        if option.label != other.label:
            out.append(
                (
                    f"选项 {value} 文字 {_t(option.label)} → {_t(other.label)}",
                    "已有答案保留，显示为新文字",
                )
            )
        if option.problem != other.problem:
            now = "算作存在问题" if other.problem else "不再算作存在问题"
            out.append(
                (
                    f"选项 {value}（{_t(other.label)}）{now}",
                    f"选了它的已有答卷在问题统计中{now}"
                    + ("；这些答卷缺少具体表现等后续问题的答案" if other.problem else ""),
                )
            )
        if option.score != other.score:
            out.append(
                (
                    f"选项 {value} 分值 {_score(option.score)} → {_score(other.score)}",
                    "汇总中的平均分随之改变",
                )
            )
    for value, option in new_opts.items():
        if value not in old_opts:
            out.append((f"新增选项 {value}（{_t(option.label)}）", _NO_EFFECT))
    return out


def _score(score: float | None) -> str:
    return format_number(score) if score is not None else "无"


def render_diff(diff: ChecklistDiff, console: Console, old_name: str, new_name: str) -> None:
    """Print a diff: a header, then one block per change with its consequence."""
    from rich.text import Text

    old, new = diff.old, diff.new
    console.print(
        Text(
            f"比较 {old_name}（{old.id} {_t(old.version)}）"
            f"→ {new_name}（{new.id} {_t(new.version)}）",
            style="bold",
        ),
        soft_wrap=True,
    )
    if diff.identical:
        console.print(
            Text("两版内容相同（sha256 一致）：已有答卷不受任何影响。", style="green"),
            soft_wrap=True,
        )
        return
    for said, style in _old_responses(old, new):
        console.print(Text(said, style=style), soft_wrap=True)
    console.print(
        f"新增 {diff.count(ADDED)} 处，删除 {diff.count(REMOVED)} 处，"
        f"改动 {diff.count(CHANGED)} 处。",
        soft_wrap=True,
    )
    for change in diff.changes:
        line = Text(f"{_SYMBOL[change.kind]} {change.where}", style=_STYLE[change.kind])
        if change.items:
            line.append(f"（{_items_text(change.items)}）", style=_STYLE[change.kind])
        line.append("：" + change.detail)
        console.print(line, soft_wrap=True)
        console.print(Text(f"    对已有答卷：{change.impact}", style="dim"), soft_wrap=True)


def _old_responses(old: Checklist, new: Checklist) -> list[tuple[str, str]]:
    """What ``summary``, ``report`` and ``rectify`` do with a response answered under
    ``old`` once ``new`` is used: the lines under the header of a diff."""
    from selfcheck import rules

    mismatch = rules.checklist_mismatch(
        (old.id, old.version, old.sha256), (new.id, new.version, new.sha256)
    )
    assert mismatch is not None
    code, reason = mismatch
    lines = [
        (
            f"内容指纹 sha256 {old.sha256[:12]}… → {new.sha256[:12]}…："
            "汇总只计入按同一份检查表（标识、版本和内容都相同）填写的答卷。",
            "dim",
        )
    ]
    if code == rules.CONTENT_DIFFERS:
        lines.append(
            (
                f"注意：内容改了，但版本号没有改（两版都是 {_t(new.version)}）："
                "从版本号上分不出按哪一版填写。请把 version 改成新的版本号。",
                "bold yellow",
            )
        )
    lines.append(
        (
            "按旧表填写的已有答卷：用新表汇总（summary --checklist 新表）时一份也不计入，"
            f"原因列为“{reason}”；整改（rectify）只能用填写时的旧表；"
            "报告（report）可以用新表生成，但会提示核对措辞。"
            "要让它们计入新表的汇总，需由填写人用新表重新运行 selfcheck run，"
            "核对后重新提交（原答案带入，变化见下面各条）；否则请继续用旧表汇总。",
            "yellow",
        )
    )
    return lines


def _items_text(items: tuple[str, ...]) -> str:
    if len(items) <= 4:
        return "检查项 " + "、".join(items)
    return f"检查项 {'、'.join(items[:3])} 等 {len(items)} 项"
