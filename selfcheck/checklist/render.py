"""Showing a resolved checklist: as JSON for tools, as a tree for people."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from selfcheck.checklist.describe import describe_condition, option_text, question_kind
from selfcheck.checklist.model import Checklist, Item, Question, Section
from selfcheck.textsafe import clean_text

if TYPE_CHECKING:
    from rich.text import Text
    from rich.tree import Tree

_CHINESE_NUMERALS = "一二三四五六七八九十"


def checklist_to_dict(checklist: Checklist) -> dict[str, Any]:
    """The resolved checklist as plain JSON data.

    Stable keys other tools rely on: ``id, version, sha256, title, roles,
    sections[].{id, title, rubric, roles, items[].{id, title, text, standard,
    questions[].{id, type, prompt, required, when, meaning, options[].{value,
    label, score, problem}}}}``. ``options`` is an empty list for questions
    that are not choices.
    """
    data = checklist.model_dump(mode="json")
    for section in data["sections"]:
        for item in section["items"]:
            for question in item["questions"]:
                if question.get("options") is None:
                    question["options"] = []
    return data


def checklist_to_json(checklist: Checklist) -> str:
    """:func:`checklist_to_dict` as indented UTF-8 JSON text."""
    return json.dumps(checklist_to_dict(checklist), ensure_ascii=False, indent=2)


def section_heading(index: int, section: Section) -> str:
    """``一、思想作风（三查三看）``."""
    number = _CHINESE_NUMERALS[index] if index < len(_CHINESE_NUMERALS) else str(index + 1)
    rubric = f"（{section.rubric}）" if section.rubric else ""
    return f"{number}、{section.title}{rubric}"


def _t(text: str | None) -> str:
    """User text made safe for the terminal (no escapes, no control characters)."""
    return clean_text(text or "")


def checklist_tree(checklist: Checklist) -> Tree:
    """A rich Tree: header, then sections, items and their questions.

    When every item of a section asks the same questions, they are shown once
    under the section ("每项都问") instead of under each item.
    """
    from rich.text import Text
    from rich.tree import Tree

    header = Text(_t(checklist.title), style="bold")
    header.append(f"\n标识 {checklist.id} · 版本 {_t(checklist.version)} · ", style="dim")
    header.append(
        f"{len(checklist.sections)} 个章节 · {checklist.item_count} 个检查项", style="dim"
    )
    header.append(f" · sha256 {checklist.sha256[:12]}…", style="dim")
    campaign = checklist.campaign
    facts = [campaign.name, campaign.issuer, campaign.basis, campaign.period]
    header.append("\n活动：" + " · ".join(_t(f) for f in facts if f))
    if campaign.motto:
        header.append("\n要求：" + _t(campaign.motto))
    header.append("\n角色：" + "、".join(f"{r.id}（{_t(r.label)}）" for r in checklist.roles))
    if checklist.description:
        header.append("\n" + _t(checklist.description), style="italic")
    tree = Tree(header, guide_style="dim")
    all_roles = {r.id for r in checklist.roles}
    everywhere = _shared_questions(
        [item for section in checklist.sections for item in section.items]
    )
    if everywhere is not None:
        questions = tree.add(Text("每个检查项都问：", style="bold magenta"))
        _add_questions(questions, checklist, checklist.sections[0].items[0], everywhere)
    for index, section in enumerate(checklist.sections):
        label = Text(_t(section_heading(index, section)), style="bold cyan")
        label.append(f"  [{section.id}]", style="dim")
        if set(section.roles) != all_roles:
            names = "、".join(_t(r.label) for r in checklist.roles if r.id in section.roles)
            label.append(f"  仅{names}填写", style="yellow")
        if section.intro:
            label.append("\n" + _t(section.intro), style="italic")
        branch = tree.add(label)
        shared = None if everywhere is not None else _shared_questions(section.items)
        if shared is not None:
            questions = branch.add(Text("每项都问：", style="magenta"))
            _add_questions(questions, checklist, section.items[0], shared)
        for item in section.items:
            item_branch = branch.add(_item_label(item))
            if shared is None and everywhere is None:
                _add_questions(item_branch, checklist, item, item.questions)
    return tree


def _shared_questions(items: list[Item]) -> list[Question] | None:
    """The questions all ``items`` ask, when there are several items and they all ask the same."""
    if len(items) < 2:
        return None
    first = items[0].questions
    return first if all(item.questions == first for item in items[1:]) else None


def _item_label(item: Item) -> Text:
    from rich.text import Text

    label = Text(item.id, style="green")
    if item.title:
        label.append("  " + _t(item.title), style="bold")
        label.append("\n" + _t(item.text))
    else:
        label.append("  " + _t(item.text))
    if item.standard:
        label.append("\n" + _t(item.standard))
    if item.help:
        label.append("\n提示：" + _t(item.help), style="dim")
    return label


def _add_questions(
    branch: Tree, checklist: Checklist, item: Item, questions: list[Question]
) -> None:
    from rich.text import Text

    for question in questions:
        label = Text(question.id, style="blue")
        label.append("  " + _t(question.prompt))
        label.append("  " + question_kind(question), style="dim")
        condition = describe_condition(checklist, item, question)
        if condition:
            label.append(f"\n{_t(condition)}填写", style="yellow")
        if question.options:
            label.append(
                "\n选项：" + " / ".join(_t(option_text(o)) for o in question.options), style="dim"
            )
        branch.add(label)
