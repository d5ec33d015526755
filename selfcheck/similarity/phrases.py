"""The stock phrases (套话) left out before comparing: a shipped, editable YAML list.

The file is ``{"phrases": [str, ...]}``; the shipped one is
``selfcheck/similarity/stock_phrases.yaml`` (inside the wheel). ``selfcheck
summary --stock-phrases FILE`` uses another file instead. YAML is loaded safely
(:mod:`selfcheck.yamlsafe`); a malformed file is an error naming the file.
"""

from __future__ import annotations

from pathlib import Path

from selfcheck.cache import cached
from selfcheck.errors import SummaryError

SHIPPED = Path(__file__).with_name("stock_phrases.yaml")


def load_stock_phrases(path: Path | None = None) -> list[str]:
    """The phrases of ``path`` (default: the shipped list); once read, kept in the cache
    (:mod:`selfcheck.cache`) keyed by the file's bytes, so YAML is parsed only when the
    file changes."""
    from selfcheck.folder import FolderReadError, read_limited
    from selfcheck.yamlsafe import MAX_BYTES

    file = path or SHIPPED
    try:
        raw = read_limited(str(file), MAX_BYTES, follow_symlinks=True)
    except FolderReadError:
        return _parse(file)  # says why, in Chinese, naming the file
    code = ("similarity/phrases.py", "yamlsafe.py")
    return cached("stock-phrases", code, [raw], lambda: _parse(file), list[str])


def _parse(file: Path) -> list[str]:
    from selfcheck.yamlsafe import read_yaml_file

    loaded = read_yaml_file(file)
    data = loaded.data
    phrases = data.get("phrases") if isinstance(data, dict) else None
    title = f"套话表格式不对：{file}"
    if not isinstance(phrases, list):
        where: tuple[str, ...] = (
            ("phrases",) if isinstance(data, dict) and "phrases" in data else ()
        )
        problem = loaded.problem(where, "应为 phrases: 下的一串文字（每行“- 文字”）")
        raise SummaryError(title, [problem])
    wrong = [
        loaded.problem(("phrases", n), _not_text(p))
        for n, p in enumerate(phrases)
        if not isinstance(p, str)
    ]
    if wrong:
        raise SummaryError(title, wrong)
    return [p.strip() for p in phrases if p.strip()]


def _not_text(value: object) -> str:
    """Why a phrase that YAML read as something else is not one, and the fix."""
    if isinstance(value, dict):
        return "应为一条文字：文字中有“冒号加空格”时 YAML 会把它读成“键: 值”，请给整条加引号"
    return "应为一条文字：请加引号（数字、是否、日期等写法要加引号才是文字）"
