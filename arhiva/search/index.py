"""Searching the archive's index: the query parsed by arhiva, run by a backend
(:mod:`arhiva.search.backend`), its hits shown with snippets of their text.

The index is derived data, always rebuildable from the archive. It keeps a
small record of itself (its schema version, the identity of its build, and
the last journal entry of the archive whose changes it holds): a reader
compares that entry with the journal's head to know whether the index is behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from arhiva.errors import ArhivaError, DocumentGoneError, QueryError
from arhiva.romanian.letters import to_comma_below
from arhiva.search import query as querylang
from arhiva.search.analyzer import analyze, content_terms
from arhiva.search.backend import SearchBackend, open_index, rebuild_index
from arhiva.search.records import Hit, IndexDoc, Results, reference_forms
from arhiva.search.snippets import make_snippets
from arhiva.search.whoosh_backend.state import SCHEMA_VERSION, STATE_FILE, IndexState, read_state

__all__ = ["Hit", "IndexDoc", "IndexState", "Results", "SCHEMA_VERSION", "STATE_FILE", "SearchIndex",
           "keep_for_serving", "plain_words", "read_state", "rebuild", "reference_forms"]


class SearchIndex:
    """The archive's search index: a backend (:func:`arhiva.search.backend.open_index`)
    and what arhiva makes of its answers (hits with snippets, did-you-mean,
    hits whose document is gone left out)."""

    def __init__(self, backend: SearchBackend) -> None:
        self.backend = backend

    @classmethod
    def open(cls, folder: Path, lock=None) -> SearchIndex:
        """Open an existing index; report, never repair, one that is missing or damaged."""
        return cls(open_index(folder, lock=lock))

    @classmethod
    def create(cls, folder: Path, lock=None, applied=None) -> SearchIndex:
        """Make a new, empty index in ``folder``, which must not hold one (``applied``:
        the journal entry it is up to date with, for an archive that holds nothing yet)."""
        return cls(open_index(folder, lock=lock, create=True, applied=applied))

    @property
    def lock(self):
        return self.backend.lock

    @property
    def folder(self) -> Path:
        return self.backend.folder

    def state(self) -> IndexState:
        return self.backend.state()

    def close(self) -> None:
        self.backend.close()

    def add(self, docs: Iterable[IndexDoc], applied=None) -> int:
        """Add or replace documents in one commit, under the index lock; on any error nothing is committed.

        ``applied``: the last journal entry (``seq`` and ``hash``) whose
        changes the index holds once these are added, recorded after the commit.
        """
        return self.backend.write(docs, applied=applied)

    def write(self, docs: Iterable[IndexDoc] = (), delete: Iterable[str] = (), applied=None) -> int:
        """Add or replace ``docs`` and remove the documents ``delete`` names, in one commit (``applied`` as for :meth:`add`)."""
        return self.backend.write(docs, delete=delete, applied=applied)

    def delete(self, ids: Iterable[str], applied=None) -> int:
        """Remove these documents in one commit (``applied`` as for :meth:`add`)."""
        return self.backend.write(delete=ids, applied=applied)

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through, to find damage; return the indexed IDs."""
        return self.backend.check(sample)

    def ids(self) -> set[str]:
        """Every indexed document ID."""
        return self.backend.ids()

    def contains(self, doc_id: str) -> bool:
        return self.backend.contains(doc_id)

    def doc_count(self) -> int:
        return self.backend.doc_count()

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
        withdrawn: Callable[[str], bool] | None = None,
    ) -> Results:
        """Find documents matching the query ``text`` (see :mod:`arhiva.search.query`).

        ``text_of`` gives a document's text, for snippets; ``exists`` whether a
        document is still in the archive; ``withdrawn`` whether it is withdrawn.
        A hit whose document is gone or withdrawn is left out, and one whose
        text cannot be read is shown without snippets, each with a line in
        ``warnings``.
        """
        found = self.backend.search(querylang.parse(text), querylang.Filters(date_from, date_to, doc_type),
                                    sort, limit)
        hits = [_hit(stored, score) for score, stored in found.hits]
        suggestion = _suggest(self.backend, text) if found.total < limit else None
        if found.words:
            labels = _labels(text, found.words)
            for hit, lacking in zip(hits, found.missing):
                hit.missing = [labels[j] for j in lacking]
        results = Results([], found.total, suggestion, found.total_exact, found.partial)
        # The query's own terms, prefixes and fuzzy words already expanded
        # to the indexed words they match: what the snippets mark.
        terms, phrases = (found.terms, found.phrases) if text_of is not None else ({}, [])
        for hit in hits:
            if _left_out(results, hit, exists, withdrawn):
                continue
            try:
                if text_of is not None and (terms or phrases):
                    hit.snippets = make_snippets(text_of(hit.id), terms, phrases=phrases)
            except DocumentGoneError:
                results.leave_out(hit)
                continue
            except (ArhivaError, UnicodeDecodeError) as err:
                results.warnings.append(f"document {hit.id[:12]} is shown without its text: {_one_line(err)}")
            results.hits.append(hit)
        return results

    def similar(self, doc_id: str, text: str, limit: int = 10, exists: Callable[[str], bool] | None = None,
                withdrawn: Callable[[str], bool] | None = None) -> Results:
        """Documents most like ``doc_id`` (itself excluded), judged by the distinctive terms of its text.

        With ``exists`` (and ``withdrawn``), a document no longer in the archive (or withdrawn) is left
        out, with a warning.
        """
        hits = [_hit(stored, score) for score, stored in self.backend.similar(doc_id, text, limit)]
        results = Results([], len(hits))
        for hit in hits:
            if not _left_out(results, hit, exists, withdrawn):
                results.hits.append(hit)
        return results


def _left_out(results: Results, hit, exists: Callable[[str], bool] | None,
              withdrawn: Callable[[str], bool] | None) -> bool:
    """Whether ``hit`` is left out of ``results`` (saying why): its document gone from the archive, or withdrawn."""
    if exists is not None and not exists(hit.id):
        results.leave_out(hit)
        return True
    if withdrawn is not None and withdrawn(hit.id):
        results.leave_out(hit, withdrawn=True)
        return True
    return False


def keep_for_serving(processes: int) -> int | None:
    """Let this process, one of the ``processes`` that search for a long-lived server, keep
    more of the index in memory between searches (the embedded backend's decoded postings of
    frequent words: :func:`arhiva.search.whoosh_backend.segment.serving`); returns the most it
    may keep, in bytes, or None when the machine's memory is unknown (then as any process)."""
    from arhiva.search.whoosh_backend import segment

    return segment.serving(processes)


def rebuild(folder: Path, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None,
            lock=None, applied=None) -> int:
    """Build a fresh index beside ``folder`` and swap it in, under ``lock``, only when it is complete.

    ``applied``: the journal entry (``seq`` and ``hash``) the index is up to
    date with, noted before the documents were read.
    """
    return rebuild_index(folder, docs, on_doc, lock=lock, applied=applied)


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
        tags=tuple((stored.get("tags") or "").split()),
    )


def _one_line(err: BaseException, limit: int = 100) -> str:
    """An error's message on one line, cut to ``limit`` characters.

    >>> _one_line(ValueError("two\\nlines"))
    'two lines'
    """
    return querylang.shorten(" ".join(str(err).split()), limit)


def _labels(text: str, words: list) -> list[str]:
    """How the query's ``words`` (parts of the parsed query, each as a tree and as
    printed) were typed, found by parsing each typed word alone; a part that no
    single typed word gives is shown as printed."""
    typed = {}
    for word in text.split():
        try:
            typed.setdefault(querylang.parse(word), word)
        except Exception:  # noqa: BLE001 - a word that is not a query by itself
            continue
    return [typed.get(node, printed) for node, printed in words]


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


def _suggest(backend: SearchBackend, text: str) -> str | None:
    """A corrected query when some plain word is in no document but a close one is.

    Filters, phrases and ranges are left as typed, and a correction that
    would not parse is never offered.
    """
    pieces, end = [], 0
    for match in plain_words(text):
        word = match.group()
        folded = next(iter(analyze("exact", word, query=True)), None)
        if folded is None or backend.frequency("exact", folded) or any(
                backend.frequency("content", term) for term in content_terms(to_comma_below(word.lower()))):
            continue
        options = backend.close_words("exact", folded, limit=1, maxdist=2)
        if options:
            pieces += [text[end:match.start()], options[0]]
            end = match.end()
    if not pieces:
        return None
    suggestion = " ".join(("".join(pieces) + text[end:]).split())
    try:
        querylang.parse(suggestion)
    except QueryError:
        return None
    return suggestion
