"""The search backend protocol's behaviour, the same for every backend: Whoosh
(embedded) and PostgreSQL (a real server).

The PostgreSQL cases use the server at ``ARHIVA_TEST_POSTGRES`` (default
``postgresql://arhiva:arhiva@localhost/arhiva_test``), each test in an index of
its own. When the server cannot be reached they are skipped with the reason,
unless ``ARHIVA_REQUIRE_POSTGRES=1`` (set by CI), where they fail.
"""

from __future__ import annotations

import json
import os
import secrets
from collections import namedtuple
from datetime import datetime, timezone
from pathlib import Path

import pytest

from arhiva.errors import ArchiveError
from arhiva.search import IndexDoc, SearchIndex
from arhiva.search.backend import open_index, rebuild_index
from arhiva.search.index import reference_forms

DATA = Path(__file__).parent / "data" / "search"
DOCS = json.loads((DATA / "documents.json").read_text("utf-8"))
QUERIES = json.loads((DATA / "queries.json").read_text("utf-8"))
CASES = json.loads((Path(__file__).parent / "data" / "backends" / "cases.json").read_text("utf-8"))
IDS = {key: f"{n:02x}" * 32 for n, key in enumerate(DOCS, start=1)}
KEYS = {v: k for k, v in IDS.items()}
POSTGRES = os.environ.get("ARHIVA_TEST_POSTGRES", "postgresql://arhiva:arhiva@localhost/arhiva_test")
Mark = namedtuple("Mark", "seq hash")


def postgres_reason() -> str | None:
    """Why the PostgreSQL cases cannot run here, or None when they can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'arhiva[postgresql]')"
    try:
        psycopg.connect(POSTGRES.split("?")[0], connect_timeout=3).close()
    except psycopg.Error as err:
        return f"no PostgreSQL server at {POSTGRES.split('@')[-1]}: {' '.join(str(err).split())[:120]}"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    reason = postgres_reason()
    if reason is None:
        return
    if os.environ.get("ARHIVA_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"ARHIVA_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["whoosh", "postgresql"])
def location(request, tmp_path):
    """A place for a new index of the backend under test; the PostgreSQL index is dropped afterwards."""
    if request.param == "whoosh":
        yield tmp_path / "index"
        return
    request.getfixturevalue("postgres_available")
    name = "t" + secrets.token_hex(6)
    url = f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}index={name}"
    yield url
    from arhiva.search.postgres_backend.engine import PostgresBackend, _connect, connect_location

    conninfo, schema, shown = connect_location(url)
    cleanup = PostgresBackend(_connect(conninfo, shown), schema, shown)
    for suffix in ("", "_new", "_old"):
        cleanup._conn.execute(f"DROP SCHEMA IF EXISTS {schema}{suffix} CASCADE")
    cleanup.close()


def index_doc(key: str, doc: dict | None = None) -> IndexDoc:
    doc = doc or DOCS[key]
    return IndexDoc(
        IDS.get(key) or key, doc["title"], doc["text"], f"{key}.pdf", "application/pdf", doc["text"].count("\f") + 1,
        datetime(2026, 1, 1, tzinfo=timezone.utc),
        datetime.fromisoformat(doc["date"]).replace(tzinfo=timezone.utc) if doc.get("date") else None,
        doc.get("type", ""), *reference_forms(doc.get("references", [])),
    )


@pytest.fixture
def index(location):
    ix = SearchIndex(open_index(location, create=True, applied=Mark(1, "a")))
    ix.add([index_doc(key) for key in DOCS], applied=Mark(2, "b"))
    yield ix
    ix.close()


def found(results) -> list[str]:
    return sorted(KEYS[h.id] for h in results.hits)


@pytest.mark.parametrize("case", QUERIES, ids=[c["query"] for c in QUERIES])
def test_query_language(index, case):
    """Every case of the query language finds the same documents in every backend."""
    results = index.search(case["query"])
    assert found(results) == sorted(case["expected"]), case["comment"]
    if "first" in case:
        assert KEYS[results.hits[0].id] == case["first"], case["comment"]


@pytest.mark.parametrize("case", CASES["rankings"], ids=[c["query"] for c in CASES["rankings"]])
def test_same_ranking_as_whoosh(index, tmp_path, case):
    """Ranked as the embedded Whoosh backend ranks (BM25F): the same order, scores within 5%
    (Whoosh keeps field lengths in one byte, a little rounded)."""
    reference = SearchIndex.create(tmp_path / "reference")
    reference.add([index_doc(key) for key in DOCS])
    ours = index.search(case["query"], sort=case.get("sort", "relevance"))
    theirs = reference.search(case["query"], sort=case.get("sort", "relevance"))
    assert [KEYS[h.id] for h in ours.hits] == [KEYS[h.id] for h in theirs.hits]
    assert [h.missing for h in ours.hits] == [h.missing for h in theirs.hits]
    for mine, other in zip(ours.hits, theirs.hits):
        assert mine.score == pytest.approx(other.score, rel=0.05)
    assert (ours.total, ours.partial) == (theirs.total, theirs.partial)


def test_stored_fields_and_journal_mark(index):
    hit = index.search("ordinea de zi")
    assert hit.hits and hit.hits[0].source.endswith(".pdf") and hit.hits[0].ingested.startswith("2026-01-01")
    assert index.state().applied == (2, "b")
    assert index.backend.applied() == (2, "b")
    assert index.ids() == set(IDS.values()) and index.doc_count() == len(DOCS)
    assert index.contains(IDS["verbal"]) and not index.contains("0" * 64)


def test_replace_and_delete_in_one_commit(index):
    changed = dict(DOCS["anunt"], text="Licitație pentru reabilitarea podului peste Someș.")
    assert index.backend.write([index_doc("anunt", changed)], delete=[IDS["vechi"], "0" * 64], applied=Mark(3, "c")) == 2
    assert found(index.search("podului")) == ["anunt"]
    assert "anunt" not in found(index.search("participativ OR cetățeni"))
    assert not index.contains(IDS["vechi"]) and index.doc_count() == len(DOCS) - 1
    assert index.state().applied == (3, "c")
    assert index.backend.frequency("exact", "someș".replace("ș", "s")) == 1


def test_free_tags(index):
    """``tag:`` finds the documents with that free tag (typed in any case, with or without diacritics);
    a hit carries its tags; a document written again without the tag, or deleted, is no longer found."""
    from dataclasses import replace

    tagged = replace(index_doc("anunt"), tags=("buget-2021", "urgent"))
    index.backend.write([tagged, replace(index_doc("verbal"), tags=("buget-2021",))])
    assert found(index.search("tag:buget-2021")) == ["anunt", "verbal"]
    assert found(index.search("tag:Bugét-2021 participativ")) == ["anunt"]
    assert found(index.search("tag:urgent OR tag:ciorna")) == ["anunt"]
    assert found(index.search("buget -tag:urgent")) == sorted(set(found(index.search("buget"))) - {"anunt"})
    assert index.search("tag:urgent").hits[0].tags == ("buget-2021", "urgent")
    assert index.backend.frequency("tags", "buget-2021") == 2
    index.backend.write([replace(tagged, tags=())])
    assert found(index.search("tag:buget-2021")) == ["verbal"] and not index.search("tag:urgent").hits
    index.delete([IDS["verbal"]])
    assert not index.search("tag:buget-2021").hits


def test_failed_write_commits_nothing(index):
    def documents():
        yield index_doc("extra", {"title": "Nou", "text": "Un cuvânt neobișnuit: zimbru."})
        raise RuntimeError("the archive could not be read")

    with pytest.raises(RuntimeError):
        index.add(documents(), applied=Mark(9, "z"))
    assert not index.search("zimbru").hits
    assert index.state().applied == (2, "b")
    assert index.doc_count() == len(DOCS)


@pytest.mark.parametrize("case", CASES["words"], ids=[c["word"] for c in CASES["words"]])
def test_frequency_and_close_words(index, case):
    assert index.backend.frequency(case["field"], case["word"]) == case["frequency"]
    assert index.backend.close_words(case["field"], case["typo"], limit=1, maxdist=2) == [case["word"]]


def test_did_you_mean(index):
    assert index.search("bugetl").suggestion == "bugetul"


def test_similar_excludes_itself(index):
    results = index.similar(IDS["hotarare"], DOCS["hotarare"]["text"])
    keys = [KEYS[h.id] for h in results.hits]
    assert keys and "hotarare" not in keys and keys[0] == "verbal"
    with pytest.raises(ArchiveError, match="not in the search index"):
        index.similar("0" * 64, "text")


def test_sort_by_date(index):
    newest = index.search("buget OR sedinta OR digitala", sort="-date").hits
    dates = [h.date for h in newest if h.date]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    assert [h.date for h in newest][len(dates):] == [None] * (len(newest) - len(dates))


def test_filters(index):
    assert found(index.search("buget", doc_type="anunț")) == ["anunt"]
    april = datetime(2021, 4, 1, tzinfo=timezone.utc), datetime(2021, 4, 30, 23, 59, tzinfo=timezone.utc)
    assert all(h.date.startswith("2021-04") for h in index.search("buget OR sedinta", date_from=april[0],
                                                                   date_to=april[1]).hits)


def test_rebuild_replaces_the_whole_index(location):
    ix = SearchIndex(open_index(location, create=True))
    ix.add([index_doc("verbal")])
    ix.close()
    count = rebuild_index(location, (index_doc(key) for key in ("anunt", "comunicat")), applied=Mark(5, "e"))
    assert count == 2
    ix = SearchIndex(open_index(location))
    assert found(ix.search("buget OR digitala OR sedinta")) == ["anunt", "comunicat"]
    assert ix.state().applied == (5, "e") and ix.doc_count() == 2
    ix.close()


def test_a_failed_rebuild_leaves_the_old_index(location):
    ix = SearchIndex(open_index(location, create=True))
    ix.add([index_doc("verbal")])

    def documents():
        yield index_doc("anunt")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        rebuild_index(location, documents())
    assert found(ix.search("ordinea")) == ["verbal"]
    ix.close()


def test_readers_see_every_commit(location):
    """A searcher kept open sees each write once it is committed: nothing stale, nothing missing."""
    writer = SearchIndex(open_index(location, create=True))
    reader = SearchIndex(open_index(location))
    assert not reader.search('"ordinea de zi"').hits
    for n, key in enumerate(DOCS, start=1):
        writer.add([index_doc(key)])
        assert reader.doc_count() == n
        assert IDS[key] in reader.ids()
    assert found(reader.search('"ordinea de zi"')) == ["verbal"]
    writer.delete([IDS["verbal"]])
    assert not reader.search('"ordinea de zi"').hits
    writer.close()
    reader.close()


def test_missing_and_existing_index(location):
    with pytest.raises(ArchiveError, match="missing"):
        open_index(location)
    open_index(location, create=True).close()
    with pytest.raises(ArchiveError, match="already exists"):
        open_index(location, create=True)


def test_unreachable_server_is_one_line():
    pytest.importorskip("psycopg")
    with pytest.raises(ArchiveError, match="cannot reach the search index at postgresql://nobody@127.0.0.1:1/"):
        open_index("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


def test_location_keeps_the_password_out_of_messages():
    from arhiva.search.postgres_backend.engine import connect_location

    conninfo, schema, shown = connect_location("postgresql://u:pw@h/db?index=a1")
    assert "pw" in conninfo and "pw" not in shown and schema == "arhiva_a1"
    with pytest.raises(ArchiveError, match="lowercase"):
        connect_location("postgresql://u@h/db?index=Robert');DROP")


def test_a_lost_connection_is_one_line(location):
    if not isinstance(location, str):
        pytest.skip("only a server's connection can be lost")
    backend = open_index(location, create=True)
    other = open_index(location)
    other._conn.execute("SELECT pg_terminate_backend(%s)", (backend._conn.info.backend_pid,))
    with pytest.raises(ArchiveError, match="search index at postgresql://.* failed"):
        backend.doc_count()
    backend.close()
    other.close()


def test_the_command_line_uses_the_index_that_arhiva_index_names(location, tmp_path, monkeypatch):
    """ingest, search, tag, reindex and verify through ``ARHIVA_INDEX``: the archive keeps no index folder
    when the index lives on a server, and every change reaches it."""
    from click.testing import CliRunner

    from arhiva.cli import cli

    if isinstance(location, str):
        monkeypatch.setenv("ARHIVA_INDEX", location)
    else:
        monkeypatch.delenv("ARHIVA_INDEX", raising=False)
    archive = tmp_path / "archive"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "anunt.txt").write_text("Anunț\n\nPrimăria organizează o licitație pentru asfaltare.\n",
                                              "utf-8")

    def run(*args: str):
        result = CliRunner().invoke(cli, [*args, "--archive", str(archive)])
        assert result.exit_code == 0, result.output
        return result.output

    run("ingest", str(tmp_path / "in"))
    assert "licitație" in run("search", "licitatie")
    assert (archive / "index").exists() == (not isinstance(location, str))
    doc_id = run("list", "--json").split('"id": "')[1][:12]
    run("tag", doc_id, "--type", "dispoziție")
    assert doc_id in run("search", "tip:dispozitie")
    run("reindex")
    assert doc_id in run("search", "asfaltare")
    run("verify")
    from arhiva.archive import Archive
    from arhiva.operations import withdraw

    withdraw(Archive.open(archive), run("list", "--json").split('"id": "')[1].split('"')[0], "publicat din greșeală")
    assert doc_id not in run("search", "asfaltare")  # taken out of the index by the backend's delete
    run("verify")


def test_the_index_option_names_the_index(location, tmp_path, monkeypatch):
    """``--index`` before or after the command, as ``ARHIVA_INDEX`` does."""
    from click.testing import CliRunner

    from arhiva.cli import cli

    monkeypatch.delenv("ARHIVA_INDEX", raising=False)
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the option sets the variable for the command
    archive = tmp_path / "archive"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "anunt.txt").write_text("Anunț\n\nLicitație pentru asfaltare.\n", "utf-8")
    where = str(location)
    result = CliRunner().invoke(cli, ["--index", where, "ingest", str(tmp_path / "in"), "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["search", "asfaltare", "--archive", str(archive), "--index", where])
    assert result.exit_code == 0 and "Anunț" in result.output, result.output
    assert not (archive / "index").exists()  # the index is where the option says
    assert isinstance(location, str) or (location / "arhiva-index.json").exists()


READER = """
import sys, time
from pathlib import Path
from arhiva.search import SearchIndex
from arhiva.search.backend import open_index

where, stop = sys.argv[1], Path(sys.argv[2])
location = where if "://" in where else Path(where)
index = SearchIndex(open_index(location))  # kept open, as a long-running program keeps it
searches = 0
while not stop.exists():
    before = index.doc_count()
    found = index.search("bugetul", limit=200)
    after = index.doc_count()
    ids = {hit.id for hit in found.hits}
    if not before <= len(ids) <= after:  # committed before the search began, yet missing; or not committed
        sys.exit(f"{len(ids)} found, {before} committed before the search, {after} after")
    searches += 1
    time.sleep(0.02)
expected = int(stop.read_text())
found = index.search("bugetul", limit=200)
if len(found.hits) != expected or index.doc_count() != expected:  # a stale view after the last commit
    sys.exit(f"after the ingest: {len(found.hits)} found, {index.doc_count()} counted, {expected} committed")
print(searches)
"""


def test_searches_in_other_processes_during_an_ingest(location, tmp_path, monkeypatch):
    """Three processes search, each through an index kept open, while ``arhiva ingest`` commits
    documents in another: every search finds every document committed before it began and none
    that is not committed; once the ingest has ended, each finds them all, without reopening."""
    import subprocess
    import sys

    archive = tmp_path / "archive"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc000.txt").write_text("Consiliul Local a aprobat bugetul pe anul 2000.", "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ARHIVA_INDEX"}
    if isinstance(location, str):
        env["ARHIVA_INDEX"] = location
    where = location if isinstance(location, str) else str(archive / "index")

    def ingest():
        return subprocess.Popen([sys.executable, "-m", "arhiva", "--archive", str(archive), "ingest", "--jobs", "1",
                                 str(folder)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    assert ingest().wait() == 0
    for n in range(1, 61):
        (folder / f"doc{n:03d}.txt").write_text(f"Ședința {n}: Consiliul Local a aprobat bugetul pe anul {2000 + n}.",
                                                "utf-8")
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, where, str(stop)], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    writer = ingest()
    out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    stop.write_text("61")
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err
        assert int(out) > 0
