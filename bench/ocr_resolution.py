"""Low-resolution scans: Tesseract at the scan's own resolution against the page enlarged to 300 dpi.

Takes the real scans of one or more labelled sets (``--docs DIR``, laid out as
``bench/real/README.md`` says), finds the PDF pages scanned at less than
``--below`` dpi (300 by default), draws up to ``--per-band`` of them from each
band of 50 dpi, and reads each twice with the real Tesseract (``ron``): rendered
at the scan's own resolution, and at 300 dpi. For each it prints the words read,
how many of them the Romanian lexicon knows, and Tesseract's time; then the totals
by band of resolution. ``--link-low OUT`` also writes a labelled set of the scans
with a page under 150 dpi (links to the files), for ``bench/real_eval.py --docs OUT``.

Run:
    .venv/bin/python bench/ocr_resolution.py --docs COLLECTION --per-band 4
    .venv/bin/python bench/ocr_resolution.py --docs COLLECTION --link-low /tmp/low
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.ingest import images, pdf  # noqa: E402
from arhiva.ingest.pdf import known_words, layer_words  # noqa: E402

BANDS = ((0, 120), (120, 180), (180, 300))


def scans(roots: list[Path], split: str) -> list[tuple[Path, Path]]:
    """(label, file) of every real scan of the sets, of ``split`` (or all)."""
    found = []
    for root in roots:
        for label in sorted((root / "labels").glob("*.json")):
            data = json.loads(label.read_text(encoding="utf-8"))
            if data.get("kind") != "scan" or split != "all" and data.get("split") != split:
                continue
            file = next((root / "docs").glob(label.stem + ".*"), None)
            if file is not None:
                found.append((label, file))
    return found


def page_dpis(file: Path) -> list[int]:
    if file.suffix.lower() != ".pdf":
        from PIL import Image

        with Image.open(file) as image:
            dpi = images.image_dpi(image)
            return [dpi] if max(image.size) / dpi <= images.LARGEST_PAGE_INCHES else []
    try:
        return [page.dpi for page in pdf.read_pages(file).pages]
    except Exception:  # noqa: BLE001 - a file arhiva refuses is no page to compare
        return []


def read(file: Path, index: int, dpi: int, scratch: Path) -> tuple[int, int, float]:
    """Words, known words and Tesseract's seconds for page ``index`` rendered at ``dpi``."""
    image = pdf.render_page(file, index, dpi).image
    path = scratch / "page.png"
    image.save(path)
    start = time.perf_counter()
    out = subprocess.run(["tesseract", str(path), "stdout", "-l", "ron", "--dpi", str(dpi)],
                         capture_output=True, text=True, check=False).stdout
    seconds = time.perf_counter() - start
    words = layer_words(out)
    return len(words), known_words(words), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", required=True, help="a labelled set (repeatable)")
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default="dev")
    parser.add_argument("--per-band", type=int, default=4, help="pages drawn from each band of 50 dpi")
    parser.add_argument("--below", type=int, default=300, help="pages scanned at less than this many dpi")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--link-low", type=Path, default=None,
                        help="write a labelled set of the scans with a page under 150 dpi here, and stop")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    found = scans(args.docs, args.split)
    if args.link_low:
        (args.link_low / "docs").mkdir(parents=True, exist_ok=True)
        (args.link_low / "labels").mkdir(parents=True, exist_ok=True)
        low = [(label, file) for label, file in found if any(dpi < images.ENLARGE_BELOW for dpi in page_dpis(file))]
        for label, file in low:
            for source, target in ((label, args.link_low / "labels" / label.name), (file, args.link_low / "docs" / file.name)):
                if not target.exists():
                    target.symlink_to(source.resolve())
        print(f"{len(low)} of {len(found)} scans have a page under {images.ENLARGE_BELOW} dpi: {args.link_low}")
        return
    pages = [(file, index, dpi) for _, file in found if file.suffix.lower() == ".pdf"
             for index, dpi in enumerate(page_dpis(file)[:2]) if dpi < args.below]
    by_band: dict[int, list] = {}
    for page in pages:
        by_band.setdefault(page[2] // 50, []).append(page)
    rng = random.Random(args.seed)
    sample = [page for _, group in sorted(by_band.items()) for page in rng.sample(group, min(len(group), args.per_band))]
    print(f"{len(pages)} pages under {args.below} dpi (the first two of each scan); {len(sample)} drawn")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for file, index, dpi in sample:
            own, enlarged = read(file, index, dpi, Path(scratch)), read(file, index, images.OCR_DPI, Path(scratch))
            rows.append((dpi, own, enlarged))
            print(f"{dpi:4d} dpi  {file.stem[:48]:48s} p{index + 1}  own: {own[0]:4d} words, {own[1]:4d} known, "
                  f"{own[2]:4.1f} s | {images.OCR_DPI}: {enlarged[0]:4d} words, {enlarged[1]:4d} known, {enlarged[2]:4.1f} s")
    for low, high in BANDS:
        chosen = [row for row in rows if low <= row[0] < high]
        if not chosen:
            continue
        own = sum(row[1][1] for row in chosen)
        more = sum(row[2][1] for row in chosen)
        print(f"{low}–{high} dpi: {len(chosen)} pages, words the lexicon knows {own} -> {more} "
              f"({(more - own) / max(own, 1):+.1%}); Tesseract {sum(r[1][2] for r in chosen):.0f} s -> "
              f"{sum(r[2][2] for r in chosen):.0f} s")
    print("\nreproduce: .venv/bin/python bench/ocr_resolution.py " + " ".join(f"--docs {d}" for d in args.docs)
          + f" --split {args.split} --per-band {args.per_band}")


if __name__ == "__main__":
    main()
