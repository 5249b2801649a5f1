"""Which pages of real PDFs get a searchable copy, and how many of them show text of their own.

A PDF gets a copy when every page of it is OCRed. Of those pages, a page that
draws visible text (a heading over a scan, a refused born-digital layer) is
rendered into the copy (arhiva.pdfa.render); a page with only an invisible old
OCR layer loses that layer; a page with no text keeps its images as they are.

Run:
    .venv/bin/python bench/pdfa_shown_text.py DIR [DIR ...]
"""

from __future__ import annotations

import argparse
import collections
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.ingest import pdf  # noqa: E402
from arhiva.pdfa.render import shows_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders searched for *.pdf")
    args = parser.parse_args()
    import pikepdf

    pages: collections.Counter = collections.Counter()
    docs: collections.Counter = collections.Counter()
    shown = []
    paths = sorted({p.resolve() for d in args.folders for p in d.rglob("*") if p.suffix.lower() == ".pdf"})
    for path in paths:
        try:
            reading = pdf.read_pages(path)
        except Exception:  # noqa: BLE001 - a survey: a PDF arhiva refuses is counted, not fatal
            docs["unreadable"] += 1
            continue
        if not reading.pages or not all(p.needs_ocr for p in reading.pages):
            docs["no copy (a text layer is used)"] += 1
            continue
        try:
            with pikepdf.open(path) as document:
                kinds = []
                for page in document.pages:
                    has_text = any(str(op) == "BT" for _, op in pikepdf.parse_content_stream(page))
                    kinds.append("shows text" if shows_text(page) else
                                 "invisible layer only" if has_text else "no text")
        except pikepdf.PdfError:
            docs["pikepdf refuses"] += 1
            continue
        docs["copy"] += 1
        pages.update(kinds)
        if "shows text" in kinds:
            shown.append((path, kinds.count("shows text"), len(kinds)))
    print(f"PDFs: {len(paths)}; " + ", ".join(f"{k} {v}" for k, v in sorted(docs.items())))
    print(f"pages of the copies: {sum(pages.values())}; " + ", ".join(f"{k} {v}" for k, v in sorted(pages.items())))
    for path, count, total in shown:
        print(f"  shows text on {count} of {total} pages: {path}")
    print("reproduce: .venv/bin/python bench/pdfa_shown_text.py " + " ".join(shlex.quote(str(d)) for d in args.folders))


if __name__ == "__main__":
    main()
