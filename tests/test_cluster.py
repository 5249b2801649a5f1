"""Ingest on a Dask cluster: a real LocalCluster of two worker processes, one thread each."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from arhiva.archive import Archive
from arhiva.archive.document import METADATA_FILE
from arhiva.cluster import ClusterError, ClusterMismatchError, ClusterPool, compare, probe
from arhiva.errors import ExitCode
from arhiva.pipeline import INGESTED, ingest
from tests.conftest import FakeEngine, write_page_image

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  worker_dashboard_address=None, silence_logs=40) as local:
        yield local


class KillOnce(FakeEngine):
    """Kills the process it runs in the first time it is asked to read a page (the marker file says so)."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def recognize(self, image, dpi):
        if not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return super().recognize(image, dpi)


def contents(archive: Archive) -> dict:
    """What must be equal between two archives of the same files: texts, pages' text, metadata, titles."""
    out = {}
    for doc_id in archive.ids():
        manifest = archive.manifest(doc_id).json
        out[doc_id] = {
            "text": archive.text(doc_id),
            "raw": archive.raw_pages(doc_id),
            # the extraction itself (not its time)
            "metadata": json.loads((archive.folder(doc_id) / METADATA_FILE).read_text("utf-8"))["metadata"],
            "title": manifest.get("title"),
            "pages": manifest.get("pages"),
            "changes": manifest.get("cleanup", {}).get("changes"),
        }
    return out


def test_probe_and_compare():
    me = probe()
    assert me["arhiva"] and compare(me, {"tcp://w:1": dict(me)}, ()) is None
    assert "has no Tesseract" in compare(me, {"tcp://w:1": {**me, "tesseract": None}}, ())


def same_archive(tmp_path: Path, files: list[Path], address: str) -> None:
    from arhiva.ingest import TesseractEngine

    engine = TesseractEngine()
    local = Archive.open(tmp_path / "local", create=True)
    remote = Archive.open(tmp_path / "remote", create=True)
    ingest(files, local, engine, jobs=1)
    report = ingest(files, remote, engine, timeout=120, cluster=address)
    assert [o.status for o in report.outcomes] == [INGESTED] * len(files)
    assert contents(remote) == contents(local)
    assert list(remote.staging.iterdir()) == []


def test_same_archive_as_a_local_ingest(tmp_path, cluster, texts):
    """A two-page scanned PDF (rendered and OCRed by real Tesseract on the workers) and a text file."""
    from arhiva.testing.scans import Degradation, save_pdf, scan

    short = "\n".join(texts["hotarare-buget"].splitlines()[:6])
    pages = scan(short + "\f" + short[::-1][:80][::-1], Degradation(dpi=150), seed=3)
    save_pdf(pages, tmp_path / "scan.pdf", 150)
    (tmp_path / "note.txt").write_text(texts["proces-verbal-sedinta"], "utf-8")
    same_archive(tmp_path, [tmp_path / "scan.pdf", tmp_path / "note.txt"],
                 cluster.scheduler_address)


@pytest.mark.slow
def test_same_archive_of_the_samples(tmp_path, cluster, samples):
    same_archive(tmp_path, sorted(samples.iterdir()), cluster.scheduler_address)


def test_a_worker_killed_mid_page_loses_nothing(tmp_path, cluster):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        write_page_image(folder / f"scan{n}.png", size=(400 + n, 600))
    marker = tmp_path / "killed"
    archive = Archive.open(tmp_path / "archive", create=True)
    report = ingest([folder], archive, KillOnce(str(marker)), timeout=60, cluster=cluster.scheduler_address)
    assert marker.exists()  # a worker did die
    assert [o.status for o in report.outcomes] == [INGESTED] * 3
    assert all("Ședința" in archive.text(o.doc_id) for o in report.outcomes)


def test_a_stuck_task_is_given_up_after_its_retries(cluster):
    import time

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
        pool = ClusterPool(None, timeout=2.0, timeout_retries=1, client=client)
        pool.submit("quick", abs, -2)
        pool.submit("slow", time.sleep, 60)
        results = {}
        while len(pool):
            results.update(pool.wait())
        pool.close()
        client.wait_for_workers(2, timeout=120)  # the nannies replaced the workers that were ended
    assert results["quick"] == 2, results
    assert str(results["slow"]) == "gave up after 2 s", results


def count_and_fail(marker: str) -> None:
    """Notes each run in ``marker``, then fails as an unreadable file does, every time."""
    with open(marker, "a") as out:
        out.write("run\n")
    raise ValueError("not a PDF")


def test_a_failing_task_is_not_run_again(tmp_path, cluster):
    """An error of the task itself is its result at once: a corrupt file fails alike on every worker."""
    marker = tmp_path / "runs"
    pool = ClusterPool(cluster.scheduler_address, timeout=60)
    pool.submit("bad", count_and_fail, str(marker))
    results = {}
    while len(pool):
        results.update(pool.wait())
    pool.close()
    assert isinstance(results["bad"], ValueError) and str(results["bad"]) == "not a PDF"
    assert marker.read_text() == "run\n"


def test_workers_that_lack_a_language_are_refused(cluster):
    with pytest.raises(ClusterMismatchError, match="lacks the Tesseract language model"):
        ClusterPool(cluster.scheduler_address, langs=("ron", "xyz-none"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    address = f"tcp://127.0.0.1:{free_port()}"
    monkeypatch.setattr("arhiva.cluster.CONNECT_TIMEOUT", 1.0)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        ClusterPool(address, timeout=None)
    (tmp_path / "a.txt").write_text("Ședința consiliului local.", "utf-8")
    env = {**os.environ, "ARHIVA_CLUSTER": address}
    done = subprocess.run([sys.executable, "-m", "arhiva", "--archive", str(tmp_path / "arh"), "ingest",
                           str(tmp_path / "a.txt")], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == ExitCode.ARCHIVE_PROBLEM
    assert done.stderr.strip().count("\n") == 0 and "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "arh").exists()


def test_a_scheduler_lost_mid_batch_is_one_line(monkeypatch):
    import time

    monkeypatch.setattr("arhiva.cluster.CONNECT_TIMEOUT", 2.0)

    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0",
                                  silence_logs=40) as small:
        pool = ClusterPool(small.scheduler_address, timeout=60)
        pool.submit("slow", time.sleep, 5)
    with pytest.raises(ClusterError, match="lost the Dask scheduler at"):
        while len(pool):
            pool.wait()
    pool.kill()
