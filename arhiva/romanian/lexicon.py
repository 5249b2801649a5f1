"""The Romanian lexicon: word frequencies and word-context counts, shipped as data.

The tables in ``arhiva/romanian/data/`` are built by ``scripts/build_langdata.py``
from Romanian corpora (see docs/language-data.md). They are plain tab-separated
text, read once per process on first use, and parsed further only as far as
they are asked:

- ``words.tsv``: ``form<TAB>count``, every lowercase word form with its
  frequency, sorted by the form without diacritics, commonest spelling first;
- ``context.tsv``: ``side<TAB>form<TAB>neighbours<TAB>total<TAB>neighbour count ...``
  for the forms of words that are ambiguous without diacritics (``sa``: sa/să):
  how often each form follows (side ``L``) or precedes (``R``) a neighbour
  written without diacritics, or has it one word further away (``L2``,
  ``R2``), and how often it is capitalised (``Aa``) or lowercase (``aa``)
  inside a sentence (``C``). ``neighbours`` and ``total`` count every neighbour seen, the
  pairs listed only those worth keeping (the rest are told by the back-off).
  Where a word's forms differ in their last letter, the same counts for the
  class of all such forms, as the form ``-`` and that letter (``-ă``, ``-a``);
- ``affixes.tsv``: ``C<TAB>window<TAB>letter``, for words the lexicon does not
  know: how a letter a, i, s or t written without diacritics is spelled
  between the letters around it (the window without diacritics, the letter in
  capitals, ``^`` and ``$`` for the word's ends: ``^Inz`` → ``î``,
  ``aTi`` → ``ț``), only where it differs from what a narrower window says.

>>> lexicon = Lexicon.load()
>>> lexicon.knows("SEDINTA"), lexicon.forms("sedinta")[0][0]
(True, 'ședința')
"""

from __future__ import annotations

import logging
import re
import time
from functools import lru_cache
from importlib import resources

from arhiva.romanian.letters import fold, fold_romanian

log = logging.getLogger(__name__)

#: A word: a run of letters. Hyphenated forms (``s-a``, ``într-un``) are two words.
WORD = re.compile(r"[^\W\d_]+")

#: The context marker for the start or the end of a sentence.
BOUNDARY = "<s>"

DATA_PACKAGE = "arhiva.romanian.data"



class Lexicon:
    """Word-form frequencies, their diacritic variants and context counts.

    ``context[side][form]`` maps each neighbour listed to its count;
    ``context_types[side][form]`` and ``context_totals[side][form]`` are the
    number of distinct neighbours and of pairs seen in all, listed or not.
    """

    def __init__(
        self,
        forms: list[str],
        counts: list[str],
        keys: list[str],
        context: dict[str, dict[str, dict[str, int]]],
        context_types: dict[str, dict[str, int]],
        context_totals: dict[str, dict[str, int]],
        letters: dict[str, str],
    ) -> None:
        # words.tsv as three parallel lists sorted by key (the folded form);
        # a key's spellings are parsed when first asked for.
        self._forms, self._counts, self._keys = forms, counts, keys
        self._first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
        self._variants: dict[str, list[tuple[str, int]]] = {}
        self._folded: dict[str, int] = {}
        self._counts_by_form: dict[str, int] | None = None
        self.context = context
        self.context_types = context_types
        self.context_totals = context_totals
        self.letters = letters
        self.total = sum(map(int, counts))
        self._folded[BOUNDARY] = context.get("L", {}).get(BOUNDARY, {}).get(BOUNDARY, 0)

    @classmethod
    def load(cls) -> Lexicon:
        """The shipped lexicon, read once per process."""
        return _load_shipped()

    @classmethod
    def from_tables(cls, words: str, context: str = "", affixes: str = "") -> Lexicon:
        """Build a lexicon from the text of the three tables (see the module docstring)."""
        parts = words.split()
        forms, counts = parts[0::2], parts[1::2]
        folded = fold_romanian("\n".join(forms))
        keys = folded.split("\n") if forms else []
        if not folded.isascii():
            keys = [key if key.isascii() else fold(key) for key in keys]
        if any(a > b for a, b in zip(keys, keys[1:])):
            order = sorted(range(len(keys)), key=keys.__getitem__)
            forms, counts, keys = ([items[i] for i in order] for items in (forms, counts, keys))
        tables: dict[str, dict[str, dict[str, int]]] = {}
        types: dict[str, dict[str, int]] = {}
        totals: dict[str, dict[str, int]] = {}
        for line in context.splitlines():
            side, form, distinct, total, *pairs = line.split("\t")
            if side not in tables:
                tables[side], types[side], totals[side] = {}, {}, {}
            items = pairs[0].split(" ") if pairs and pairs[0] else []
            tables[side][form] = dict(zip(items[0::2], map(int, items[1::2])))
            types[side][form] = int(distinct)
            totals[side][form] = int(total)
        letters: dict[str, str] = {}
        for line in affixes.splitlines():
            kind, window, letter = line.split("\t")
            if kind == "C":
                letters[window] = letter
        return cls(forms, counts, keys, tables, types, totals, letters)

    @property
    def counts(self) -> dict[str, int]:
        """Every lowercase form and how often it occurs (built when first asked for)."""
        if self._counts_by_form is None:
            self._counts_by_form = dict(zip(self._forms, map(int, self._counts)))
        return self._counts_by_form

    def count(self, word: str) -> int:
        """How often the exact lowercase form ``word`` occurs.

        >>> Lexicon.load().count("și") > Lexicon.load().count("si")
        True
        """
        for form, count in self.forms(fold(word)):
            if form == word:
                return count
        return 0

    def knows(self, word: str) -> bool:
        """True if some spelling of ``word`` is known, ignoring case and diacritics.

        >>> Lexicon.load().knows("Sedinta"), Lexicon.load().knows("URBACT")
        (True, False)
        """
        return fold(word).lower() in self._first

    def forms(self, folded: str) -> list[tuple[str, int]]:
        """The known spellings of a folded lowercase word with their counts, commonest first.

        >>> [form for form, _ in Lexicon.load().forms("sa")][:2]
        ['să', 'sa']
        """
        found = self._variants.get(folded)
        if found is None:
            found = []
            i = self._first.get(folded)
            if i is not None:
                keys = self._keys
                while i < len(keys) and keys[i] == folded:
                    found.append((self._forms[i], int(self._counts[i])))
                    i += 1
                found.sort(key=lambda item: -item[1])
            self._variants[folded] = found
        return found

    def folded_count(self, folded: str) -> int:
        """How often any spelling of the folded lowercase word occurs."""
        total = self._folded.get(folded)
        if total is None:
            total = self._folded[folded] = sum(count for _, count in self.forms(folded))
        return total


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
        len(lexicon._forms),
        sum(len(pairs) for table in lexicon.context.values() for pairs in table.values()),
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
