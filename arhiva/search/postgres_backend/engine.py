"""The PostgreSQL backend: the archive's index in a PostgreSQL server.

Selected by a location ``postgresql://user:password@host:port/database``
(``?index=NAME`` keeps several archives' indexes apart in one database: each
is a schema, ``arhiva`` by default). The archive stays the source of truth:
``arhiva reindex`` fills the index from it.

Each document is one row of ``docs``: its stored fields, a ``tsvector`` per
text field made of arhiva's own analysis (the same terms, stems and folding
as the Whoosh backend; PostgreSQL never analyzes the text again), and the
length of each field. ``terms`` counts each term's documents (for ranking,
``frequency`` and ``close_words``), ``totals`` the documents and the field
lengths, ``meta`` the schema version, the build and the journal entry the index
holds. Every write is one transaction, writers take turns on an advisory
lock, and every search reads one snapshot: a search sees all of a write or
none of it, and every write committed before it began.
"""

from __future__ import annotations

import functools
import heapq
import json
import os
from functools import lru_cache
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from arhiva.errors import ArchiveError
from arhiva.search import query as querylang
from arhiva.search import tree
from arhiva.romanian.letters import fold, to_comma_below
from arhiva.romanian.stopwords import STOP_WORDS
from arhiva.search.analyzer import (
    ANALYSES, FIELD_ANALYZERS, TOKEN_PATTERN, Extras, content_terms, indexed_forms,
)
from arhiva.search.postgres_backend.plan import (
    FIELDS, POSITION_FIELDS, Candidate, Scorer, Sql, Stats, edit_distance, expand, is_phrase_group, leaves,
    required_leaves, terms_of,
)

if TYPE_CHECKING:
    from arhiva.search.backend import Found
    from arhiva.search.records import IndexDoc

#: Bump when the tables or an analyzer change: old indexes must be rebuilt.
SCHEMA_VERSION = 9  # 2: free tags (``tags``); 3: a stem's oa/o alternation undone; 4: figures joined across a spaced slash; 5: a number joined to its date by a dot; 6: words run together also indexed apart; 7: a date with its month in words also indexed in digits; 8: a name's initials; 9: a registration number of several parts by its year, thousands as written; a line in capitals ends a name's initials
#: The analysis of each text field (as in the Whoosh schema).
ANALYSIS = {"title": "inflected", "exact": "exact", "content": "stems", "type": "exact", "ref": "whole",
            "cited": "whole", "tags": "tags"}
#: The most candidates scored for one query: a query whose words are in more
#: documents ranks the first ``CANDIDATES`` PostgreSQL finds (its total is then counted apart).
CANDIDATES = 500
#: The most documents having all the words of a phrase that are checked for the phrase itself.
PHRASE_CHECKS = 2000
#: The server's memory for building each index at the end of a reindex (its ``maintenance_work_mem``).
BUILD_MEMORY = "256MB"
#: PostgreSQL's limits: a lexeme's bytes, positions per lexeme, the largest position, a tsvector's bytes.
_MAX_LEXEME = 2046
_MAX_POSITIONS = 256
_MAX_POSITION = 16383
_MAX_TSVECTOR = 900_000
_STORED = "num, id, title, date, type, source, media_type, pages, ingested, tags, lengths"
_WIDTH = len(_STORED.split(","))
_DEFAULT_SCHEMA = "arhiva"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,40}")
_TOKEN_FINDER = re.compile(TOKEN_PATTERN).finditer


def connect_location(location: str) -> tuple[str, str, str]:
    """The connection string, the schema and a printable location (password hidden) of a location.

    >>> connect_location("postgresql://u:secret@db:5433/arh?index=primaria&sslmode=disable")
    ('postgresql://u:secret@db:5433/arh?sslmode=disable', 'arhiva_primaria', 'postgresql://u@db:5433/arh?index=primaria')
    """
    parts = urlsplit(location)
    query = parse_qsl(parts.query, keep_blank_values=True)
    name = next((v for k, v in query if k == "index"), None)
    if name is not None and not _NAME.fullmatch(name):
        raise ArchiveError(f"the index name {name!r} must be lowercase letters, digits and _")
    schema = f"{_DEFAULT_SCHEMA}_{name}" if name else _DEFAULT_SCHEMA
    rest = [(k, v) for k, v in query if k != "index"]
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
    shown_netloc = parts.netloc.rsplit("@", 1)
    if len(shown_netloc) == 2:
        shown_netloc[0] = shown_netloc[0].split(":", 1)[0]
    shown = urlunsplit((parts.scheme, "@".join(shown_netloc), parts.path, f"index={name}" if name else "", ""))
    return conninfo, schema, shown


def _connect(conninfo: str, shown: str):
    try:
        import psycopg
    except ImportError as err:
        raise ArchiveError("the PostgreSQL backend needs psycopg: pip install 'arhiva[postgresql]'") from err
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as err:
        message = querylang.shorten(" ".join(str(err).split()), 120)
        raise ArchiveError(f"cannot reach the search index at {shown}: {message}") from err
    # Never prepared: a statement prepared by psycopg (after 5 runs of the same text) is soon run
    # with PostgreSQL's generic plan, made without the query's words, and a plan good for a rare
    # word is ten times slower for a common one (a search of 4 words: 50 ms, then 500).
    conn.prepare_threshold = None
    return conn


def field_terms(name: str, text: str) -> tuple[dict[str, list[int]], int]:
    """The terms of one field's text, each with its positions, and the field's length (terms counted as Whoosh counts them).

    >>> field_terms("content", "Hotărârea și hotărârile")
    ({'hotar': [0], 'hotarar': [0, 2]}, 3)
    >>> field_terms("tags", "buget-2021 urgent")
    ({'buget-2021': [0], 'urgent': [1]}, 2)
    """
    positions: dict[str, list[int]] = {}
    length = 0
    analysis = _tag_terms if name == "tags" else ANALYSES[ANALYSIS[name]]
    for pos, _, _, term in analysis(text):
        length += 1
        if len(term.encode("utf-8")) <= _MAX_LEXEME:
            positions.setdefault(term, []).append(pos)
    return positions, length


def _tag_terms(text: str):
    """A document's free tags (space-separated), each as a query gives it (:func:`arhiva.tags.query_tag`),
    as the Whoosh backend's ``TagTokenizer`` indexes them."""
    from arhiva.tags import query_tag

    for pos, match in enumerate(re.finditer(r"\S+", text)):
        yield pos, match.start(), match.end(), query_tag(match.group())


@lru_cache(maxsize=131072)
def _word_terms(raw: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What one word of a text (as :data:`~arhiva.search.analyzer.TOKEN_PATTERN` finds it) indexes:
    for each of its tokens (:func:`~arhiva.search.analyzer.tokens`: the word, then its other forms),
    the ``exact`` term and the ``content`` terms (none for a stop word)."""
    whole, others = indexed_forms(to_comma_below(raw.lower()))
    return tuple((fold(token), () if token in STOP_WORDS else content_terms(token)) for token in (whole, *others))


def _fits(term: str) -> bool:
    return len(term) <= _MAX_LEXEME // 4 or len(term.encode("utf-8")) <= _MAX_LEXEME


def text_terms(text: str) -> tuple[tuple[dict[str, list[int]], int], tuple[dict[str, list[int]], int]]:
    """The ``exact`` and ``content`` terms of a document's text from one pass of the tokenizer:
    the same as :func:`field_terms` of each (the two analyses differ only after the tokens).
    Each distinct word is analyzed once, its positions gathered first.

    >>> text = "Hotărârea și hotărârile, HOTĂRÂREA nr. 45/2021 din 29.04.2021 (29 aprilie 2021) Direcția de Evidență"
    >>> text_terms(text) == (field_terms("exact", text), field_terms("content", text))
    True
    """
    where: dict[str, list[int]] = {}
    added: dict[str, list[int]] = {}  # what tokens add with those before them (dates in words, initials), by position
    around = Extras(text)
    for pos, match in enumerate(_TOKEN_FINDER(text)):
        raw = match.group()
        spots = where.get(raw)
        if spots is None:
            where[raw] = [pos]
        else:
            spots.append(pos)
        for _, term in around.feed(match):
            added.setdefault(term, []).append(pos)
    exact: dict[str, list[int]] = {}
    content: dict[str, list[int]] = {}
    # A term several words give (folded, or the same stem) gets a list of its own, sorted at the end.
    merged: dict[int, set[str]] = {id(exact): set(), id(content): set()}
    exact_length = content_length = 0
    for raw, spots in where.items():
        for word, stems in _word_terms(raw):
            exact_length += len(spots)
            content_length += len(spots) * len(stems)
            for terms, term in ((exact, word), *((content, stem) for stem in stems)):
                if not _fits(term):
                    continue
                have = terms.get(term)
                if have is None:
                    terms[term] = spots
                    continue
                own = merged[id(terms)]
                if term not in own:
                    have = terms[term] = list(have)
                    own.add(term)
                have.extend(spots)
    for added_term, spots in added.items():  # a date (``2007-06-26``) is its own content term
        stems = () if added_term in STOP_WORDS else content_terms(added_term)
        exact_length += len(spots)
        content_length += len(spots) * len(stems)
        for terms, term in ((exact, added_term), *((content, stem) for stem in stems)):
            terms[term] = sorted(terms.get(term, []) + spots)
    for terms in (exact, content):
        for term in merged[id(terms)]:
            terms[term].sort()
    return (exact, exact_length), (content, content_length)


#: "1,2,...,k" for each frequency k: the positions of a term in a field without phrases.
_COUNTS = [",".join(map(str, range(1, k + 1))) for k in range(_MAX_POSITIONS + 1)]
#: Each position as written in a ``tsvector`` (from 1).
_SPOTS = [str(p + 1) for p in range(_MAX_POSITION)]


def tsvector(name: str, positions: dict[str, list[int]]) -> str:
    """A field's terms as a ``tsvector`` literal: the positions of each (from 1)
    where phrases are looked for, else positions 1..frequency, so that the
    number of positions is the term's frequency in every field.

    >>> tsvector("content", {"buget": [4, 9], "o'k": [1]})
    "'buget':1,2 'o''k':1"
    >>> tsvector("exact", {"buget": [4, 9, 9]})
    "'buget':5,10"
    """
    def literal(keep_positions: bool, most: int) -> str:
        parts = []
        for term, where in positions.items():
            if keep_positions:
                if len(where) == 1 and where[0] < _MAX_POSITION:
                    spots = _SPOTS[where[0]]
                else:
                    spots = ",".join(map(str, sorted({min(p + 1, _MAX_POSITION) for p in where})[:most]))
            else:
                spots = _COUNTS[min(len(where), most)]
            if "'" in term or "\\" in term:
                term = term.replace("\\", "\\\\").replace("'", "''")
            parts.append(f"'{term}':{spots}")
        return " ".join(parts)

    text = literal(name in POSITION_FIELDS, _MAX_POSITIONS)
    if len(text) > _MAX_TSVECTOR:  # a huge document: fewer positions, rather than a write that fails
        text = literal(False, 8)
    if len(text) > _MAX_TSVECTOR:
        text = literal(False, 1)[:_MAX_TSVECTOR].rsplit(" '", 1)[0]
    return text


def document_row(doc) -> tuple[tuple, dict[str, list[str]]]:
    """The ``docs`` row of an :class:`~arhiva.search.records.IndexDoc`, and its terms by field."""
    values = doc.fields()
    vectors, lengths, terms = [], [], {}
    exact, content = text_terms(doc.content)
    for name in FIELDS:
        if name in ("exact", "content"):
            positions, length = exact if name == "exact" else content
        else:
            positions, length = field_terms(name, values.get(name) or "")
        vectors.append(tsvector(name, positions))
        lengths.append(length)
        terms[name] = list(positions)
    row = (doc.id, doc.title, doc.date, doc.type, doc.source, doc.media_type, int(doc.pages), doc.ingested,
           values.get("tags") or None, *vectors, lengths)
    return row, terms


_COLUMNS = ("id, title, date, type, source, media_type, pages, ingested, tags, "
            + ", ".join(f"{name}_v" for name in FIELDS) + ", lengths")


def _tables(schema: str) -> list[str]:
    s = schema
    return [
        f"CREATE SCHEMA {s}",
        f"CREATE TABLE {s}.meta (key text PRIMARY KEY, value text)",
        f"""CREATE TABLE {s}.docs (num bigserial PRIMARY KEY, id text NOT NULL UNIQUE, title text, date timestamptz,
            type text, source text, media_type text, pages int, ingested timestamptz, tags text,
            {", ".join(f"{name}_v tsvector NOT NULL" for name in FIELDS)}, lengths int[] NOT NULL)""",
        f"CREATE TABLE {s}.terms (field text, term text COLLATE \"C\", df int NOT NULL, PRIMARY KEY (field, term))",
        f"CREATE TABLE {s}.totals (pos int PRIMARY KEY, total bigint NOT NULL)",
        f"INSERT INTO {s}.totals SELECT i, 0 FROM generate_series(0, {len(FIELDS)}) i",
    ]


def _indexes(schema: str) -> list[str]:
    return [f"CREATE INDEX ON {schema}.docs USING gin ({name}_v)" for name in FIELDS] + [
        f"CREATE INDEX ON {schema}.docs (date)",
    ]


def _reported(method):
    """Report a server error (the connection lost, a statement refused) in one line, never as a traceback."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        import psycopg

        try:
            return method(self, *args, **kwargs)
        except psycopg.Error as err:
            message = querylang.shorten(" ".join(str(err).split()), 120)
            raise ArchiveError(f"the search index at {self.folder} failed ({type(err).__name__}: {message}); "
                               "check the server, then try again") from err
    return wrapper


class PostgresBackend:
    """An index of the archive's documents in a PostgreSQL schema (see the module's docstring).

    One connection, kept open; not for use by several threads at once.
    """

    def __init__(self, conn, schema: str, shown: str, lock=None, conninfo: str | None = None) -> None:
        self._conn = conn
        #: For the other connections of a rebuild (None: a rebuild uses this one only).
        self._conninfo = conninfo
        self.schema = schema
        self.folder = shown
        self.lock = lock

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, location: str, lock=None) -> PostgresBackend:
        conninfo, schema, shown = connect_location(location)
        backend = cls(_connect(conninfo, shown), schema, shown, lock, conninfo)
        version = backend._meta().get("schema_version")
        if version is None:
            backend.close()
            raise ArchiveError(f"the search index is missing ({shown}); run: arhiva reindex")
        if version != str(SCHEMA_VERSION):
            backend.close()
            raise ArchiveError(f"the search index was built by another version of arhiva (schema {version}, "
                               f"this one needs {SCHEMA_VERSION}); run: arhiva reindex")
        return backend

    @classmethod
    def create(cls, location: str, lock=None, applied=None) -> PostgresBackend:
        """Make a new, empty index, which must not exist yet."""
        conninfo, schema, shown = connect_location(location)
        backend = cls(_connect(conninfo, shown), schema, shown, lock, conninfo)
        if backend._exists(schema):
            backend.close()
            raise ArchiveError(f"a search index already exists in {shown}")
        with backend._conn.transaction():
            backend._make(schema, applied)
        return backend

    def _exists(self, schema: str) -> bool:
        return self._conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None

    def _make(self, schema: str, applied, indexes: bool = True) -> None:
        for statement in _tables(schema) + (_indexes(schema) if indexes else []):
            self._conn.execute(statement)
        meta = {"schema_version": str(SCHEMA_VERSION), "build": secrets.token_hex(8)}
        meta.update(_mark(applied))
        self._conn.cursor().executemany(f"INSERT INTO {schema}.meta VALUES (%s, %s)", list(meta.items()))

    def _meta(self) -> dict[str, str]:
        import psycopg

        if not self._exists(self.schema):
            return {}
        try:
            return dict(self._conn.execute(f"SELECT key, value FROM {self.schema}.meta").fetchall())
        except psycopg.Error:
            return {}

    def state(self):
        from arhiva.search.whoosh_backend.state import IndexState

        meta = self._meta()
        version = meta.get("schema_version")
        applied = (int(meta["applied_seq"]), meta["applied_hash"]) if meta.get("applied_seq") else None
        return IndexState(int(version) if version and version.isdigit() else None, meta.get("build"), applied)

    def applied(self) -> tuple[int, str] | None:
        return self.state().applied

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()

    def _reading(self):
        """A read-only snapshot: every statement of one search sees the same committed writes."""
        transaction = self._conn.transaction()

        class _Snapshot:
            def __enter__(inner):
                transaction.__enter__()
                self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # A scan of the whole table tests each row's vectors, which are compressed out of line:
                # the planner counts that far too cheap, and chose it for words in a few percent of the
                # documents (300 ms instead of 30 at 100,000 documents). The GIN indexes answer instead.
                self._conn.execute("SET LOCAL enable_seqscan = off")
                return inner

            def __exit__(inner, *exc):
                return transaction.__exit__(*exc)

        return _Snapshot()

    # -- writing ---------------------------------------------------------------

    @_reported
    def write(self, docs: Iterable[IndexDoc] = (), delete: Iterable[str] = (), applied=None) -> int:
        """Add or replace ``docs`` and delete the documents ``delete`` names, and record ``applied``,
        in one transaction; on any error nothing is committed."""
        latest = {doc.id: doc for doc in docs}
        gone = [doc_id for doc_id in dict.fromkeys(delete) if doc_id not in latest]
        if not latest and not gone and applied is None:
            return 0
        with self._locked(), self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.schema,))
            self._remove(list(latest))
            count = self._remove(gone)
            count += self._insert(self.schema, map(document_row, latest.values()))
            if applied is not None:
                for key, value in _mark(applied).items():
                    self._conn.execute(f"INSERT INTO {self.schema}.meta VALUES (%s, %s) ON CONFLICT (key) "
                                       "DO UPDATE SET value = excluded.value", (key, value))
        return count

    def _locked(self):
        return self.lock if self.lock is not None else nullcontext()

    def _remove(self, ids: list[str]) -> int:
        """Delete these documents, taking their terms and lengths out of the counts; how many there were."""
        if not ids:
            return 0
        s = self.schema
        vectors = ", ".join(f"('{name}', {name}_v)" for name in FIELDS)
        row = self._conn.execute(f"""
            WITH gone AS (DELETE FROM {s}.docs WHERE id = ANY(%s) RETURNING *),
            counted AS (
                SELECT f.field, t.term, count(*) AS n
                FROM gone, LATERAL (VALUES {vectors}) AS f(field, v), LATERAL unnest(tsvector_to_array(f.v)) AS t(term)
                GROUP BY f.field, t.term),
            terms AS (UPDATE {s}.terms d SET df = d.df - c.n FROM counted c
                      WHERE d.field = c.field AND d.term = c.term COLLATE "C"),
            lengths AS (SELECT i, sum(lengths[i]) AS total FROM gone, generate_subscripts(lengths, 1) i GROUP BY i),
            totals AS (UPDATE {s}.totals t SET total = t.total - x.total
                       FROM (SELECT i, total FROM lengths UNION ALL SELECT 0, (SELECT count(*) FROM gone)) x
                       WHERE t.pos = x.i)
            SELECT count(*) FROM gone""", (ids,)).fetchone()
        return int(row[0])

    def _insert(self, schema: str, rows: Iterable[tuple[tuple, dict]], counts: bool = True,
                on_doc: Callable[[], None] | None = None) -> int:
        """Copy documents (as :func:`document_row` gives them) into ``docs``; with ``counts``,
        add their terms and lengths to the counts."""
        df: Counter = Counter()
        totals = [0] * (len(FIELDS) + 1)
        count = 0
        with self._conn.cursor().copy(f"COPY {schema}.docs ({_COLUMNS}) FROM STDIN") as copy:
            for row, terms in rows:
                copy.write_row(row)
                count += 1
                if counts:
                    totals[0] += 1
                    for i, name in enumerate(FIELDS):
                        totals[i + 1] += row[-1][i]
                        df.update((name, term) for term in terms[name])
                if on_doc:
                    on_doc()
        if counts and count:
            fields, words = zip(*df) if df else ((), ())
            self._conn.execute(f"""
                INSERT INTO {schema}.terms SELECT * FROM unnest(%s::text[], %s::text[], %s::int[])
                ON CONFLICT (field, term) DO UPDATE SET df = {schema}.terms.df + excluded.df""",
                               (list(fields), list(words), list(df.values())))
            self._conn.execute(f"UPDATE {schema}.totals t SET total = t.total + x.n "
                               "FROM unnest(%s::bigint[]) WITH ORDINALITY AS x(n, i) WHERE t.pos = x.i - 1",
                               (totals,))
        return count

    @_reported
    def rebuild(self, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None, applied=None) -> int:
        """Fill a new schema with ``docs``, count terms and lengths in the server, index it, and put it
        in place of the old one in one transaction, only when complete."""
        fresh, old = f"{self.schema}_new", f"{self.schema}_old"
        self._conn.execute(f"DROP SCHEMA IF EXISTS {fresh} CASCADE")
        try:
            with self._conn.transaction():
                self._make(fresh, applied, indexes=False)
            count = self._load(fresh, docs, on_doc)
            self._finish(fresh)
        except BaseException:
            self._conn.execute(f"DROP SCHEMA IF EXISTS {fresh} CASCADE")
            raise
        with self._locked(), self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.schema,))
            self._conn.execute(f"DROP SCHEMA IF EXISTS {old} CASCADE")
            if self._exists(self.schema):
                self._conn.execute(f"ALTER SCHEMA {self.schema} RENAME TO {old}")
            self._conn.execute(f"ALTER SCHEMA {fresh} RENAME TO {self.schema}")
            self._conn.execute(f"DROP SCHEMA IF EXISTS {old} CASCADE")
        return count

    def _load(self, schema: str, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None) -> int:
        """Copy the documents into ``schema``'s table (no index yet): analyzed and copied by a pool of
        processes, each with its own connection, when there are cores to spare (the analysis, in Python,
        is most of a rebuild's work); numbered in the order given. How many there were."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if cores < 2 or self._conninfo is None:
            with self._conn.transaction():
                return self._insert(schema, map(document_row, docs), counts=False, on_doc=on_doc)
        import multiprocessing

        count = 0
        in_flight: list = []
        with multiprocessing.get_context("forkserver").Pool(min(cores, 4)) as pool:
            def settle(most: int) -> None:
                while len(in_flight) > most:
                    for _ in range(in_flight.pop(0).get()):
                        if on_doc:
                            on_doc()

            chunk: list[tuple[int, IndexDoc]] = []
            for doc in docs:
                count += 1
                chunk.append((count, doc))
                if len(chunk) == _CHUNK:
                    in_flight.append(pool.apply_async(_copy_chunk, (self._conninfo, schema, chunk)))
                    chunk = []
                    settle(2 * min(cores, 4))
            if chunk:
                in_flight.append(pool.apply_async(_copy_chunk, (self._conninfo, schema, chunk)))
            settle(0)
        if count:
            self._conn.execute(f"SELECT setval(pg_get_serial_sequence('{schema}.docs', 'num'), %s)", (count,))
        return count

    def _finish(self, schema: str) -> None:
        """Count terms and lengths, build the indexes and the planner's statistics of a loaded ``schema``:
        on two connections at once when there are cores to spare (each statement uses one core)."""
        counts = [f"""INSERT INTO {schema}.terms SELECT '{name}', t.term, count(*)
                      FROM {schema}.docs, unnest(tsvector_to_array({name}_v)) AS t(term) GROUP BY t.term"""
                  for name in FIELDS]
        totals = f"""UPDATE {schema}.totals t SET total = x.total FROM (
            SELECT i, sum(lengths[i]) AS total FROM {schema}.docs, generate_subscripts(lengths, 1) i GROUP BY i
            UNION ALL SELECT 0, count(*) FROM {schema}.docs) x WHERE t.pos = x.i"""
        indexes = _indexes(schema)
        # The GIN indexes built once, each sorting its entries in memory rather than in temporary files.
        setup = f"SET maintenance_work_mem = '{BUILD_MEMORY}'"
        first = [setup] + [c for c, name in zip(counts, FIELDS) if name != "content"] + [
            i for i in indexes if "(content_v)" not in i]
        second = [setup, counts[FIELDS.index("content")], totals, indexes[FIELDS.index("content")]]
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if cores < 2 or self._conninfo is None:
            for statement in first + second[1:]:
                self._conn.execute(statement)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(1) as other:
                done = other.submit(_run_statements, self._conninfo, second)
                for statement in first:
                    self._conn.execute(statement)
                done.result()
        self._conn.execute("RESET maintenance_work_mem")
        self._conn.execute(f"ANALYZE {schema}.docs")
        self._conn.execute(f"ANALYZE {schema}.terms")

    def drop(self) -> None:
        """Remove the index from the server (tests, and a user who moves the index elsewhere)."""
        self._conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")

    # -- reading ---------------------------------------------------------------

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through (every row and its terms), to find damage; return the indexed IDs."""
        import psycopg

        try:
            with self._reading():
                ids = {row[0] for row in self._conn.execute(
                    f"SELECT id FROM {self.schema}.docs WHERE length(content_v) + length(exact_v) >= 0")}
                self._conn.execute(f"SELECT count(*) FROM {self.schema}.terms").fetchone()
        except psycopg.Error as err:
            raise ArchiveError(f"the search index {self.folder} cannot be read "
                               f"({querylang.shorten(' '.join(str(err).split()), 100)}); run: arhiva reindex") from err
        return ids

    @_reported
    def ids(self) -> set[str]:
        return {row[0] for row in self._conn.execute(f"SELECT id FROM {self.schema}.docs")}

    @_reported
    def contains(self, doc_id: str) -> bool:
        return self._conn.execute(f"SELECT 1 FROM {self.schema}.docs WHERE id = %s", (doc_id,)).fetchone() is not None

    @_reported
    def doc_count(self) -> int:
        return int(self._conn.execute(f"SELECT count(*) FROM {self.schema}.docs").fetchone()[0])

    @_reported
    def frequency(self, field: str, term: str) -> int:
        row = self._conn.execute(f"SELECT df FROM {self.schema}.terms WHERE field = %s AND term = %s",
                                 (field, term)).fetchone()
        return max(0, int(row[0])) if row else 0

    @_reported
    def close_words(self, field: str, term: str, limit: int = 1, maxdist: int = 2) -> list[str]:
        """Indexed words of ``field`` at most ``maxdist`` edits from ``term``: the nearest first, then the most frequent."""
        rows = self._conn.execute(
            f"SELECT term, df FROM {self.schema}.terms WHERE field = %s AND df > 0 AND term <> %s "
            "AND length(term) BETWEEN %s AND %s", (field, term, len(term) - maxdist, len(term) + maxdist)).fetchall()
        near = [(edit_distance(term, word, maxdist), -df, word) for word, df in rows]
        return [word for dist, _, word in sorted(n for n in near if n[0] <= maxdist)[:limit]]

    def _matching(self, q: tree.Node) -> list[str]:
        """The indexed terms a pattern or a term range matches."""
        s, kind = self.schema, type(q)
        if kind is tree.TermRange:
            sql, params = f"SELECT term FROM {s}.terms WHERE field = %s AND df > 0", [q.field]
            if q.start is not None:
                sql += f" AND term {'>' if q.startexcl else '>='} %s"
                params.append(q.start)
            if q.end is not None:
                sql += f" AND term {'<' if q.endexcl else '<='} %s"
                params.append(q.end)
            return [row[0] for row in self._conn.execute(sql + " ORDER BY term LIMIT 10000", params)]
        if kind is tree.Fuzzy:
            start = q.text[: q.prefix]
            rows = self._conn.execute(
                f"SELECT term FROM {s}.terms WHERE field = %s AND df > 0 AND term LIKE %s AND length(term) BETWEEN %s "
                "AND %s ORDER BY term", (q.field, _like(start) + "%", len(q.text) - q.maxdist,
                                         len(q.text) + q.maxdist)).fetchall()
            return [row[0] for row in rows if edit_distance(q.text, row[0], q.maxdist) <= q.maxdist]
        pattern = _like(q.text) + "%" if kind is tree.Prefix else _like(q.text).replace("*", "%").replace("?", "_")
        return [row[0] for row in self._conn.execute(
            f"SELECT term FROM {s}.terms WHERE field = %s AND df > 0 AND term LIKE %s ORDER BY term LIMIT 10000",
            (q.field, pattern))]

    def _stats(self, terms: set[tuple[str, str]]) -> Stats:
        totals = dict(self._conn.execute(f"SELECT pos, total FROM {self.schema}.totals").fetchall())
        docs = int(totals.get(0, 0))
        average = {name: (totals.get(i + 1, 0) / docs if docs else 0.0) for i, name in enumerate(FIELDS)}
        df = {}
        if terms:
            fields, words = zip(*terms)
            df = {(f, t): int(n) for f, t, n in self._conn.execute(
                f"SELECT d.field, d.term, d.df FROM {self.schema}.terms d "
                "JOIN unnest(%s::text[], %s::text[]) AS q(field, term) ON d.field = q.field AND d.term = q.term",
                (list(fields), list(words)))}
        return Stats(docs, average, df)

    @_reported
    def search(self, q: tree.Node | None, filters: querylang.Filters = querylang.Filters(), sort: str = "relevance",
               limit: int = 10) -> Found:
        """The ``limit`` best documents for the parsed query ``q`` and the filters (see :mod:`arhiva.search.backend`)."""
        from arhiva.search.backend import Found

        whole = querylang.with_filters(q, filters)
        with self._reading():
            expanded = expand(whole, self._matching)
            found = self._top(expanded, limit, sort)
        terms, phrases = _query_terms(expanded)
        return Found(*found, terms=terms, phrases=phrases)

    def _top(self, q: tree.Node, limit: int, sort: str):
        all_terms = {(t.field, t.text) for t in leaves(q) if type(t) is tree.Term}
        all_terms |= {(p.field, w) for p in leaves(q) if type(p) is tree.Phrase for w in p.words}
        stats = self._stats(all_terms)
        required = required_leaves(q)
        scorer = Scorer(stats, required)
        relaxed = querylang.RELAXED
        top_required, optional = (q.required, q.optional) if type(q) is tree.AndMaybe else (q, None)
        parts = list(top_required.children) if type(top_required) is tree.And and top_required.boost == 1.0 \
            else [top_required]
        loose = [p for p in parts if not is_phrase_group(p) and (terms_of(p) or [None])[0] is not None
                 and all(t.field in relaxed.fields for t in terms_of(p))]
        absent = sum(not any(stats.df.get((t.field, t.text), 0) for t in terms_of(p)) for p in loose)
        least = relaxed.least(len(loose), absent) if loose else 0

        sql = Sql()
        condition = sql.condition(q)
        # A phrase is checked on at most PHRASE_CHECKS documents having its words (its slow
        # tail: common words that seldom stand together), when ranked by relevance.
        bounded = None
        if sort == "relevance" and any(type(leaf) is tree.Phrase for leaf in leaves(q)):
            words = Sql(loose_phrases=True)
            bounded = (words.condition(q), words.params)
        found = self._candidates(q, condition, sql.params, all_terms, required, sort, bounded)
        scored = [(doc, *scorer.score(q, doc)) for doc in found]
        complete = [(doc, score) for doc, ok, score in scored if ok]
        capped = len(found) >= CANDIDATES
        if bounded is not None and not capped:
            having_words = self._count(*bounded, q)
            if having_words > PHRASE_CHECKS:
                capped = True
                condition, sql.params = bounded[0], bounded[1]
                estimate = round(len(complete) * having_words / PHRASE_CHECKS)
        missing_by_doc: dict[int, tuple[int, ...]] = {}
        partial_docs: list[tuple[Candidate, float]] = []
        use_relaxed = (least < len(loose) <= 62 and (not limit or len(complete) < limit)
                       and sum(sorted(sum(stats.df.get((t.field, t.text), 0) for t in terms_of(p))
                                      for p in loose)[:len(loose) - least + 1]) <= relaxed.most)
        if use_relaxed:
            fixed = [p for p in parts if not any(p is w for w in loose)]
            rsql = Sql()
            pieces = [rsql.condition(p) for p in fixed]
            # A document with ``least`` of the words has one of the ``len(loose) - least + 1``
            # rarest: only those are looked up in the GIN indexes, the rest checked on their documents.
            rarity = [sum(stats.df.get((t.field, t.text), 0) for t in terms_of(p)) for p in loose]
            rarest = sorted(range(len(loose)), key=lambda j: rarity[j])[:len(loose) - least + 1]
            pieces.append("(" + " OR ".join(rsql.condition(loose[j]) for j in rarest) + ")")
            pieces.append("((" + ")::int + (".join(rsql.condition(p) for p in loose) + f")::int >= {least})")
            found_loose = self._candidates(q, " AND ".join(pieces), rsql.params, all_terms,
                                           required - _ids(loose), sort)
            complete_ids = {doc.num for doc, _ in complete}
            for doc in found_loose:
                if doc.num in complete_ids:
                    continue
                have = [scorer.score(p, doc) for p in loose]
                if sum(ok for ok, _ in have) < least:
                    continue
                ok_fixed = [scorer.score(p, doc) for p in fixed]
                if not all(ok for ok, _ in ok_fixed):
                    continue
                score = sum(v for ok, v in have if ok) + sum(v for _, v in ok_fixed)
                if optional is not None:
                    extra_ok, extra = scorer.score(optional, doc)
                    score += extra if extra_ok else 0.0
                missing_by_doc[doc.num] = tuple(j for j, (ok, _) in enumerate(have) if not ok)
                partial_docs.append((doc, score))
        everything = complete + partial_docs

        def key(item):
            doc, score = item
            lacking = len(missing_by_doc.get(doc.num, ()))
            if sort == "relevance":
                return (lacking, -score, doc.num)
            when = doc.stored.get("date")
            if when is None:
                return (lacking, 1, 0.0, -score, doc.num)
            stamp = when.timestamp()
            return (lacking, 0, stamp if sort == "date" else -stamp, -score, doc.num)

        best = heapq.nsmallest(limit, everything, key=key) if limit else sorted(everything, key=key)
        total, exact = len(complete), True
        if capped:
            exact = False
            total = max(total, estimate if bounded is not None and not len(found) >= CANDIDATES
                        else self._count(condition, sql.params, q))
        hits = [(score, doc.stored) for doc, score in best]
        missing = [missing_by_doc.get(doc.num, ()) for doc, _ in best]
        words = []
        if use_relaxed:
            from arhiva.search.whoosh_backend.translate import to_whoosh

            words = [(p, str(to_whoosh(p))) for p in loose]
        return hits, total, exact, len(partial_docs), missing, words

    def _count(self, condition: str, params: list, q: tree.Node) -> int:
        """How many documents match, when more than the candidates do: the planner's
        estimate (counting them would read every match, the slow tail again)."""
        plan = self._conn.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.schema}.docs WHERE {condition}",
                                  params).fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def _candidates(self, q: tree.Node, condition: str, params: list, terms: set[tuple[str, str]],
                    required: set[int], sort: str, bounded: tuple[str, list] | None = None) -> list[Candidate]:
        """At most :data:`CANDIDATES` documents matching ``condition``, with what scoring needs of each."""
        by_field: dict[str, list[str]] = {}
        for name, term in sorted(terms):
            by_field.setdefault(name, []).append(term)
        select, select_params = [], []
        # The query's terms picked out of each candidate's vectors by two C functions (marked
        # with weight A, then kept), not by unnesting every term of a long document in SQL.
        for name, words in by_field.items():
            if name in FIELDS:
                select.append(f"ARRAY(SELECT u.lexeme || ' ' || coalesce(array_length(u.positions, 1), 1) "
                              f"FROM unnest(ts_filter(setweight({name}_v, 'A', %s), '{{a}}')) u) AS tf_{name}")
                select_params.append(words)
        others = [leaf for leaf in leaves(q) if type(leaf) in (tree.Phrase, tree.DateRange) and id(leaf) not in required]
        for leaf in others:
            leaf_sql = Sql()
            select.append(leaf_sql.condition(leaf))
            select_params += leaf_sql.params
        order = {"date": "date ASC NULLS LAST, num", "-date": "date DESC NULLS LAST, num"}.get(sort)
        if bounded is not None:
            inner = f"SELECT * FROM {self.schema}.docs WHERE {bounded[0]} LIMIT {PHRASE_CHECKS}"
            where = f" WHERE {condition}"
            params = bounded[1] + params
        else:
            inner, where = f"SELECT * FROM {self.schema}.docs WHERE {condition}", ""
        sql = (f"SELECT {_STORED}{''.join(', ' + s for s in select)} FROM ({inner}) d{where}"
               + (f" ORDER BY {order}" if order else "") + f" LIMIT {CANDIDATES}")
        rows = self._conn.execute(sql, select_params + params).fetchall()
        result = []
        names = [name for name in by_field if name in FIELDS]
        for row in rows:
            num, doc_id, title, when, kind, source, media_type, pages, ingested, tags, lengths = row[:_WIDTH]
            stored = {"id": doc_id, "title": title or "", "type": kind or "", "source": source or "",
                      "media_type": media_type or "", "pages": pages, "ingested": ingested}
            if tags:
                stored["tags"] = tags
            if when is not None:
                stored["date"] = when
            tf = {}
            for name, values in zip(names, row[_WIDTH:_WIDTH + len(names)]):
                for value in values:
                    term, _, count = value.rpartition(" ")
                    tf[name, term] = int(count)
            matched = {id(leaf): bool(value) for leaf, value in zip(others, row[_WIDTH + len(names):])}
            result.append(Candidate(num, stored, dict(zip(FIELDS, lengths)), tf, matched))
        return result

    @_reported
    def similar(self, doc_id: str, text: str, limit: int = 10) -> list[tuple[float, dict]]:
        """Documents most like ``doc_id`` (itself excluded): an OR of the twelve most distinctive
        terms of its text, each weighted by its distinctiveness (as Whoosh's ``more_like``)."""
        if not self.contains(doc_id):
            raise ArchiveError(f"document {doc_id[:12]} is not in the search index; run: arhiva reindex")
        counts = Counter(term for _, _, _, term in ANALYSES["stems"](text))
        with self._reading():
            stats = self._stats({("content", term) for term in counts})
            weights = {term: tf * stats.idf("content", term) for term, tf in counts.items()
                       if stats.df.get(("content", term), 0) > 0}
            chosen = heapq.nlargest(12, weights.items(), key=lambda item: (item[1], item[0]))
            if not chosen:
                return []
            top = max(w for _, w in chosen)
            q = tree.AndNot(tree.Or(tuple(tree.Term("content", term, w / top) for term, w in chosen)),
                            tree.Term("id", doc_id))
            sql = Sql()
            condition = sql.condition(q.positive) + " AND id <> %s"
            docs = self._candidates(q.positive, condition, sql.params + [doc_id],
                                    {("content", term) for term, _ in chosen}, set(), "relevance")
            scorer = Scorer(stats, set())
            scored = [(scorer.score(q.positive, doc)[1], doc) for doc in docs]
            best = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1].num))
        return [(score, doc.stored) for score, doc in best]


#: Documents analyzed and copied together by one process of a rebuild (one transaction).
_CHUNK = 32
#: A rebuild's process's own connection: (connection string, connection).
_WORKER_CONNECTION: list = []


def _copy_chunk(conninfo: str, schema: str, chunk: list[tuple[int, IndexDoc]]) -> int:
    """In a process of a rebuild: analyze these numbered documents and copy them into ``schema``."""
    import psycopg

    if not _WORKER_CONNECTION or _WORKER_CONNECTION[0] != conninfo or _WORKER_CONNECTION[1].closed:
        _WORKER_CONNECTION[:] = [conninfo, psycopg.connect(conninfo, autocommit=True, connect_timeout=10)]
    conn = _WORKER_CONNECTION[1]
    with conn.transaction(), conn.cursor().copy(f"COPY {schema}.docs (num, {_COLUMNS}) FROM STDIN") as copy:
        for num, doc in chunk:
            copy.write_row((num, *document_row(doc)[0]))
    return len(chunk)


def _run_statements(conninfo: str, statements: list[str]) -> None:
    """Run these statements, in order, on a connection of their own."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
        for statement in statements:
            conn.execute(statement)


def _ids(parts: list[tree.Node]) -> set[int]:
    return {id(leaf) for p in parts for leaf in leaves(p)}


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _mark(applied) -> dict[str, str]:
    if applied is None:
        return {}
    seq, digest = (applied.seq, applied.hash) if hasattr(applied, "seq") else applied
    return {"applied_seq": str(seq), "applied_hash": str(digest)}


def _query_terms(q: tree.Node) -> tuple[dict[str, set[str]], list[tuple[str, ...]]]:
    """The words a query looks for in each text field (for the snippets), and its phrases in ``exact``."""
    terms: dict[str, set[str]] = {}
    phrases: list[tuple[str, ...]] = []
    for leaf in leaves(q):
        if type(leaf) is tree.Phrase:
            if leaf.field == "exact" and leaf.words:
                phrases.append(tuple(leaf.words))
        elif type(leaf) is tree.Term and leaf.field in FIELD_ANALYZERS:
            terms.setdefault(leaf.field, set()).add(leaf.text)
    return terms, list(dict.fromkeys(phrases))


def rebuild(location: str, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None, lock=None,
            applied=None) -> int:
    """Build a fresh index of ``docs`` in the server and put it in place of the old one only when complete."""
    conninfo, schema, shown = connect_location(location)
    backend = PostgresBackend(_connect(conninfo, shown), schema, shown, lock, conninfo)
    try:
        return backend.rebuild(docs, on_doc, applied)
    finally:
        backend.close()


