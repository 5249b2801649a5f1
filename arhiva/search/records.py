"""What the index keeps of a document, and what a search gives back: the same for every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from arhiva.search.snippets import Snippet


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds of one document."""

    id: str
    title: str
    content: str
    source: str
    media_type: str
    pages: int
    ingested: datetime
    date: datetime | None = None
    type: str = ""
    #: The document's own reference numbers, and those of the acts it cites, as
    #: ``number`` and ``number/year`` (:func:`reference_forms`).
    references: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()
    #: The document's free tags (:func:`arhiva.tags.normalise_tag`), searched as ``tag:buget-2021``.
    tags: tuple[str, ...] = ()

    @classmethod
    def from_manifest(cls, manifest: dict, text: str, metadata: dict | None = None) -> IndexDoc:
        """What the index keeps of an archived document: manifest, cleaned text, metadata in force."""
        source = manifest.get("source", {})
        metadata = metadata or {}
        day = _as_datetime(metadata.get("date"))
        own, cited = reference_forms(metadata.get("references") or [], day.year if day else None)
        return cls(
            id=manifest["id"],
            title=metadata.get("title") or manifest.get("title", ""),
            content=text,
            source=source.get("name", ""),
            media_type=source.get("media_type", ""),
            pages=len(manifest.get("pages", [])),
            ingested=datetime.fromisoformat(manifest["ingested_at"]),
            date=day,
            type=metadata.get("type") or "",
            references=own,
            cited=cited,
            tags=tuple(metadata.get("tags") or ()),
        )

    def fields(self) -> dict:
        data = {
            "id": self.id, "title": self.title, "exact": self.content, "content": self.content,
            "type": self.type, "source": self.source,
            "media_type": self.media_type, "pages": self.pages, "ingested": self.ingested,
        }
        if self.date is not None:
            data["date"] = self.date
        if self.references:
            data["ref"] = " ".join(self.references)
        if self.cited:
            data["cited"] = " ".join(self.cited)
        if self.tags:
            data["tags"] = " ".join(self.tags)
        return data


def reference_forms(references: list[dict], year: int | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms under which a document's references are looked for: its own
    (``number`` and ``number/year``, the year of the document's own date when
    the reference has none) and the acts it cites (``number/year``).

    A number written with thousands dots is also given without them
    (``1.507`` is ``1507``), as people type it. An own number with a letter
    series (``2170/P``) takes the year after it and in its place
    (``2170/P/2018``, ``2170/2018``), as registries write it.

    >>> reference_forms([{"number": "775", "year": None, "own": True},
    ...                  {"number": "43", "year": 2022, "own": False}], 2005)
    (('775', '775/2005'), ('43/2022',))
    >>> reference_forms([{"number": "1.507", "year": 2020, "own": True}])
    (('1.507', '1.507/2020', '1507', '1507/2020'), ())
    >>> reference_forms([{"number": "2170/P", "year": None, "own": True}], 2018)
    (('2170/P', '2170/P/2018', '2170/2018'), ())
    """
    import re

    own: list[str] = []
    cited: list[str] = []
    for ref in references:
        written = str(ref.get("number") or "").strip()
        if not written or any(ch.isspace() for ch in written):
            continue
        plain = re.sub(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])", lambda m: m.group().replace(".", ""), written)
        for number in dict.fromkeys((written, plain)):
            when = ref.get("year") or (year if ref.get("own") else None)
            numbered = f"{number}/{when}" if when and "/" not in number else None
            series = re.fullmatch(r"(\d+)/([^\W\d_]{1,4})", number)
            if ref.get("own"):
                own += [number] + ([numbered] if numbered else [])
                if series and when:
                    own += [f"{number}/{when}", f"{series.group(1)}/{when}"]
            elif numbered:
                cited.append(numbered)
    return tuple(dict.fromkeys(own)), tuple(dict.fromkeys(cited))


@dataclass
class Hit:
    id: str
    title: str
    score: float
    source: str
    ingested: str
    pages: int
    date: str | None = None
    type: str = ""
    snippets: list[Snippet] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    #: The query's words this document lacks (it is listed after those that have them all).
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "type": self.type,
            "score": round(self.score, 4),
            "source": self.source,
            "ingested": self.ingested,
            "pages": self.pages,
            "snippets": [
                {"page": s.page, "text": s.text, "matches": [p for p, m in s.parts if m]}
                for s in self.snippets
            ],
            "missing": self.missing,
        }


@dataclass
class Results:
    hits: list[Hit]
    total: int
    suggestion: str | None = None
    total_exact: bool = True
    #: Documents listed after the ``total`` that match the whole query, lacking some of its words.
    partial: int = 0
    #: One line each: a hit left out (its document is gone) or shown without its snippets.
    warnings: list[str] = field(default_factory=list)

    def leave_out(self, hit: Hit, withdrawn: bool = False) -> None:
        """Leave out a hit whose document is no longer in the archive, or is withdrawn (the index names it
        until it catches up with the withdrawal), and say which.

        >>> results = Results([], 1)
        >>> results.leave_out(Hit("0123456789abcdef", "Anunț", 1.0, "anunt.pdf", "2026-01-01", 1), withdrawn=True)
        >>> results.total, results.warnings
        (0, ['document 0123456789ab is withdrawn, so it is not shown'])
        """
        if hit.missing:
            self.partial = max(0, self.partial - 1)
        else:
            self.total = max(0, self.total - 1)
        if withdrawn:
            self.warnings.append(f"document {hit.id[:12]} is withdrawn, so it is not shown")
        else:
            self.warnings.append(f"document {hit.id[:12]} is in the index but no longer in the archive; "
                                 "run: arhiva reindex")

    def to_json(self, query_text: str) -> dict:
        return {
            "query": query_text,
            "total": self.total,
            "total_exact": self.total_exact,
            "partial": self.partial,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
        }


def _as_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=timezone.utc)
