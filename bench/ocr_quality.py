"""OCR accuracy on generated scans: character error rate of the raw OCR and of the cleaned text.

Pages are composed of corpus sentences, rendered, degraded as a scanner would
(150 dpi, blur, noise, speckles, skew, some pages fed sideways or upside
down), ingested with ``arhiva`` and compared with their source text.

Run:  .venv/bin/python bench/ocr_quality.py [--pages 12] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.archive import Archive  # noqa: E402
from arhiva.ingest import TesseractEngine  # noqa: E402
from arhiva.pipeline import ingest  # noqa: E402
from arhiva.testing.metrics import char_error_rate, word_error_rate  # noqa: E402
from arhiva.testing.scans import Degradation, scan  # noqa: E402
from bench.corpus import DEFAULT_CORPORA, compose_pages, require  # noqa: E402

#: A cycle of scanner conditions, one per page.
CONDITIONS = [
    ("clean 150 dpi", Degradation(dpi=150, blur=0.3, noise=5, speckles=50)),
    ("skew 2°", Degradation(dpi=150, skew=2.0)),
    ("skew -3.5°", Degradation(dpi=150, skew=-3.5)),
    ("upside down", Degradation(dpi=150, turn=180)),
    ("sideways", Degradation(dpi=150, turn=90)),
    ("blurred 200 dpi", Degradation(dpi=200, blur=1.0, noise=15)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    texts = compose_pages(require(args.corpora), args.pages)
    work = Path(tempfile.mkdtemp(prefix="arhiva-quality-"))
    (work / "in").mkdir()
    truth = {}
    for i, text in enumerate(texts):
        name, how = CONDITIONS[i % len(CONDITIONS)]
        path = work / "in" / f"p{i:03d}.png"
        scan(text, how, seed=100 + i)[0].save(path, dpi=(how.dpi, how.dpi))
        truth[str(path)] = (name, text)
    archive = Archive.open(work / "archive", create=True)
    report = ingest([work / "in"], archive, TesseractEngine(), jobs=args.jobs)
    rows: dict[str, list[tuple[float, float, float]]] = {}
    for outcome in report.outcomes:
        name, text = truth[outcome.path]
        raw = "\n".join(archive.raw_pages(outcome.doc_id))
        cleaned = archive.text(outcome.doc_id)
        rows.setdefault(name, []).append(
            (char_error_rate(text, raw), char_error_rate(text, cleaned), word_error_rate(text, cleaned))
        )
    print(f"{args.pages} pages of corpus text, rendered and degraded, OCRed with Tesseract ron")
    print(f"{'condition':<18} {'pages':>5} {'CER raw':>8} {'CER clean':>9} {'WER clean':>9}")
    everything = []
    for name, values in rows.items():
        everything += values
        print(f"{name:<18} {len(values):>5} " + " ".join(
            f"{sum(v[k] for v in values) / len(values):>8.2%}" for k in range(3)))
    print(f"{'all':<18} {len(everything):>5} " + " ".join(
        f"{sum(v[k] for v in everything) / len(everything):>8.2%}" for k in range(3)))
    print(f"reproduce: .venv/bin/python bench/ocr_quality.py --pages {args.pages}")


if __name__ == "__main__":
    main()
