"""Periods typed on the command line: ``2021``, ``2021-04`` or ``2021-04-08``."""

from __future__ import annotations

import calendar
from datetime import date

from arhiva.errors import QueryError


def period_bounds(value: str) -> tuple[date, date]:
    """The first and last day of the period a person typed.

    >>> period_bounds("2021-02")
    (datetime.date(2021, 2, 1), datetime.date(2021, 2, 28))
    >>> period_bounds("2021")[1], period_bounds("2021-04-08")[0]
    (datetime.date(2021, 12, 31), datetime.date(2021, 4, 8))
    """
    parts = value.strip().split("-")
    try:
        if not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
            raise ValueError(value)
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(parts[2]))
        return day, day
    except ValueError as err:
        raise QueryError(f"{value!r} is not a date: write 2021, 2021-04 or 2021-04-08") from err
