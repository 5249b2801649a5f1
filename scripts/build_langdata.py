"""Build the shipped Romanian language data from corpora: the lexicon and repair's diacritics model.

Reads the gzip JSON Lines corpora (``{"id", "text"}``), sets aside a held-out
split for evaluation (see :func:`is_held_out`), and writes from the rest:

- ``words.tsv``    every lowercase word form and its count (the shared lexicon,
                   ``arhiva/romanian/data/``);
- ``context.tsv``  left/right neighbour counts (neighbours folded) for the forms of
                   words that are ambiguous without diacritics (``arhiva/repair/data/``);
- ``affixes.tsv``  how a, i, s, t are spelled between the letters around them,
                   for words the lexicon does not know (``arhiva/repair/data/``);
- ``spellings.tsv`` hunspell-ro's spelling of the words the lexicon does not know
                   that those letter rules would misspell (``arhiva/repair/data/``;
                   empty without ``--hunspell``).

With ``--out DIR`` the four tables go into DIR together (data to tune on,
read by ``bench/diacritics_eval.py --data DIR``).

Lines written without diacritics (they contain the token ``si`` or ``in``) are
dropped: they would teach the model that ``si`` is a word.

With ``--wordfreq`` (default) words of the wordfreq package that the corpora
lack are added; with ``--hunspell`` (default) the hunspell-ro dictionary drops
corpus misspellings and teaches the letter rules. Neither is needed at
run time. ``--dev`` builds the data used to tune the model's settings.

Run:  .venv/bin/python scripts/build_langdata.py [--corpora ../shared/corpora] [--no-wordfreq] [--no-hunspell]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import logging
import math
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arhiva.romanian.letters import fold, has_diacritics, to_comma_below  # noqa: E402
from arhiva.repair.diacritics import (  # noqa: E402
    CASE_SIDE, COMMA_CONTEXT, LETTER_SHAPES, only_adds, restore_unknown, gap_mark, word_case,
)
from arhiva.repair.model import BOUNDARY, ContextModel  # noqa: E402
from arhiva.romanian.lexicon import WORD, Lexicon  # noqa: E402

log = logging.getLogger("build_langdata")

DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
#: Where the shipped tables go: the shared lexicon, and repair's diacritics model.
LEXICON_OUT = ROOT / "arhiva" / "romanian" / "data"
MODEL_OUT = ROOT / "arhiva" / "repair" / "data"
HUNSPELL = Path("/usr/share/hunspell/ro_RO.dic")

#: corpus file -> (genre, share of it held out in percent)
CORPORA = {
    "legislatie-achizitii.jsonl.gz": ("legal", 10),
    "ronec-valid.jsonl.gz": ("news", 20),
    "ud-rrt-dev.jsonl.gz": ("mixed", 20),
}

#: Extra corpora, read from ``--extra DIR`` where each is a checkout of its public
#: repository (see docs/language-data.md): name -> (files under DIR, format, genre,
#: share held out in percent). Only these files are read: never a test split.
EXTRA = {
    "presidential-speeches": (("RomanianPresidentialDiscourses/disc/*_texts.txt",), "lines", "speeches", 10),
    "ro-sts": (("RO-STS/dataset/ro-en/RO-STS.train.ro", "RO-STS/dataset/ro-en/RO-STS.dev.ro"), "lines", "mixed", 20),
    "simonero-dev": (("UD_Romanian-SiMoNERo/ro_simonero-ud-dev.conllu",), "conllu", "mixed", 20),
    "ntrex": (("NTREX/NTREX-128/newstest2019-ref.ron.txt",), "lines", "news", 20),
    "flores": (("flores/ron_Latn.dev", "flores/ron_Latn.devtest"), "lines", "mixed", 20),
    "xquad": (("xquad/xquad.ro.json",), "squad", "mixed", 20),
    "wmt24pp": (("wmt24pp/en-ro_RO.jsonl",), "wmt24pp", "mixed", 20),
}

#: The genres, in the order the benchmark prints them.
GENRES = ("legal", "news", "mixed", "speeches")

_SENTENCE_END = re.compile(r"[.!?;:]")
_NO_DIACRITICS = re.compile(r"(?<!\w)(?:si|in|Si|In)(?!\w)")

#: Passes of the filter that drops training lines written without some diacritics.
FILTER_PASSES = 4

#: Context positions counted for ambiguous words, relative to the word.
SIDES = {"L": -1, "R": 1, "L2": -2, "R2": 2}


def split_key(record: dict) -> str:
    """What decides a record's split: its id, or for legislation its title.

    The legislation corpus holds the same act several times under different ids;
    hashing the title keeps all copies on the same side of the split.
    """
    if record["id"].startswith("legislatie"):
        lines = [line for line in record["text"].split("\n") if line.strip()]
        return " ".join(lines[:3])[:120]
    return record["id"]


def bucket(record: dict) -> int:
    """A stable number 0-99 from a hash of :func:`split_key`."""
    digest = hashlib.sha1(split_key(record).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100


def is_held_out(record: dict, percent: int) -> bool:
    """True for the records set aside for evaluation."""
    return bucket(record) < percent


def is_dev(record: dict, percent: int) -> bool:
    """True for the records of the development split, used to tune the model's settings.

    They are left out of the data only when building for tuning (``--dev``);
    the shipped data includes them.
    """
    return percent <= bucket(record) < 2 * percent


def read_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_extra(extra: Path, name: str) -> Iterator[dict]:
    """The records of an extra corpus as ``{"id", "text"}``: a line of a text file, or a CoNLL-U sentence.

    A line's id is the line itself, so that a sentence repeated in the corpus
    (RO-STS pairs share sentences) falls on one side of the split.
    """
    patterns, kind, _, _ = EXTRA[name]
    paths = sorted(path for pattern in patterns for path in extra.glob(pattern))
    if not paths:
        raise FileNotFoundError(f"{name}: no {' or '.join(patterns)} under {extra}")
    for path in paths:
        text = path.read_text("utf-8", errors="replace")
        if kind == "conllu":
            lines = [line[len("# text = "):] for line in text.splitlines() if line.startswith("# text = ")]
        elif kind == "squad":  # a reading-comprehension set: its paragraphs (the questions are not prose)
            data = json.loads(text)["data"]
            lines = [paragraph["context"] for article in data for paragraph in article["paragraphs"]]
        elif kind == "wmt24pp":  # the post-edited translations, not the segments flagged as bad sources
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            lines = [row["target"].replace("\n", " ") for row in rows if not row.get("is_bad_source")]
        else:
            lines = text.splitlines()
        for line in lines:
            line = line.strip()
            if line and "\ufffd" not in line:
                yield {"id": f"{name}:{line}", "text": line}


def lines_with_diacritics(text: str) -> list[str]:
    """The non-empty lines of ``text``, minus those written without diacritics.

    A line goes when it has the token ``si`` or ``in``; a whole text goes when it
    is long and has hardly any diacritics (one act in the legislation corpus).
    """
    text = to_comma_below(text)
    words = len(WORD.findall(text))
    if words >= 200 and sum(has_diacritics(ch) for ch in text) < 0.05 * words:
        return []
    return [line.strip() for line in text.split("\n") if line.strip() and not _NO_DIACRITICS.search(line)]


def split_corpora(
    corpora: Path, dev: bool = False, extra: Path | None = None, without: Iterable[str] = ()
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(training lines, held-out records as (genre, lines)) from all corpora.

    With ``dev``, the development split is held out instead, and the held-out
    split is left out of both. With ``extra``, the corpora of :data:`EXTRA` are
    read from there too, except those named in ``without``.
    """
    unknown = set(without) - set(EXTRA)
    if unknown:
        raise ValueError(f"no extra corpus named {', '.join(sorted(unknown))}: one of {', '.join(EXTRA)}")
    sources: list[tuple[Iterable[dict], str, int]] = [
        (read_jsonl(corpora / name), genre, percent) for name, (genre, percent) in CORPORA.items()
    ]
    if extra is not None:
        sources += [(read_extra(extra, name), genre, percent) for name, (_, _, genre, percent) in EXTRA.items()
                    if name not in without]
    train: list[str] = []
    held: list[tuple[str, list[str]]] = []
    for records, genre, percent in sources:
        for record in records:
            lines = lines_with_diacritics(record["text"])
            if (is_dev if dev else is_held_out)(record, percent):
                if lines:
                    held.append((genre, lines))
            elif not (dev and is_held_out(record, percent)):
                train.extend(lines)
    return train, held


def sentences(line: str, lower: bool = True, commas: bool = False) -> Iterator[list[str]]:
    """The words of a line, lowercase unless ``lower`` is false, cut into sentences at . ! ? ; :

    With ``commas``, a comma between two words of a sentence is a token of its
    own (COMMA), as :func:`arhiva.repair.diacritics.restore_diacritics` reads it.

    >>> list(sentences("Da, spune că vine. Apoi pleacă", commas=True))
    [['da', ',', 'spune', 'că', 'vine'], ['apoi', 'pleacă']]
    """
    words: list[str] = []
    last = 0
    for match in WORD.finditer(line):
        if words and _SENTENCE_END.search(line, last, match.start()):
            yield words
            words = []
        elif words and commas and COMMA_CONTEXT and (mark := gap_mark(line[last : match.start()])):
            words.append(mark)
        words.append(match.group().lower() if lower else match.group())
        last = match.end()
    if words:
        yield words


def count_words(lines: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        for sentence in sentences(line):
            counts.update(sentence)
    return counts


def drop_rare_variants(counts: Counter[str], dictionary: set[str] | None = None) -> Counter[str]:
    """Drop the spellings that are most likely typos of the corpus.

    A spelling goes when it is seen less than 1% as often as the commonest
    spelling of its folded word, or less than 5% as often when it only lacks
    some of the commonest spelling's diacritics (``obligatia`` once beside
    ``obligația`` 1,433 times). Such typos would be chosen whenever their
    context happens to fit. A spelling the dictionary has stays: ``sa`` beside
    ``să``, the infinitive ``abroga`` beside ``abrogă``.
    """
    best: dict[str, tuple[int, str]] = {}
    for form, count in counts.items():
        key = fold(form)
        if count > best.get(key, (0, ""))[0]:
            best[key] = (count, form)
    kept: Counter[str] = Counter()
    for form, count in counts.items():
        top, top_form = best[fold(form)]
        lacks = form != top_form and _lacks_diacritics_of(form, top_form)
        if (dictionary is not None and form in dictionary) or (
            count >= 0.01 * top and not (lacks and count < 0.05 * top)
        ):
            kept[form] = count
    return kept


def _lacks_diacritics_of(form: str, other: str) -> bool:
    return all(a == b or fold(b) == a for a, b in zip(form, other))


def plain_lines(
    lines: list[str], counts: Counter[str], telltale: set[str] | None = None, dictionary: set[str] | None = None
) -> tuple[set[int], set[str]]:
    """Indexes of the lines that look written without some of their diacritics.

    A word is suspect when written without diacritics although its commonest
    spelling has them (``aplicarii``), and telltale when that plain spelling is
    also rare (under 5% of the word). A line goes when it has two suspects or one
    telltale: correct lines seldom have even one. Returns the indexes and the
    telltale words, to be kept for the next pass (recomputed, they would
    shrink the rarer correct spellings such as ``sa`` pass after pass).

    With a ``dictionary``, a plain spelling it has (``sa``, ``ca``) is never
    suspect, and one it lacks is telltale.
    """
    totals: Counter[str] = Counter()
    best: dict[str, str] = {}
    for form, count in counts.items():
        key = fold(form)
        totals[key] += count
        if count > counts.get(best.get(key, ""), 0):
            best[key] = form
    suspect = {key for key, total in totals.items() if total >= 10 and best[key] != key}
    if dictionary is not None:
        suspect -= dictionary
        telltale = suspect
    elif telltale is None:
        telltale = {key for key in suspect if counts.get(key, 0) < 0.05 * totals[key]}
    dropped = set()
    for i, line in enumerate(lines):
        plain = [word for word in (w.lower() for w in WORD.findall(line)) if word in suspect]
        if len(plain) >= 2 or any(word in telltale for word in plain):
            dropped.add(i)
    return dropped, telltale


def ambiguous_keys(counts: Counter[str]) -> set[str]:
    """Folded words with two or more spellings, the rarer ones seen at least twice."""
    forms: dict[str, list[int]] = defaultdict(list)
    for form, count in counts.items():
        forms[fold(form)].append(count)
    return {key for key, seen in forms.items() if len(seen) > 1 and sum(seen) - max(seen) >= 2}


def count_contexts(lines: Iterable[str], ambiguous: set[str], counts: Counter[str]) -> Counter[tuple[str, str, str]]:
    """Counts of (side, folded neighbour, form) for the forms of ambiguous words.

    Sides: ``L``/``R`` the word just before/after, ``L2``/``R2`` the one before
    that/after that, and ``C`` the word's own case inside a sentence (``Aa``,
    ``aa``: see :func:`arhiva.repair.diacritics.word_case`). The count of
    sentences is kept as (L, BOUNDARY, BOUNDARY).
    Where the forms of a word differ in their last letter (``vizita``,
    ``vizită``), the neighbours are also counted for the class of all such
    forms of four letters or more, named ``-`` and that letter (``-a``,
    ``-ă``): rare words borrow it. (Short words such as ``să``/``sa`` would
    swamp it.)
    """
    endings: dict[str, set[str]] = defaultdict(set)
    for form in counts:
        endings[fold(form)].add(form[-1])
    result: Counter[tuple[str, str, str]] = Counter()
    for line in lines:
        for written in sentences(line, lower=False, commas=True):
            sentence = [word.lower() for word in written]
            result[("L", BOUNDARY, BOUNDARY)] += 1
            folded = [BOUNDARY, BOUNDARY] + [fold(word) for word in sentence] + [BOUNDARY, BOUNDARY]
            for i, word in enumerate(sentence, start=2):
                if folded[i] not in ambiguous:
                    continue
                cls = "-" + word[-1] if len(word) >= 4 and len(endings[folded[i]]) > 1 else None
                sides = [(side, folded[i + j]) for side, j in SIDES.items()]
                case = word_case(written[i - 2]) if i > 2 else None
                if case is not None:
                    sides.append((CASE_SIDE, case))
                for side, neighbour in sides:
                    result[(side, neighbour, word)] += 1
                    if cls:
                        result[(side, neighbour, cls)] += 1
    return result


#: Letter rules (windows: LETTER_SHAPES of arhiva.repair.diacritics): how many
#: word types a window must be seen in.
LETTER_MIN_TYPES = 4
#: A window's commonest spelling of the letter is taken when this share of its types has it; else the plain letter.
LETTER_SURE = 0.75


def letter_rules(
    words: Iterable[str], shapes=LETTER_SHAPES, min_types: int = LETTER_MIN_TYPES, sure: float = LETTER_SURE
) -> list[tuple[str, str, str]]:
    """How a, i, s, t written without diacritics are spelled, by the letters around them, as (``C``, window, letter).

    For each letter a, i, s or t of each word type (``^`` and ``$`` mark the
    word's ends), the letters around it without diacritics, the letter in
    capitals (``^depArt``): the spelling most types with that window have,
    where at least ``min_types`` have it. A window is listed only where it
    decides otherwise than the narrower windows inside it, and is looked up
    widest first. For words the lexicon does not know: ``indepartatele`` →
    ``îndepărtatele``.
    """
    positions = []
    for word in words:
        marked = "^" + fold(word) + "$"
        positions += [(marked, i, letter) for i, letter in enumerate(word, 1) if marked[i] in "aist"]
    predicted = [marked[i] for marked, i, _ in positions]
    rows = []
    for before, after in shapes:
        keys = [marked[max(0, i - before) : i] + marked[i].upper() + marked[i + 1 : i + 1 + after] for marked, i, _ in positions]
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for key, (_, _, letter) in zip(keys, positions):
            seen[key][letter] += 1
        decided = {}
        for key, letters in seen.items():
            types = sum(letters.values())
            if types >= min_types:
                best, count = letters.most_common(1)[0]
                decided[key] = best if count >= sure * types else next(ch for ch in key if ch.isupper()).lower()
        listed = set()
        still = []
        for n, key in enumerate(keys):
            best = decided.get(key, predicted[n])
            if best != predicted[n] and key not in listed:
                listed.add(key)
                rows.append(("C", key, best))
            if len(seen[key]) > 1 or best != positions[n][2]:
                still.append((positions[n], best))
        positions = [position for position, _ in still]
        predicted = [best for _, best in still]
    return rows


def hunspell_words(dictionary: Path = HUNSPELL) -> set[str]:
    """Every lowercase form of the hunspell-ro dictionary, expanded with ``unmunch``."""
    expanded = subprocess.run(
        ["unmunch", str(dictionary.with_suffix(".dic")), str(dictionary.with_suffix(".aff"))],
        capture_output=True, check=True,
    ).stdout.decode("utf-8", "replace")
    return {to_comma_below(w).lower() for w in expanded.split() if WORD.fullmatch(w)}


def drop_non_words(counts: Counter[str], dictionary: set[str]) -> Counter[str]:
    """Drop corpus spellings the dictionary lacks when it has another spelling of the same folded word.

    ``aplicarii`` goes (the dictionary has ``aplicării``); names and words the
    dictionary has never heard of stay.
    """
    known_keys = {fold(word) for word in dictionary}
    return Counter({
        form: count for form, count in counts.items()
        if form in dictionary or fold(form) not in known_keys
    })


def wordfreq_counts(scale: int, known: Counter[str], dictionary: set[str] | None = None) -> Counter[str]:
    """Romanian words from wordfreq that the corpora lack, with pseudo-counts.

    A form without diacritics is skipped when wordfreq also has a diacritized
    spelling of it: web text often drops diacritics.
    """
    from wordfreq import get_frequency_dict

    known_keys = {fold(word) for word in known}
    freqs = {to_comma_below(w): f for w, f in get_frequency_dict("ro").items() if WORD.fullmatch(w)}
    diacritized = {fold(w) for w in freqs if has_diacritics(w)}
    dictionary_keys = {fold(w) for w in dictionary} if dictionary is not None else set()
    extra: Counter[str] = Counter()
    for word, freq in freqs.items():
        key = fold(word)
        if key in known_keys or (not has_diacritics(word) and key in diacritized):
            continue
        if dictionary is not None and word not in dictionary and key in dictionary_keys:
            continue
        extra[word] = max(1, round(freq * scale))
    return extra


#: Sides whose pairs tell least (weighed least by the model), listed from a higher count.
FAR_SIDES = ("L2", "R2")


def context_table(
    context: Counter, min_count: int = 1, min_information: float = 0.0, min_count_far: int | None = None
) -> list[tuple[str, str, int, int, list]]:
    """The rows of context.tsv: (side, form, neighbours seen, pairs seen, [(neighbour, count), ...] kept).

    Every pair counts in the number of neighbours and pairs of its form, which
    set how much of the form's probability goes to its back-off (Witten-Bell);
    a pair is listed when seen at least ``min_count`` times (``min_count_far``
    on FAR_SIDES) and when what its neighbour tells about the word's spelling is worth at least
    ``min_information`` (see :func:`pair_information`). A pair left out is told
    by the back-off.
    """
    information = pair_information(context) if min_information > 0 else {}
    rows: dict[tuple[str, str], list] = {}
    for (side, neighbour, form), count in context.items():
        row = rows.setdefault((side, form), [0, 0, []])
        row[0] += 1
        row[1] += count
        least = min_count_far if min_count_far is not None and side in FAR_SIDES else min_count
        keep = count >= least and information.get((side, neighbour, _group(form)), math.inf) >= min_information
        if keep or (neighbour, form) == (BOUNDARY, BOUNDARY):
            row[2].append((neighbour, count))
    return [
        (side, form, types, total, sorted(pairs, key=lambda pair: (-pair[1], pair[0])))
        for (side, form), (types, total, pairs) in sorted(rows.items())
    ]


def _group(form: str) -> str:
    """The forms a neighbour helps to choose among: a word's spellings, or the ending classes (``-a``, ``-ă``)."""
    return "-" if form.startswith("-") else fold(form)


def pair_information(context: Counter) -> dict[tuple[str, str, str], float]:
    """For each (side, neighbour, group of forms): how much the neighbour tells about the form, in nats.

    The count of the neighbour with the group times the Kullback-Leibler
    divergence of the forms' shares beside it from their shares overall: a
    neighbour every spelling has alike (``de`` beside ``tara``/``țara``/``țară``) tells
    nothing and can be left to the back-off; one seen twice with the rare
    spelling of a word tells much more than one seen twice with its common one.
    """
    totals: Counter = Counter()
    beside: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for (side, neighbour, form), count in context.items():
        totals[(side, form)] += count
        beside[(side, neighbour, _group(form))][form] = count
    group_totals: Counter = Counter()
    for (side, form), total in totals.items():
        group_totals[(side, _group(form))] += total
    information = {}
    for (side, neighbour, group), forms in beside.items():
        seen = sum(forms.values())
        overall = group_totals[(side, group)]
        information[(side, neighbour, group)] = sum(
            count * math.log((count / seen) / (totals[(side, form)] / overall)) for form, count in forms.items()
        )
    return information


def spelling_rows(dictionary: set[str], counts: Counter[str], affix_rows: list) -> list[str]:
    """The rows of spellings.tsv: the dictionary's spelling of each word the lexicon lacks where the letter rules get it wrong.

    A word is taken only where the dictionary spells it one way (up to the
    ``-a``/``-ă`` of a word ending in ``a``, which the letter rules and the
    context decide: ``impopularitatea``); dictionary forms that differ from it
    in other letters (``rață``/``rata``) are left to the letter rules.
    """
    letters = ContextModel.from_tables(Lexicon.from_table(""), affixes="".join("\t".join(map(str, row)) + "\n"
                                                                          for row in affix_rows))
    known = {fold(form) for form in counts}
    spellings: dict[str, set[str]] = defaultdict(set)
    for form in dictionary:
        key = fold(form)
        if len(key) == len(form) and key not in known:
            spellings[key].add(form)
    rows = []
    for key, forms in spellings.items():
        ruled = restore_unknown(key, key, letters)
        open_ending = key[-1] == "a"
        stems = {form[:-1] if open_ending else form for form in forms}
        if len(stems) > 1:
            continue
        spelled = stems.pop() + (ruled[-1] if open_ending else "")
        if spelled != ruled and only_adds(key, spelled):
            rows.append(spelled)
    return sorted(rows)


def write_tables(
    out: Path | None, counts: Counter[str], context_rows: list, affix_rows: list, spellings: list[str] = ()
) -> None:
    """Write words.tsv to LEXICON_OUT and the model's tables to MODEL_OUT, or all four to ``out``."""
    lexicon_out, model_out = (out, out) if out is not None else (LEXICON_OUT, MODEL_OUT)
    for folder in {lexicon_out, model_out}:
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "__init__.py").exists():
            (folder / "__init__.py").write_text('"""Language data built by scripts/build_langdata.py."""\n', "utf-8")
    words = sorted(counts.items(), key=lambda item: (fold(item[0]), -item[1], item[0]))
    (lexicon_out / "words.tsv").write_text("".join(f"{w}\t{c}\n" for w, c in words), "utf-8")
    (model_out / "context.tsv").write_text(
        "".join(
            f"{side}\t{form}\t{types}\t{total}\t" + " ".join(f"{n} {c}" for n, c in pairs) + "\n"
            for side, form, types, total, pairs in context_rows
        ),
        "utf-8",
    )
    # Sorted, so that the same corpora give the same bytes (the rules are learnt in set order).
    (model_out / "affixes.tsv").write_text(
        "".join("\t".join(map(str, row)) + "\n" for row in sorted(affix_rows)), "utf-8"
    )
    (model_out / "spellings.tsv").write_text("".join(f"{form}\n" for form in spellings), "utf-8")


def build(
    corpora: Path,
    out: Path | None,
    use_wordfreq: bool = False,
    use_hunspell: bool = False,
    min_context: int = 1,
    min_information: float = 0.0,
    min_context_far: int | None = None,
    dev: bool = False,
    extra: Path | None = None,
    without: Iterable[str] = (),
) -> None:
    started = time.perf_counter()
    train, held = split_corpora(corpora, dev, extra, without)
    log.info("%d training lines, %d held-out records", len(train), len(held))
    dictionary = hunspell_words() if use_hunspell else None
    telltale = None
    for _ in range(FILTER_PASSES):
        dropped, telltale = plain_lines(train, count_words(train), telltale, dictionary)
        train = [line for i, line in enumerate(train) if i not in dropped]
        log.info("dropped %d training lines with words lacking their diacritics", len(dropped))
    counts = drop_rare_variants(count_words(train), dictionary)
    types = {form for form, count in counts.items() if count >= 2}
    if dictionary is not None:
        before = len(counts)
        counts = drop_non_words(counts, dictionary)
        log.info("hunspell: %d forms, %d corpus spellings dropped", len(dictionary), before - len(counts))
        types = dictionary | {form for form, count in counts.items() if count >= 2}
    affix_rows = letter_rules(types)
    log.info("%d letter rules from %d word types", len(affix_rows), len(types))
    if use_wordfreq:
        extra = wordfreq_counts(sum(counts.values()), counts, dictionary)
        log.info("wordfreq adds %d forms", len(extra))
        counts.update(extra)
    ambiguous = ambiguous_keys(counts)
    context = count_contexts(train, ambiguous, counts)
    rows = context_table(context, min_context, min_information, min_context_far)
    spellings = spelling_rows(dictionary, counts, affix_rows) if dictionary is not None else []
    log.info("%d spellings of words the lexicon lacks", len(spellings))
    write_tables(out, counts, rows, affix_rows, spellings)
    log.info(
        "%d forms (%d ambiguous keys), %d context pairs, %d affixes in %s (%.1f s)",
        len(counts), len(ambiguous), sum(len(row[4]) for row in rows), len(affix_rows), out or "the package",
        time.perf_counter() - started,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument(
        "--out", type=Path, default=None,
        help="write the four tables into this folder (default: words.tsv to arhiva/romanian/data, "
        "context.tsv, affixes.tsv and spellings.tsv to arhiva/repair/data)",
    )
    parser.add_argument(
        "--wordfreq", action=argparse.BooleanOptionalAction, default=True,
        help="add words from the wordfreq package (build time only; default: on)",
    )
    parser.add_argument(
        "--hunspell", action=argparse.BooleanOptionalAction, default=True,
        help="use the hunspell-ro dictionary, expanded with unmunch (build time only; default: on)",
    )
    parser.add_argument("--min-context", type=int, default=2, help="drop context pairs seen fewer times (default: 2)")
    parser.add_argument(
        "--min-context-far", type=int, default=3,
        help="drop context pairs one word further away (L2, R2) seen fewer times (default: 3)",
    )
    parser.add_argument(
        "--min-information", type=float, default=0.0,
        help="drop context pairs whose neighbour tells less about the spelling, in nats (default: 0)",
    )
    parser.add_argument("--dev", action="store_true", help="for tuning: also leave out the development split")
    parser.add_argument(
        "--extra", type=Path, default=None,
        help="a folder with checkouts of the extra corpora (docs/language-data.md says which); default: none",
    )
    parser.add_argument(
        "--without", action="append", default=[], metavar="NAME", choices=sorted(EXTRA),
        help="leave out one of the extra corpora (repeatable), e.g. --without presidential-speeches",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR")
    if args.wordfreq and importlib.util.find_spec("wordfreq") is None:
        sys.exit("wordfreq is not installed: .venv/bin/pip install wordfreq==3.1.1, or pass --no-wordfreq")
    if args.hunspell and not (shutil.which("unmunch") and HUNSPELL.is_file()):
        sys.exit("hunspell-ro or unmunch missing: apt-get install hunspell-ro hunspell-tools, or pass --no-hunspell")
    if args.extra is not None and not args.extra.is_dir():
        sys.exit(f"extra corpora not found in {args.extra}: see docs/language-data.md")
    build(
        args.corpora, args.out, args.wordfreq, args.hunspell, args.min_context, args.min_information,
        args.min_context_far, args.dev, args.extra, args.without,
    )


if __name__ == "__main__":
    main()
