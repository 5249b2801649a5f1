"""Time a whole ingest of many small text files: the batch's own cost (task pool, clean-up,
metadata, archive, index), without OCR.

Run from the repository (or from another version's copy, to compare):
    .venv/bin/python bench/ingest_batch.py [--files 120] [--jobs 2] [--repeat 2] [--tmp /dev/shm]

The archive is written under ``--tmp`` (a tmpfs leaves out the disk's fsync
times, which vary with whatever else the machine is doing).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from arhiva.archive import Archive  # noqa: E402
from arhiva.pipeline import ingest  # noqa: E402
from tests.conftest import FakeEngine  # noqa: E402

TEXTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "texts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--tmp", default=None, help="where the archive is written (default: the system's)")
    args = parser.parse_args()
    texts = [p.read_text("utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    work = Path(tempfile.mkdtemp(dir=args.tmp))
    try:
        inputs = work / "in"
        inputs.mkdir()
        for n in range(args.files):
            extra = random.Random(n).random()
            (inputs / f"d{n:04d}.txt").write_text(f"{texts[n % len(texts)]}\n\nNr. {n} din 2021 ({extra})\n", "utf-8")
        times = []
        for run in range(args.repeat):
            archive = Archive.open(work / f"archive{run}", create=True)
            start = time.perf_counter()
            report = ingest([inputs], archive, FakeEngine(), jobs=args.jobs, timeout=600)
            times.append(time.perf_counter() - start)
            assert report.count("ingested") == args.files, report.outcomes[:3]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = min(times)
    print(f"{args.files} text files, --jobs {args.jobs}: best of {args.repeat} {best:.2f} s "
          f"({args.files / best:.1f} files/s)")
    print(f"reproduce: .venv/bin/python bench/ingest_batch.py --files {args.files} --jobs {args.jobs} "
          f"--repeat {args.repeat}" + (f" --tmp {args.tmp}" if args.tmp else ""))


if __name__ == "__main__":
    main()
