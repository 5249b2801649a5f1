"""What a whole `arhiva search` command costs on a small archive, and the index-freshness check alone.

Builds an archive of ``--docs`` short text documents (no OCR) in a temporary
folder, then runs ``arhiva search`` as a user would, ``--runs`` times, and
prints the median and 90th percentile wall time of the whole command (Python
start-up included). With ``--before DIR`` (another version's source tree,
e.g. from ``git archive``), the same runs are made with it, interleaved, each
on its own archive. Also times, in-process, what every reader of the index
pays to know whether the index is behind the journal (``--entries`` lines of
journal added first, to show that the cost does not grow with it).

Run: .venv/bin/python bench/search_latency.py [--docs 40] [--runs 30] [--entries 100000] [--before DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Consiliul Local al comunei a aprobat bugetul pe anul {n} în ședința ordinară.",
    "Proiectul de hotărâre numărul {n} privind investițiile a fost adoptat cu unanimitate.",
    "Primăria anunță organizarea concursului pentru ocuparea postului de consilier {n}.",
]


HERE = Path(__file__).resolve().parents[1]


def build(folder: Path, docs: int, tree: Path = HERE) -> Path:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    for n in range(docs):
        (sources / f"doc{n:04d}.txt").write_text("\n\n".join(s.format(n=n) for s in SENTENCES), "utf-8")
    archive = folder / "archive"
    subprocess.run([sys.executable, "-m", "arhiva", "ingest", "--jobs", "1", "--archive", str(archive),
                    str(sources)], check=True, capture_output=True, **_running(tree, folder))
    return archive


def _running(tree: Path, folder: Path) -> dict:
    """Run the arhiva of ``tree``: from a folder outside any tree, so that the current one is not imported."""
    return {"cwd": folder, "env": {**os.environ, "PYTHONPATH": str(tree)}}


def command_times(archive: Path, words: list[str], runs: int, tree: Path = HERE) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run: on a shared machine the CPU time is the steadier."""
    command = [sys.executable, "-m", "arhiva", "search", *words, "--archive", str(archive)]
    where = _running(tree, archive.parent)
    subprocess.run(command, check=True, capture_output=True, **where)  # warm the page cache
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **where)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def freshness_check(archive_dir: Path, entries: int) -> None:
    """The check alone: the index's recorded journal entry against the journal's head."""
    from arhiva.archive import Archive, journal_head
    from arhiva.maintenance import current_index
    from arhiva.search import SearchIndex
    from arhiva.search.index import read_state

    archive = Archive.open(archive_dir)
    print(f"journal head ({journal_head(archive).seq:,} entries): {_best(lambda: journal_head(archive)) * 1e6:.0f} µs")
    print(f"index state file: {_best(lambda: read_state(archive.index_dir)) * 1e6:.0f} µs")
    print(f"opening the index: {_best(lambda: SearchIndex.open(archive.index_dir)) * 1e3:.2f} ms; "
          f"opening it and checking it is current: {_best(lambda: current_index(archive)) * 1e3:.2f} ms")
    if entries:
        import hashlib

        from arhiva.archive.journal import encode, make_entry

        head = journal_head(archive)
        with open(archive.journal.path, "ab") as out:  # a long journal, for the timing only
            for n in range(entries):
                entry = make_entry(head, "correction", hashlib.sha256(str(n).encode()).hexdigest(),
                                   "2026-01-01T00:00:00+00:00", record="0" * 64)
                out.write(encode(entry))
                head = type(head)(entry["seq"], entry["hash"])
        print(f"journal head ({journal_head(archive).seq:,} entries): "
              f"{_best(lambda: journal_head(archive)) * 1e6:.0f} µs")


def _best(fn, repeat: int = 200) -> float:
    return min(_timed(fn) for _ in range(repeat))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--entries", type=int, default=100000, help="journal lines added for the head timing")
    parser.add_argument("--before", type=Path, help="another version's source tree, timed the same way")
    args = parser.parse_args()
    trees = {"this": HERE, **({"before": args.before.resolve()} if args.before else {})}
    with tempfile.TemporaryDirectory(prefix="arhiva-latency-") as tmp:
        archives = {name: build(Path(tmp) / name, args.docs, tree) for name, tree in trees.items()}
        for words in (["bugetul"], ["sedinta", "consiliului", "local"]):
            times = {name: ([], []) for name in trees}
            for _ in range(args.runs // 5):  # interleaved, so that both meet the same load
                for name, tree in trees.items():
                    walls, cpus = command_times(archives[name], words, 5, tree)
                    times[name][0].extend(walls)
                    times[name][1].extend(cpus)
            for name, (walls, cpus) in times.items():
                print(f"{name:6} arhiva search {' '.join(words)!r:29} ({args.docs} documents, {len(walls)} runs): "
                      f"wall median {statistics.median(walls) * 1e3:.0f} ms, "
                      f"p90 {statistics.quantiles(walls, n=10)[-1] * 1e3:.0f} ms; "
                      f"CPU median {statistics.median(cpus) * 1e3:.0f} ms")
        freshness_check(archives["this"], args.entries)
    before = f" --before {args.before}" if args.before else ""
    print(f"\n.venv/bin/python bench/search_latency.py --docs {args.docs} --runs {args.runs} "
          f"--entries {args.entries}{before}")


if __name__ == "__main__":
    main()
