"""The links file (CSV for Excel) and the printable 通知 with one slip per person.

Plain tokens exist only at the moment they are issued, so the links file is
updated then: at start for people who have no link yet, and when the
committee reissues one. Rows of people not reissued are kept as they were.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.atomicio import write_bytes_atomic
from selfcheck.textsafe import neutralise_formula

if TYPE_CHECKING:
    from selfcheck.serve.people import Person

COLUMNS = ("序号", "单位", "姓名", "职务", "链接", "生成时间")


@dataclass(frozen=True)
class Slip:
    """One person's link as distributed."""

    number: int
    unit: str
    name: str
    position: str
    link: str
    issued: str


def notice_path(links: Path) -> Path:
    """``链接.csv`` → ``链接-通知.html`` beside it."""
    return links.with_name(f"{links.stem}-通知.html")


def read_links(path: Path) -> dict[tuple[str, str], Slip]:
    """The slips already in ``path`` by (unit, name); empty when there is no file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    slips: dict[tuple[str, str], Slip] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        try:
            slip = Slip(
                int(row["序号"]),
                _plain(row["单位"]),
                _plain(row["姓名"]),
                _plain(row.get("职务") or ""),
                row["链接"],
                row.get("生成时间") or "",
            )
        except (KeyError, ValueError, TypeError):
            continue
        slips[(slip.unit, slip.name)] = slip
    return slips


def _plain(value: str) -> str:
    # neutralise_formula puts a quote in front; take it off when reading back.
    return value[1:] if value.startswith("'") and value[1:2] in "=+-@\t\r" and value[1:] else value


def update_links(
    path: Path, issued: list[tuple[Person, str]], everyone: list[Person], title: str
) -> None:
    """Write ``issued`` links into ``path`` (and its 通知), keeping the others' rows."""
    slips = read_links(path)
    stamp = clock.minute(clock.now())
    for person, link in issued:
        slips[(person.unit, person.name)] = Slip(
            person.number, person.unit, person.name, person.position, link, stamp
        )
    known = {(p.unit, p.name) for p in everyone}
    ordered = sorted((s for k, s in slips.items() if k in known), key=lambda s: s.number)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in ordered:
        writer.writerow(
            [
                s.number,
                *(neutralise_formula(v) for v in (s.unit, s.name, s.position)),
                s.link,
                s.issued,
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, ("\ufeff" + out.getvalue()).encode("utf-8"), private=True)
    write_bytes_atomic(
        notice_path(path), render_notice(ordered, title).encode("utf-8"), private=True
    )


def render_notice(slips: list[Slip], title: str) -> str:
    """The printable 通知: one slip per person, cut along the dashed lines."""
    from selfcheck.jinja import make_environment

    env = make_environment(
        "builtin", search_path=[Path(__file__).parent / "templates"], autoescape=True
    )
    return env.get_template("notice.html.j2").render(slips=slips, title=title)
