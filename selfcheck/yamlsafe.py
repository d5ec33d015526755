"""Safe, strict YAML reading for files people write by hand.

PyYAML's SafeLoader is the parser; on top of it this module
- decodes UTF-8 (with or without BOM), and reads UTF-16 and GB18030/GBK with a
  warning instead of showing mojibake (:mod:`selfcheck.textfile`);
- refuses any non-standard tag (``!!python/...`` included);
- refuses very deep nesting and alias bombs before building anything;
- reports duplicate keys, which PyYAML silently overwrites;
- records the line and column of every value, so schema errors can be located;
- remembers plain scalars that YAML 1.1 turned into non-strings (``no``,
  ``1.10``), so a "please quote" hint can be given where text was expected.
Mapping keys are always the text as written.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfcheck.errors import IS_A_FOLDER, Loc, Problem, YamlError, format_loc
from selfcheck.folder import FolderReadError, read_limited
from selfcheck.lookalike import lookalike
from selfcheck.textfile import NotText, decode_handmade

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 200_000


_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "含有无效的 Unicode 字符（单独的代理码位，如 \\ud800）：请删除"


@dataclass
class LoadedYaml:
    """The data of a YAML document plus where each value came from."""

    data: Any
    file: str
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    plain_scalars: dict[Loc, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    """Non-fatal faults (duplicate keys, ...) kept when parsing with ``keep_going``."""

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc`` (or of its nearest located ancestor)."""
        probe = tuple(loc)
        if key and probe in self.key_positions:
            return self.key_positions[probe]
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A :class:`Problem` located at ``loc``."""
        line, col = self.locate(loc, key=key)
        return Problem(self.file, line, col, format_loc(loc), message)


def decode_text(raw: bytes, file: str) -> tuple[str, list[Problem]]:
    """Decode a hand-written text file (:func:`~selfcheck.textfile.decode_handmade`);
    UTF-16 and GB18030 are accepted with a warning."""
    try:
        decoded = decode_handmade(raw)
    except NotText as exc:
        if exc.kind == "binary":
            raise YamlError(
                f"无法读取 {file}：不是文本文件",
                [Problem(file, 1, 1, "", "文件含有二进制内容（NUL 字节），不是 YAML 文本文件")],
            ) from None
        raise YamlError(
            f"无法读取 {file}：不是 UTF-8 文本",
            [Problem(file, exc.line, 1, "", "文件编码无法识别：请用 UTF-8 编码另存后再试")],
        ) from None
    if decoded.encoding == "utf-16":
        return decoded.text, [
            Problem(file, 1, 1, "", "警告：文件是 UTF-16 编码，已自动读取；建议另存为 UTF-8 编码")
        ]
    if decoded.encoding == "gb18030":
        return decoded.text, [
            Problem(
                file,
                decoded.first_foreign_line,
                1,
                "",
                "警告：文件不是 UTF-8 编码，看起来是 GBK/GB18030（记事本的“ANSI”）；"
                "已按 GB18030 读取。请在编辑器中“另存为”UTF-8 编码",
            )
        ]
    return decoded.text, []


def read_yaml_file(
    path: Path, display: str | None = None, *, keep_going: bool = False
) -> LoadedYaml:
    """Read and parse ``path`` (see :func:`parse_yaml`)."""
    name = display or str(path)

    def fail(title: str, detail: str) -> YamlError:
        return YamlError(f"{title}：{name}", [Problem(name, 1, 1, "", detail)])

    try:
        raw = read_limited(str(path), MAX_BYTES, follow_symlinks=True)
    except FolderReadError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise fail("找不到文件", "文件不存在：请检查路径和文件名") from None
        if exc.errno == errno.EISDIR:
            detail = "这是一个文件夹：请指定其中的 .yaml 文件"
            raise fail(IS_A_FOLDER, detail) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise fail("没有权限读取文件", "没有读取权限") from None
        if exc.code == "too_large":
            raise fail("文件过大", exc.reason) from None
        raise fail("无法读取文件", f"无法读取：{exc.detail}") from None
    return parse_yaml(raw, name, keep_going=keep_going)


def parse_yaml(raw: bytes | str, file: str, *, keep_going: bool = False) -> LoadedYaml:
    """Parse one YAML document strictly; raise :class:`YamlError` with every fault.

    Syntax errors, forbidden tags and bombs always raise. Content faults that
    still leave usable data (duplicate keys, merge keys, unreadable values)
    raise too, unless ``keep_going`` is true: then they are returned in
    ``LoadedYaml.errors`` so a validator can report them together with
    schema problems.
    """
    if isinstance(raw, bytes):
        text, warnings = decode_text(raw, file)
    else:
        text, warnings = raw, []
    _prescan(text, file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:  # pragma: no cover - prescan already parsed
        raise YamlError(f"YAML 语法错误：{file}", [_syntax_problem(exc, file, text)]) from None
    except RecursionError:  # pragma: no cover - prescan limits depth
        raise YamlError(f"嵌套过深：{file}") from None
    loaded = LoadedYaml(data=None, file=file, warnings=warnings)
    if node is None:
        loaded.positions[()] = (1, 1)
        return loaded
    _check_expanded_size(node, file)
    builder = _Builder(loaded)
    loaded.data = builder.build(node, ())
    if builder.problems:
        if not keep_going:
            raise YamlError(f"YAML 内容有误：{file}", builder.problems)
        loaded.errors.extend(builder.problems)
    return loaded


def _prescan(text: str, file: str) -> None:
    """Walk the event stream once: syntax, depth, alias count, tags."""
    depth = 0
    aliases = 0
    events = 0
    documents = 0
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            events += 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(
                        f"文件包含多个 YAML 文档：{file}",
                        [_mark_problem(file, event.start_mark, "只允许一个文档，请删除多余的 ---")],
                    )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(
                        f"嵌套过深：{file}",
                        [
                            _mark_problem(
                                file, event.start_mark, f"嵌套超过 {MAX_DEPTH} 层，已拒绝读取"
                            )
                        ],
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise YamlError(
                        f"别名（*引用）过多：{file}",
                        [
                            _mark_problem(
                                file, event.start_mark, f"超过 {MAX_ALIASES} 个别名引用，已拒绝读取"
                            )
                        ],
                    )
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag not in _STANDARD_TAGS:
                problems.append(
                    _mark_problem(
                        file,
                        event.start_mark,
                        f"不允许的 YAML 标签 {_short_tag(tag)}：只能写普通数据",
                    )
                )
            if events > MAX_NODES:
                raise YamlError(
                    f"文件内容过多：{file}",
                    [_mark_problem(file, event.start_mark, f"超过 {MAX_NODES} 个值，已拒绝读取")],
                )
    except yaml.MarkedYAMLError as exc:
        tab_problems = (
            _tab_problems(text, file)
            if "\\t" in repr(exc.problem) or "tab" in str(exc.problem or "")
            else []
        )
        blank_problems = _odd_indent_problems(text, file, exc.problem_mark or exc.context_mark)
        raise YamlError(
            f"YAML 语法错误：{file}",
            tab_problems or blank_problems or [_syntax_problem(exc, file, text)],
        ) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(
            f"文件含有不允许的字符：{file}", [_reader_problem(exc, file, text)]
        ) from None
    except (
        yaml.YAMLError
    ) as exc:  # pragma: no cover - every PyYAML error is marked or a reader error
        raise YamlError(f"YAML 语法错误：{file}", [Problem(file, 1, 1, "", str(exc))]) from None
    if problems:
        raise YamlError(f"YAML 内容有误：{file}", problems)


def _check_expanded_size(root: yaml.Node, file: str) -> None:
    """Refuse alias bombs before building anything.

    The composed graph shares aliased nodes; the size of the data it would
    expand to is counted once per distinct node (memoised), so this is fast
    even when the expansion is astronomically large. A node that contains
    itself (``&a [*a]``) is refused too.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise YamlError(
                f"引用了自身：{file}",
                [
                    _mark_problem(
                        file,
                        node.start_mark,
                        "这里的别名（*引用）引用了包含它自己的内容，已拒绝读取",
                    )
                ],
            )
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        in_progress.discard(key)
        if total > MAX_NODES:
            raise YamlError(
                f"文件展开后内容过多（可能是别名炸弹）：{file}",
                [
                    _mark_problem(
                        file,
                        node.start_mark,
                        f"展开后超过 {MAX_NODES} 个值（可能是别名炸弹），已拒绝读取",
                    )
                ],
            )
        sizes[key] = total
        return total

    size(root)


def _reader_problem(exc: yaml.reader.ReaderError, file: str, text: str) -> Problem:
    """Locate a character PyYAML refuses (control characters and the like)."""
    before = text[: max(exc.position, 0)]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(
        file,
        line,
        col,
        "",
        f"文件中有不可见的控制字符 U+{code:04X}：请删除它（可能是从其他软件复制时带入的）",
    )


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark_problem(file: str, mark: Any, message: str) -> Problem:
    return Problem(file, mark.line + 1, mark.column + 1, "", message)


def _tab_problems(text: str, file: str) -> list[Problem]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = re.match(r"[ \t]*", line)
        if indent and "\t" in indent.group(0):
            out.append(
                Problem(
                    file,
                    number,
                    indent.group(0).index("\t") + 1,
                    "",
                    "用了 Tab 缩进：YAML 只能用空格缩进，请把 Tab 换成空格",
                )
            )
    return out


_LEADING_BLANKS = re.compile(r"[^\S\r\n]*")
_NEAR_LINES = 2
"""How many lines before a syntax error an odd blank starting a line is taken as its cause."""


def _odd_indent_problems(text: str, file: str, mark: Any) -> list[Problem]:
    """Lines just before a syntax error (or at it) indented with a blank that is not the
    ordinary space: a 全角空格, or Word's non-breaking space pasted with the text. YAML
    sees no indentation there at all, and its own message points somewhere else."""
    if mark is None:
        return []
    out = []
    lines = text.splitlines()
    for number in range(max(mark.line - _NEAR_LINES, 0), min(mark.line + 1, len(lines))):
        line = lines[number]
        blanks = _LEADING_BLANKS.match(line)
        for col, char in enumerate(blanks.group(0) if blanks else ""):
            odd = lookalike(char)
            if odd is not None and odd.is_space:
                message = f"这一行开头有{odd.name}：YAML 只能用普通空格缩进，{odd.advice()}"
                out.append(Problem(file, number + 1, col + 1, "", message))
                break
    return out


_SYNTAX_HINTS = [
    ("while scanning a quoted scalar", "引号没有闭合：从这里开始的引号找不到对应的结束引号"),
    ("while scanning a block scalar", "多行文本（| 或 >）的缩进不对"),
    (
        "mapping values are not allowed",
        "这里不能出现“键: 值”：文本中的冒号后跟空格时，请给整段文本加引号",
    ),
    ("did not find expected key", "缩进没有对齐，或在映射中出现了多余的内容"),
    ("did not find expected '-' indicator", "列表项缩进没有对齐"),
    ("found character '\\t'", "用了 Tab：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号文本中有无效的转义字符（\\）：请改用单引号"),
    ("expected <block end>", "缩进没有对齐"),
    (
        "that cannot start any token",
        "出现了不能作为开头的字符（如 @ 或 `）：请给文本加引号",
    ),
    ("did not find expected node content", "缺少内容，或出现了多余的符号"),
    ("expected the node content", "缺少内容：括号或引号没有闭合，或出现了多余的符号"),
    ("expected ',' or ']'", "方括号列表中缺少逗号或“]”"),
    ("expected ',' or '}'", "花括号映射中缺少逗号或“}”"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        return _missing_colon_problem(exc.context_mark, file, text)
    # An unclosed quote is reported where the quote starts, not at the end of the file.
    starts_at_context = (
        exc.context == "while scanning a quoted scalar" and exc.context_mark is not None
    )
    mark = exc.context_mark if starts_at_context else (exc.problem_mark or exc.context_mark)
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    original = " ".join(str(x) for x in (exc.context, exc.problem) if x)
    if mark is not None and "mapping values are not allowed" in original:
        deeper = _over_indented(text.splitlines(), mark.line, file)
        if deeper is not None:
            return deeper
    if mark is not None and ("expected <block end>" in original or "expected key" in original):
        misaligned = _misaligned(text.splitlines(), mark.line, file)
        if misaligned is not None:
            return misaligned
    hint = next((h for key, h in _SYNTAX_HINTS if key in original), None)
    # PyYAML's English is kept only where no Chinese account of it is known.
    return Problem(file, line, col, "", hint or f"YAML 语法错误（{original}）")


_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s#:'\"\-{\[][^:#]*?) *:(?: |$)")


def _key_on(lines: list[str], number: int) -> tuple[int, str] | None:
    """The 0-based column and the name of the key that line ``number`` starts with."""
    found = _KEY_LINE.match(lines[number]) if 0 <= number < len(lines) else None
    if found is None:
        return None
    return len(found.group(1)) + len(found.group(2)), found.group(3)


def _previous_content(lines: list[str], number: int) -> int | None:
    """The line before ``number`` that is neither blank nor only a comment."""
    for before in range(number - 1, -1, -1):
        stripped = lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


def _over_indented(lines: list[str], number: int, file: str) -> Problem | None:
    """``key: value`` on a line indented deeper than the key above it: YAML reads it as
    the rest of the text above, then stumbles on its colon. The fault is the
    indentation, not a missing pair of quotes."""
    here = _key_on(lines, number)
    before = _previous_content(lines, number)
    above = _key_on(lines, before) if before is not None else None
    if here is None or above is None or before is None or here[0] <= above[0]:
        return None
    message = (
        f"这一行比第 {before + 1} 行的“{above[1]}”多缩进了 {here[0] - above[0]} 格，"
        "YAML 把它当成了上一行文字的接续：同一层的字段要左对齐"
        f"（与“{above[1]}”一样从第 {above[0] + 1} 列开始）。"
        "如果它确实是上一行文字的一部分，请给整段文字加引号"
    )
    return Problem(file, number + 1, here[0] + 1, "", message)


def _misaligned(lines: list[str], number: int, file: str) -> Problem | None:
    """A key that lines up with nothing above it: name the key it should line up with."""
    here = _key_on(lines, number)
    before = _previous_content(lines, number)
    above = _key_on(lines, before) if before is not None else None
    if here is None or above is None or before is None or here[0] == above[0]:
        return None
    message = (
        f"这一行的缩进和第 {before + 1} 行的“{above[1]}”没有对齐"
        f"（这一行从第 {here[0] + 1} 列开始，“{above[1]}”从第 {above[0] + 1} 列开始）："
        "同一层的字段要左对齐，下一层的要多缩进"
    )
    return Problem(file, number + 1, here[0] + 1, "", message)


_MISSING_COLON = "这一行的键后面缺少半角冒号“:”"
_BLANK_AFTER_COLON = re.compile(r":([^\S\r\n ])")
_FULL_WIDTH_COLON = "把全角冒号“：”改成半角“:”（后面加一个空格）"


def _missing_colon_problem(key_mark: Any, file: str, text: str) -> Problem:
    """A key without its ``:``: PyYAML notices on a later line, the fault is the key's.

    ``key_mark`` is where the key starts. A full-width ``：`` after it is the
    usual cause (a Chinese input method); the problem then points at it.
    """
    lines = text.splitlines()
    line_text = lines[key_mark.line] if key_mark.line < len(lines) else ""
    blank = _BLANK_AFTER_COLON.search(line_text, key_mark.column)
    odd = lookalike(blank.group(1)) if blank else None
    if blank is not None and odd is not None:
        message = f"冒号“:”后面是{odd.name}：YAML 要求冒号后是普通空格，{odd.advice()}"
        return Problem(file, key_mark.line + 1, blank.start(1) + 1, "", message)
    column = line_text.find("：", key_mark.column)
    if column < 0:
        return _mark_problem(file, key_mark, _MISSING_COLON)
    return Problem(
        file, key_mark.line + 1, column + 1, "", f"{_MISSING_COLON}；{_FULL_WIDTH_COLON}"
    )


class _Builder:
    """Turns a composed node graph into plain Python data, recording positions."""

    def __init__(self, loaded: LoadedYaml) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(
                f"文件展开后内容过多（可能是别名炸弹）：{self.loaded.file}",
                [
                    _mark_problem(
                        self.loaded.file,
                        node.start_mark,
                        f"展开后超过 {MAX_NODES} 个值（可能是别名炸弹），已拒绝读取",
                    )
                ],
            )
        if depth > MAX_DEPTH:
            raise YamlError(
                f"嵌套过深：{self.loaded.file}",
                [_mark_problem(self.loaded.file, node.start_mark, f"嵌套超过 {MAX_DEPTH} 层")],
            )
        self.loaded.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, i), depth + 1) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    _mark_problem(self.loaded.file, key_node.start_mark, "键必须是简单文本")
                )
                continue
            key = str(key_node.value)
            if _SURROGATE.search(key):
                self.problems.append(
                    _mark_problem(self.loaded.file, key_node.start_mark, _SURROGATE_MESSAGE)
                )
                continue
            if key == "<<":
                self.problems.append(
                    _mark_problem(
                        self.loaded.file, key_node.start_mark, "不支持合并键“<<”：请直接写出字段"
                    )
                )
                continue
            child = (*loc, key)
            if key in first_seen:
                self.problems.append(
                    Problem(
                        self.loaded.file,
                        key_line,
                        key_node.start_mark.column + 1,
                        format_loc(child),
                        f"重复的键“{key}”（第 {first_seen[key]} 行已出现）："
                        "同一层里每个键只能写一次"
                        "（很多程序会悄悄只保留最后一个），请删除或合并",
                    )
                )
                continue
            first_seen[key] = key_line
            self.loaded.key_positions[child] = (key_line, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            if node.tag.endswith(":timestamp"):
                message = f"日期“{node.value}”不存在；如果这里要写文本，请加引号"
            else:
                message = f"无法读取的值“{node.value}”（{exc}）"
            self.problems.append(_mark_problem(self.loaded.file, node.start_mark, message))
            return node.value
        if isinstance(value, str) and _SURROGATE.search(value):
            self.problems.append(
                _mark_problem(self.loaded.file, node.start_mark, _SURROGATE_MESSAGE)
            )
            return _SURROGATE.sub("\ufffd", value)
        if node.style is None and not isinstance(value, str):
            self.loaded.plain_scalars[loc] = str(node.value)
        return value
