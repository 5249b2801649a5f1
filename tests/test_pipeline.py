"""Batch ingest with a fake OCR engine: outcomes, duplicates, bad files, the index."""

from __future__ import annotations

import json
import os

import pytest

from arhiva.maintenance import reindex, verify
from arhiva.pipeline import DUPLICATE, FAILED, INGESTED, ingest, title_of
from arhiva.search import SearchIndex
from tests.conftest import FakeEngine, write_page_image


@pytest.fixture
def folder(tmp_path, texts):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "hotarare.txt").write_text(texts["hotarare-buget"], "utf-8")
    (root / "sub" / "verbal.txt").write_bytes(texts["proces-verbal-sedinta"].replace("ș", "ş").encode("cp1250", "replace"))
    write_page_image(root / "sub" / "scan.png")
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.pdf").write_bytes(b"%PDF-1.4 garbage")
    (root / ".hidden.txt").write_text("ignored")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_goes_on_past_bad_files(archive, folder, jobs):
    report = ingest([folder], archive, FakeEngine(), jobs=jobs)
    status = {os.path.relpath(o.path, folder): o.status for o in report.outcomes}
    assert status == {
        "empty.txt": FAILED,
        "hotarare.txt": INGESTED,
        "junk.pdf": FAILED,
        "sub/scan.png": INGESTED,
        "sub/verbal.txt": INGESTED,
    }
    reasons = {os.path.basename(o.path): o.reason for o in report.outcomes if o.reason}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["junk.pdf"].startswith("damaged or not a PDF")
    assert verify(archive).ok
    assert list(archive.staging.iterdir()) == []


def test_second_ingest_skips_duplicates(archive, folder):
    ingest([folder], archive, FakeEngine(), jobs=1)
    engine = FakeEngine()
    report = ingest([folder / "sub", folder / "hotarare.txt"], archive, engine, jobs=1)
    assert {o.status for o in report.outcomes} == {DUPLICATE}
    assert engine.calls == 0


def test_same_file_twice_in_one_batch(archive, folder, tmp_path):
    copy = tmp_path / "copie.txt"
    copy.write_bytes((folder / "hotarare.txt").read_bytes())
    report = ingest([folder / "hotarare.txt", copy], archive, FakeEngine(), jobs=1)
    assert [o.status for o in report.outcomes] == [INGESTED, DUPLICATE]


def test_manifest_records_what_was_done(archive, folder):
    report = ingest([folder / "sub" / "verbal.txt"], archive, FakeEngine(), jobs=1)
    manifest = archive.manifest(report.outcomes[0].doc_id).json
    assert manifest["source"]["name"] == "verbal.txt"
    assert manifest["source"]["encoding"] == "cp1250"
    assert manifest["pages"][0]["method"] == "text-file"
    assert manifest["cleanup"]["changes"]["comma_below"] > 0
    assert manifest["software"]["ocr"]["engine"] == "fake"
    assert manifest["title"].startswith("Proces-verbal încheiat astăzi, 12 mai 2021")
    assert "ş" not in archive.text(manifest["id"]) and "ş" in archive.raw_pages(manifest["id"])[0]


def test_ingested_documents_are_searchable(archive, folder):
    ingest([folder], archive, FakeEngine(), jobs=1)
    results = SearchIndex.open(archive.index_dir).search('"bugetului local pe anul 2021"', text_of=archive.text)
    assert [h.source for h in results.hits] == ["hotarare.txt"]


def test_missing_index_is_reported_not_recreated(archive, folder):
    import shutil

    ingest([folder / "hotarare.txt"], archive, FakeEngine(), jobs=1)
    shutil.rmtree(archive.index_dir)
    report = ingest([folder / "sub"], archive, FakeEngine(), jobs=1)
    assert report.count(INGESTED) == 2
    assert "run: arhiva reindex" in report.index_problem
    assert not archive.index_dir.exists()
    assert not verify(archive).ok
    assert reindex(archive) == 3
    assert verify(archive).ok


def test_interrupted_batch_leaves_nothing_half_written(archive, folder):
    class Interrupting(FakeEngine):
        def recognize(self, image, dpi):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([folder / "sub" / "scan.png"], archive, Interrupting(), jobs=1)
    assert list(archive.ids()) == []
    assert list(archive.staging.iterdir()) == []
    assert verify(archive).ok


def test_unreadable_and_missing_paths(archive, tmp_path):
    missing = tmp_path / "nu-exista.pdf"
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    report = ingest([missing, loop], archive, FakeEngine(), jobs=1)
    assert [(o.status, o.reason) for o in report.outcomes] == [
        (FAILED, "no such file or folder"),
        (FAILED, "too many levels of symbolic links"),
    ]


def test_title():
    assert title_of("\n\n 3 \nComunicat de presă\nText") == "Comunicat de presă"


def test_reingest_indexes_what_an_interrupted_ingest_left_unindexed(archive, folder):
    from arhiva.archive import journal_head
    from arhiva.search.index import rebuild

    ingest([folder / "hotarare.txt"], archive, FakeEngine(), jobs=1)
    rebuild(archive.index_dir, [], applied=journal_head(archive))  # an index that lost a document
    assert verify(archive).not_indexed
    report = ingest([folder / "hotarare.txt"], archive, FakeEngine(), jobs=1)
    assert report.outcomes[0].status == DUPLICATE
    assert verify(archive).ok


class Hanging(FakeEngine):
    """A page that never finishes, like a hostile file that traps a parser."""

    def recognize(self, image, dpi):
        if image.width == 401:
            import time

            time.sleep(3600)
        return super().recognize(image, dpi)


def test_a_file_that_hangs_is_given_up_and_the_batch_goes_on(archive, tmp_path):
    write_page_image(tmp_path / "hangs.png", size=(401, 600))
    write_page_image(tmp_path / "fine.png", size=(400, 600))
    (tmp_path / "text.txt").write_text("Consiliul Local a aprobat bugetul.")
    report = ingest([tmp_path], archive, Hanging(), jobs=2, timeout=2)
    status = {os.path.basename(o.path): (o.status, o.reason) for o in report.outcomes}
    assert status["fine.png"][0] == INGESTED and status["text.txt"][0] == INGESTED
    assert status["hangs.png"] == (FAILED, "no page could be read: gave up after 2 s on page 1 (see --file-timeout)")
    assert verify(archive).ok


ANNEX = "".join(
    f"Anexă dispoziție primar\nAlegeri parlamentare 2016\nSecția de votare nr. {n} a fost\nconstituită pe {n} mai.\n- {n} -\n\f"
    for n in range(1, 5)
)


def test_change_log_keeps_every_removal_and_join_with_its_page(archive, tmp_path):
    (tmp_path / "anexa.txt").write_text(ANNEX, "utf-8")
    report = ingest([tmp_path / "anexa.txt"], archive, FakeEngine(), jobs=1)
    doc_id = report.outcomes[0].doc_id
    manifest = archive.manifest(doc_id).json
    assert manifest["cleanup"]["sources"]["pages"] == ["typed"] * 5
    assert manifest["cleanup"]["sources"]["text_file"]["source"] == "typed"
    log = {entry["fixer"]: entry for entry in json.loads(archive.read_file(doc_id, "changes.json"))}
    removed = [(e["before"], e["page"]) for e in log["remove_running_headers"]["examples"]]
    assert ("Alegeri parlamentare 2016", 1) not in removed  # the first occurrence stays
    assert [line for line, page in removed if page == 4] == ["Anexă dispoziție primar", "Alegeri parlamentare 2016", "- 4 -"]
    assert log["remove_running_headers"]["complete"] and log["remove_running_headers"]["count"] == 10
    assert log["join_paragraph_lines"]["count"] == 4 == len(log["join_paragraph_lines"]["examples"])
    assert archive.text(doc_id).startswith("Anexă dispoziție primar\nAlegeri parlamentare 2016\nSecția de votare nr. 1")


def test_pages_of_one_pdf_are_repaired_by_their_own_source():
    """A text layer keeps its words; an OCR page of the same document gets OCR repairs."""
    from arhiva.pipeline import PAGE_BREAK
    from arhiva.repair import clean

    pages = ["Consiliul a aprobat Parlarhentului raportul.", "Consiliul a aprobat Parlarhentului raportul."]
    result = clean(PAGE_BREAK.join(pages), origins=["text-layer", "ocr"])
    assert result.sources == ["text-layer", "ocr"]
    assert result.text.split("\f") == [
        "Consiliul a aprobat Parlarhentului raportul.\n", "Consiliul a aprobat Parlamentului raportul."
    ]


def test_show_changes_for_an_auditor(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from arhiva.cli import cli

    monkeypatch.setenv("ARHIVA_HOME", str(tmp_path / "archive"))
    (tmp_path / "anexa.txt").write_text(ANNEX, "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "-j1", str(tmp_path / "anexa.txt")]).exit_code == 0
    doc_id = json.loads(runner.invoke(cli, ["list", "--json"]).stdout)[0]["id"]
    lines = runner.invoke(cli, ["show", doc_id[:8], "--changes"]).stdout.splitlines()
    assert lines[:3] == [
        "source: pages 1-5 typed",
        "text file taken for typed text: 0 signs of OCR in 56 words",
        "remove_running_headers: 10 change(s)",
    ]
    assert "    p.1 removed: '- 1 -'" in lines and "    p.2 removed: 'Anexă dispoziție primar'" in lines
    assert "    p.3: 'fost\\nconstituită' -> 'fost constituită'" in lines
    data = json.loads(runner.invoke(cli, ["show", doc_id, "--changes", "--json"]).stdout)
    assert data["sources"]["pages"] == ["typed"] * 5 and data["changes"][0]["fixer"] == "remove_running_headers"


# The task pool: timeouts, retries after a crash, one job inline.

def _task(kind: str, value: int = 0):
    import time

    if kind == "hang":
        time.sleep(3600)
    if kind == "crash":
        os._exit(1)
    if kind == "fail":
        raise ValueError("bad input")
    if kind == "pid":
        return os.getpid()
    return value * 2


def _run_all(pool) -> dict:
    results = {}
    while len(pool):
        results.update(pool.wait())
    return results


def test_a_task_past_the_timeout_is_given_up_and_the_others_run_again():
    from arhiva.tasks import TaskPool, TaskTimeout

    pool = TaskPool(2, timeout=1)
    pool.submit("hang", _task, "hang")
    for n in range(4):
        pool.submit(n, _task, "double", n)
    pool.submit("fail", _task, "fail")
    results = _run_all(pool)
    pool.close()
    assert isinstance(results.pop("hang"), TaskTimeout)
    assert isinstance(results.pop("fail"), ValueError)
    assert results == {0: 0, 1: 2, 2: 4, 3: 6}


def test_a_crash_is_tried_once_more_then_blamed_and_the_pool_goes_on():
    from concurrent.futures.process import BrokenProcessPool

    from arhiva.tasks import TaskPool

    pool = TaskPool(2, timeout=30)
    pool.submit("crash", _task, "crash")
    results = _run_all(pool)
    assert isinstance(results["crash"], BrokenProcessPool)
    pool.submit("after", _task, "double", 21)
    assert _run_all(pool) == {"after": 42}
    pool.close()


def test_workers_are_killed_by_the_pids_they_reported():
    from arhiva.tasks import TaskPool

    pool = TaskPool(2, timeout=30)
    pool.submit("pid", _task, "pid")
    pid = _run_all(pool)["pid"]
    assert pid in pool.workers.known() and pid != os.getpid()
    pool.submit("hang", _task, "hang")
    pool.kill()
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(") ")[1][0] in "ZX"


def test_one_job_without_a_timeout_runs_inline():
    from arhiva.tasks import TaskPool

    pool = TaskPool(1)
    pool.submit("pid", _task, "pid")
    assert _run_all(pool) == {"pid": os.getpid()}


def test_a_pool_hands_its_workers_at_most_at_once_tasks_and_keeps_the_rest():
    """With ``at_once``, the tasks beyond it wait in the pool, not in the executor's queue (where a
    task is marked running, and its time counted, before a worker takes it)."""
    from arhiva.tasks import TaskPool

    pool = TaskPool(1, timeout=30, at_once=1)
    for n in range(3):
        pool.submit(n, _task, "double", n)
    assert (len(pool.pending), len(pool.backlog), len(pool)) == (1, 2, 3)
    assert _run_all(pool) == {0: 0, 1: 2, 2: 4}
    pool.close()


def test_one_wait_drives_several_pools():
    from arhiva.tasks import TaskPool, wait_any

    first, second = TaskPool(1, timeout=30), TaskPool(1, timeout=30, at_once=1)
    first.submit("a", _task, "pid")
    second.submit("b", _task, "pid")
    second.submit("c", _task, "double", 4)
    results = {}
    while len(first) or len(second):
        results.update(wait_any([first, second]))
    assert results["c"] == 8 and results["a"] != results["b"] and os.getpid() not in (results["a"], results["b"])
    first.close()
    second.close()


def _clean_noting_the_process(text, **kwargs):
    from arhiva.repair import clean

    with open(os.environ["ARHIVA_TEST_PIDS"], "a") as out:
        out.write(f"{os.getpid()}\n")
    return clean(text, **kwargs)


def test_with_two_jobs_every_clean_up_runs_in_one_worker_that_loaded_its_data_first(
        archive, tmp_path, texts, monkeypatch):
    """The finishing worker: the warm-up and every document's clean-up in the same process
    (not the batch's own, nor one per worker); the documents come out as with one job."""
    import arhiva.pipeline

    pids = tmp_path / "pids"
    monkeypatch.setenv("ARHIVA_TEST_PIDS", str(pids))
    monkeypatch.setattr(arhiva.pipeline, "clean", _clean_noting_the_process)  # forked workers inherit it
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(5):
        (folder / f"doc{n}.txt").write_text(texts["hotarare-buget"] + f"\nAnexa {n}.", "utf-8")
    write_page_image(folder / "scan.png")
    report = ingest([folder], archive, FakeEngine(), jobs=2, timeout=120)
    assert [o.status for o in report.outcomes] == [INGESTED] * 6
    seen = pids.read_text().split()
    assert len(seen) == 7 and len(set(seen)) == 1 and int(seen[0]) != os.getpid()
    assert verify(archive).ok


def test_build_document_is_pure(texts):
    from arhiva.ingest import PageText
    from arhiva.pipeline import build_document

    pages = [PageText(texts["hotarare-buget"].replace("ș", "ş"), "text-file")]
    built = build_document(pages)
    assert built == build_document(pages) and "ş" not in built.cleaned.text
    assert built.metadata["type"] == "hotărâre"
    assert pages[0].text.count("ş")  # its input untouched


def test_an_ingest_during_a_rebuild_leaves_its_index_commit_to_the_next_search(archive, folder, monkeypatch):
    """Another process holds the index (a reindex): the ingest does not wait for it nor fail;
    the documents are journaled, and the next reader of the index indexes them."""
    import arhiva.pipeline
    from arhiva.archive.locks import FileLock
    from arhiva.maintenance import current_index

    ingest([folder / "hotarare.txt"], archive, FakeEngine(), jobs=1)  # the index exists
    monkeypatch.setattr(arhiva.pipeline, "INDEX_WAIT", 0.2)
    other = FileLock(archive.index_lock.path, "the search index")
    with other:
        report = ingest([folder / "sub"], archive, FakeEngine(), jobs=1)
    assert report.ok and report.count(INGESTED) == 2
    assert report.index_note == ("the search index is busy (another arhiva process is writing to it): "
                                 "2 document(s) will be indexed by it or by the next search")
    index, caught_up = current_index(archive)
    assert caught_up.documents == 2 and index.doc_count() == 3
    assert verify(archive).ok
