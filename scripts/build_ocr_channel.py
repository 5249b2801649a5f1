"""Learn the OCR channel of old OCR runs from scans of corpus text: arhiva/repair/data/ocr_channel.tsv.

Old OCR text files were mostly made by engines without Romanian letters, which
misread ă â î ș ț (``sdptamana`` for ``săptămâna``, ``cAtre`` for ``către``,
``jn`` for ``în``, ``relanseaz4`` for ``relansează``) besides the usual letter
confusions (``rn`` for ``m``). Rather than listing these by hand, this script
measures them:

1. pages of corpus text (the training split of scripts/build_langdata.py: never
   its held-out split, nor its development split, which tunes the corrector)
   are typeset and degraded as a scanner would (arhiva.testing.scans), under
   six scanner conditions (100 to 300 dpi, blur, noise, skew), in DejaVu Serif
   and Sans at 10, 11.5 and 13 pt;
2. Tesseract reads them as old OCR runs did: ``-l eng`` (no Romanian letters;
   120 pages), and ``-l ron`` on 20 poor scans for the confusions of today's
   OCR; one single-threaded Tesseract at a time, its outputs cached under /tmp
   (keyed by text, scan and Tesseract version), so a second run reads no page;
3. each page's OCR text is aligned with its source, character by character
   (rapidfuzz Levenshtein opcodes), and cut into pairs of (true word, OCR
   word); each pair's differences are cut into edits (true string → OCR
   string: ``ă``→``d``, ``â``→``éa``, ``m``→``rn``, ``ș``→``$``), a run of
   adjacent changed letters being one edit;
4. P(OCR string | true string) = count(edit) / count(true string in the true
   words), kept when seen at least MIN_EDIT_COUNT times; the probability that a
   letter is read right is what its edits leave;
5. how often words of each length are unknown to the lexicon is measured on
   the development split, with language data built without it
   (``build_langdata.py --dev``, or ``--dev-data DIR`` already built).

The table has a row per engine and observation: ``engine<TAB>kind<TAB>true<TAB>ocr<TAB>count<TAB>of``:

- ``edit``: the true string was read as ``ocr`` ``count`` times out of the
  ``of`` times it occurs in the aligned true words. True strings are lowercase
  (case is modelled apart: a capital true letter is compared with the OCR
  letter in lowercase); OCR strings keep their case, so ``ă`` read as ``A`` is
  learnt;
- ``capital``: a word's capital first letter read as a lowercase letter
  (``Î`` as ``i``), ``count`` times out of ``of`` capitals;
- ``alone``: OCR left the character ``ocr`` alone between two lowercase words
  ``of`` times, and ``count`` times the page had ``true`` there (``0`` for
  the word ``o``);
- ``prior``: an edit of older OCR engines that the renders did not show
  (PRIOR_EDITS), with the small probability ``count``/``of``;
- ``unknown`` and ``unknown-name`` (engine ``all``): of ``of`` words of ``true``
  letters (LONGEST or more counted together) in the development split,
  ``count`` were unknown to the lexicon built without that split; ``-name``
  for capitalised words inside a sentence.

Sources: the corpora of /work/shared/corpora (see docs/language-data.md for
their licences): Romanian legislation on public procurement (rolegal, official
texts), RONEC v2 validation sentences (MIT) and UD Romanian-RRT dev sentences
(CC BY-SA 4.0); Tesseract 5 with its ``eng`` and ``ron`` models (Apache-2.0);
the DejaVu fonts; for the rates of unknown words, the language data of
build_langdata.py and its sources. Only counts are shipped, no text.

Run:  .venv/bin/python scripts/build_ocr_channel.py [--corpora ../shared/corpora] [--pages 120] [--ron-pages 20]
          [--dev-data DIR | --extra DIR]   (about 40 minutes of one core the first time)
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_langdata import CORPORA, DEFAULT_CORPORA, bucket, lines_with_diacritics, read_jsonl  # noqa: E402

from arhiva.repair.confusions import LONE, normalise_case  # noqa: E402
from arhiva.romanian.letters import to_comma_below  # noqa: E402
from arhiva.testing import scans  # noqa: E402
from arhiva.testing.scans import Degradation, Layout, degrade, render_pages  # noqa: E402

log = logging.getLogger("build_ocr_channel")

DEFAULT_OUT = ROOT / "arhiva" / "repair" / "data" / "ocr_channel.tsv"
CACHE = Path(tempfile.gettempdir()) / "arhiva-ocr-channel"

#: Scanner conditions for old OCR runs, one per page in turn, and the type sizes.
CONDITIONS = [
    ("office 150 dpi", Degradation()),
    ("blurred 200 dpi", Degradation(dpi=200, blur=1.0, noise=15)),
    ("100 dpi", Degradation(dpi=100, blur=0.5, noise=8)),
    ("skew 2°, 150 dpi", Degradation(dpi=150, skew=2.0)),
    ("clean 300 dpi", Degradation(dpi=300, blur=0.3, noise=5, speckles=50)),
    ("blurred 150 dpi", Degradation(dpi=150, blur=1.0, noise=20)),
]
#: Poor scans for Tesseract ``ron``: its confusions only show on bad pages.
POOR_CONDITIONS = [
    ("100 dpi", Degradation(dpi=100, blur=0.5, noise=8)),
    ("blurred 150 dpi", Degradation(dpi=150, blur=1.0, noise=20)),
    ("blurred 100 dpi", Degradation(dpi=100, blur=0.8, noise=15)),
]
FONT_SIZES = (11.5, 10.0, 13.0)
FONTS = ("DejaVuSerif.ttf", "DejaVuSans.ttf")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WORDS_PER_PAGE = 330
#: Pages of each split are planned in batches of this many (see corpus_pages),
#: with these seeds, so that the build and the benchmark share the OCR cache.
BATCH = {"train": 60, "dev": 20, "held-out": 20}
SEEDS = {"train": 0, "dev": 10_000, "held-out": 20_000}

#: Confusions of OCR engines older than Tesseract 4, which the renders do not
#: show (Tesseract's LSTM models read by whole lines): ``I`` for ``l``
#: (``muItor``), ``rn`` for ``m``, ``cl`` for ``d``, ``ii`` for ``u``, ``li`` or
#: ``b`` for ``h``. Each gets the small probability 1/PRIOR_OF where the renders
#: did not teach it, so that only a word much likelier than the token is taken.
PRIOR_EDITS = [("l", "I"), ("m", "rn"), ("d", "cl"), ("u", "ii"), ("h", "li"), ("h", "b")]
PRIOR_OF = 1000

#: Edits seen fewer times are dropped (noise of the alignment).
MIN_EDIT_COUNT = 3
#: Longest true and OCR strings of one edit.
MAX_TRUE, MAX_OCR = 3, 3

_WORD = re.compile(r"[^\W\d_]+")


# --- Pages ------------------------------------------------------------------

SPLITS = ("train", "dev", "held-out")


def split_of(record: dict, percent: int) -> str:
    """The split of a corpus record, as scripts/build_langdata.py draws it."""
    b = bucket(record)
    if b < percent:
        return "held-out"
    return "dev" if b < 2 * percent else "train"


def corpus_pages(corpora: Path, split: str, pages: int, batch: int = 0) -> list[str]:
    """``pages`` page texts from ``split``, half legislation, half news and mixed sentences.

    Acts are cut into pages of about WORDS_PER_PAGE words at line ends; news
    sentences go in paragraphs of four. Pages are taken evenly across each
    genre, so they do not all come from one act; each ``batch`` takes other
    pages, so more can be read without reading the first ones again.
    """
    legal: list[str] = []
    news: list[str] = []
    for name, (genre, percent) in CORPORA.items():
        for record in read_jsonl(corpora / name):
            if split_of(record, percent) != split:
                continue
            lines = lines_with_diacritics(record["text"])
            if genre == "legal":
                legal += _pages_of(lines, joiner="\n\n")
            else:
                news.extend(lines)
    news_pages = _pages_of([" ".join(news[i : i + 4]) for i in range(0, len(news), 4)], joiner="\n\n")
    half = pages // 2
    return _evenly(legal, pages - half, batch) + _evenly(news_pages, half, batch)


def _pages_of(lines: list[str], joiner: str) -> list[str]:
    out, page, count = [], [], 0
    for line in lines:
        page.append(line)
        count += len(line.split())
        if count >= WORDS_PER_PAGE:
            out.append(joiner.join(page))
            page, count = [], 0
    return out


def _evenly(items: list[str], n: int, batch: int = 0) -> list[str]:
    if n <= 0 or not items:
        return []
    step = len(items) / n
    shift = (batch * 0.618034) % 1  # batches fall between each other's pages
    return [items[int((i + shift) * step)] for i in range(min(n, len(items)))]


# --- OCR --------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    text: str
    condition: str
    how: Degradation
    font: str
    font_pt: float
    seed: int


def plan(texts: list[str], conditions: list[tuple[str, Degradation]], seed: int) -> list[Page]:
    """Each text with a scanner condition, a typeface and a type size, in turn."""
    rounds = len(conditions)
    return [
        Page(
            text, *conditions[i % rounds], FONTS[i // rounds % len(FONTS)],
            FONT_SIZES[i // (rounds * len(FONTS)) % len(FONT_SIZES)], seed + i,
        )
        for i, text in enumerate(texts)
    ]


@contextmanager
def typeface(name: str) -> Iterator[None]:
    """Render with DejaVu ``name``: arhiva.testing.scans takes the first of its FONT_CANDIDATES."""
    saved = scans.FONT_CANDIDATES
    scans.FONT_CANDIDATES = (str(FONT_DIR / name), *saved)
    try:
        yield
    finally:
        scans.FONT_CANDIDATES = saved


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
    return (out.stdout or out.stderr).splitlines()[0]


def ocr(page: Page, lang: str) -> str:
    """What Tesseract ``lang`` reads from the scanned pages of ``page``, cached under CACHE.

    One Tesseract process at a time, single-threaded: the machine is shared.
    """
    key = hashlib.sha1(
        repr((page.text, page.how, page.font, page.font_pt, page.seed, lang, tesseract_version())).encode("utf-8")
    ).hexdigest()
    cached = CACHE / f"{key}.txt"
    if cached.is_file():
        return cached.read_text("utf-8")
    CACHE.mkdir(parents=True, exist_ok=True)
    layout = Layout(font_pt=page.font_pt)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    texts = []
    with typeface(page.font):
        rendered_pages = render_pages(page.text, layout)
    for i, rendered in enumerate(rendered_pages):
        png = CACHE / f"{key}-{i}.png"
        degrade(rendered, layout.dpi, page.how, page.seed + 1000 * i).save(png, dpi=(page.how.dpi,) * 2)
        texts.append(subprocess.run(
            ["tesseract", str(png), "-", "-l", lang, "--dpi", str(page.how.dpi)],
            capture_output=True, text=True, check=True, env=env,
        ).stdout)
        png.unlink()
    out = "\n\n".join(texts)
    cached.write_text(out, "utf-8")
    return out


# --- Alignment ----------------------------------------------------------------

#: Characters OCR writes for letters: they belong to a word (``relanseaz4``, ``$i``).
WORDISH = re.compile(r"[^\W_]|[$|!@€£¢]")


def word_pairs(truth: str, ocr_text: str) -> Iterator[tuple[str, str]]:
    """(true word, OCR token) for each word of ``truth``, aligned character by character.

    The OCR token is the run of word characters (letters, digits, ``$|!@``...)
    around what the word's letters were aligned with; it holds a space when OCR
    split the word, and is empty when OCR lost the word or ran it into the next.
    """
    truth, ocr_text = " ".join(truth.split()), " ".join(ocr_text.split())
    start = [0] * (len(truth) + 1)
    end = [0] * (len(truth) + 1)
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(truth, ocr_text):
        n, m = i2 - i1, j2 - j1
        for k in range(n):
            start[i1 + k] = j1 + (k * m) // n
            end[i1 + k] = j1 + ((k + 1) * m) // n
    spans = []
    for match in _WORD.finditer(truth):
        j1, j2 = start[match.start()], end[match.end() - 1]
        while j1 > 0 and WORDISH.match(ocr_text[j1 - 1]):
            j1 -= 1
        while j2 < len(ocr_text) and WORDISH.match(ocr_text[j2]):
            j2 += 1
        spans.append((match.group(), j1, j2))
    for k, (word, j1, j2) in enumerate(spans):
        shared = (k > 0 and spans[k - 1][2] > j1) or (k + 1 < len(spans) and spans[k + 1][1] < j2)
        token = ocr_text[j1:j2]
        if shared or not any(WORDISH.match(ch) for ch in token):
            yield word, ""  # OCR lost the word, or ran it into its neighbour
            continue
        # What belongs to the neighbours: characters other than word characters at the ends.
        token = token.strip(" ")
        while token and not WORDISH.match(token[0]):
            token = token[1:]
        while token and not WORDISH.match(token[-1]):
            token = token[:-1]
        yield word, token


def edits(true: str, seen: str) -> list[tuple[str, str]] | None:
    """The edits that turn the true word into the OCR token; None if one is too long.

    Adjacent changes are one edit; an insertion is tied to the letter before it
    (or after it, at the start of the word).

    >>> edits("săptămâna", "sdptamana")
    [('ă', 'd'), ('ă', 'a'), ('â', 'a')]
    >>> edits("învățământului", "invatéméantului")
    [('î', 'i'), ('ă', 'a'), ('ț', 't'), ('ă', 'é'), ('â', 'éa')]
    """
    groups: list[list[int]] = []  # [i1, i2, j1, j2]
    for op, i, j in Levenshtein.editops(true, seen):
        i2, j2 = i + (op != "insert"), j + (op != "delete")
        last = groups[-1] if groups else None
        if last and last[1] == i and last[3] == j and (op != "replace" or last[0] == last[1]):
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i, i2, j, j2])
    out: list[tuple[str, str]] = []
    for i1, i2, j1, j2 in groups:
        if i1 == i2:  # an insertion on its own: tie it to a neighbouring letter
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        t, s = true[i1:i2], seen[j1:j2]
        if len(t) > MAX_TRUE or len(s) > MAX_OCR:
            return None
        out.append((t, s))
    return out


# --- Estimation ---------------------------------------------------------------


@dataclass
class Tally:
    """Counts of edits, of true strings, of lost capitals and of lone characters."""

    edits: Counter[tuple[str, str]] = field(default_factory=Counter)
    strings: Counter[str] = field(default_factory=Counter)
    capitals: Counter[tuple[str, str]] = field(default_factory=Counter)
    alone: Counter[tuple[str, str]] = field(default_factory=Counter)
    lone: Counter[str] = field(default_factory=Counter)
    pairs: int = 0
    skipped: int = 0


def tally(pages: list[tuple[str, str]]) -> Tally:
    """Count the edits of the (true word, OCR token) pairs of (true text, OCR text) pages.

    Every true string up to MAX_TRUE letters is counted too, for the
    probabilities. A capital first letter is also counted as itself, with what
    OCR read for it (``Î`` read as ``i``: the capital lost). Pairs whose OCR
    token was split or joined, or whose true word is in capitals (its letters
    are other glyphs), are skipped. Lone characters are counted by
    :func:`lone_characters`.
    """
    counts = Tally()
    for truth, seen_text in pages:
        for true, seen in word_pairs(truth, seen_text):
            _count_pair(counts, true, seen)
        for seen, true in lone_characters(truth, seen_text):
            counts.lone[seen] += 1
            counts.alone[(true, seen)] += 1
    return counts


def _count_pair(counts: Tally, true: str, seen: str) -> None:
    if not seen or " " in seen or (true.isupper() and len(true) > 1):
        counts.skipped += 1
        return
    found = edits(true.lower(), normalise_case(seen))
    if found is None:
        counts.skipped += 1
        return
    counts.pairs += 1
    counts.edits.update(found)
    if true[:1].isupper():
        counts.capitals[(true[0], seen[0])] += 1
        counts.strings[true[0]] += 1
    word = true.lower()
    for k in range(1, MAX_TRUE + 1):
        counts.strings.update(word[i : i + k] for i in range(len(word) - k + 1))


def lone_characters(truth: str, ocr_text: str) -> Iterator[tuple[str, str]]:
    """(OCR character, what the page had there) for each character OCR left alone between lowercase words.

    >>> list(lone_characters("are o durată și s-a dus", "are 0 durata si s-a dus"))
    [('0', 'o')]
    """
    truth, ocr_text = " ".join(truth.split()), " ".join(ocr_text.split())
    where = [0] * (len(ocr_text) + 1)
    for _, i1, i2, j1, j2 in Levenshtein.opcodes(truth, ocr_text):
        for k in range(j2 - j1):
            where[j1 + k] = i1 + (k * (i2 - i1)) // (j2 - j1)
    for match in LONE.finditer(ocr_text):
        i = where[match.start()]
        start, end = truth.rfind(" ", 0, i) + 1, truth.find(" ", i)
        word = truth[start : end if end >= 0 else len(truth)].strip(".,;:!?()[]\"'„”«»")
        yield match.group(), word


def rows(engine: str, counts: Tally) -> list[tuple[str, str, str, str, int, int]]:
    """The table rows of one engine, each seen at least MIN_EDIT_COUNT times.

    Kinds: ``edit`` (a true string and what OCR wrote for it), ``capital`` (a
    capital first letter read as a lowercase letter), ``alone`` (what the page
    had where OCR left a character alone between lowercase words; ``of`` counts
    such characters).
    """
    out = [
        (engine, "edit", true, seen, count, counts.strings[true])
        for (true, seen), count in counts.edits.items()
        if count >= MIN_EDIT_COUNT
    ]
    out += [
        (engine, "capital", capital, seen, count, counts.strings[capital])
        for (capital, seen), count in counts.capitals.items()
        if seen.islower() and count >= MIN_EDIT_COUNT
    ]
    out += [
        (engine, "alone", true, seen, count, counts.lone[seen])
        for (true, seen), count in counts.alone.items()
        if true != seen and _WORD.fullmatch(true) and count >= MIN_EDIT_COUNT
    ]
    learnt = {(true, seen) for _, kind, true, seen, _, _ in out if kind == "edit"}
    out += [
        (engine, "prior", true, seen, 1, PRIOR_OF)
        for true, seen in PRIOR_EDITS
        if (true, seen) not in learnt
    ]
    return sorted(out, key=lambda row: (row[1], row[2].lower(), row[2], -row[4], row[3]))


def split_pages(corpora: Path, split: str, engine: str, pages: int) -> list[Page]:
    """The scans of ``split`` that Tesseract ``engine`` reads, batch after batch (see BATCH)."""
    conditions = CONDITIONS if engine == "eng" else POOR_CONDITIONS
    size = BATCH[split]
    planned: list[Page] = []
    for batch in range((pages + size - 1) // size):
        count = min(size, pages - batch * size)
        texts = corpus_pages(corpora, split, count, batch)
        planned += plan(texts, conditions, SEEDS[split] + 1000 * batch)
    return planned


def read_pages(corpora: Path, split: str, engine: str, pages: int) -> list[tuple[str, str]]:
    """(true text, OCR text) of ``pages`` scans of ``split``, read by Tesseract ``engine``."""
    planned = split_pages(corpora, split, engine, pages)
    out = []
    for number, page in enumerate(planned, 1):
        # The clean-up makes cedilla letters comma-below before it looks for confusions.
        out.append((page.text, to_comma_below(ocr(page, engine))))
        log.info("%s %s page %d/%d: %s, %s %.1f pt", engine, split, number, len(planned), page.condition,
                 page.font, page.font_pt)
    return out


#: Words of this many letters or more share one rate of unknown words.
LONGEST = 14


def unknown_rates(corpora: Path, data: Path) -> list[tuple[str, str, str, str, int, int]]:
    """How often a word of each length is one the lexicon lacks: rows ``unknown`` and ``unknown-name``.

    Measured on the development split with language data built without it
    (``data``, from ``build_langdata.py --dev``), so the lexicon lacks the words
    it would lack in new text. ``unknown-name`` counts capitalised words inside
    a sentence (names, mostly), ``unknown`` the others.
    """
    from arhiva.romanian.letters import fold
    from arhiva.romanian.lexicon import WORD, Lexicon

    lexicon = Lexicon.from_table((data / "words.tsv").read_text("utf-8"))
    seen: Counter[tuple[str, int]] = Counter()
    missing: Counter[tuple[str, int]] = Counter()
    for name, (_, percent) in CORPORA.items():
        for record in read_jsonl(corpora / name):
            if split_of(record, percent) != "dev":
                continue
            for line in lines_with_diacritics(record["text"]):
                for match in WORD.finditer(line):
                    word = match.group()
                    before = line[: match.start()].rstrip()
                    inside = bool(before) and before[-1] not in ".!?:;"
                    kind = "unknown-name" if word[:1].isupper() and inside else "unknown"
                    if word.isupper() and len(word) > 1:
                        continue  # acronyms and headings
                    key = (kind, min(len(word), LONGEST))
                    seen[key] += 1
                    missing[key] += lexicon.folded_count(fold(word).lower()) == 0
    return [("all", kind, str(length), "", missing[(kind, length)], seen[(kind, length)])
            for kind, length in sorted(seen)]


def dev_language_data(corpora: Path, extra: Path | None) -> Path:
    """Language data built as the shipped data but without the development split, in a temporary folder."""
    from build_langdata import build as build_langdata

    out = Path(tempfile.mkdtemp(prefix="arhiva-dev-langdata-"))
    build_langdata(corpora, out, use_wordfreq=True, use_hunspell=True, dev=True, extra=extra)
    return out


def build(corpora: Path, out: Path, pages: int, ron_pages: int, dev_data: Path) -> None:
    table = unknown_rates(corpora, dev_data)
    for engine, count in (("eng", pages), ("ron", ron_pages)):
        counts = tally(read_pages(corpora, "train", engine, count))
        log.info("%s: %d word pairs, %d skipped, %d distinct edits", engine, counts.pairs, counts.skipped,
                 len(counts.edits))
        table += rows(engine, counts)
    header = "# engine\tkind\ttrue\tocr\tcount\tof: built by scripts/build_ocr_channel.py\n"
    out.write_text(header + "".join("\t".join(map(str, row)) + "\n" for row in table), "utf-8")
    log.info("%d rows in %s", len(table), out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pages", type=int, default=120, help="pages read with Tesseract eng")
    parser.add_argument("--ron-pages", type=int, default=20, help="poor pages read with Tesseract ron")
    parser.add_argument("--dev-data", type=Path, help="language data from build_langdata.py --dev (else built here)")
    parser.add_argument("--extra", type=Path, help="the extra corpora of build_langdata.py, to build the --dev-data")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR")
    build(args.corpora, args.out, args.pages, args.ron_pages, args.dev_data or dev_language_data(args.corpora, args.extra))


if __name__ == "__main__":
    main()
