"""The Whoosh index: derived data, always rebuildable from the archive.

Rules kept here (paperless-ngx broke each of them):
- an index that cannot be opened or read is reported, never deleted and recreated;
- a writer that failed is cancelled and never committed;
- waiting for another process's writer lock is bounded and reported.

The index keeps a small record of itself, ``arhiva-index.json`` (its schema
version, the identity of its build, and the last journal entry of the archive
whose changes it holds), replaced whole after each commit: a reader compares
that entry with the journal's head to know whether the index is behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from whoosh import fields, index, scoring
from whoosh.codec import default_codec
from whoosh.index import LockError
from whoosh.query import Phrase

from arhiva.errors import ArchiveError, ArhivaError, DocumentGoneError, QueryError
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
#: The index's record of itself (see :class:`IndexState`).
STATE_FILE = "arhiva-index.json"
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
    #: One line each: a hit left out (its document is gone) or shown without its snippets.
    warnings: list[str] = field(default_factory=list)

    def leave_out(self, hit: Hit) -> None:
        """Leave out a hit whose document is no longer in the archive, and say so."""
        if hit.missing:
            self.partial = max(0, self.partial - 1)
        else:
            self.total = max(0, self.total - 1)
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


@dataclass(frozen=True)
class IndexState:
    """What an index records of itself in ``arhiva-index.json``."""

    schema_version: int | None = None
    #: A new value for every index built: a rebuilt index swapped in has another.
    build: str | None = None
    #: The last journal entry (``seq``, ``hash``) whose changes the index holds;
    #: None when not recorded (an index made before it was).
    applied: tuple[int, str] | None = None
    #: Whoosh's table of contents as last committed: its file name and SHA-256.
    #: It is a pickle, read at every open: a flipped bit in it could make
    #: unpickling take minutes, or fail with MemoryError.
    toc: tuple[str, str] | None = None

    def to_json(self) -> dict:
        journal = {"seq": self.applied[0], "hash": self.applied[1]} if self.applied else None
        toc = {"file": self.toc[0], "sha256": self.toc[1]} if self.toc else None
        return {"schema_version": self.schema_version, "build": self.build, "journal": journal, "toc": toc}


def read_state(folder: Path) -> IndexState:
    """The index's record of itself; empty fields for what it lacks or cannot be read."""
    try:
        data = json.loads((folder / STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return IndexState()
    if not isinstance(data, dict):
        return IndexState()
    version, build = data.get("schema_version"), data.get("build")
    return IndexState(version if isinstance(version, int) else None, build if isinstance(build, str) else None,
                      _pair(data.get("journal"), "seq", "hash", int), _pair(data.get("toc"), "file", "sha256", str))


def _pair(value: object, first: str, second: str, kind: type) -> tuple | None:
    if isinstance(value, dict) and isinstance(value.get(first), kind) and isinstance(value.get(second), str):
        return (value[first], value[second])
    return None


def _write_state(folder: Path, build: str | None, applied: tuple[int, str] | None) -> None:
    """Replace the index's record whole, once everything it describes is on disk.

    The index's files are synced first, so that after a power cut the record
    never claims a journal entry whose changes the index lost: the index may
    be behind, never ahead.
    """
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith(STATE_FILE):
            try:
                _fsync(entry.path)
            except FileNotFoundError:  # an old segment or table of contents, removed by Whoosh
                pass
    toc = _latest_toc(folder)
    state = IndexState(SCHEMA_VERSION, build, applied, (toc.name, _sha256(toc)) if toc else None)
    tmp = folder / f"{STATE_FILE}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write((json.dumps(state.to_json()) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, folder / STATE_FILE)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync(folder)


def _check_toc(folder: Path, state: IndexState) -> None:
    """Report a table of contents that is not the one last committed (when it should be)."""
    toc = _latest_toc(folder)
    if state.toc is None or toc is None or toc.name != state.toc[0]:
        return  # recorded by an older arhiva, or a commit whose record is not written yet
    try:
        digest = _sha256(toc)
    except OSError:  # replaced by a commit meanwhile
        return
    if digest != state.toc[1]:
        raise ArchiveError(f"the search index {folder} is damaged ({toc.name} does not match the checksum "
                           "recorded at its last commit); run: arhiva reindex")


def _latest_toc(folder: Path) -> Path | None:
    """Whoosh's latest table of contents, ``_MAIN_<generation>.toc``."""
    found = [(int(m.group(1)), name) for name in os.listdir(folder) if (m := _TOC.fullmatch(name))]
    return folder / max(found)[1] if found else None


_TOC = re.compile(r"_MAIN_(\d+)\.toc")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fsync(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SearchIndex:
    """An index of the archive's documents, for searching and adding to.

    One searcher is kept open between searches, as Whoosh advises, and
    replaced when another writer has committed since, or a rebuilt index was
    swapped in: its per-segment tables (where each document's stored fields
    start, 100,000 offsets built in Python) are then read once, not at every
    search. Not for use by several threads at once.

    ``lock`` (the archive's index lock) is held while writing: every writer
    of one archive's index takes it, so that `reindex` never swaps the index
    folder under another writer. It is re-entrant: a caller holding it may add.
    """

    def __init__(self, ix: index.Index, folder: Path, lock=None) -> None:
        self._ix = ix
        self.folder = folder
        self.lock = lock
        self._searcher = None
        self._build: str | None = None

    def _locked(self):
        return self.lock if self.lock is not None else nullcontext()

    def state(self) -> IndexState:
        return read_state(self.folder)

    def _reader(self):
        """The open searcher, on the latest committed version of the index."""
        state = read_state(self.folder)
        build = state.build
        if self._searcher is not None and (build != self._build or not self._searcher.up_to_date()):
            # A new searcher, not ``refresh()``: whoosh3 3.54.0's refresh keeps
            # a segment's old reader when only its deletions have changed, so
            # a replaced document would still be found; and a rebuilt index
            # swapped in may have the same generation number as the old one.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            _check_toc(self.folder, state)
            self._searcher = self._ix.searcher(weighting=WEIGHTING)
            self._build = build
        return self._searcher

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Report damage found while reading the index (a flipped bit, a truncated file) in one line."""
        try:
            yield
        except ArhivaError:
            raise
        except Exception as err:  # noqa: BLE001 - a damaged file makes Whoosh raise any kind, MemoryError too
            self.close()
            raise damaged(self.folder, err) from err

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    @classmethod
    def open(cls, folder: Path, lock=None) -> SearchIndex:
        """Open an existing index; report, never repair, one that is missing or damaged."""
        if not _has_index(folder):
            raise ArchiveError(f"the search index is missing ({folder}); run: arhiva reindex")
        state = read_state(folder)
        if state.schema_version is None and (folder / STATE_FILE).exists():
            raise ArchiveError(f"the search index {folder} is damaged ({STATE_FILE} is unreadable); "
                               "run: arhiva reindex")
        if state.schema_version != SCHEMA_VERSION:
            raise ArchiveError(
                f"the search index was built by another version of arhiva (schema {state.schema_version}, "
                f"this one needs {SCHEMA_VERSION}); run: arhiva reindex"
            )
        _check_toc(folder, state)
        try:
            return cls(index.open_dir(str(folder)), folder, lock)
        except Exception as err:  # noqa: BLE001 - Whoosh raises many kinds when files are damaged
            raise damaged(folder, err) from err

    @classmethod
    def create(cls, folder: Path, lock=None, applied=None) -> SearchIndex:
        """Make a new, empty index in ``folder``, which must not hold one.

        ``applied``: the journal entry (``seq`` and ``hash``) it is up to date
        with, when it is made for an archive that holds nothing yet.
        """
        if _has_index(folder):
            raise ArchiveError(f"a search index already exists in {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(folder), make_schema())
        _write_state(folder, secrets.token_hex(8), _mark(applied))
        return cls(ix, folder, lock)

    # -- writing -------------------------------------------------------------

    def add(self, docs: Iterable[IndexDoc], applied=None) -> int:
        """Add or replace documents in one commit, under the index lock; on any error nothing is committed.

        ``applied``: the last journal entry (``seq`` and ``hash``) whose
        changes the index holds once these are added, recorded after the commit.
        """
        with self._locked():
            try:
                writer = self._ix.writer(timeout=LOCK_TIMEOUT, compound=False, codec=_codec())
            except LockError as err:
                raise ArchiveError(
                    f"the search index is busy: another arhiva process has been writing to it for "
                    f"over {LOCK_TIMEOUT:.0f} s; try again when it has finished"
                ) from err
            except Exception as err:  # noqa: BLE001 - a damaged TOC
                raise damaged(self.folder, err) from err
            count = 0
            try:
                for doc in docs:
                    with self._reading():  # replacing a document reads the index
                        writer.update_document(**doc.fields())
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            if count:
                with self._reading():
                    writer.commit()
            else:
                writer.cancel()
            if count or applied is not None:
                state = self.state()
                _write_state(self.folder, state.build, _mark(applied) if applied is not None else state.applied)
        return count

    # -- reading -------------------------------------------------------------

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through, to find damage; return the indexed IDs.

        Every stored field and every term is read, and the postings of terms
        spread over the whole dictionary: a truncated or missing segment file
        fails one of these reads.
        """
        with self._reading(), self._ix.searcher() as searcher:
            ids = {stored["id"] for stored in searcher.all_stored_fields()}
            reader = searcher.reader()
            terms = list(reader.all_terms())
            for fieldname, term in terms[:: max(1, len(terms) // sample)]:
                for _ in reader.postings(fieldname, term).all_ids():
                    pass
            return ids

    def ids(self) -> set[str]:
        """Every indexed document ID."""
        with self._reading():
            return {stored["id"] for stored in self._reader().all_stored_fields()}

    def contains(self, doc_id: str) -> bool:
        with self._reading():
            return self._reader().document_number(id=doc_id) is not None

    def doc_count(self) -> int:
        with self._reading():
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
        exists: Callable[[str], bool] | None = None,
    ) -> Results:
        """Find documents matching the query ``text`` (see :mod:`arhiva.search.query`).

        ``text_of`` gives a document's text, for snippets; ``exists`` whether a
        document is still in the archive. A hit whose document is gone is left
        out, and one whose text cannot be read is shown without snippets, each
        with a line in ``warnings``.
        """
        parsed = querylang.parse(text, self._ix.schema, date_from, date_to, doc_type)
        with self._reading():
            searcher = self._reader()
            parsed = querylang.expand_patterns(parsed, searcher.reader())
            found = ranking.top_documents(searcher, parsed, limit, sort, querylang.RELAXED)
            hits = [self._hit(searcher.stored_fields(docnum), score) for score, docnum in found.top]
            suggestion = _suggest(searcher, text) if found.total < limit else None
        if found.missing:
            labels = _labels(text, found.words, self._ix.schema)
            for hit, (_, docnum) in zip(hits, found.top):
                hit.missing = [labels[j] for j in found.missing.get(docnum, ())]
        results = Results([], found.total, suggestion, found.total_exact, found.partial)
        # The query's own terms, prefixes and fuzzy words already expanded
        # to the indexed words they match: what the snippets mark.
        terms, phrases = _query_terms(parsed) if text_of is not None else ({}, [])
        for hit in hits:
            try:
                if exists is not None and not exists(hit.id):
                    raise DocumentGoneError(hit.id)
                if text_of is not None and (terms or phrases):
                    hit.snippets = make_snippets(text_of(hit.id), terms, phrases=phrases)
            except DocumentGoneError:
                results.leave_out(hit)
                continue
            except (ArhivaError, UnicodeDecodeError) as err:
                results.warnings.append(f"document {hit.id[:12]} is shown without its text: {_one_line(err)}")
            results.hits.append(hit)
        return results

    def similar(self, doc_id: str, text: str, limit: int = 10,
                exists: Callable[[str], bool] | None = None) -> Results:
        """Documents most like ``doc_id`` (itself excluded), judged by the distinctive terms of its text.

        With ``exists``, a document no longer in the archive is left out (with a warning).
        """
        with self._reading():
            searcher = self._reader()
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                raise ArchiveError(f"document {doc_id[:12]} is not in the search index; run: arhiva reindex")
            found = searcher.more_like(docnum, "content", text=text, top=limit, numterms=12)
            hits = [self._hit(result.fields(), result.score) for result in found]
        results = Results([], len(hits))
        for hit in hits:
            if exists is not None and not exists(hit.id):
                results.leave_out(hit)
            else:
                results.hits.append(hit)
        return results

    @staticmethod
    def _hit(stored: dict, score: float | None) -> Hit:
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            score=float(score or 0.0),
            source=stored.get("source", ""),
            ingested=stored["ingested"].isoformat() if stored.get("ingested") else "",
            pages=int(stored.get("pages") or 0),
            date=stored["date"].date().isoformat() if stored.get("date") else None,
            type=stored.get("type", ""),
        )


def damaged(folder: Path, err: BaseException) -> ArchiveError:
    """The one-line report of an index that cannot be read as it is."""
    return ArchiveError(f"the search index {folder} is damaged ({type(err).__name__}: {_one_line(err)}); "
                        "run: arhiva reindex")


def _one_line(err: BaseException, limit: int = 100) -> str:
    """An error's message on one line, cut to ``limit`` characters.

    >>> _one_line(ValueError("two\\nlines"))
    'two lines'
    """
    return querylang.shorten(" ".join(str(err).split()), limit)


def _mark(applied) -> tuple[int, str] | None:
    """A journal entry or head as the index records it: (``seq``, ``hash``)."""
    return (applied.seq, applied.hash) if applied is not None else None


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


#: A query's parts as typed: an optional ``field:`` before a phrase, a range or
#: a word; or a parenthesis. Only a plain word (letters alone) is ever corrected.
_QUERY_PART = re.compile(r'(?:[^\s:"\[{()]+:)?(?:"[^"]*"?|\[[^\]]*\]?|\{[^}]*\}?|[^\s()]+)|[()]')


def plain_words(text: str) -> Iterator[re.Match]:
    """The plain words of a query: not a field's value, a phrase, a range, an
    operator, an excluded word or a pattern.

    >>> [m.group() for m in plain_words('bugetl data:[2021-01 to 2021-06] "in to" (x OR sedinta) -rau tip:anunt')]
    ['bugetl', 'x', 'sedinta']
    """
    for match in _QUERY_PART.finditer(text):
        word = match.group()
        if word.isalpha() and not (word.isupper() and len(word) > 1):
            yield match


def _suggest(searcher, text: str) -> str | None:
    """A corrected query when some plain word is in no document but a close one is.

    Filters, phrases and ranges are left as typed, and a correction that
    would not parse is never offered.
    """
    pieces, end = [], 0
    for match in plain_words(text):
        word = match.group()
        folded = next((t.text for t in exact_analyzer()(word, mode="query")), None)
        if folded is None or searcher.doc_frequency("exact", folded) or any(
                searcher.doc_frequency("content", term) for term in content_terms(to_comma_below(word.lower()))):
            continue
        options = searcher.suggest("exact", folded, limit=1, maxdist=2)
        if options:
            pieces += [text[end:match.start()], options[0]]
            end = match.end()
    if not pieces:
        return None
    suggestion = " ".join(("".join(pieces) + text[end:]).split())
    try:
        querylang.parse(suggestion, searcher.schema)
    except QueryError:
        return None
    return suggestion


def rebuild(folder: Path, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None,
            lock=None, applied=None) -> int:
    """Build a fresh index beside ``folder`` and swap it in, under ``lock``, only when it is complete.

    ``applied``: the journal entry (``seq`` and ``hash``) the index is up to
    date with, noted before the documents were read.
    """
    fresh = folder.with_name(folder.name + ".new")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    new_index = SearchIndex.create(fresh)
    build = new_index.state().build
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
    _write_state(fresh, build, _mark(applied))
    with lock if lock is not None else nullcontext():
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        _fsync(folder.parent)
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


def _term_text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
