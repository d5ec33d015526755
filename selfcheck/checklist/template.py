"""A fill-in answers file (YAML) for a checklist, with Chinese comments.

The shape is what ``selfcheck run --answers`` reads::

    checklist: ID
    respondent: {name, unit, position, role}
    answers: {ITEM_ID: {QUESTION_ID: value}}

Every item carries its wording as comments; every question its prompt, type,
options, whether it is required and when it applies. Empty answers are left
blank (YAML null), multiple choice as ``[]``.
"""

from __future__ import annotations

from selfcheck.checklist.describe import describe_condition, option_text, question_kind
from selfcheck.checklist.model import Checklist, Item, Question
from selfcheck.checklist.render import section_heading
from selfcheck.textsafe import one_line

# Plain scalars YAML 1.1 would not read back as the same text.
_YAML_SPECIAL = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}

_HOW_TO = """\
# 填写说明：
#   - 在冒号后空一格再写答案；留空表示不回答。标【必填】的问题在适用时必须填写。
#   - 单选题填选项值（如 good）或选项文字；多选题写成 [值1, 值2]；是/否题写 是 或 否；
#     日期写成 2009-03-31；数字只写数字。
#   - 文字中含有冒号加空格、# 号，或以引号、方括号开头时，请给整段文字加引号。
#   - 多行文字：冒号后写 |，换行后每行比问题标识多缩进两个空格，例如：
#       manifestation: |
#         第一段……
#         第二段……
#   - 只能用空格缩进，不能用 Tab。
"""


def _plain(text: str | None) -> str:
    """One comment-safe line: control characters removed, whitespace collapsed."""
    return one_line(text)


def yaml_key(name: str) -> str:
    """``name`` as a YAML key or plain value that reads back as the same text."""
    return f'"{name}"' if name.lower() in _YAML_SPECIAL else name


def answers_template(
    checklist: Checklist, *, role: str | None = None, source: str | None = None
) -> str:
    """The answers template text for ``checklist``.

    With ``role`` only the sections that role answers are included and
    ``respondent.role`` is filled in. ``source`` (a file path) is mentioned in
    the header when the checklist is not a registered one.
    """
    lines: list[str] = [
        f"# 答案文件：{_plain(checklist.title)}"
        f"（{checklist.id}，版本 {_plain(checklist.version)}）",
        f"# 检查表内容指纹 sha256：{checklist.sha256}",
    ]
    if source:
        lines.append(f"# 检查表文件：{_plain(source)}（运行时请加 --checklist {_plain(source)}）")
    lines += [
        "# 填好后运行：selfcheck run --answers 本文件            （逐项确认，可以修改）",
        "#        或者：selfcheck run --answers 本文件 --no-input （不再提问，直接提交）",
        _HOW_TO.rstrip("\n"),
        f"checklist: {yaml_key(checklist.id)}",
        "respondent:",
        "  name:        # 姓名【必填】",
        "  unit:        # 单位【必填】",
        "  position:    # 职务",
    ]
    roles = "、".join(f"{r.id}（{_plain(r.label)}）" for r in checklist.roles)
    if role is not None:
        lines.append(f"  role: {yaml_key(role)}    # 角色【必填】：{roles}")
    else:
        lines.append(f"  role:        # 角色【必填】，填写标识：{roles}")
    lines.append("answers:")
    all_roles = {r.id for r in checklist.roles}
    for index, section in enumerate(checklist.sections):
        if role is not None and not section.applies_to(role):
            continue
        lines.append("")
        lines.append(f"  # ==== {_plain(section_heading(index, section))} ====")
        if role is None and set(section.roles) != all_roles:
            who = "、".join(_plain(r.label) for r in checklist.roles if r.id in section.roles)
            lines.append(f"  # 本章节仅{who}填写；其他人请把本章节留空。")
        if section.intro:
            lines.append(f"  # {_plain(section.intro)}")
        for item in section.items:
            lines += _item_lines(checklist, item)
    return "\n".join(lines) + "\n"


def _item_lines(checklist: Checklist, item: Item) -> list[str]:
    lines = [f"  {yaml_key(item.id)}:"]
    if item.title:
        lines.append(f"    # 【{_plain(item.title)}】")
    lines.append(f"    # {_plain(item.text)}")
    if item.standard:
        lines.append(f"    # {_plain(item.standard)}")
    if item.help:
        lines.append(f"    # 提示：{_plain(item.help)}")
    for question in item.questions:
        lines += _question_lines(checklist, item, question)
    return lines


def _question_lines(checklist: Checklist, item: Item, question: Question) -> list[str]:
    mark = "【必填】" if question.required else ""
    kind = question_kind(question).split("·")[0]
    head = f"    # {mark}{_plain(question.prompt)}——{kind}"
    condition = describe_condition(checklist, item, question)
    if condition:
        head += f"；{_plain(condition)}填写"
    lines = [head]
    if question.options:
        lines.append("    #   可填：" + "；".join(_plain(option_text(o)) for o in question.options))
    if question.type == "date":
        lines.append("    #   日期格式：2009-03-31")
    elif question.type == "yes_no":
        lines.append("    #   填 是 或 否")
    empty = " []" if question.type == "multiple_choice" else ""
    lines.append(f"    {yaml_key(question.id)}:{empty}")
    return lines
