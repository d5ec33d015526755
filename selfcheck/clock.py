"""Today and now, overridable for tests and reproducible demos.

``SELFCHECK_TODAY=2009-01-15`` fixes the date used for deadline checks,
overdue flags and report dates.
"""

from __future__ import annotations

import os
from datetime import date, datetime


def today() -> date:
    """The current date, or ``SELFCHECK_TODAY`` when set."""
    fixed = _fixed_day()
    return fixed if fixed is not None else date.today()


def now() -> datetime:
    """The current local time (seconds precision, timezone-aware)."""
    fixed = _fixed_day()
    if fixed is not None:
        return datetime.combine(fixed, datetime.min.time()).astimezone()
    return datetime.now().astimezone().replace(microsecond=0)


def _fixed_day() -> date | None:
    """``SELFCHECK_TODAY`` as a day, written in any form a date answer may take
    (2009-01-15, 2009/1/15, 2009年1月15日); a value that is no day is a usage error."""
    fixed = os.environ.get("SELFCHECK_TODAY", "").strip()
    if not fixed:
        return None
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        pass
    from selfcheck.answers import InvalidAnswer, parse_date
    from selfcheck.errors import UsageError

    try:
        return parse_date(fixed)
    except InvalidAnswer as exc:
        raise UsageError(f"环境变量 SELFCHECK_TODAY 的值不是日期：{exc}") from None


def day(moment: datetime) -> str:
    """The local day of a recorded moment, ``2009-01-15``."""
    return moment.astimezone().date().isoformat()


def minute(moment: datetime) -> str:
    """A recorded moment as people read it: local time to the minute, ``2009-01-15 09:00``."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
