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


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label_width(labels: Sequence[str], font: int, limit: int) -> int:
    longest = max((len(_label(t, limit)) for t in labels), default=2)
    return max(4, longest) * font + 12


def bar_chart(
    title: str, bars: Sequence[Bar], *, maximum: float | None = None, color: str = PALETTE[0]
) -> Markup:
    """A horizontal bar chart; ``maximum`` fixes the scale (e.g. 1.0 for rates)."""
    font, row, limit, width = 13, 24, 22, 760
    left = _label_width([b.label for b in bars], font, limit)
    span = width - left - 110
    top = 30
    height = top + row * len(bars) + 10
    scale = maximum if maximum else max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="{font}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for n, bar in enumerate(bars):
        y = top + n * row
        length = max(0.0, min(1.0, bar.value / scale)) * span
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(_label(bar.label, limit))}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{color}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 16}" fill="#333">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_chart(title: str, rows: Sequence[tuple[str, Sequence[Segment]]]) -> Markup:
    """Horizontal 100% stacked bars (e.g. each item's rating distribution) with a legend."""
    font, row, limit, width = 13, 24, 24, 760
    left = _label_width([label for label, _ in rows], font, limit)
    span = width - left - 10
    top = 52
    height = top + row * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="{font}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
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
        x += 16 + len(name) * font + 18
    for n, (label, segments) in enumerate(rows):
        y = top + n * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(_label(label, limit))}</text>"
        )
        x = float(left)
        for s in segments:
            w = max(0.0, min(1.0, s.share)) * span
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                f'fill="{s.color}">'
                f"<title>{escape(s.name)}：{s.count}（{s.share * 100:.1f}%）</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    'fill="#fff" font-size="11">'
                    f"{s.share * 100:.0f}%</text>"
                )
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))


def option_colors(problem_flags: Sequence[bool]) -> list[str]:
    """Blues for fine ratings, warm colours for ratings that mark a problem."""
    fine = iter(FINE_COLORS * 4)
    warm = iter(PROBLEM_COLORS * 4)
    return [next(warm) if flag else next(fine) for flag in problem_flags]
