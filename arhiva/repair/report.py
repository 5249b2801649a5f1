"""The change log, as lines an auditor reads (``arhiva show ID --changes``, ``arhiva clean --changes``)."""

from __future__ import annotations

from collections.abc import Iterable

_REMOVERS = {"remove_running_headers"}


def source_lines(sources: dict | None) -> list[str]:
    """Where the text came from: the pages of each source, and why a text file was taken for what it was.

    >>> source_lines({"pages": ["text-layer", "text-layer", "ocr"]})
    ['source: pages 1-2 text-layer, page 3 ocr']
    >>> source_lines({"pages": ["typed"], "text_file": {"source": "typed", "words": 240, "ocr_signs": 0}})
    ['source: typed', 'text file taken for typed text: 0 signs of OCR in 240 words']
    """
    if not sources:
        return []
    pages = sources.get("pages") or []
    runs: list[tuple[int, int, str]] = []
    for number, source in enumerate(pages, start=1):
        if runs and runs[-1][2] == source:
            runs[-1] = (runs[-1][0], number, source)
        else:
            runs.append((number, number, source))
    if len(runs) == 1 and len(pages) == 1:
        lines = [f"source: {runs[0][2]}"]
    else:
        parts = [f"page {a} {s}" if a == b else f"pages {a}-{b} {s}" for a, b, s in runs]
        lines = ["source: " + ", ".join(parts)]
    text_file = sources.get("text_file")
    if text_file:
        kind = "old OCR" if text_file["source"] == "old-ocr" else "typed text"
        line = f"text file taken for {kind}: {text_file['ocr_signs']} signs of OCR in {text_file['words']} words"
        examples = text_file.get("examples")
        lines.append(line + (f" ({'; '.join(examples)})" if examples else ""))
    return lines


def change_lines(log: Iterable[dict], pages: int = 1) -> list[str]:
    """Each fixer's count, then its edits; removed lines say so. Page numbers show when there are pages.

    >>> log = [{"fixer": "remove_running_headers", "count": 1, "examples": [{"before": "ANUNȚ", "after": "", "page": 2}]},
    ...        {"fixer": "comma_below", "count": 7, "examples": [{"before": "Şedinţa", "after": "Ședința"}]}]
    >>> print("\\n".join(change_lines(log, pages=3)))
    remove_running_headers: 1 change(s)
        p.2 removed: 'ANUNȚ'
    comma_below: 7 change(s), 1 shown
        'Şedinţa' -> 'Ședința'
    """
    lines = []
    for entry in log:
        shown = entry.get("examples", [])
        more = f", {len(shown)} shown" if len(shown) < entry["count"] else ""
        lines.append(f"{entry['fixer']}: {entry['count']} change(s){more}")
        for edit in shown:
            where = f"p.{edit['page']} " if pages > 1 and edit.get("page") else ""
            if entry["fixer"] in _REMOVERS and not edit["after"]:
                lines.append(f"    {where}removed: {edit['before']!r}")
            else:
                lines.append(f"    {where.rstrip()}{': ' if where else ''}{edit['before']!r} -> {edit['after']!r}")
    return lines
