"""How the clean-up's time grows with the length of the text, by shape of text.

Times :func:`arhiva.repair.clean` on generated texts of growing length and
prints, for each shape, the seconds and the growth exponent between sizes
(time ∝ length^k: k ≈ 1 is linear, k ≈ 2 quadratic). Shapes: prose (the
project's sample texts repeated), one long line, a table of numbers, a
contact table (an e-mail address and a web address on every row), many
short pages, and three odd shapes: one word the lexicon does not know
(long-word), lines of one letter (short-lines) and short table rows that read
like a paragraph's lines (rows), and one run of letters joined by hyphens,
``a-a-a-…`` (hyphens); for the metadata's rules, words without a stop on
one line (words-line), dates run into one line (dates-line) and dates on
lines of their own (date-lines). With ``--step metadata`` it times
:func:`arhiva.metadata.extract` instead (which reads the first 200,000
characters). It needs nothing outside the repository.

Run:
    .venv/bin/python bench/cleanup_scaling.py
    .venv/bin/python bench/cleanup_scaling.py --sizes 25000,50000,100000,200000 --shapes contacts
    .venv/bin/python bench/cleanup_scaling.py --sizes 2000,8000,32000 --shapes long-word,short-lines,rows --origin text-file
    .venv/bin/python bench/cleanup_scaling.py --step metadata --sizes 20000,200000 --shapes words-line,dates-line,date-lines
"""

from __future__ import annotations

import argparse
import math
import random
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.metadata import extract  # noqa: E402
from arhiva.repair import clean  # noqa: E402

TEXTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "texts"


def prose(n: int) -> str:
    base = "\n\n".join(p.read_text("utf-8") for p in sorted(TEXTS.glob("*.txt")))
    return (base * (n // len(base) + 1))[:n]


def one_line(n: int) -> str:
    return " ".join(prose(n + n // 5).split())[:n]


def numbers(n: int) -> str:
    rng = random.Random(0)
    rows = []
    while sum(map(len, rows)) < n:
        rows.append(" | ".join(f"{rng.randint(0, 99_999):>6}" for _ in range(8)) + " | lei")
    return "\n".join(rows)[:n]


def contacts(n: int) -> str:
    rng = random.Random(0)
    rows = []
    while sum(map(len, rows)) < n:
        i = len(rows) + 1
        rows.append(f"{i}. Primăria comunei Nume{i} | tel. 0268{rng.randint(100_000, 999_999)} | "
                    f"primaria{i}@yahoo.com | www.comuna{i}.ro")
    return "\n".join(rows)[:n]


def pages(n: int) -> str:
    out, i = [], 0
    while sum(map(len, out)) < n:
        i += 1
        out.append(f"PRIMĂRIA ORAȘULUI\nConsiliul local a aprobat bugetul.\n- {i} -")
    return "\f".join(out)[:n]


def long_word(n: int) -> str:
    return ("Primăria anunță ședința. " + "a" * n)[:n]


def short_lines(n: int) -> str:
    return "a\n" * (n // 2)


def hyphens(n: int) -> str:
    return ("Primăria anunță ședința. " + "a-" * n)[:n]


def rows(n: int) -> str:
    out: list[str] = []
    while sum(map(len, out)) < n:
        out.append(f"rândul {len(out) + 1} al tabelului")
    return "\n".join(out)[:n]


def legacy_word(n: int) -> str:
    """A long run of letters in a text of a pre-Unicode font (the clean-up maps that font's letters)."""
    return "Hotãrârea privind ºedinþa de astãzi " + "a" * n


def gazette_word(n: int) -> str:
    """A long run of letters in a text of the Monitorul Oficial's font read through a Mac code page."""
    return "Hot„r‚re din jude˛ul Cara∫, adopt„ ac˛iunea " + "a" * n


def words_line(n: int) -> str:
    return ("cuvânt " * (n // 7 + 1))[:n]


def dates_line(n: int) -> str:
    return ("– 12.03.2020 " * (n // 13 + 1))[:n]


def date_lines(n: int) -> str:
    return "12.03.2020\n" * (n // 11)


SHAPES = {"prose": prose, "one-line": one_line, "numbers": numbers, "contacts": contacts, "pages": pages,
          "long-word": long_word, "short-lines": short_lines, "rows": rows, "hyphens": hyphens,
          "words-line": words_line, "dates-line": dates_line, "date-lines": date_lines,
          "legacy-word": legacy_word, "gazette-word": gazette_word}
DEFAULT_SHAPES = ("prose", "one-line", "numbers", "contacts", "pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="text lengths, in characters")
    parser.add_argument("--shapes", default=",".join(DEFAULT_SHAPES), help="comma-separated: " + ", ".join(SHAPES))
    parser.add_argument("--origin", default="ocr", help="the text's source, as ingest gives it (ocr, text-file...)")
    parser.add_argument("--step", choices=("clean", "metadata"), default="clean", help="what to time")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    clean("Ședința", origins=args.origin)  # load the language data first
    extract("HOTĂRÂREA nr. 1 din 12.03.2020")
    print(f"{'shape':<12}" + "".join(f"{n:>12,}" for n in sizes) + "   growth exponent between sizes")
    for shape in args.shapes.split(","):
        seconds = []
        for n in sizes:
            text = SHAPES[shape](n)
            started = time.perf_counter()
            if args.step == "metadata":
                extract(text)
            else:
                clean(text, origins=args.origin)
            seconds.append(time.perf_counter() - started)
        growth = [math.log(b / a) / math.log(m / n) for (a, b), (n, m) in
                  zip(zip(seconds, seconds[1:]), zip(sizes, sizes[1:]))]
        print(f"{shape:<12}" + "".join(f"{s:>11.2f}s" for s in seconds) + "   "
              + " ".join(f"{k:.2f}" for k in growth), flush=True)
    print("reproduce:", shlex.join([".venv/bin/python", "bench/cleanup_scaling.py", "--sizes", args.sizes,
                                    "--shapes", args.shapes, "--origin", args.origin, "--step", args.step]))


if __name__ == "__main__":
    main()
