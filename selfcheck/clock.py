"""Today and now, overridable for tests and reproducible demos.

``SELFCHECK_TODAY=2009-01-15`` fixes the date used for deadline checks,
overdue flags and report dates.
"""

from __future__ import annotations

import os
from datetime import date, datetime


def today() -> date:
    """The current date, or ``SELFCHECK_TODAY`` when set."""
    fixed = os.environ.get("SELFCHECK_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return date.today()


def now() -> datetime:
    """The current local time (seconds precision, timezone-aware)."""
    fixed = os.environ.get("SELFCHECK_TODAY")
    if fixed:
        return datetime.combine(date.fromisoformat(fixed), datetime.min.time()).astimezone()
    return datetime.now().astimezone().replace(microsecond=0)


def day(moment: datetime) -> str:
    """The local day of a recorded moment, ``2009-01-15``."""
    return moment.astimezone().date().isoformat()


def minute(moment: datetime) -> str:
    """A recorded moment as people read it: local time to the minute, ``2009-01-15 09:00``."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
