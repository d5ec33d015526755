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

    data = read_yaml_file(file).data
    phrases = data.get("phrases") if isinstance(data, dict) else None
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise SummaryError(f"套话表格式不对：{file}：应为 phrases: 下的一串文字（每行“- 文字”）")
    return [p.strip() for p in phrases if p.strip()]
