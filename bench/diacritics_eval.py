"""Diacritics restoration and OCR confusion repair, measured on held-out text.

The held-out split is the one scripts/build_langdata.py leaves out of the
shipped data (10% of the legislation acts, 20% of the news and mixed-genre
sentences, chosen by a hash), so the figures are for text the model never saw.

Prints:
- word accuracy of restore_diacritics on the held-out text stripped of its
  diacritics, over all words and over the words that carry a diacritic, per
  genre, beside the baseline that writes every word in its commonest form;
- the share of words changed when the text already has its diacritics;
- speed, data size on disk and load time;
- the OCR confusion corrector on held-out text with synthetic confusions in
  about 5% of the words: how many it fixes, how many correct words it breaks.

Run:  .venv/bin/python bench/diacritics_eval.py [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_langdata import DEFAULT_CORPORA, split_corpora  # noqa: E402

from arhiva.romanian.confusions import repair_ocr_confusions  # noqa: E402
from arhiva.romanian.diacritics import restore_diacritics  # noqa: E402
from arhiva.romanian.letters import fold, has_diacritics  # noqa: E402
from arhiva.romanian.lexicon import WORD, Lexicon  # noqa: E402

DATA = ROOT / "arhiva" / "romanian" / "data"
_STRIP = str.maketrans("ăâîșțĂÂÎȘȚ", "aaistAAIST")


def strip(text: str) -> str:
    """``text`` without Romanian diacritics (other letters, such as é, stay)."""
    return text.translate(_STRIP)
SENTENCES_PER_PARAGRAPH = 4
PARAGRAPHS_PER_DOCUMENT = 3


def documents(corpora: Path, dev: bool = False) -> list[tuple[str, str]]:
    """Held-out (genre, text): an act's lines as paragraphs; news sentences in paragraphs of 4."""
    _, held = split_corpora(corpora, dev)
    docs: list[tuple[str, str]] = []
    loose: list[str] = []
    for genre, lines in held:
        if genre == "legal":
            docs.append((genre, "\n\n".join(lines)))
        else:
            loose.extend(lines)
    size = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_DOCUMENT
    for i in range(0, len(loose), size):
        chunk = loose[i : i + size]
        paragraphs = [
            " ".join(chunk[j : j + SENTENCES_PER_PARAGRAPH]) for j in range(0, len(chunk), SENTENCES_PER_PARAGRAPH)
        ]
        docs.append(("news/mixed", "\n\n".join(paragraphs)))
    return docs


def baseline(text: str, lexicon: Lexicon) -> str:
    """Every known word in its commonest spelling, case kept; unknown words as they are."""

    def commonest(match) -> str:
        word = match.group()
        forms = lexicon.forms(fold(word).lower())
        if not forms or len(forms[0][0]) != len(word):
            return word
        return "".join(r.upper() if o.isupper() else r for o, r in zip(word, forms[0][0]))

    return WORD.sub(commonest, text)


def compare(truth: str, guess: str, tally: dict[str, int]) -> None:
    words, guesses = WORD.findall(truth), WORD.findall(guess)
    assert len(words) == len(guesses)
    for word, guessed in zip(words, guesses):
        tally["words"] += 1
        tally["right"] += word == guessed
        if has_diacritics(word):
            tally["dia"] += 1
            tally["dia_right"] += word == guessed


def accuracy(docs: list[tuple[str, str]], lexicon: Lexicon) -> None:
    tallies: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for genre, text in docs:
        folded = strip(text)
        restored = restore_diacritics(folded)[0]
        for name, guess in (("model", restored), ("baseline", baseline(folded, lexicon))):
            compare(text, guess, tallies[(genre, name)])
            compare(text, guess, tallies[("all", name)])
    print("diacritics restoration on held-out text stripped of diacritics (word accuracy)")
    print(f"{'genre':12} {'words':>7} {'model':>8} {'baseline':>9}   {'with diacritic':>14} {'model':>8} {'baseline':>9}")
    for genre in ("legal", "news/mixed", "all"):
        m, b = tallies[(genre, "model")], tallies[(genre, "baseline")]
        print(
            f"{genre:12} {m['words']:7d} {m['right'] / m['words']:8.2%} {b['right'] / b['words']:9.2%}"
            f"   {m['dia']:14d} {m['dia_right'] / m['dia']:8.2%} {b['dia_right'] / b['dia']:9.2%}"
        )


def unchanged(docs: list[tuple[str, str]]) -> None:
    """Restore text that has its diacritics: whole documents, then each paragraph alone."""
    print()
    for label, texts in (
        ("documents", [text for _, text in docs]),
        ("each paragraph alone", [p for _, text in docs for p in text.split("\n\n")]),
    ):
        words = changed = 0
        for text in texts:
            words += len(WORD.findall(text))
            changed += len(restore_diacritics(text)[1])
        print(f"correct text stays correct ({label}): {changed} of {words} words changed ({changed / words:.3%})")


def speed(docs: list[tuple[str, str]]) -> None:
    folded = [strip(text) for _, text in docs]
    words = sum(len(text.split()) for text in folded)
    started = time.perf_counter()
    for text in folded:
        restore_diacritics(text)
    elapsed = time.perf_counter() - started
    print(f"\nspeed: restore_diacritics {words / elapsed:,.0f} words/s ({words} words, text without diacritics, 1 core)")
    started = time.perf_counter()
    for _, text in docs:
        repair_ocr_confusions(text)
    elapsed = time.perf_counter() - started
    print(f"speed: repair_ocr_confusions {words / elapsed:,.0f} words/s")


def size_and_load() -> None:
    size = sum(path.stat().st_size for path in DATA.glob("*.tsv"))
    code = (
        "import time; t = time.perf_counter(); from arhiva.romanian.lexicon import Lexicon; "
        "Lexicon.load(); print(time.perf_counter() - t)"
    )
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)]
    runs += [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)]
    print(f"\ndata: {size / 1e6:.2f} MB on disk in {DATA.relative_to(ROOT)}; load time {min(runs):.3f} s (import + read, fresh process)")


#: Synthetic OCR confusions: (what the page had, what the OCR read).
CONFUSIONS = [
    ("l", "I"), ("l", "1"), ("o", "0"), ("m", "rn"), ("d", "cl"), ("u", "ii"), ("e", "c"), ("c", "e"),
    ("î", "T"), ("î", "f"), ("ă", "ad"), ("n", "ri"), ("h", "b"), ("i", "l"),
]


def damage(word: str, rng: random.Random) -> str | None:
    """``word`` with one OCR confusion, or None when none applies."""
    options = []
    for good, bad in CONFUSIONS:
        if good == "ă":
            if word.endswith("ă"):
                options.append(word[:-1] + bad)
            continue
        if good == "î":
            if word.startswith("î"):
                options.append(bad + word[1:])
            continue
        start = word.find(good)
        while start != -1:
            options.append(word[:start] + bad + word[start + len(good) :])
            start = word.find(good, start + 1)
    return rng.choice(options) if options else None


def confusions(docs: list[tuple[str, str]], rate: float = 0.07, seed: int = 1) -> None:
    rng = random.Random(seed)
    injected = fixed = fixed_exact = broken = clean = 0
    for _, text in docs:
        tokens = text.split()
        truth = list(tokens)
        damaged_at = set()
        for i, token in enumerate(tokens):
            if WORD.fullmatch(token) and len(token) > 1 and rng.random() < rate:
                bad = damage(token, rng)
                if bad:
                    tokens[i] = bad
                    damaged_at.add(i)
        repaired = repair_ocr_confusions(" ".join(tokens))[0].split()
        assert len(repaired) == len(truth)
        for i, (want, got) in enumerate(zip(truth, repaired)):
            if i in damaged_at:
                injected += 1
                fixed += fold(got) == fold(want)
                fixed_exact += got == want
            else:
                clean += 1
                broken += got != want
    print(
        f"\nOCR confusions: {injected} words damaged ({injected / (injected + clean):.1%}); "
        f"fixed {fixed} ({fixed / injected:.1%}; {fixed_exact / injected:.1%} with exact diacritics); "
        f"broke {broken} of {clean} correct words ({broken / clean:.3%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--dev", action="store_true", help="evaluate on the development split (for tuning)")
    args = parser.parse_args()
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    docs = documents(args.corpora, args.dev)
    print(f".venv/bin/python bench/diacritics_eval.py --corpora {args.corpora}")
    print(f"held-out: {sum(g == 'legal' for g, _ in docs)} legal acts, {sum(g != 'legal' for g, _ in docs)} news/mixed documents\n")
    accuracy(docs, Lexicon.load())
    unchanged(docs)
    speed(docs)
    size_and_load()
    confusions(docs)


if __name__ == "__main__":
    main()
