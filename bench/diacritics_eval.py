"""Diacritics restoration and OCR confusion repair, measured on held-out text.

The held-out split is the one scripts/build_langdata.py leaves out of the
shipped data (chosen by a hash; docs/language-data.md), so the figures are for
text the model never saw. Genres: legal (legislation), news (RONEC), mixed
(UD RRT, RO-STS, SiMoNERo) and speeches (presidential speeches); the last two
partly only with ``--extra DIR``.

Prints, per genre:
- word accuracy of restore_diacritics on the held-out text stripped of its
  diacritics, over all words and over the words that carry a diacritic, beside
  the baseline that writes every word in its commonest form;
- word accuracy on the text partly stripped, as OCR leaves it (each paragraph
  kept, stripped, or stripped but for one word in ten), and how many of its
  correct words restoration changed;
- how many words restoration changes in the correct text (precision);
then the same for each paragraph alone, speed, data size and load time, and
the OCR confusion corrector on held-out text with synthetic confusions in
about 5% of the words: how many it fixes, how many correct words it breaks.

Run:  .venv/bin/python bench/diacritics_eval.py [--corpora ../shared/corpora] [--extra ../extra] [--dev] [--quick] [--data DIR]
      .venv/bin/python bench/diacritics_eval.py --extra ../extra --dev --data DIR --errors   (the errors' table, development split only)
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_langdata import DEFAULT_CORPORA, GENRES, split_corpora  # noqa: E402

from arhiva.repair.confusions import repair_ocr_confusions  # noqa: E402
from arhiva.repair.diacritics import restore_diacritics  # noqa: E402
from arhiva.romanian.letters import fold, has_diacritics  # noqa: E402
from arhiva.repair.model import ContextModel  # noqa: E402
from arhiva.romanian.lexicon import WORD, Lexicon  # noqa: E402

#: The shipped tables: the lexicon's, and the diacritics model's.
DATA = (ROOT / "arhiva" / "romanian" / "data", ROOT / "arhiva" / "repair" / "data")
_STRIP = str.maketrans("ăâîșțĂÂÎȘȚ", "aaistAAIST")


def strip(text: str) -> str:
    """``text`` without Romanian diacritics (other letters, such as é, stay)."""
    return text.translate(_STRIP)


#: The rule that tells a paragraph typed without (some of) its diacritics, fixed
#: before any result was looked at and applied alike to every held-out text:
#: the paragraph has a lowercase word (or one of four letters or more in
#: capitals) no valid spelling of which lacks diacritics (the lexicon knows the
#: word only with them: ``fisierul``, ``ORDONANTA``; not a capitalised word,
#: which may be a name), or two whose only known spellings differ in their
#: ``-ă`` (one alone may be an articled ``-a`` form the lexicon lacks:
#: ``suprema``, ``exporta``), or it
#: has fewer than TYPED_WITHOUT_SHARE of the words with diacritics that the
#: lexicon expects of its words (each word counting the share of its
#: spellings' occurrences that have diacritics: ``aplica`` 0.9, ``de`` 0),
#: where at least TYPED_WITHOUT_MIN_EXPECTED are expected.
TYPED_WITHOUT_SHARE = 0.5
TYPED_WITHOUT_MIN_EXPECTED = 2.0
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def typed_without_diacritics(paragraph: str, lexicon: Lexicon) -> bool:
    """True when ``paragraph`` looks typed without some of its diacritics (see TYPED_WITHOUT_SHARE).

    Such paragraphs are left out of the figures "on correctly written text":
    there, a word the clean-up changes is a correct word damaged, not a
    diacritic the corpus line lacks.

    >>> words = Lexicon.from_table("fișierul 9\\nde 50\\nsupremă 4\\ncurte 3\\n")
    >>> [typed_without_diacritics(t, words) for t in ("fisierul de", "fișierul de", "curte suprema", "Fisierul")]
    [True, False, False, False]
    """
    expected = 0.0
    seen = endings = 0
    for word in WORD.findall(paragraph):
        lower = word.lower()
        forms = lexicon.forms(fold(lower))
        total = sum(count for _, count in forms)
        marked = sum(count for form, count in forms if has_diacritics(form))
        if has_diacritics(lower):
            seen += 1
            expected += marked / total if total else 1.0
            continue
        if marked and (word == lower or len(word) >= 4 and word.isupper()) and lower not in (f for f, _ in forms):
            if not any(_ending_only(lower, form) for form, _ in forms):
                return True  # no valid spelling of it lacks diacritics
            endings += 1
            if endings == 2:
                return True
        expected += marked / total if total else 0.0
    return expected >= TYPED_WITHOUT_MIN_EXPECTED and seen < TYPED_WITHOUT_SHARE * expected


def _ending_only(word: str, form: str) -> bool:
    """True when ``form`` is ``word`` with ``-ă`` for its ``-a`` (``supremă``: ``suprema``, an articled form the lexicon may lack)."""
    return word[-1:] == "a" and form[-1:] == "ă" and form[:-1] == word[:-1]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (split at blank lines, as restore_diacritics splits them)."""
    return _PARAGRAPH_BREAK.split(text)


SENTENCES_PER_PARAGRAPH = 4
PARAGRAPHS_PER_DOCUMENT = 3


def documents(corpora: Path, dev: bool = False, extra: Path | None = None, without: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Held-out (genre, text): an act's lines as paragraphs; sentences and speech paragraphs in documents.

    Sentences go four to a paragraph, and paragraphs three to a document.
    """
    _, held = split_corpora(corpora, dev, extra, without)
    docs: list[tuple[str, str]] = []
    loose: dict[str, list[str]] = defaultdict(list)
    for genre, lines in held:
        if genre == "legal":
            docs.append((genre, "\n\n".join(lines)))
        else:
            loose[genre].extend(lines)
    size = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_DOCUMENT
    for genre, lines in loose.items():
        for i in range(0, len(lines), size):
            chunk = lines[i : i + size]
            paragraphs = [
                " ".join(chunk[j : j + SENTENCES_PER_PARAGRAPH]) for j in range(0, len(chunk), SENTENCES_PER_PARAGRAPH)
            ]
            docs.append((genre, "\n\n".join(paragraphs)))
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


def compare(truth: str, given: str, guess: str, tally: dict[str, int]) -> None:
    """Add to ``tally``: words, right ones, those with diacritics, and correct words of ``given`` that were changed."""
    words, inputs, guesses = WORD.findall(truth), WORD.findall(given), WORD.findall(guess)
    assert len(words) == len(guesses) == len(inputs)
    for word, given_word, guessed in zip(words, inputs, guesses):
        tally["words"] += 1
        tally["right"] += word == guessed
        if has_diacritics(word):
            tally["dia"] += 1
            tally["dia_right"] += word == guessed
        if given_word == word:
            tally["correct"] += 1
            tally["broken"] += guessed != word


def partly_stripped(text: str, rng: random.Random) -> str:
    """``text`` as OCR leaves it: each paragraph kept, stripped, or stripped but for one word in ten."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        kind = rng.choice(("kept", "stripped", "ocr"))
        if kind == "stripped":
            paragraph = strip(paragraph)
        elif kind == "ocr":
            paragraph = WORD.sub(lambda m: m.group() if rng.random() < 0.1 else strip(m.group()), paragraph)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def accuracy(docs: list[tuple[str, str]], lexicon: Lexicon) -> None:
    """Word accuracy per genre on text stripped of diacritics, partly stripped, and correct."""
    tallies: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rng = random.Random(7)
    for genre, text in docs:
        folded = strip(text)
        partly = partly_stripped(text, rng)
        runs = (
            ("model", folded, restore_diacritics(folded)[0]),
            ("baseline", folded, baseline(folded, lexicon)),
            ("partly", partly, restore_diacritics(partly)[0]),
            ("correct", text, restore_diacritics(text)[0]),
        )
        written = [not typed_without_diacritics(paragraph, lexicon) for paragraph in paragraphs(text)]
        for name, given, guess in runs:
            compare(text, given, guess, tallies[(genre, name)])
            compare(text, given, guess, tallies[("all", name)])
            for ok, *trio in zip(written, paragraphs(text), paragraphs(given), paragraphs(guess)):
                if ok:
                    compare(*trio, tallies[(genre, name + "/written")])
                    compare(*trio, tallies[("all", name + "/written")])
    genres = [genre for genre in (*GENRES, "all") if (genre, "model") in tallies]
    print("diacritics restoration on held-out text (word accuracy)")
    print(
        f"{'':9} {'':>7} | {'stripped of diacritics':^35} | {'partly stripped':^26} | {'correct text':^18}\n"
        f"{'genre':9} {'words':>7} | {'model':>8} {'baseline':>8} {'dia model':>9} {'baseline':>8}"
        f" | {'model':>8} {'correct words changed':>17} | {'words changed':>18}"
    )
    for genre in genres:
        m, b, p, c = (tallies[(genre, name)] for name in ("model", "baseline", "partly", "correct"))
        print(
            f"{genre:9} {m['words']:7d} | {m['right'] / m['words']:8.2%} {b['right'] / b['words']:8.2%}"
            f" {m['dia_right'] / m['dia']:9.2%} {b['dia_right'] / b['dia']:8.2%}"
            f" | {p['right'] / p['words']:8.2%} {p['broken']:8d} of {p['correct']:7d}"
            f" | {c['broken']:6d} ({c['broken'] / c['words']:.3%})"
        )
    print(
        "\nthe same on correctly written paragraphs only (those the rule of typed_without_diacritics "
        "takes for typed without some diacritics left out)\n"
        f"{'genre':9} {'words':>7} {'kept':>6} | {'stripped':>8} {'baseline':>8} | {'partly':>8} {'broken':>8}"
        f" | {'correct text changed':>20}"
    )
    for genre in genres:
        m, b, p, c = (tallies[(genre, name + "/written")] for name in ("model", "baseline", "partly", "correct"))
        if not m["words"]:
            continue
        print(
            f"{genre:9} {m['words']:7d} {m['words'] / tallies[(genre, 'model')]['words']:6.1%}"
            f" | {m['right'] / m['words']:8.2%} {b['right'] / b['words']:8.2%}"
            f" | {p['right'] / p['words']:8.2%} {p['broken']:8d} | {c['broken']:6d} ({c['broken'] / c['words']:.3%})"
        )


#: The short words whose spellings differ only in diacritics, each a class of errors of its own.
SHORT_PAIRS = ("si", "in", "ca", "sa", "sau", "isi", "ti", "mai")
#: The verb markers after which a wrong -a/-ă is counted apart (``să``, ``va``, ``vor``, the infinitive's ``a``).
VERB_MARKERS = ("sa", "va", "vor", "a")


def error_kind(truth: str, guess: str) -> str:
    """The class of a restoration error: a short word's pair, the ``-a``/``-ă`` ending, another ending, or inside the word.

    >>> error_kind("său", "sau"), error_kind("sala", "sală"), error_kind("țara", "tara"), error_kind("aș", "as")
    ('sau/său', '-a/-ă', 'inside the word', 'other ending')
    """
    t, g = truth.lower(), guess.lower()
    key = fold(t)
    if key in SHORT_PAIRS:
        return f"{key}/{'/'.join(sorted({t, g} - {key}) or [key])}"
    if t[:-1] == g[:-1] and {t[-1], g[-1]} == {"a", "ă"}:
        return "-a/-ă"
    if t[:-1] == g[:-1]:
        return "other ending"
    return "inside the word"


def errors(docs: list[tuple[str, str]], lexicon: Lexicon, genres: tuple[str, ...] = ("news", "mixed")) -> None:
    """Tabulate the words restored wrong in text stripped of diacritics, by class and cause (for the development split).

    Causes: the lexicon lacks the word (``unknown``), knows it but not the
    true spelling (``form unknown``: names, spellings it lacks, and the
    truth's own words typed without diacritics), or knows the true spelling
    and the context chose another (``context``; after a verb marker counted
    apart for ``-a``/``-ă``).
    """
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    words: dict[str, int] = defaultdict(int)
    for genre, text in docs:
        if genre not in genres:
            continue
        given = strip(text)
        truths, guesses = WORD.findall(text), WORD.findall(restore_diacritics(given)[0])
        words[genre] += len(truths)
        for i, (truth, guess) in enumerate(zip(truths, guesses)):
            if truth == guess:
                continue
            forms = [form for form, _ in lexicon.forms(fold(truth).lower())]
            kind = error_kind(truth, guess)
            if truth.lower() == guess.lower():
                cause = "case"
            elif not forms:
                cause = "unknown"
            elif truth.lower() not in forms:
                cause = "form unknown"
            elif kind == "-a/-ă" and i and fold(truths[i - 1]).lower() in VERB_MARKERS:
                cause = "context, after a verb marker"
            else:
                cause = "context"
                pairs[(truth.lower(), guess.lower())] += 1
            table[f"{kind} | {cause}"][genre] += 1
    print(f"\nerrors on text stripped of diacritics, by class and cause ({', '.join(f'{g}: {words[g]} words' for g in genres)})")
    print(f"{'class | cause':46} " + " ".join(f"{g:>8}" for g in genres) + f" {'all':>6}")
    for row, counts in sorted(table.items(), key=lambda item: -sum(item[1].values())):
        print(f"{row:46} " + " ".join(f"{counts[g]:8d}" for g in genres) + f" {sum(counts.values()):6d}")
    print(f"{'total':46} " + " ".join(f"{sum(c[g] for c in table.values()):8d}" for g in genres)
          + f" {sum(sum(c.values()) for c in table.values()):6d}")
    print("commonest context errors (truth <- restored): " + ", ".join(
        f"{truth} <- {guess} {n}" for (truth, guess), n in sorted(pairs.items(), key=lambda item: -item[1])[:15]))


def unchanged(docs: list[tuple[str, str]]) -> None:
    """Restore text that has its diacritics, each paragraph alone (little evidence to decide on)."""
    lexicon = Lexicon.load()
    words = changed = written_words = written_changed = 0
    for _, text in docs:
        for paragraph in text.split("\n\n"):
            n, edits = len(WORD.findall(paragraph)), len(restore_diacritics(paragraph)[1])
            words += n
            changed += edits
            if not typed_without_diacritics(paragraph, lexicon):
                written_words += n
                written_changed += edits
    print(f"\ncorrect text stays correct (each paragraph alone): {changed} of {words} words changed ({changed / words:.3%}); "
          f"correctly written paragraphs only: {written_changed} of {written_words} ({written_changed / written_words:.3%})")


def speed(docs: list[tuple[str, str]]) -> None:
    folded = [strip(text) for _, text in docs]
    words = sum(len(text.split()) for text in folded)
    print()
    for kind, texts in (("text without diacritics", folded), ("correct text", [text for _, text in docs])):
        started, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            restore_diacritics(text)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"speed: restore_diacritics {words / elapsed:,.0f} words/s ({words / cpu:,.0f} per CPU second; {words} words, {kind})")
    started = time.perf_counter()
    for _, text in docs:
        repair_ocr_confusions(text)
    elapsed = time.perf_counter() - started
    print(f"speed: repair_ocr_confusions {words / elapsed:,.0f} words/s")


def size_and_load(data: Path | None = None) -> None:
    """The size of the tables (shipped, or in ``data``) and the time a fresh process takes to read them."""
    folders = (data,) if data else DATA
    paths = {path.stem: path for folder in folders for path in folder.glob("*.tsv") if path.stem in TABLES}
    size = sum(path.stat().st_size for path in paths.values())
    code = (
        "import sys, time; t, c = time.perf_counter(), time.process_time(); "
        f"sys.path.insert(0, {str(ROOT)!r}); from arhiva.romanian.lexicon import Lexicon; "
        "from arhiva.repair.model import ContextModel; "
        f"p = {dict((k, str(v)) for k, v in paths.items())!r}; r = lambda n: open(p[n], encoding='utf-8').read(); "
        "m = ContextModel.from_tables(Lexicon.from_table(r('words')), r('context'), r('affixes'), "
        "lambda: r('spellings') if 'spellings' in p else ''); "
        "w, u = time.perf_counter() - t, time.process_time() - c; c = time.process_time(); m.spelling('x'); "
        "print(w, u, time.process_time() - c)"
    )
    runs = [
        tuple(map(float, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()))
        for _ in range(3)
    ]
    wall, cpu, later = min(runs)
    where = data or " and ".join(str(folder.relative_to(ROOT)) for folder in folders)
    print(
        f"\ndata: {size / 1e6:.2f} MB on disk in {where}; load time {wall:.3f} s ({cpu:.3f} s CPU; import + read, "
        f"fresh process); spellings.tsv at the first word the lexicon lacks, in text that drops diacritics: "
        f"{later:.3f} s CPU more"
    )


#: The language tables restoration reads.
TABLES = ("words", "context", "affixes", "spellings")


def use_data(data: Path) -> None:
    """Make ``Lexicon.load()`` and ``ContextModel.load()`` return the tables in ``data`` (built with build_langdata.py --out) instead of the shipped ones."""
    from arhiva.repair import model as model_module
    from arhiva.romanian import lexicon as lexicon_module

    loaded = ContextModel.from_folder(data)
    lexicon_module._load_shipped = lambda: loaded.lexicon
    model_module._load_shipped = lambda: loaded


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
    parser.add_argument("--extra", type=Path, default=None, help="checkouts of the extra corpora (docs/language-data.md)")
    parser.add_argument("--dev", action="store_true", help="evaluate on the development split (for tuning)")
    parser.add_argument("--quick", action="store_true", help="accuracy only")
    parser.add_argument("--errors", action="store_true", help="with --dev: tabulate the errors on news and mixed text")
    parser.add_argument("--data", type=Path, default=None, help="language tables to use instead of the shipped ones")
    parser.add_argument("--without", action="append", default=[], metavar="NAME",
                        help="with --extra: leave out the held-out text of one extra corpus (repeatable)")
    args = parser.parse_args()
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    if args.errors and not args.dev:
        sys.exit("--errors is for the development split: pass --dev (and --data DIR built with build_langdata.py --dev)")
    if args.data:
        use_data(args.data)
    docs = documents(args.corpora, args.dev, args.extra, tuple(args.without))
    extra = f" --extra {args.extra}" if args.extra else ""
    extra += f" --data {args.data}" if args.data else ""
    print(f".venv/bin/python bench/diacritics_eval.py --corpora {args.corpora}{extra}{' --dev' if args.dev else ''}"
          f"{' --errors' if args.errors else ''}")
    counts = ", ".join(f"{sum(g == genre for g, _ in docs)} {genre}" for genre in GENRES if any(g == genre for g, _ in docs))
    print(f"{'development' if args.dev else 'held-out'} documents: {counts}\n")
    if args.errors:
        errors(docs, Lexicon.load())
        return
    accuracy(docs, Lexicon.load())
    if args.quick:
        return
    unchanged(docs)
    speed(docs)
    size_and_load(args.data)
    confusions(docs)


if __name__ == "__main__":
    main()
