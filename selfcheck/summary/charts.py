"""Inline SVG bar charts for the HTML summary (no JavaScript, no network).

Every label is escaped with markupsafe before it goes into the SVG; numbers are
formatted here. The charts return :class:`markupsafe.Markup` so the autoescaping
template embeds them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','SimHei',sans-serif"
PALETTE = ("#2f6f9f", "#7fb3d5", "#f0b25a", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d")
PROBLEM_COLORS = ("#f0b25a", "#c0392b", "#e67e22", "#922b21")
FINE_COLORS = ("#2f6f9f", "#7fb3d5", "#a9cce3", "#d6eaf8")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, length and the text printed after it."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar."""

    share: float
    color: str
    name: str
    count: int


LABEL_CHARS = 15
"""Characters of a label line; longer labels wrap onto more lines, never cut."""
LINE = 16


def text_px(text: str, font: int) -> float:
    """Estimated width in px: CJK and full-width forms one em, others ~0.6 em."""
    return sum(font if ord(ch) >= 0x2E80 else font * 0.6 for ch in text)


def label_lines(text: str, per_line: int = LABEL_CHARS) -> list[str]:
    """``text`` broken into lines of at most ``per_line`` characters (nothing dropped).

    Breaks prefer the place after a comma or 、 near the end of a line.
    """
    lines: list[str] = []
    rest = text
    while len(rest) > per_line:
        cut = per_line
        for n in range(per_line, per_line // 2, -1):
            if rest[n - 1] in "，,、；;：:":
                cut = n
                break
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(rest)
    return lines


def _label_width(labels: Sequence[str], font: int) -> int:
    longest = max((text_px(line, font) for t in labels for line in label_lines(t)), default=0)
    return int(max(4 * font, longest)) + 12


def _label_svg(x: float, y_mid: float, text: str) -> str:
    """A right-aligned label centred on ``y_mid``, one <tspan> per line."""
    lines = label_lines(text)
    first = y_mid + 5 - (len(lines) - 1) * LINE / 2
    spans = "".join(
        f'<tspan x="{x}" y="{first + n * LINE:.1f}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text text-anchor="end">{spans}</text>'


def _row_height(label: str, row: int) -> int:
    return max(row, len(label_lines(label)) * LINE + 8)


def _svg_open(title: str, width: int, height: int, font: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="{font}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]


def bar_chart(
    title: str, bars: Sequence[Bar], *, maximum: float | None = None, color: str = PALETTE[0]
) -> Markup:
    """A horizontal bar chart; ``maximum`` fixes the scale (e.g. 1.0 for rates).

    Labels wrap instead of being cut, and the figure after each bar always fits.
    """
    font, row, width = 13, 24, 760
    left = _label_width([b.label for b in bars], font)
    after = int(max((text_px(b.text, font) for b in bars), default=0)) + 14
    span = max(60, width - left - after)
    top = 30
    heights = [_row_height(b.label, row) for b in bars]
    height = top + sum(heights) + 10
    scale = maximum if maximum else max((b.value for b in bars), default=0) or 1
    parts = _svg_open(title, width, height, font)
    y = float(top)
    for bar, h in zip(bars, heights, strict=True):
        mid = y + h / 2
        length = max(0.0, min(1.0, bar.value / scale)) * span
        parts.append(
            _label_svg(left - 8, mid, bar.label)
            + f'<rect x="{left}" y="{mid - 8:.1f}" width="{length:.1f}" height="16" '
            f'fill="{color}"/>'
            f'<text x="{left + length + 6:.1f}" y="{mid + 5:.1f}" fill="#333">'
            f"{escape(bar.text)}</text>"
        )
        y += h
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_chart(title: str, rows: Sequence[tuple[str, Sequence[Segment]]]) -> Markup:
    """Horizontal 100% stacked bars (e.g. each item's rating distribution) with a legend."""
    font, row, width = 13, 24, 760
    left = _label_width([label for label, _ in rows], font)
    span = width - left - 10
    top = 52
    heights = [_row_height(label, row) for label, _ in rows]
    height = top + sum(heights) + 8
    parts = _svg_open(title, width, height, font)
    legend: list[tuple[str, str]] = []
    for _, segments in rows:
        for s in segments:
            if (s.name, s.color) not in legend:
                legend.append((s.name, s.color))
    x = float(left)
    for name, color in legend:
        parts.append(
            f'<rect x="{x:.1f}" y="28" width="12" height="12" fill="{color}"/>'
            f'<text x="{x + 16:.1f}" y="39">{escape(name)}</text>'
        )
        x += 16 + text_px(name, font) + 18
    y = float(top)
    for (label, segments), h in zip(rows, heights, strict=True):
        mid = y + h / 2
        parts.append(_label_svg(left - 8, mid, label))
        x = float(left)
        for s in segments:
            w = max(0.0, min(1.0, s.share)) * span
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{mid - 8:.1f}" width="{w:.1f}" height="16" '
                f'fill="{s.color}">'
                f"<title>{escape(s.name)}：{s.count}（{s.share * 100:.1f}%）</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{mid + 4:.1f}" text-anchor="middle" '
                    'fill="#fff" font-size="11">'
                    f"{s.share * 100:.0f}%</text>"
                )
            x += w
        y += h
    parts.append("</svg>")
    return Markup("".join(parts))


def option_colors(problem_flags: Sequence[bool]) -> list[str]:
    """Blues for fine ratings, warm colours for ratings that mark a problem."""
    fine = iter(FINE_COLORS * 4)
    warm = iter(PROBLEM_COLORS * 4)
    return [next(warm) if flag else next(fine) for flag in problem_flags]
