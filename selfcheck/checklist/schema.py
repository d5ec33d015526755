"""The JSON Schema of the checklist source format, for editors.

Generated from the pydantic source models, then made friendly for the VS Code
YAML extension (yaml-language-server): draft-07 ``definitions``, Chinese
titles and descriptions, enum descriptions for question types and meanings.
The built-in checklists reference the committed copy,
``checklists/checklist.schema.json``; a test keeps it equal to this output.
"""

from __future__ import annotations

import json
from typing import Any

from selfcheck.checklist.model import ChecklistSource

SCHEMA_FILENAME = "checklist.schema.json"
SCHEMA_URI = "http://json-schema.org/draft-07/schema#"

_MODEL_TEXT: dict[str, tuple[str, str]] = {
    "ChecklistSource": (
        "selfcheck 检查表",
        "机关作风建设对照检查表（YAML）。格式说明见 docs/checklist-format.md；"
        "修改后运行 selfcheck checklist validate 文件名 检查。",
    ),
    "Campaign": ("活动信息", "活动名称、印发单位、依据文号等，显示在填写界面和对照检查材料中。"),
    "Role": ("角色", "一类填写人，如 领导干部、一般干部。"),
    "Option": ("选项", "单选或多选题的一个选项；problem: true 表示选中即存在问题。"),
    "Question": ("问题", "对一个检查项提出的一个问题。"),
    "QuestionSetRef": (
        "引用问题组",
        "写成 - use: 问题组名称，把 question_sets 中的一组问题放在这里。",
    ),
    "ItemSource": ("检查项", "对照检查的一条内容，如“三查三看”中的一查一看。"),
    "SectionSource": ("章节", "一组检查项，对应一个对照标准，如 思想作风（三查三看）。"),
}

TYPE_HELP = {
    "single_choice": "单选：从 scale（评分等级）或 options 中选一项",
    "multiple_choice": "多选：从 options 中选任意多项",
    "short_text": "短文本：一行文字",
    "long_text": "多行文本：可以写多段",
    "date": "日期：如 2009-03-31",
    "yes_no": "是/否",
    "number": "数字：可用 min、max、unit",
}

MEANING_HELP = {
    "rating": "自我评价：选中 problem: true 的选项即表示该项存在问题",
    "problem": "问题表现：进入“存在的主要问题”和整改台账的“问题描述”",
    "cause": "原因剖析：进入“问题产生的原因剖析”",
    "opinion": "群众意见：整改台账的“问题来源”",
    "measure": "整改措施：进入“整改措施”和整改台账",
    "deadline": "整改时限：整改台账的“整改时限”",
    "source": "问题来源：整改台账的“问题来源”（自己找、群众提、上级点、同级帮、组织查）",
    "rectify_type": "整改类型：整改台账的“整改类型”（立行立改、限期整改、长期坚持）",
    "leader": "责任领导：整改台账的“责任领导”",
    "cause_category": "原因类别：材料的“原因剖析”和“整改措施”按它分组（如 理想信念、宗旨意识）",
    "verdict": "本方面问题概括：材料中本方面的小标题（如 理论学习不够扎实）",
    "opinion_count": "征求意见建议条数（identity_questions）：材料开头“征求意见建议××条”",
    "leading_body": "本单位党组织（identity_questions）：材料开头“根据××……要求”",
}


def checklist_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a checklist file."""
    schema = ChecklistSource.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    for name, definition in definitions.items():
        _localise_model(name, definition)
    _localise_model("ChecklistSource", schema)
    _enum_descriptions(definitions.get("Question", {}))
    for prop in schema.get("properties", {}).values():
        _key_pattern(prop)
    out: dict[str, Any] = {"$schema": SCHEMA_URI}
    out.update(schema)
    out["definitions"] = dict(sorted(definitions.items()))
    return out


def schema_text() -> str:
    """The schema as the exact text of ``checklist.schema.json`` (ends with a newline)."""
    return json.dumps(checklist_json_schema(), ensure_ascii=False, indent=2) + "\n"


def _localise_model(name: str, definition: dict[str, Any]) -> None:
    title, description = _MODEL_TEXT.get(name, (definition.get("title", name), ""))
    definition["title"] = title
    if description:
        definition["description"] = description
    for prop in definition.get("properties", {}).values():
        prop.pop("title", None)


def _enum_descriptions(question: dict[str, Any]) -> None:
    """VS Code shows ``enumDescriptions`` next to each completion."""
    props = question.get("properties", {})
    type_prop = props.get("type", {})
    if "enum" in type_prop:
        type_prop["enumDescriptions"] = [TYPE_HELP[v] for v in type_prop["enum"]]
    meaning = props.get("meaning", {})
    for branch in meaning.get("anyOf", []):
        if "enum" in branch:
            branch["enumDescriptions"] = [MEANING_HELP[v] for v in branch["enum"]]


def _key_pattern(prop: dict[str, Any]) -> None:
    """Mapping keys (scale and question-set names) must be identifiers too."""
    patterns = list(prop.get("patternProperties", {}))
    names = prop.get("propertyNames")
    if len(patterns) == 1 and isinstance(names, dict) and "pattern" not in names:
        names["pattern"] = patterns[0]
