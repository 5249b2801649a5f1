"""Pages OCR reads poorly: Tesseract's default binarization against its other two, on real scans.

Takes the real scans of one or more labelled sets (``--docs DIR``, laid out as
``bench/real/README.md`` says), prepares their first ``--pages`` pages as ingest
does (rendered at the resolution OCR is given, deskewed), and reads each with
the real Tesseract (``ron``) and its default binarization (Otsu's global
threshold). A page read below :data:`arhiva.ingest.page.BINARIZE_BELOW` mean
confidence is read again with Leptonica's Otsu by tiles and with Sauvola's
local threshold. For each such page it prints the words read and how many the
Romanian lexicon knows, by binarization; then the totals: known words with
the default, with each other one, with the reading ingest keeps (the rule of
``ocr_page``: clearly more known words), and with the best of the three, and
Tesseract's time. ``--link-low OUT`` also writes a labelled set of the scans
with such a page (links to the files), for ``bench/real_eval.py --docs OUT``.

Run:
    .venv/bin/python bench/ocr_binarization.py --docs COLLECTION
    .venv/bin/python bench/ocr_binarization.py --docs COLLECTION --link-low /tmp/poor
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.ingest import images, pdf  # noqa: E402
from arhiva.ingest.ocr import TesseractEngine  # noqa: E402
from arhiva.ingest.page import BINARIZE_BELOW, BINARIZE_GAIN, BINARIZE_MORE, straightened, estimate_skew  # noqa: E402
from arhiva.ingest.words import known_words, layer_words  # noqa: E402
from bench.ocr_resolution import scans  # noqa: E402

METHODS = ("otsu",) + TesseractEngine.binarizations


def page_count(file: Path) -> int:
    try:
        if file.suffix.lower() == ".pdf":
            return len(pdf.read_pages(file).pages)
        return images.frame_count(file)
    except Exception:  # noqa: BLE001 - a file arhiva refuses is no page to compare
        return 0


def prepared(file: Path, index: int):
    """Page ``index`` as OCR is given it: rendered or enlarged to the OCR resolution, turned as its EXIF says, gray,
    deskewed."""
    if file.suffix.lower() == ".pdf":
        dpi = images.ocr_dpi(pdf.read_pages(file).pages[index].dpi)
        image = pdf.render_page(file, index, dpi).image
    else:
        image, dpi = images.enlarged(*images.load_frame(file, index))
        if turn := images.exif_turn(file, index):  # a photo stored sideways, turned as ingest turns it
            image = image.rotate(-turn, expand=True, fillcolor=255)
    gray = image.convert("L")
    return straightened(gray, estimate_skew(gray)), dpi


def read(job: tuple[str, int]) -> tuple[str, int, dict[str, tuple[float, int, int, float]]]:
    """(confidence, words, known words, seconds) of each binarization tried on one page."""
    file, index = job
    engine = TesseractEngine()
    image, dpi = prepared(Path(file), index)
    found = {}
    for method in METHODS:
        start = time.perf_counter()
        reading = engine.recognize(image, dpi, binarization=method)
        words = layer_words(reading.text)
        found[method] = (reading.confidence, len(words), known_words(words), time.perf_counter() - start)
        if method == "otsu" and reading.confidence >= BINARIZE_BELOW:
            break
    return file, index, found


def kept(found: dict) -> str:
    """The binarization whose reading ingest keeps (``ocr_page``'s rule)."""
    best = "otsu"
    for method in METHODS[1:]:
        if method in found and found[method][2] >= BINARIZE_GAIN * found[best][2] + BINARIZE_MORE:
            best = method
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", required=True, help="a labelled set (repeatable)")
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default="dev")
    parser.add_argument("--pages", type=int, default=3, help="the first pages of each scan read")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--link-low", type=Path, default=None,
                        help="also write a labelled set of the scans with a page read poorly here")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    found = scans(args.docs, args.split)
    jobs = [(str(file), index) for _, file in found for index in range(min(args.pages, page_count(file)))]
    print(f"{len(found)} scans, {len(jobs)} pages; pages below {BINARIZE_BELOW:.0f} confidence read again")
    rows = []
    with ProcessPoolExecutor(args.workers) as pool:
        for file, index, readings in pool.map(read, jobs):
            rows.append((file, index, readings))
            if len(readings) > 1:
                said = " | ".join(f"{m}: {c:4.1f} conf, {w:4d} words, {k:4d} known" for m, (c, w, k, _) in readings.items())
                print(f"{Path(file).stem[:44]:44s} p{index + 1}  {said}  -> {kept(readings)}", flush=True)
    poor = [row for row in rows if len(row[2]) > 1]
    total = {m: sum(r[2][m][2] for r in poor) for m in METHODS}
    keep = sum(r[2][kept(r[2])][2] for r in poor)
    best = sum(max(v[2] for v in r[2].values()) for r in poor)
    changed = sum(kept(r[2]) != "otsu" for r in poor)
    seconds = sum(v[3] for r in rows for v in r[2].values())
    first = sum(r[2]["otsu"][3] for r in rows)
    base = max(total["otsu"], 1)
    print(f"\n{len(poor)} of {len(rows)} pages read below {BINARIZE_BELOW:.0f}: words the lexicon knows "
          + ", ".join(f"{m} {n} ({(n - total['otsu']) / base:+.1%})" for m, n in total.items())
          + f"; kept by ingest {keep} ({(keep - total['otsu']) / base:+.1%}, {changed} pages changed); "
          f"best of the three {best} ({(best - total['otsu']) / base:+.1%})")
    print(f"Tesseract: {first:.0f} s for one reading of every page, {seconds:.0f} s with the pages read again "
          f"({(seconds - first) / max(first, 1):+.0%})")
    if args.link_low:
        (args.link_low / "docs").mkdir(parents=True, exist_ok=True)
        (args.link_low / "labels").mkdir(parents=True, exist_ok=True)
        files = {row[0] for row in poor}
        chosen = [(label, file) for label, file in found if str(file) in files]
        for label, file in chosen:
            for source, target in ((label, args.link_low / "labels" / label.name), (file, args.link_low / "docs" / file.name)):
                if not target.exists():
                    target.symlink_to(source.resolve())
        print(f"{len(chosen)} scans with a page read poorly: {args.link_low}")
    print("\nreproduce: .venv/bin/python bench/ocr_binarization.py "
          + " ".join(f"--docs {shlex.quote(str(d))}" for d in args.docs) + f" --split {args.split} --pages {args.pages}")


if __name__ == "__main__":
    main()
