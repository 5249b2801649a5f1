"""When is a PDF text layer trusted? The share of known words, on good and garbled layers.

A layer is used instead of OCR only when it reads as Romanian
(:func:`arhiva.ingest.pdf.text_layer_problem`): at least ``MIN_KNOWN_SHARE`` of
its words of three letters or more are in the lexicon. This prints that share
on layers known to be good and on the same layers garbled as broken fonts
garble them, and how many of each the rule gets wrong:

- good: the text layer of every page of the real born-digital PDFs
  (``--real DIR``: the labelled set's ``docs/``, those labelled
  ``born-digital``), and page-sized pieces (2,500 characters) of the corpora
  (``--corpora DIR``), as typed, without diacritics and in capitals;
- garbled: the same pages with every letter shifted by one or two places in
  the alphabet (``bugetul`` → ``cvhfuvm``: a font whose glyph codes are off by
  one), with a random substitution of letters, and with letters mapped to
  private-use characters (a font without a character map).

Run:
    .venv/bin/python bench/text_layer_eval.py --real ../shared/real --corpora ../shared/corpora
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shlex
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.ingest.pdf import (  # noqa: E402
    MIN_JUDGED_WORDS,
    MIN_KNOWN_SHARE,
    MIN_LETTER_SCORE,
    NO_LAYER,
    known_words,
    layer_words,
    letter_score,
    text_layer_problem,
)
from arhiva.romanian.letters import fold  # noqa: E402

#: Other languages a Romanian public body publishes in, written for this benchmark:
#: their layers must not be refused for not being Romanian.
OTHER_LANGUAGES = {
    "Hungarian": "A helyi tanács a mai ülésén elfogadta a város költségvetését a 2021-es évre. A polgármester "
    "javaslatára a képviselők megszavazták az iskolák felújítására szánt összeget, valamint a közvilágítás "
    "korszerűsítését. A határozat a kihirdetés napján lép hatályba, és a hivatal honlapján is közzéteszik. "
    "Az ülésen részt vett a megyei prefektus képviselője is, aki ismertette a kormány legújabb rendeletét a "
    "közbeszerzésekről. A lakosok a polgármesteri hivatal ügyfélszolgálatán tekinthetik meg a dokumentumokat.",
    "English": "The local council approved today the budget of the town for the year 2021. At the proposal of "
    "the mayor, the councillors voted for the amount meant for the renovation of schools and for the "
    "modernisation of street lighting. The decision enters into force on the day it is published.",
    "French": "Le conseil local a approuvé aujourd'hui le budget de la ville pour l'année 2021. Sur proposition "
    "du maire, les conseillers ont voté le montant destiné à la rénovation des écoles et à la modernisation de "
    "l'éclairage public. La décision entre en vigueur le jour de sa publication.",
    "German": "Der Gemeinderat hat heute den Haushalt der Stadt für das Jahr 2021 genehmigt. Auf Vorschlag des "
    "Bürgermeisters stimmten die Ratsmitglieder für den Betrag zur Renovierung der Schulen und zur "
    "Modernisierung der Straßenbeleuchtung. Der Beschluss tritt am Tag seiner Veröffentlichung in Kraft.",
}

PAGE_CHARS = 2500


def real_pages(real: Path) -> list[str]:
    import pdfplumber

    pages = []
    for label in sorted((real / "labels").glob("*.json")):
        info = json.loads(label.read_text("utf-8"))
        if info.get("kind") != "born-digital" or not info["file"].endswith(".pdf"):
            continue
        with pdfplumber.open(real / info["file"]) as pdf:
            pages += [(f"{Path(info['file']).name} p.{n}", page.extract_text() or "")
                      for n, page in enumerate(pdf.pages, 1)]
    return pages


def corpus_pages(corpora: Path, limit: int) -> list[tuple[str, str]]:
    pages = []
    for name in ("legislatie-achizitii.jsonl.gz", "ronec-valid.jsonl.gz", "ud-rrt-dev.jsonl.gz"):
        path = corpora / name
        if not path.exists():
            continue
        text = "\n".join(json.loads(line)["text"] for line in gzip.open(path, "rt", encoding="utf-8"))
        chunks = [text[i : i + PAGE_CHARS] for i in range(0, len(text), PAGE_CHARS)]
        random.Random(0).shuffle(chunks)
        pages += [(f"{name} #{n}", chunk) for n, chunk in enumerate(chunks[:limit])]
    return pages


def shift(text: str, by: int) -> str:
    low, up = string.ascii_lowercase, string.ascii_uppercase
    table = str.maketrans(low + up, low[by:] + low[:by] + up[by:] + up[:by])
    return text.translate(table)


def substitute(text: str, seed: int) -> str:
    low = list(string.ascii_lowercase)
    random.Random(seed).shuffle(low)
    mixed = "".join(low)
    return text.translate(str.maketrans(string.ascii_lowercase + string.ascii_uppercase, mixed + mixed.upper()))


def private_use(text: str) -> str:
    return "".join(chr(0xE000 + ord(ch) % 256) if ch.isalpha() else ch for ch in text)


GARBLINGS = {
    "shifted +1": lambda t: shift(t, 1),
    "shifted -1": lambda t: shift(t, -1),
    "shifted +2": lambda t: shift(t, 2),
    "substituted": lambda t: substitute(t, 7),
    "private-use": private_use,
}
VARIANTS = {"as typed": lambda t: t, "no diacritics": fold, "capitals": str.upper}


def quantiles(values: list[float]) -> str:
    values = sorted(values)
    if not values:
        return "-"
    return " ".join(f"{values[int(q * (len(values) - 1))]:.2f}" for q in (0, 0.05, 0.5, 0.95, 1))


def summary(name: str, pages: list[tuple[str, str]], should_use: bool) -> None:
    """One row: how many pages, how many judged by their words, shares and scores, and wrong verdicts."""
    words = [w for _, t in pages if len(w := layer_words(t)) >= MIN_JUDGED_WORDS]
    shares = [known_words(w) / len(w) for w in words]
    scores = [letter_score(w) for w in words]
    verdicts = [text_layer_problem(t) for _, t in pages]
    wrong = sum(1 for v in verdicts if v != NO_LAYER and (v is None) != should_use)
    print(f"{name:<38} {len(pages):>5} {len(words):>6}  {quantiles(shares):<25}  {quantiles(scores):<30} {wrong:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=Path, default=Path("../shared/real"))
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--pages", type=int, default=300, help="corpus pages per corpus")
    args = parser.parse_args()
    real = real_pages(args.real) if args.real.exists() else []
    corpus = corpus_pages(args.corpora, args.pages) if args.corpora.exists() else []
    print(f"refused when: {MIN_JUDGED_WORDS}+ words, known share < {MIN_KNOWN_SHARE} "
          f"and letter score < {MIN_LETTER_SCORE}")
    print(f"{'layers':<38} {'pages':>5} {'judged':>6}  {'known share: min 5% 50% 95% max':<25}  "
          f"{'letter score: min 5% 50% 95% max':<30} {'wrong':>5}")
    for source, pages in (("real born-digital", real), ("corpus", corpus)):
        if not pages:
            continue
        for variant, change in VARIANTS.items():
            summary(f"good: {source}, {variant}", [(n, change(t)) for n, t in pages], True)
        for garbling, change in GARBLINGS.items():
            summary(f"garbled: {source}, {garbling}", [(n, change(t)) for n, t in pages], False)
    foreign = list(OTHER_LANGUAGES.items())
    summary("good: other languages", foreign, True)
    summary("garbled: other languages, shifted +1", [(n, shift(t, 1)) for n, t in foreign], False)
    for name, text in real:
        problem = text_layer_problem(text)
        if problem and problem != NO_LAYER:
            print(f"  real page refused: {name}: {problem}")
    print("reproduce:", shlex.join([".venv/bin/python", "bench/text_layer_eval.py", "--real", str(args.real),
                                    "--corpora", str(args.corpora), "--pages", str(args.pages)]))


if __name__ == "__main__":
    main()
