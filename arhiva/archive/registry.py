"""The archive's registry as data to take elsewhere: rows for a spreadsheet (CSV) or for
programs (NDJSON, one JSON object per line). Pure functions; the command line writes them.

The CSV is written for spreadsheets as people open them (LibreOffice, Excel),
by double-clicking: UTF-8 with a byte-order mark (without it Excel reads the
bytes as the Windows code page, and ``ș`` becomes ``È™``), lines ending in
CRLF, fields quoted by Python's :mod:`csv` only when they need it. A text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so that a spreadsheet shows it as text instead of running
it as a formula (a title or a reason is typed or OCRed text, not trusted); a
spreadsheet hides the apostrophe, a program reading the CSV sees it. Numbers
(``pages``) are written as numbers. NDJSON is never changed that way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping

#: The registry's columns, in order.
COLUMNS = ("id", "date", "type", "number", "title", "source", "pages", "tags")
#: The columns added when listing withdrawn and purged documents.
WITHDRAWN_COLUMNS = ("status", "withdrawn_at", "reason", "purged_at")
BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def registry_row(doc, withdrawal=None) -> dict:
    """A document (a :class:`~arhiva.archive.document.DocumentView`) as a registry row;
    with its ``withdrawal`` (:class:`~arhiva.archive.lifecycle.Withdrawal`), also when and why."""
    row = {"id": doc.id, "date": doc.date, "type": doc.type, "number": doc.number, "title": doc.title,
           "source": doc.source, "pages": doc.pages, "tags": list(doc.tags)}
    if withdrawal is not None:
        row.update(status="withdrawn", withdrawn_at=withdrawal.withdrawn_at, reason=withdrawal.reason,
                   purged_at=None)
    return row


def tombstone_row(tombstone) -> dict:
    """A purged document (a :class:`~arhiva.archive.lifecycle.Tombstone`) as a registry row."""
    return {"id": tombstone.id, "date": None, "type": "", "number": None, "title": "", "source": tombstone.source,
            "pages": None, "tags": [], "status": "purged", "withdrawn_at": tombstone.withdrawn_at,
            "reason": tombstone.reason, "purged_at": tombstone.purged_at}


def spreadsheet_cell(value: object) -> object:
    """A value as a CSV cell a spreadsheet shows as it is: lists joined by spaces, None
    empty, text that a spreadsheet would run as a formula led by an apostrophe.

    >>> [spreadsheet_cell(v) for v in ("=HYPERLINK(\\"http://x\\")", "-5", "@SUM(A1)", "Ședința", 3, None, ["a", "b"])]
    ['\\'=HYPERLINK("http://x")', "'-5", "'@SUM(A1)", 'Ședința', 3, '', 'a b']
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Mapping], columns: tuple[str, ...] = COLUMNS) -> Iterator[str]:
    """The registry as CSV text, a line at a time: the byte-order mark and the header first, CRLF line ends.

    >>> "".join(csv_lines([{"id": "ab", "title": "Hotărâre, nr. 5", "pages": 2}], ("id", "title", "pages")))
    '\\ufeffid,title,pages\\r\\nab,"Hotărâre, nr. 5",2\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield BOM + _take(buffer)
    for row in rows:
        writer.writerow([spreadsheet_cell(row.get(name)) for name in columns])
        yield _take(buffer)


def ndjson_lines(rows: Iterable[Mapping]) -> Iterator[str]:
    """One JSON object per line (UTF-8 as it is, no byte-order mark), each ending in a newline.

    >>> list(ndjson_lines([{"id": "ab", "title": "Ședință"}]))
    ['{"id": "ab", "title": "Ședință"}\\n']
    """
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
