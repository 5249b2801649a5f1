"""All the figures of the Romanian text repair, in one run.

1. Diacritics restoration on held-out text, correct text left alone, speed,
   data size and load time, OCR confusion repair (bench/diacritics_eval.py).
2. The whole clean-up (every fixer, in order) on held-out correct text: the
   share of words it changes, and its speed in words per second on one core.
3. The example communiqué against its careful transcription: word error rate
   before and after the clean-up.
4. With --ocr-pages N: the OCR pipeline on degraded scans of corpus text,
   character error rate before and after the clean-up (bench/ocr_quality.py).

Run:  .venv/bin/python bench/repair_eval.py [--corpora ../shared/corpora] [--ocr-pages 12]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import diacritics_eval  # noqa: E402

from arhiva.repair import clean  # noqa: E402
from arhiva.romanian.lexicon import Lexicon  # noqa: E402
from arhiva.testing.metrics import word_error_rate, words  # noqa: E402


def whole_cleanup(docs: list[tuple[str, str]]) -> None:
    Lexicon.load()
    total = changed = 0
    started = time.perf_counter()
    outputs = [clean(text).text for _, text in docs]
    elapsed = time.perf_counter() - started
    for (_, text), out in zip(docs, outputs):
        before, after = words(text), words(out)
        total += len(before)
        changed += round(word_error_rate(text, out) * len(before))
    print("\nwhole clean-up on held-out correct text (all fixers)")
    print(f"words changed: {changed} of {total} ({changed / total:.3%})")
    print(f"speed: {total / elapsed:,.0f} words/s on one core ({total} words in {elapsed:.1f} s)")


def example() -> None:
    truth = (ROOT / "tests" / "data" / "comunicat-urbact-transcription.txt").read_text("utf-8")
    ocr = (ROOT / "samples" / "comunicat-urbact-ocr.txt").read_text("utf-8")
    repaired = clean(ocr).text
    print("\nexample communiqué against the transcription (word error rate; words / tokens with punctuation)")
    print(f"as the old OCR left it: {word_error_rate(truth, ocr):.2%} / {word_error_rate(truth, ocr, True):.2%}")
    print(f"after the clean-up:     {word_error_rate(truth, repaired):.2%} / "
          f"{word_error_rate(truth, repaired, True):.2%}  ({len(words(truth))} words)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=diacritics_eval.DEFAULT_CORPORA)
    parser.add_argument("--ocr-pages", type=int, default=0, help="also run the OCR pipeline on N degraded pages")
    args = parser.parse_args()
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    docs = diacritics_eval.documents(args.corpora)
    print(f"held-out: {sum(g == 'legal' for g, _ in docs)} legal acts, "
          f"{sum(g != 'legal' for g, _ in docs)} news/mixed documents\n")
    lexicon = Lexicon.load()
    diacritics_eval.accuracy(docs, lexicon)
    diacritics_eval.unchanged(docs)
    diacritics_eval.speed(docs)
    diacritics_eval.size_and_load()
    diacritics_eval.confusions(docs)
    whole_cleanup(docs)
    example()
    if args.ocr_pages:
        print()
        subprocess.run([sys.executable, str(ROOT / "bench" / "ocr_quality.py"), "--pages", str(args.ocr_pages),
                        "--corpora", str(args.corpora)], check=True)
    print(f"\nreproduce: .venv/bin/python bench/repair_eval.py"
          f"{f' --ocr-pages {args.ocr_pages}' if args.ocr_pages else ''}")


if __name__ == "__main__":
    main()
