"""The one Jinja environment factory.

Every Jinja environment in selfcheck is made here:
- ``condition``: sandboxed, for ``when`` expressions in checklists;
- ``builtin``: the shipped report templates (StrictUndefined);
- ``user``: a user's own template, sandboxed with StrictUndefined and bounded
  (:mod:`selfcheck.sandbox`; render it with :func:`selfcheck.sandbox.render`).
HTML output always autoescapes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, Undefined

from selfcheck.sandbox import BoundedSandbox, TemplateSandbox

Purpose = Literal["condition", "builtin", "user"]

# Jinja's syntax messages, in the order tried (the first key found in the message wins).
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("chunk after expression", "表达式后面有多余内容：判断相等请用 ==，组合条件请用 and、or"),
    ("expected ')'", "括号没有闭合"),
    ("unexpected ')'", "多了右括号"),
    ("unexpected char", "有无法识别的字符（引号是否成对？）"),
    ("expected name or number", "点号后面应是名称，如 rating.problem"),
    ("unexpected '}'", "花括号不成对：变量写作 {{ 名称 }}，标签写作 {% 标签 %}"),
    ("Expected an expression", "这里缺少表达式"),
    ("end of print statement", "{{ … }} 中只能写一个表达式，多出的内容请删去或用 ~ 连接"),
)
_UNCLOSED = re.compile(r"innermost block that needs to be closed is '(\w+)'")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(\w+)'")


def syntax_hint(message: str, *, template: bool) -> str | None:
    """What a Jinja ``TemplateSyntaxError`` message means, in Chinese (None: not known).

    ``template`` tells a report template from a checklist's ``when`` expression: there
    "end of template" means a block left open, here an expression cut short."""
    if "end of template" in message:
        unclosed = _UNCLOSED.search(message)
        if template and unclosed:
            return f"{{% {unclosed[1]} %}} 没有结束：缺少 {{% end{unclosed[1]} %}}"
        return "模板不完整：有标签没有结束" if template else "表达式不完整：末尾缺少内容"
    unknown = _UNKNOWN_TAG.search(message)
    if unknown:
        tag = unknown[1]
        if tag.startswith("end"):
            return f"多了一个 {{% {tag} %}}（前面没有对应的 {{% {tag[3:]} %}}）"
        return f"未知的标签“{tag}”（可用 if、for、set、include 等）"
    return next((text for key, text in _SYNTAX_HINTS if key in message), None)


def make_environment(
    purpose: Purpose,
    *,
    search_path: list[Path] | None = None,
    autoescape: bool = False,
) -> Environment:
    """Create the Jinja environment for ``purpose``.

    ``search_path`` folders become a FileSystemLoader; ``autoescape`` turns on
    HTML escaping for every template rendered from this environment.
    """
    loader: BaseLoader | None = (
        FileSystemLoader([str(p) for p in search_path]) if search_path else None
    )
    if purpose == "condition":
        # Undefined (falsy) at run time: unanswered questions are simply false.
        return BoundedSandbox(undefined=Undefined, autoescape=False)
    env_class = TemplateSandbox if purpose == "user" else Environment
    env = env_class(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env
