"""Checking hand corrections: the fields a person may set, parsed and normalised (no I/O here).

Recording them is :func:`arhiva.operations.correct`'s job.
"""

from __future__ import annotations

from datetime import date as Date

from arhiva.errors import InputError
from arhiva.metadata.doctypes import DOCUMENT_TYPES, OTHER
from arhiva.romanian.letters import fold

TYPE_NAMES = [t.name for t in DOCUMENT_TYPES] + [OTHER]


def check_fields(date: str | None = None, type: str | None = None, title: str | None = None) -> dict:
    """The given fields, checked and normalised: an ISO date, a known type, a non-empty title.

    >>> check_fields(date="2021-04-08", type="Proces-verbal")
    {'date': '2021-04-08', 'type': 'proces-verbal'}
    """
    fields: dict = {}
    if date is not None:
        try:
            fields["date"] = Date.fromisoformat(date.strip()).isoformat()
        except ValueError as err:
            raise InputError(f"{date!r} is not a date: write it as YYYY-MM-DD") from err
    if type is not None:
        by_folded = {fold(name).lower(): name for name in TYPE_NAMES}
        name = by_folded.get(fold(type.strip()).lower())
        if name is None:
            raise InputError(f"unknown document type {type!r}; known types: {', '.join(TYPE_NAMES)}")
        fields["type"] = name
    if title is not None:
        if not title.strip():
            raise InputError("the title is empty")
        fields["title"] = " ".join(title.split())
    return fields
