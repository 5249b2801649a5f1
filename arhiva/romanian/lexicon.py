"""The Romanian lexicon: word frequencies and word-context counts, shipped as data.

The tables in ``arhiva/romanian/data/`` are built by ``scripts/build_langdata.py``
from Romanian corpora (see docs/language-data.md). They are plain tab-separated
text, loaded once per process on first use:

- ``words.tsv``: ``form<TAB>count``, every lowercase word form with its frequency;
- ``context.tsv``: ``side<TAB>neighbour<TAB>form<TAB>count`` for the forms of words
  that are ambiguous without diacritics (``sa``: sa/să): how often each form
  follows (side ``L``) or precedes (``R``) a neighbour written without diacritics,
  or has it one word further away (``L2``, ``R2``); where a word's forms differ in
  their last letter, the same counts for the class of all such forms, as the
  form ``-`` and that letter (``-ă``, ``-a``);
- ``affixes.tsv``: ``kind<TAB>folded<TAB>restored``, how a suffix (``S``) or prefix
  (``P``) written without diacritics is nearly always spelled (``-tiei`` →
  ``-ției``), or the folded affix itself when that is not certain; for words
  the lexicon does not know, which take the longest affix listed.

>>> lexicon = Lexicon.load()
>>> lexicon.knows("SEDINTA"), lexicon.forms("sedinta")[0][0]
(True, 'ședința')
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from arhiva.romanian.letters import fold

log = logging.getLogger(__name__)

#: A word: a run of letters. Hyphenated forms (``s-a``, ``într-un``) are two words.
WORD = re.compile(r"[^\W\d_]+")

#: The context marker for the start or the end of a sentence.
BOUNDARY = "<s>"

DATA_PACKAGE = "arhiva.romanian.data"



@dataclass
class Lexicon:
    """Word-form frequencies, their diacritic variants and context counts."""

    counts: dict[str, int]
    variants: dict[str, list[tuple[str, int]]]
    context: dict[str, dict[str, int]] = field(default_factory=dict)
    suffixes: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    folded_counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    context_types: dict[str, dict[str, int]] = field(default_factory=dict)
    context_totals: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lexicon:
        """The shipped lexicon, read once per process."""
        return _load_shipped()

    @classmethod
    def from_tables(cls, words: str, context: str = "", affixes: str = "") -> Lexicon:
        """Build a lexicon from the text of the three tables (see the module docstring)."""
        counts: dict[str, int] = {}
        variants: dict[str, list[tuple[str, int]]] = {}
        folded_counts: dict[str, int] = {}
        for line in words.splitlines():
            form, _, number = line.partition("\t")
            count = int(number)
            counts[form] = count
            key = fold(form)
            variants.setdefault(key, []).append((form, count))
            folded_counts[key] = folded_counts.get(key, 0) + count
        for forms in variants.values():
            forms.sort(key=lambda item: -item[1])
        tables: dict[str, dict[str, int]] = {}
        types: dict[str, dict[str, int]] = {}
        totals: dict[str, dict[str, int]] = {}
        for line in context.splitlines():
            side, neighbour, form, number = line.split("\t")
            if side not in tables:
                tables[side], types[side], totals[side] = {}, {}, {}
            count = int(number)
            tables[side][f"{neighbour} {form}"] = count
            types[side][form] = types[side].get(form, 0) + 1
            totals[side][form] = totals[side].get(form, 0) + count
        folded_counts[BOUNDARY] = tables.get("L", {}).get(f"{BOUNDARY} {BOUNDARY}", 0)
        suffixes: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for line in affixes.splitlines():
            kind, folded, restored = line.split("\t")
            (suffixes if kind == "S" else prefixes)[folded] = restored
        return cls(
            counts=counts,
            variants=variants,
            context=tables,
            context_types=types,
            context_totals=totals,
            suffixes=suffixes,
            prefixes=prefixes,
            folded_counts=folded_counts,
            total=sum(counts.values()),
        )

    def count(self, word: str) -> int:
        """How often the exact lowercase form ``word`` occurs.

        >>> Lexicon.load().count("și") > Lexicon.load().count("si")
        True
        """
        return self.counts.get(word, 0)

    def knows(self, word: str) -> bool:
        """True if some spelling of ``word`` is known, ignoring case and diacritics.

        >>> Lexicon.load().knows("Sedinta"), Lexicon.load().knows("URBACT")
        (True, False)
        """
        return fold(word).lower() in self.variants

    def forms(self, folded: str) -> list[tuple[str, int]]:
        """The known spellings of a folded lowercase word with their counts, commonest first.

        >>> [form for form, _ in Lexicon.load().forms("sa")][:2]
        ['să', 'sa']
        """
        return self.variants.get(folded, [])

    def folded_count(self, folded: str) -> int:
        """How often any spelling of the folded lowercase word occurs."""
        return self.folded_counts.get(folded, 0)


@lru_cache(maxsize=1)
def _load_shipped() -> Lexicon:
    started = time.perf_counter()
    data = resources.files(DATA_PACKAGE)
    lexicon = Lexicon.from_tables(
        (data / "words.tsv").read_text("utf-8"),
        (data / "context.tsv").read_text("utf-8"),
        (data / "affixes.tsv").read_text("utf-8"),
    )
    log.debug(
        "lexicon: %d forms, %d context pairs, loaded in %.3f s",
        len(lexicon.counts),
        sum(len(table) for table in lexicon.context.values()),
        time.perf_counter() - started,
    )
    return lexicon


@lru_cache(maxsize=1)
def data_version() -> str:
    """A fingerprint of the shipped language data (SHA-256 of its tables), for manifests.

    Two ingests whose manifests show the same fingerprint repaired text with the same data.
    """
    import hashlib

    digest = hashlib.sha256()
    data = resources.files(DATA_PACKAGE)
    for name in ("words.tsv", "context.tsv", "affixes.tsv"):
        digest.update((data / name).read_bytes())
    return "sha256:" + digest.hexdigest()[:16]
