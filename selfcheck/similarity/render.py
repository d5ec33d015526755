"""The 雷同检查 part of every summary format: terminal table, Markdown, HTML, an xlsx sheet.

Wording matters: the part shows evidence (how much two texts share, and the
shared passages), says that a person decides, and never calls anyone a copier.
In HTML every text is escaped first and only then are the shared passages
wrapped in ``<mark>``, side by side, numbered alike on both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from selfcheck.similarity.model import BANDS, WHOLE, Pair
from selfcheck.similarity.normalise import normalise_with_map
from selfcheck.similarity.sketch import SHINGLE

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.similarity.detect import Result
    from selfcheck.summary.plan import ChecklistPlan

TITLE = "雷同检查"
NOTICE = (
    "以下列出文字重合较多的材料及重合的段落，供审核人阅读比对、作出判断。"
    "重合可能有正当原因（如共同起草、引用同一文件），本表不认定任何人抄袭。"
)
BAND_NOTES = {
    "提醒": "重合较多，请阅读比对",
    "建议退回": "重合比例高，可请本人说明或修改",
    "重点审核": "几乎相同，请重点审核",
}
HTML_LIMIT = 150
"""Pairs shown side by side in HTML; the rest are in the list (and in xlsx and json)."""


def field_label(plan: ChecklistPlan, field: str) -> str:
    """``全部材料`` or ``检查项·问题``, e.g. ``态度是否端正·原因剖析``."""
    if field == WHOLE:
        return "全部材料"
    item_id, _, qid = field.partition(".")
    item = plan.items.get(item_id)
    if item is None:
        return field
    question = item.by_id.get(qid)
    return f"{item.label}·{question.prompt}" if question is not None else item.label


def pct(score: float) -> str:
    """0.734 → ``73%``."""
    return f"{round(score * 100)}%"


def summary_line(result: Result) -> str:
    """One sentence: how many took part, how many pairs in each band."""
    counts = {b: 0 for b in BANDS}
    for p in result.pairs:
        counts[p.band] += 1
    parts = [f"参与比对 {result.compared} 份材料（无可比对文字的 {result.no_text} 份不参与）"]
    if result.earlier:
        parts.append(f"往次答卷 {result.earlier} 份")
    if result.templates:
        parts.append(f"范文 {result.templates} 篇")
    bands = "，".join(f"{b} {counts[b]} 对" for b in reversed(BANDS))
    return "；".join(parts) + f"。发现文字重合 {len(result.pairs)} 对：{bands}。"


def thresholds_line(result: Result) -> str:
    """The bands in force, for the reader to judge the figures."""
    t = result.thresholds
    whole = "、".join(f"{b} ≥{pct(v)}" for b, v in zip(BANDS, t.whole, strict=True))
    field = "、".join(f"{b} ≥{pct(v)}" for b, v in zip(BANDS, t.field, strict=True))
    return (
        f"重合比例：一份文字中与对方连续 {t.min_passage} 字以上相同的部分所占比例，两份取较高者"
        f"（已先去掉检查表原文和常用套话）。全部材料：{whole}；单项回答：{field}。"
    )


def rows(result: Result, plan: ChecklistPlan) -> list[list[str]]:
    """One row per pair: 程度, 重合比例, 一方, 另一方, 比对范围, 最长重合段落."""
    return [
        [
            p.band,
            pct(p.score),
            p.a.label(),
            p.b.label(),
            field_label(plan, p.field),
            p.passages[0] if p.passages else "",
        ]
        for p in result.pairs
    ]


HEADER = ["程度", "重合比例", "一方", "另一方", "比对范围", "最长重合段落"]


def skipped_rows(result: Result) -> list[list[str]]:
    """Template and earlier files that took no part, with the reason."""
    out = [[s["file"], f"范文未使用：{s['reason']}"] for s in result.skipped_templates]
    out += [[s["file"], f"往次答卷未计入：{s['reason']}"] for s in result.skipped_earlier]
    return out


# ------------------------------------------------------------------ terminal


def table_section(result: Result, plan: ChecklistPlan, console: Console) -> None:
    """Print the part in the terminal (rich renders Text, never markup from answers)."""
    from rich.table import Table
    from rich.text import Text

    console.print()
    console.print(Text(TITLE, style="bold"))
    console.print(Text(summary_line(result)))
    console.print(Text(NOTICE, style="dim"))
    if result.pairs:
        table = Table(show_lines=False, expand=False)
        for name in HEADER:
            table.add_column(name, overflow="fold", no_wrap=name in ("程度", "重合比例"))
        for row in rows(result, plan):
            table.add_row(*(Text(c) for c in row))
        console.print(table)
    for file, reason in skipped_rows(result):
        console.print(Text(f"{file}：{reason}", style="yellow"))
    console.print(Text(thresholds_line(result), style="dim"))


# ------------------------------------------------------------------ markdown


def markdown_section(
    result: Result, plan: ChecklistPlan, cell: Callable[[str], str], heading: str = TITLE
) -> list[str]:
    """The part as Markdown lines under ``heading`` (the summary numbers it), every text
    escaped by ``cell`` (the summary's own)."""
    out = [f"## {heading}", "", cell(summary_line(result)), "", f"> {cell(NOTICE)}", ""]
    if result.pairs:
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|" + "|".join("---:" if h == "重合比例" else "---" for h in HEADER) + "|")
        for row in rows(result, plan):
            out.append("| " + " | ".join(cell(c) for c in row) + " |")
        out.append("")
    for file, reason in skipped_rows(result):
        out += [f"- {cell(file)}：{cell(reason)}"]
    out += ["", cell(thresholds_line(result)), ""]
    return out


# ---------------------------------------------------------------------- html

CSS = """
<style>
  .sim-pair { border: 1px solid #c9d1d8; border-radius: 6px; margin: 10px 0 16px; padding: 6px 10px;
              break-inside: avoid; page-break-inside: avoid; }
  .sim-pair h3 { margin: 4px 0 6px; font-size: 14px; }
  .sim-side { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
  .sim-side > div { border: 1px solid #e1e6ea; background: #fbfcfd; padding: 6px 8px;
                    white-space: pre-wrap; word-break: break-word; font-size: 13px; }
  .sim-side .who { display: block; font-weight: bold; color: #2f6f9f; margin-bottom: 4px;
                   white-space: normal; }
  .sim-pair mark { padding: 0 1px; border-radius: 2px; }
  .sim-pair mark.p0 { background: #ffe08a; } .sim-pair mark.p1 { background: #b8e3ff; }
  .sim-pair mark.p2 { background: #c9f2c0; } .sim-pair mark.p3 { background: #f8c8dc; }
  .sim-pair mark.p4 { background: #e0d4ff; }
  td.party { word-break: keep-all; overflow-wrap: anywhere; }  /* break at the space: 单位 姓名 */
  .band { display: inline-block; white-space: nowrap; padding: 0 5px; border-radius: 3px;
          font-size: 12px; color: #fff; }
  .band.b0 { background: #8a9aa8; } .band.b1 { background: #e08e0b; }
  .band.b2 { background: #c0392b; }
</style>
"""


def highlight(text: str, passages: list[str]) -> Markup:
    """``text`` escaped, with each shared passage (normalised) wrapped in ``<mark class=pN>``.

    A passage is a run of one text's shingles that the other text also has, each
    somewhere: the other text need not hold it whole (a copy with a word swapped in
    the middle). Where it is not found whole, the shingles of it are marked where
    they are, so both sides of a pair show the shared wording."""
    normal, where = normalise_with_map(text)
    owner: list[int] = [-1] * len(text)
    windows: dict[str, list[int]] | None = None

    def own(lo: int, hi: int, number: int) -> None:
        for k in range(where[lo], where[hi - 1] + 1):
            if owner[k] < 0:
                owner[k] = number

    for number, passage in enumerate(passages):
        if not passage:
            continue
        start = normal.find(passage)
        if start < 0:
            if windows is None:
                windows = _shingle_places(normal)
            for i in range(len(passage) - SHINGLE + 1):
                for at in windows.get(passage[i : i + SHINGLE], ()):
                    own(at, at + SHINGLE, number)
        while start >= 0:
            own(start, start + len(passage), number)
            start = normal.find(passage, start + len(passage))
    out: list[str] = []
    k = 0
    while k < len(text):
        mark = owner[k]
        end = k
        while end < len(text) and owner[end] == mark:
            end += 1
        chunk = str(escape(text[k:end]))
        if mark >= 0:
            chunk = f'<mark class="p{mark % 5}" title="重合段落 {mark + 1}">{chunk}</mark>'
        out.append(chunk)
        k = end
    return Markup("".join(out))


def _shingle_places(normal: str) -> dict[str, list[int]]:
    """Where each shingle of the normalised ``normal`` starts."""
    places: dict[str, list[int]] = {}
    for at in range(len(normal) - SHINGLE + 1):
        places.setdefault(normal[at : at + SHINGLE], []).append(at)
    return places


def _band_tag(band: str) -> str:
    return f'<span class="band b{BANDS.index(band)}">{escape(band)}</span>'


def html_section(result: Result, plan: ChecklistPlan, heading: str = TITLE) -> Markup:
    """The part as an HTML fragment under ``heading`` (the summary numbers it): the list,
    then the pairs side by side."""
    h: list[str] = [CSS, f'<h2 id="similarity">{escape(heading)}</h2>']
    h.append(f"<p>{escape(summary_line(result))}</p>")
    h.append(f'<p class="muted">{escape(NOTICE)}</p>')
    if result.pairs:
        h.append("<table><thead><tr>")
        numeric = ' class="n"'
        h += [f"<th{numeric if c == '重合比例' else ''}>{escape(c)}</th>" for c in HEADER]
        h.append("</tr></thead><tbody>")
        for n, (pair, row) in enumerate(zip(result.pairs, rows(result, plan), strict=True)):
            link = f'<a href="#sim-{n}">{escape(row[2])}</a>' if n < HTML_LIMIT else escape(row[2])
            h.append(
                f'<tr><td>{_band_tag(pair.band)}</td><td class="n">{escape(row[1])}</td>'
                f'<td class="party">{link}</td><td class="party">{escape(row[3])}</td>'
                f"<td>{escape(row[4])}</td>"
                f'<td class="wrap">{escape(row[5])}</td></tr>'
            )
        h.append("</tbody></table>")
    for file, reason in skipped_rows(result):
        h.append(f'<p class="muted">{escape(file)}：{escape(reason)}</p>')
    h.append(f'<p class="muted">{escape(thresholds_line(result))}</p>')
    shown = result.pairs[:HTML_LIMIT]
    if shown:
        h.append("<h3>重合段落对照（左右两侧相同颜色为同一段重合文字）</h3>")
    for n, pair in enumerate(shown):
        h.append(_pair_html(n, pair, plan))
    if len(result.pairs) > HTML_LIMIT:
        rest = len(result.pairs) - HTML_LIMIT
        h.append(f'<p class="muted">其余 {rest} 对的对照见 xlsx 或 json 输出。</p>')
    return Markup("\n".join(h))


def _pair_html(n: int, pair: Pair, plan: ChecklistPlan) -> str:
    head = (
        f"<h3>{_band_tag(pair.band)} 重合比例 {escape(pct(pair.score))} · "
        f"{escape(field_label(plan, pair.field))}</h3>"
    )
    side = "".join(
        f'<div><span class="who">{escape(party.label())}</span>'
        f"{highlight(text, pair.passages)}</div>"
        for party, text in ((pair.a, pair.a_text), (pair.b, pair.b_text))
    )
    return f'<div class="sim-pair" id="sim-{n}">{head}<div class="sim-side">{side}</div></div>'


# ---------------------------------------------------------------------- xlsx


def xlsx_sheet(
    book: Any,
    result: Result,
    plan: ChecklistPlan,
    sheet: Callable[..., Any],
    put_rows: Any,
    put_notes: Callable[[Any, list[str]], None],
) -> None:
    """The 雷同检查 sheet: one row per pair, with every shared passage, then what the part
    found and means (as md and html say it), a sentence a row across the sheet.

    ``sheet``, ``put_rows`` and ``put_notes`` are the workbook's own list-sheet helpers,
    so the sheet prints like the others and every cell is neutralised the same way.
    """
    header = [*HEADER[:5], "重合段落", "一方文件", "另一方文件"]
    ws = sheet(book, TITLE, header, [8, 8, 14, 14, 14, 40, 18, 18])
    data: list[list[object]] = []
    for pair, row in zip(result.pairs, rows(result, plan), strict=True):
        data.append(
            [
                *row[:5],
                "\n".join(f"{k + 1}. {p}" for k, p in enumerate(pair.passages)),
                pair.a.file,
                pair.b.file,
            ]
        )
    put_rows(ws, data)
    notes = [summary_line(result)]
    notes += [f"{file}：{reason}" for file, reason in skipped_rows(result)]
    put_notes(ws, [*notes, NOTICE, thresholds_line(result)])
