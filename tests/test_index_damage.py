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


# -- damage met by a search: one line naming the index and the fix -------------------

QUERIES = [["consiliul"], ["hotarare*"], ["bugetul~"], ['"consiliul local"'], ["data:2021"], ["tip:anunț"]]


def searches(archive, tmp_path, monkeypatch):
    """Run `arhiva search` (and `similar`) as a user would; return (exit status, stderr) of each."""
    from click.testing import CliRunner

    from arhiva.cli import cli

    monkeypatch.setenv("ARHIVA_HOME", str(archive.root))
    runner = CliRunner()
    first = next(archive.ids())
    outcomes = []
    for args in [["search", *q] for q in QUERIES] + [["similar", first[:8]]]:
        result = runner.invoke(cli, args, catch_exceptions=False)  # a traceback fails the test
        outcomes.append((result.exit_code, result.stderr))
    return outcomes


def assert_one_line_or_success(outcomes, index_dir):
    for status, stderr in outcomes:
        if status == 0:
            continue
        assert status == 6, stderr
        assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
        assert f"the search index {index_dir}" in stderr or "the search index" in stderr, stderr
        assert stderr.rstrip().endswith("run: arhiva reindex"), stderr


def flip_bits(index_dir, rng, count):
    """Flip one bit in each of ``count`` (file, position) pairs, one at a time; yield after each."""
    files = sorted(p for p in index_dir.iterdir() if p.is_file() and p.stat().st_size)
    pristine = {p: p.read_bytes() for p in files}
    for _ in range(count):
        path = rng.choice(files)
        data = bytearray(pristine[path])
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        yield path, position
        path.write_bytes(pristine[path])


def run_flips(archive, tmp_path, monkeypatch, count, seed=0):
    import random

    rng = random.Random(seed)
    failed = 0
    for _path, _position in flip_bits(archive.index_dir, rng, count):
        outcomes = searches(archive, tmp_path, monkeypatch)
        assert_one_line_or_success(outcomes, archive.index_dir)
        failed += any(status for status, _ in outcomes)
    assert reindex(archive) == 3 and verify(archive).ok
    return failed


def test_a_flipped_bit_is_one_line_never_a_traceback(archive_with_docs, tmp_path, monkeypatch):
    failed = run_flips(archive_with_docs, tmp_path, monkeypatch, count=40)
    assert failed >= 1


@pytest.mark.slow
def test_a_flipped_bit_is_one_line_never_a_traceback_1000(archive_with_docs, tmp_path, monkeypatch):
    failed = run_flips(archive_with_docs, tmp_path, monkeypatch, count=1000, seed=1)
    print(f"\n1000 flipped bits: {failed} gave the one-line error, {1000 - failed} searched as usual")


@pytest.mark.parametrize("damage", [truncate_segments, delete_segments])
def test_a_search_on_a_damaged_index_names_it_and_the_fix(archive_with_docs, tmp_path, monkeypatch, damage):
    damage(archive_with_docs.index_dir)
    outcomes = searches(archive_with_docs, tmp_path, monkeypatch)
    assert all(status == 6 for status, _ in outcomes)
    assert_one_line_or_success(outcomes, archive_with_docs.index_dir)
