"""A damaged or missing index is detected by verify and rebuilt by reindex, never silently."""

from __future__ import annotations

import shutil

import pytest

from arhiva.maintenance import reindex, verify
from arhiva.pipeline import ingest
from tests.conftest import FakeEngine


@pytest.fixture
def archive_with_docs(archive, tmp_path, texts):
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, "utf-8")
    ingest([tmp_path / f"{name}.txt" for name in texts], archive, FakeEngine(), jobs=1)
    assert verify(archive).ok
    return archive


def segment_files(index_dir):
    files = [p for p in index_dir.glob("MAIN_*.*") if p.suffix in (".pst", ".trm", ".col", ".seg")]
    assert files
    return files


def truncate_segments(index_dir):
    for segment in segment_files(index_dir):
        segment.write_bytes(segment.read_bytes()[:16])


def delete_segments(index_dir):
    for segment in segment_files(index_dir):
        segment.unlink()


@pytest.mark.parametrize("damage", [truncate_segments, delete_segments, shutil.rmtree])
def test_damage_is_detected_and_repaired(archive_with_docs, damage):
    archive = archive_with_docs
    damage(archive.index_dir)
    report = verify(archive)
    assert not report.ok and "run: arhiva reindex" in report.index_problem
    assert report.problems == []  # the archive itself is intact
    assert reindex(archive) == 3
    assert verify(archive).ok
