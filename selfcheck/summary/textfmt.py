"""Small formatting helpers shared by the renderers."""

from __future__ import annotations

from datetime import date

from selfcheck.report.numerals import format_date


def pct(value: float | None, digits: int = 1) -> str:
    """``12.3%`` (``digits`` decimals); a dash when there is nothing to divide by."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def mean(value: float | None) -> str:
    """A mean score with two decimals; a dash when nobody answered."""
    return "—" if value is None else f"{value:.2f}"


def ratio(value: float | None) -> str:
    """Problems per person, one decimal."""
    return "—" if value is None else f"{value:.1f}"


def opt_int(value: int | None) -> str:
    """An integer, or a dash when unknown (no roster)."""
    return "—" if value is None else str(value)


def day(value: date | None) -> str:
    """ISO date or empty."""
    return value.isoformat() if value else ""


def chinese_date(value: date) -> str:
    """``2009年1月15日`` (GB/T 9704: Arabic numerals, no zero padding; the report's
    :func:`~selfcheck.report.numerals.format_date`)."""
    return format_date(value)
