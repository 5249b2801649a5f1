"""PDF pages under a thin text layer: which pages arhiva OCRs as scans, and which keep their layer.

For every page of the PDFs under the given folders: the share of the page its
images cover (arhiva.ingest.thin_layer.image_cover, as the reader measures it),
the letters of its text layer, and the verdict of
arhiva.ingest.pdf.text_layer_problem. Prints the pages switched to OCR as
scans under a thin layer, the pages with a usable layer and images covering
MIN_NEAR or more that stay text-layer pages, and counts. With --ocr, each of
those pages is also OCRed (the real Tesseract) and the letters OCR reads are
compared with the layer's (the MIN_OCR_GAIN rule).

Run:
    .venv/bin/python bench/thin_layer_eval.py DIR [DIR ...] [--ocr]
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.ingest import pdf  # noqa: E402
from arhiva.ingest import thin_layer  # noqa: E402

MIN_NEAR = 0.3


def pages(path: Path):
    """(index, cover, text) of each page, read as arhiva's first reader reads them."""
    import pdfplumber

    with pdfplumber.open(path) as document:
        for index, page in enumerate(document.pages):
            boxes = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
            yield index, thin_layer.image_cover(boxes, page.bbox), page.extract_text() or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--ocr", action="store_true", help="OCR the switched and near pages (real Tesseract)")
    args = parser.parse_args()
    files = sorted({p for d in args.dirs for p in d.rglob("*") if p.suffix.lower() == ".pdf"})
    counts = {"pdfs": 0, "pages": 0, "layer": 0, "thin": 0, "near": 0, "unreadable": 0}
    rows = []
    for path in files:
        try:
            read = list(pages(path))
        except Exception:  # noqa: BLE001 - a damaged file is not this benchmark's matter
            counts["unreadable"] += 1
            continue
        counts["pdfs"] += 1
        for index, cover, text in read:
            counts["pages"] += 1
            problem = pdf.text_layer_problem(text, cover)
            thin = bool(problem and problem.startswith(pdf.THIN_LAYER))
            counts["layer"] += problem is None
            counts["thin"] += thin
            if thin or (problem is None and cover >= MIN_NEAR):
                counts["near"] += not thin
                rows.append((path, index, cover, thin_layer.letters(text), thin))
    engine = None
    if args.ocr:
        from arhiva.ingest.ocr import TesseractEngine

        engine = TesseractEngine()
    print("page                                                              cover letters verdict      ocr   gain")
    for path, index, cover, letters, thin in sorted(rows, key=lambda r: -r[2]):
        gain = ""
        if engine is not None:
            from arhiva.ingest.page import ocr_page

            rendered = pdf.render_page(path, index, 200)
            read = thin_layer.letters(ocr_page(rendered.image, engine, rendered.dpi).text)
            gain = f"{read:6d} {read / max(letters, 1):6.2f}"
        name = f"{path.name[:58]} p{index + 1}"
        print(f"{name:64s} {cover:5.2f} {letters:7d} {'OCR (thin)' if thin else 'text layer':12s} {gain}")
    print(f"\n{counts['pdfs']} PDFs ({counts['unreadable']} unreadable by pdfplumber), {counts['pages']} pages: "
          f"{counts['layer']} keep their text layer, {counts['thin']} OCRed as scans under a thin layer; "
          f"{counts['near']} text-layer pages have images covering {MIN_NEAR:.0%} or more "
          f"(thresholds: cover {thin_layer.MIN_SCAN_COVER}, letters < {thin_layer.MAX_THIN_LETTERS})")
    print("reproduce: .venv/bin/python bench/thin_layer_eval.py " + " ".join(shlex.quote(str(d)) for d in args.dirs)
          + (" --ocr" if args.ocr else ""))


if __name__ == "__main__":
    main()
