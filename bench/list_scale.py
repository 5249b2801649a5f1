"""How long `arhiva list` takes on a large archive: the listing without the list cache (every
document's manifest, metadata, corrections and withdrawal read), the first listing that writes the
cache, a listing from the cache, and the registry written as CSV.

    .venv/bin/python bench/list_scale.py --archive /work/extra/scale100k/archive [--profile]

Read-only: the archive is opened without being changed; the cache is written to a temporary
folder instead of the archive's catalog.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.archive import Archive, catalog, catalog_cache  # noqa: E402
from arhiva.archive.registry import csv_lines, registry_row  # noqa: E402


SAVED = [0.0]


def _timed(save):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        save(*args, **kwargs)
        SAVED[0] += time.perf_counter() - start
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, default=Path("../extra/scale100k/archive"))
    parser.add_argument("--profile", action="store_true", help="Print the 15 costliest functions.")
    args = parser.parse_args()
    archive = Archive(args.archive)  # not Archive.open: nothing is settled or created
    start = time.perf_counter()
    ids = list(archive.ids())
    found = time.perf_counter() - start
    # The archive as it is now, should another process be adding to it: these IDs, this head.
    head = archive.journal.head()
    archive.ids = lambda: iter(ids)
    archive.journal.head = lambda: head
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    scratch = Path(tempfile.mkdtemp())
    catalog_cache._path = lambda archive: scratch / catalog_cache.CACHE_FILE
    catalog_cache._scratch = lambda archive: scratch
    catalog_cache.save = _timed(catalog_cache.save)
    timings = []
    skipped: list[str] = []
    for _ in range(3):  # no cache (written at the end), then from the cache, twice
        start = time.perf_counter()
        docs = catalog.listing(archive, skipped=skipped)
        timings.append(time.perf_counter() - start)
    listed = timings[0] - SAVED[0]
    start = time.perf_counter()
    size = sum(len(line.encode("utf-8")) for line in csv_lines(registry_row(doc) for doc in docs))
    written = time.perf_counter() - start
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
        print(out.getvalue())
    print(f"documents: {len(ids)} (IDs found in {found:.2f} s); listed {len(docs)}, skipped {len(skipped)}")
    print(f"listing without the cache: {listed:.2f} s ({listed / max(len(docs), 1) * 1e3:.3f} ms per document); "
          f"writing the cache: {SAVED[0]:.2f} s, {(scratch / catalog_cache.CACHE_FILE).stat().st_size / 1e6:.1f} MB")
    print(f"listing from the cache: {timings[1]:.2f} s, {timings[2]:.2f} s")
    print(f"CSV: {size / 1e6:.1f} MB in {written:.2f} s")
    print(f"load average: {os.getloadavg()}")
    print(f"reproduce: .venv/bin/python bench/list_scale.py --archive {args.archive}")


if __name__ == "__main__":
    main()
