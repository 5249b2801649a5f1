"""Make the bundled sample documents from the project's own texts in tests/data/texts/.

    .venv/bin/python scripts/make_samples.py

The outputs are committed, so the demo needs neither this script nor fpdf2.
"""

from __future__ import annotations

from pathlib import Path

from arhiva.testing.scans import Degradation, save_pdf, save_text_pdf, save_tiff, scan

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    texts = SAMPLES.parent / "tests" / "data" / "texts"
    hotarare = (texts / "hotarare-buget.txt").read_text("utf-8")
    pages = scan(hotarare, Degradation(dpi=150, skew=1.2), seed=1)
    save_pdf(pages, SAMPLES / "hotarare-buget-scan.pdf", 150)

    # Two pages, the second fed upside down: the OCR must turn it.
    verbal = (texts / "proces-verbal-sedinta.txt").read_text("utf-8")
    paragraphs = verbal.split("\n\n")
    two_pages = "\n\n".join(paragraphs[:3]) + "\f" + "\n\n".join(paragraphs[3:])
    pages = scan(two_pages, Degradation(dpi=150), turns={1: 180}, seed=2)
    save_tiff(pages, SAMPLES / "proces-verbal-scan.tif", 150)

    save_text_pdf((texts / "anunt-consultare.txt").read_text("utf-8"), SAMPLES / "anunt-consultare.pdf")


if __name__ == "__main__":
    main()
