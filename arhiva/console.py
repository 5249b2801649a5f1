"""Terminal output for the CLI: progress bar, colours, and human-readable results.

Only the CLI uses this module; it is where printing happens. It imports
nothing heavy, so that ``arhiva search`` starts fast.
"""

from __future__ import annotations

import shutil
import sys

import click


def safe_name(path: str) -> str:
    """A file name fit for a one-line message (newlines and control characters escaped)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in path)


class ProgressBar:
    """A one-line progress bar on stderr, shown only when stderr is a terminal.

    It is drawn and cleared with carriage returns and spaces alone: no escape
    codes, so that it shows right on a dumb terminal and under NO_COLOR.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.shown = 0  # characters of the line shown

    def __call__(self, progress) -> None:
        if progress.outcome and progress.outcome.status == "failed":
            self.clear()
            click.echo(f"failed: {safe_name(progress.outcome.path)}: {progress.outcome.reason}", err=True)
        if not self.enabled:
            return
        width = max(10, min(40, shutil.get_terminal_size().columns - 45))
        total = max(progress.pages_total, 1)
        filled = int(width * progress.pages_done / total)
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] "
            f"{progress.pages_done}/{progress.pages_total} pages, "
            f"{progress.files_done}/{progress.files_total} files"
        )
        click.echo(line + " " * max(0, self.shown - len(line)), nl=False, err=True)
        self.shown = max(self.shown, len(line))

    def clear(self) -> None:
        if self.shown:
            click.echo("\r" + " " * self.shown + "\r", nl=False, err=True)
            self.shown = 0


def summary_line(report) -> str:
    from arhiva.pipeline import DUPLICATE, FAILED, INGESTED

    withdrawn = sum(1 for o in report.outcomes if o.status == DUPLICATE and o.reason == "withdrawn")
    parts = [f"{report.count(INGESTED)} ingested", f"{report.count(DUPLICATE)} already in the archive"
             + (f" ({withdrawn} of them withdrawn)" if withdrawn else "")]
    parts.append(f"{report.count(FAILED)} failed")
    return ", ".join(parts)


def format_hit(hit, colour: bool) -> str:
    """One search result: ID, title, date, type, source and score, then its snippets."""
    missing = f"missing: {' '.join(hit.missing)}" if hit.missing else ""
    details = ", ".join(x for x in (hit.date, hit.type, hit.source, f"{hit.score:.2f}", missing) if x)
    lines = [f"{hit.id[:12]}  {hit.title or '(untitled)'}  [{details}]"]
    for snippet in hit.snippets:
        lines.append(f"    p.{snippet.page}: …{highlight(snippet.parts, colour)}…")
    return "\n".join(lines)


def highlight(parts: list[tuple[str, bool]], colour: bool) -> str:
    if colour:
        return "".join(click.style(p, bold=True, fg="yellow") if m else p for p, m in parts)
    return "".join(p for p, _ in parts)


def describe_document(doc, folder, withdrawal=None) -> str:
    """A person-readable summary of a document (a :class:`arhiva.archive.document.DocumentView`);
    a withdrawn one (its ``withdrawal`` given) starts with a notice saying when and why."""
    manifest, metadata = doc.manifest, doc.metadata
    source = manifest.source
    corrected = set(doc.corrected)

    def field(name: str, value: str | None) -> str:
        value = value or "-"
        return f"{value} (corrected by hand)" if name in corrected else str(value)

    lines = [f"WITHDRAWN: {withdrawal.withdrawn_at}: {withdrawal.reason}  (not searched or listed; "
             f"arhiva restore {doc.id[:12]} brings it back)"] if withdrawal else []
    lines += [
        f"id:        {manifest.json.get('id')}",
        f"title:     {field('title', doc.title) if doc.title else '(untitled)'}",
        f"date:      {field('date', doc.date)}{possible_date_note(doc)}",
        f"type:      {field('type', doc.type)}",
        f"source:    {source.name or None} ({source.media_type or None}, {source.size} bytes)",
        f"ingested:  {doc.ingested_at or None}",
        f"folder:    {folder}",
        f"pages:     {doc.pages}",
    ]
    if doc.tags:
        lines.insert(lines.index(f"ingested:  {doc.ingested_at or None}"), f"tags:      {' '.join(doc.tags)}")
    for page in manifest.pages:
        lines.append(f"  page {page.get('number')}: {page_detail(page)}")
    changes = manifest.cleanup.get("changes", {})
    lines.append("cleanup:   " + (", ".join(f"{k} {v}" for k, v in changes.items()) or "no changes"))
    references = [r.get("text") for r in doc.references][:5]
    if references:
        lines.append("refers to: " + "; ".join(references))
    people = [f"{p['name']} ({p['role']})" if p.get("role") else p["name"] for p in metadata.get("people", [])]
    if people:
        lines.append("people:    " + ", ".join(people))
    for warning in manifest.warnings:
        lines.append(f"warning:   {warning}")
    return "\n".join(lines)


def page_detail(page: dict) -> str:
    """How a page's text was had, from its manifest entry, in a few words.

    >>> page_detail({"method": "ocr", "confidence": 66.2, "rotation": 90, "dpi": 72, "binarization": "sauvola"})
    'ocr, confidence 66%, turned 90°, 72 dpi, read again with the sauvola threshold'
    >>> page_detail({"method": "text-layer"})
    'text-layer'
    """
    detail = page.get("method", "?")
    if page.get("confidence") is not None:
        detail += f", confidence {page['confidence']:.0f}%"
    if page.get("rotation"):
        detail += f", turned {page['rotation']}°"
    if page.get("dpi"):
        detail += f", {page['dpi']} dpi"
    if page.get("binarization"):
        detail += f", read again with the {page['binarization']} threshold"
    return detail


def possible_date_note(doc) -> str:
    """After a missing date, the best candidate that was too uncertain to be taken, for a person to check.

    >>> class Doc: date = None; metadata = {"dates": [{"iso": "2022-04-02", "text": "2 aprilie 2022", "role": "possible"}]}
    >>> possible_date_note(Doc())
    '  (possibly 2022-04-02, written "2 aprilie 2022"; not taken: too uncertain)'
    >>> Doc.date = "2022-04-02"; possible_date_note(Doc())
    ''
    """
    if doc.date:
        return ""
    for mention in doc.metadata.get("dates") or ():
        if mention.get("role") == "possible" and mention.get("iso"):
            return f'  (possibly {mention["iso"]}, written "{mention.get("text", "")}"; not taken: too uncertain)'
    return ""


def list_line(doc) -> str:
    """One document in ``arhiva list``: ID, date, type, pages, title and source."""
    return (f"{doc.id[:12]}  {doc.date or '----------'}  {doc.type[:18]:<18}  "
            f"{doc.pages:>3}p  {doc.title[:60]}  [{doc.source}]")


def withdrawn_line(doc, row: dict) -> str:
    """A withdrawn document in ``arhiva list --withdrawn``: its line, then when and why."""
    return f"{list_line(doc)}\n    WITHDRAWN {row['withdrawn_at']}: {row['reason']}"


def tombstone_line(tombstone) -> str:
    """A purged document in ``arhiva list --withdrawn``: what the journal keeps of it."""
    return (f"{tombstone.id[:12]}  PURGED {tombstone.purged_at}  [{tombstone.source}]\n"
            f"    withdrawn {tombstone.withdrawn_at}: {tombstone.reason}")


def describe_tombstone(tombstone) -> str:
    """A purged document, as ``arhiva show`` gives it: its tombstone in the journal."""
    return "\n".join([
        f"PURGED: its files were deleted for good on {tombstone.purged_at} (journal entry {tombstone.seq})",
        f"id:        {tombstone.id}  (the SHA-256 of the original)",
        f"source:    {tombstone.source or None}",
        f"withdrawn: {tombstone.withdrawn_at}: {tombstone.reason}",
    ])


def plural(count: int, word: str) -> str:
    """The count with the word, in the plural when it is not one.

    >>> plural(1, "page"), plural(3, "page")
    ('1 page', '3 pages')
    """
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
