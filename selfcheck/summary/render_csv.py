"""The 整改台账 as CSV: UTF-8 with BOM and CRLF, so Chinese Excel opens it as is.

Every text cell is cleaned and neutralised: a value starting with = + - @ tab
or CR gets a leading quote, so Excel never evaluates user text as a formula.
"""

from __future__ import annotations

import csv
import io

from selfcheck.summary.textfmt import day
from selfcheck.summary.view import LEDGER_COLUMNS, SummaryView
from selfcheck.textsafe import clean_text, neutralise_formula


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell: no control characters, never a formula."""
    return neutralise_formula(clean_text("" if value is None else str(value)))


def render_ledger_csv(view: SummaryView) -> bytes:
    """The ledger rows (overdue first) as CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LEDGER_COLUMNS)
    for row in view.ledger:
        values = row.sheet_cells()
        values[LEDGER_COLUMNS.index("整改时限")] = day(row.deadline)
        writer.writerow([safe_cell(v) for v in values])
    return buffer.getvalue().encode("utf-8-sig")
