"""The Whoosh index: derived data, always rebuildable from the archive.

Rules kept here (paperless-ngx broke each of them):
- an index that cannot be opened is reported, never deleted and recreated;
- a writer that failed is cancelled and never committed;
- waiting for another process's writer lock is bounded and reported.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from whoosh import fields, index, scoring
from whoosh.codec import default_codec
from whoosh.index import LockError
from whoosh.query import Phrase

from arhiva.errors import ArchiveError
from arhiva.romanian.letters import to_comma_below
from arhiva.search import query as querylang
from arhiva.search import ranking
from arhiva.search.analyzer import (
    FIELD_ANALYZERS, content_terms, exact_analyzer, inflected_analyzer, stems_analyzer, whole_analyzer,
)
from arhiva.search.snippets import Snippet, make_snippets

log = logging.getLogger(__name__)

#: Bump when the schema or an analyzer changes: old indexes must be rebuilt.
SCHEMA_VERSION = 6
VERSION_FILE = "arhiva-index.json"
#: Seconds to wait for another process's writer lock.
LOCK_TIMEOUT = 60.0
#: Segments are written as separate files, never as one compound file (the
#: writers' ``compound=False``): Whoosh reads the parts of a compound file into
#: memory when a searcher opens (0.44 s at 100,000 documents), while separate
#: files it maps lazily (under 1 ms).
SORTS = ("relevance", "date", "-date")
#: BM25F, without length normalization for the document's own references (a
#: field of a few words, empty in many documents: the average length is no guide).
WEIGHTING = scoring.BM25F(ref_B=0.0)
#: How posting blocks are written (see docs/search.md).
CODEC_OPTIONS: dict = {}


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=inflected_analyzer(), multitoken_query="or"),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        # A typed word looks for either of its stems.
        content=fields.TEXT(analyzer=stems_analyzer(), phrase=False, multitoken_query="or"),
        type=fields.TEXT(stored=True, analyzer=exact_analyzer()),
        # The document's own number (``343``, ``343/2023``), and the acts it cites
        # (``43/2022`` for ``Hotărârea nr. 43 din 21.06.2022``), from its metadata.
        ref=fields.TEXT(analyzer=whole_analyzer(), phrase=False),
        cited=fields.TEXT(analyzer=whole_analyzer(), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        source=fields.STORED(),
        media_type=fields.STORED(),
        pages=fields.STORED(),
        ingested=fields.DATETIME(stored=True, sortable=True),
    )


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
        return data


def reference_forms(references: list[dict], year: int | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms under which a document's references are looked for: its own
    (``number`` and ``number/year``, the year of the document's own date when
    the reference has none) and the acts it cites (``number/year``).

    >>> reference_forms([{"number": "775", "year": None, "own": True},
    ...                  {"number": "43", "year": 2022, "own": False}], 2005)
    (('775', '775/2005'), ('43/2022',))
    """
    own: list[str] = []
    cited: list[str] = []
    for ref in references:
        number = str(ref.get("number") or "").strip()
        if not number or any(ch.isspace() for ch in number):
            continue
        when = ref.get("year") or (year if ref.get("own") else None)
        numbered = f"{number}/{when}" if when and "/" not in number else None
        if ref.get("own"):
            own += [number] + ([numbered] if numbered else [])
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

    def to_json(self, query_text: str) -> dict:
        return {
            "query": query_text,
            "total": self.total,
            "total_exact": self.total_exact,
            "partial": self.partial,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
        }


class SearchIndex:
    """An index of the archive's documents, for searching and adding to.

    One searcher is kept open between searches, as Whoosh advises, and
    replaced when another writer has committed since: its per-segment tables
    (where each document's stored fields start, 100,000 offsets built in
    Python) are then read once, not at every search. Not for use by several
    threads at once.
    """

    def __init__(self, ix: index.Index) -> None:
        self._ix = ix
        self._searcher = None

    def _reader(self):
        """The open searcher, on the latest committed version of the index."""
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=WEIGHTING)
        elif not self._searcher.up_to_date():
            # A new searcher, not ``refresh()``: whoosh3 3.54.0's refresh keeps
            # a segment's old reader when only its deletions have changed, so
            # a replaced document would still be found.
            self._searcher.close()
            self._searcher = self._ix.searcher(weighting=WEIGHTING)
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    @classmethod
    def open(cls, folder: Path) -> SearchIndex:
        """Open an existing index; report, never repair, one that is missing or damaged."""
        if not _has_index(folder):
            raise ArchiveError(f"the search index is missing ({folder}); run: arhiva reindex")
        version = _read_version(folder)
        if version != SCHEMA_VERSION:
            raise ArchiveError(
                f"the search index was built by another version of arhiva (schema {version}, "
                f"this one needs {SCHEMA_VERSION}); run: arhiva reindex"
            )
        try:
            return cls(index.open_dir(str(folder)))
        except Exception as err:  # noqa: BLE001 - Whoosh raises many kinds when files are damaged
            raise ArchiveError(f"the search index is damaged ({type(err).__name__}: {err}); run: arhiva reindex") from err

    @classmethod
    def create(cls, folder: Path) -> SearchIndex:
        """Make a new, empty index in ``folder``, which must not hold one."""
        if _has_index(folder):
            raise ArchiveError(f"a search index already exists in {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(folder), make_schema())
        (folder / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n")
        return cls(ix)

    # -- writing -------------------------------------------------------------

    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace documents in one commit; on any error nothing is committed."""
        try:
            writer = self._ix.writer(timeout=LOCK_TIMEOUT, compound=False, codec=_codec())
        except LockError as err:
            raise ArchiveError(
                f"the search index is busy: another arhiva process has been writing to it for "
                f"over {LOCK_TIMEOUT:.0f} s; try again when it has finished"
            ) from err
        count = 0
        try:
            for doc in docs:
                writer.update_document(**doc.fields())
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    # -- reading -------------------------------------------------------------

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through, to find damage; return the indexed IDs.

        Every stored field and every term is read, and the postings of terms
        spread over the whole dictionary: a truncated or missing segment file
        fails one of these reads.
        """
        try:
            with self._ix.searcher() as searcher:
                ids = {stored["id"] for stored in searcher.all_stored_fields()}
                reader = searcher.reader()
                terms = list(reader.all_terms())
                for fieldname, term in terms[:: max(1, len(terms) // sample)]:
                    for _ in reader.postings(fieldname, term).all_ids():
                        pass
                return ids
        except Exception as err:  # noqa: BLE001 - a damaged segment raises many kinds
            raise ArchiveError(f"the search index is damaged ({type(err).__name__}: {err}); run: arhiva reindex") from err

    def contains(self, doc_id: str) -> bool:
        return self._reader().document_number(id=doc_id) is not None

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def search(
        self,
        text: str,
        limit: int = 10,
        text_of: Callable[[str], str] | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        doc_type: str | None = None,
        sort: str = "relevance",
    ) -> Results:
        """Find documents matching the query ``text`` (see :mod:`arhiva.search.query`)."""
        parsed = querylang.parse(text, self._ix.schema, date_from, date_to, doc_type)
        searcher = self._reader()
        parsed = querylang.expand_patterns(parsed, searcher.reader())
        found = ranking.top_documents(searcher, parsed, limit, sort, querylang.RELAXED)
        # The query's own terms, prefixes and fuzzy words already expanded
        # to the indexed words they match: what the snippets mark.
        terms, phrases = _query_terms(parsed) if text_of is not None else ({}, [])
        hits = [self._hit(searcher.stored_fields(docnum), score, text_of, terms, phrases)
                for score, docnum in found.top]
        if found.missing:
            labels = _labels(text, found.words, self._ix.schema)
            for hit, (_, docnum) in zip(hits, found.top):
                hit.missing = [labels[j] for j in found.missing.get(docnum, ())]
        suggestion = _suggest(searcher, text) if found.total < limit else None
        return Results(hits, found.total, suggestion, found.total_exact, found.partial)

    def similar(self, doc_id: str, text: str, limit: int = 10) -> Results:
        """Documents most like ``doc_id`` (itself excluded), judged by the distinctive terms of its text."""
        searcher = self._reader()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise ArchiveError(f"document {doc_id[:12]} is not in the search index; run: arhiva reindex")
        results = searcher.more_like(docnum, "content", text=text, top=limit, numterms=12)
        hits = [self._hit(result.fields(), result.score, None, {}, []) for result in results]
        return Results(hits, len(hits))

    @staticmethod
    def _hit(stored: dict, score: float | None, text_of, terms: dict[str, set[str]],
             phrases: list[tuple[str, ...]]) -> Hit:
        hit = Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            score=float(score or 0.0),
            source=stored.get("source", ""),
            ingested=stored["ingested"].isoformat() if stored.get("ingested") else "",
            pages=int(stored.get("pages") or 0),
            date=stored["date"].date().isoformat() if stored.get("date") else None,
            type=stored.get("type", ""),
        )
        if text_of is not None and (terms or phrases):
            hit.snippets = make_snippets(text_of(hit.id), terms, phrases=phrases)
        return hit


def _query_terms(parsed) -> tuple[dict[str, set[str]], list[tuple[str, ...]]]:
    """The words a query looks for in each text field, and its phrases (their
    words in the ``exact`` field), which the snippets show whole."""
    terms: dict[str, set[str]] = {}
    phrases: list[tuple[str, ...]] = []
    for leaf in [parsed] if parsed.is_leaf() else parsed.leaves():
        if isinstance(leaf, Phrase):
            if leaf.fieldname == "exact" and leaf.words:
                phrases.append(tuple(leaf.words))
            continue
        for fieldname, term in leaf.iter_all_terms():
            if fieldname in FIELD_ANALYZERS:  # not the binary terms of dates
                terms.setdefault(fieldname, set()).add(_term_text(term))
    return terms, list(dict.fromkeys(phrases))


def _labels(text: str, words: list, schema) -> list[str]:
    """How the query's ``words`` (parts of the parsed query) were typed, found by
    parsing each typed word alone; a part that no single typed word gives is shown as Whoosh writes it."""
    typed = {}
    for word in text.split():
        try:
            typed.setdefault(querylang.parse(word, schema), word)
        except Exception:  # noqa: BLE001 - a word that is not a query by itself
            continue
    return [typed.get(word, str(word)) for word in words]


def _suggest(searcher, text: str) -> str | None:
    """A corrected query when some word is in no document but a close one is."""
    words = text.split()
    changed = False
    for i, word in enumerate(words):
        if ":" in word or not word.isalpha() or word.isupper() and len(word) > 1:
            continue
        folded = next((t.text for t in exact_analyzer()(word, mode="query")), None)
        if folded is None or searcher.doc_frequency("exact", folded) or any(
                searcher.doc_frequency("content", term) for term in content_terms(to_comma_below(word.lower()))):
            continue
        options = searcher.suggest("exact", folded, limit=1, maxdist=2)
        if options:
            words[i] = options[0]
            changed = True
    return " ".join(words) if changed else None


def rebuild(folder: Path, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None) -> int:
    """Build a fresh index beside ``folder`` and swap it in only when it is complete."""
    fresh = folder.with_name(folder.name + ".new")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    new_index = SearchIndex.create(fresh)
    writer = new_index._ix.writer(limitmb=64, compound=False, codec=_codec())
    count = 0
    try:
        for doc in docs:
            writer.add_document(**doc.fields())
            count += 1
            if on_doc:
                on_doc()
    except BaseException:
        writer.cancel()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    writer.commit()
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return count


def _codec():
    return default_codec(**CODEC_OPTIONS)


def _as_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _has_index(folder: Path) -> bool:
    """Whether ``folder`` holds an index, damaged or not (Whoosh's exists_in raises on damage)."""
    return folder.is_dir() and any(folder.glob("_MAIN_*.toc"))


def _read_version(folder: Path) -> int | None:
    try:
        return int(json.loads((folder / VERSION_FILE).read_text())["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _term_text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
