"""Repair's model of Romanian words in context, shipped as data beside the OCR channel.

The shared lexicon (:class:`arhiva.romanian.lexicon.Lexicon`) knows the word
forms and their frequencies. Restoring diacritics and choosing among OCR
readings also need to know which spelling goes with which neighbours, and how
a word the lexicon lacks is spelled. Those tables are repair's alone, in
``arhiva/repair/data/``, built by ``scripts/build_langdata.py``
(docs/language-data.md):

- ``context.tsv``: ``side<TAB>form<TAB>neighbours<TAB>total<TAB>neighbour count ...``
  for the forms of words that are ambiguous without diacritics (``sa``: sa/să):
  how often each form follows (side ``L``) or precedes (``R``) a neighbour
  written without diacritics, or has it one word further away (``L2``,
  ``R2``), and how often it is capitalised (``Aa``) or lowercase (``aa``)
  inside a sentence (``C``). ``neighbours`` and ``total`` count every neighbour
  seen, the pairs listed only those worth keeping (the rest are told by the
  back-off). Where a word's forms differ in their last letter, the same counts
  for the class of all such forms, as the form ``-`` and that letter (``-ă``,
  ``-a``);
- ``affixes.tsv``: ``C<TAB>window<TAB>letter``, for words the lexicon does not
  know: how a letter a, i, s or t written without diacritics is spelled
  between the letters around it (the window without diacritics, the letter in
  capitals, ``^`` and ``$`` for the word's ends: ``^Inz`` → ``î``,
  ``aTi`` → ``ț``), only where it differs from what a narrower window says;
- ``spellings.tsv``: one spelling a line, for words the lexicon lacks that the
  letter rules would misspell (``adopției``, not ``adoptiei``; ``drumarilor``,
  not ``drumărilor``), from the hunspell-ro dictionary; read at the first
  such word (:meth:`ContextModel.spelling`).

>>> model = ContextModel.load()
>>> model.context["L"]["să"]["trebuie"] > model.context["L"]["sa"].get("trebuie", 0)
True
>>> model.neighbour_count(BOUNDARY) > 0, model.letters["aTi"]
(True, 'ț')
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from arhiva.romanian.letters import DIACRITIC_LETTERS, fold
from arhiva.romanian.lexicon import Lexicon

log = logging.getLogger(__name__)

#: The context marker for the start or the end of a sentence.
BOUNDARY = "<s>"
#: Tokens longer than this are no Romanian word (the lexicon's longest form has
#: 40 letters, two names run together; real words stop near 30): the fixers
#: that score words or letters leave them as they stand, in time that does not
#: grow with their length.
LONGEST_WORD = 64
#: The marks between two words of a sentence that are neighbours of their own
#: (:func:`arhiva.repair.diacritics.gap_mark`).
MARKS = (",", "(", ")", "-")
#: Whether a mark counts as a neighbour as often as the context tables have it
#: (else it counts 0 times, and a form never seen beside a comma is all but
#: ruled out by one).
MARK_COUNTS = True

DATA_PACKAGE = "arhiva.repair.data"
#: Spellings of words the lexicon lacks, read at the first such word (ContextModel.spelling).
SPELLINGS_FILE = "spellings.tsv"
#: The lowercase Romanian diacritic letters and their folded forms (arhiva.romanian.letters).
_LOWER_FOLD = tuple((letter, fold(letter)) for letter in DIACRITIC_LETTERS if letter.islower())


class ContextModel:
    """The lexicon's word forms, with the context counts and letter rules of diacritics restoration.

    ``context[side][form]`` maps each neighbour listed to its count;
    ``context_types[side][form]`` and ``context_totals[side][form]`` are the
    number of distinct neighbours and of pairs seen in all, listed or not;
    ``letters`` maps a window of letters to the spelling of its middle letter.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        context: dict[str, dict[str, dict[str, int]]],
        context_types: dict[str, dict[str, int]],
        context_totals: dict[str, dict[str, int]],
        letters: dict[str, str],
        spellings: str | Callable[[], str] = "",
    ) -> None:
        self.lexicon = lexicon
        self.context = context
        self.context_types = context_types
        self.context_totals = context_totals
        self.letters = letters
        self.total = lexicon.total
        self._boundaries = context.get("L", {}).get(BOUNDARY, {}).get(BOUNDARY, 0)
        self._marks: dict[str, int] | None = None
        self._spellings_text = spellings
        self._spellings: dict[str, str] | None = None

    @classmethod
    def load(cls) -> ContextModel:
        """The shipped model over the shipped lexicon, read once per process."""
        return _load_shipped()

    @classmethod
    def from_tables(
        cls, lexicon: Lexicon, context: str = "", affixes: str = "", spellings: str | Callable[[], str] = ""
    ) -> ContextModel:
        """Build a model from the text of ``context.tsv``, ``affixes.tsv`` and ``spellings.tsv`` (see the module docstring).

        ``spellings`` may be a function that returns the text, called at the first word that needs it.

        >>> words = Lexicon.from_table("sa 5\\nsă 40\\n")
        >>> model = ContextModel.from_tables(words, "L\\tsă\\t1\\t3\\tpentru 3\\n", "C\\t^Inv\\tî\\n")
        >>> model.context["L"]["să"], model.context_totals["L"]["să"], model.letters
        ({'pentru': 3}, 3, {'^Inv': 'î'})
        """
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
        return cls(lexicon, tables, types, totals, letters, spellings)

    @classmethod
    def from_folder(cls, folder) -> ContextModel:
        """Build a model from ``words.tsv``, ``context.tsv``, ``affixes.tsv`` and ``spellings.tsv`` (if there) in one folder (``build_langdata.py --out``)."""
        words, context, affixes = ((folder / f"{name}.tsv").read_text("utf-8") for name in ("words", "context", "affixes"))
        spellings = folder / SPELLINGS_FILE
        text = spellings.read_text("utf-8") if spellings.is_file() else ""
        return cls.from_tables(Lexicon.from_table(words), context, affixes, text)

    def neighbour_count(self, folded: str) -> int:
        """How often a neighbour (folded, lowercase) occurs: any spelling of the word, a sentence's end (BOUNDARY), or a mark.

        A mark between two words (``,``, ``(``, ``)``, ``-``; see
        :func:`arhiva.repair.diacritics.gap_mark`) is no word of the lexicon:
        it counts as often as it is a neighbour in the context tables, scaled
        to the lexicon's total (:meth:`mark_counts`).
        """
        if folded == BOUNDARY:
            return self._boundaries
        if folded in MARKS and MARK_COUNTS:
            return self.mark_counts().get(folded, 0)
        return self.lexicon.folded_count(folded)

    def spelling(self, folded: str) -> str | None:
        """The spelling ``spellings.tsv`` gives a word the lexicon lacks (folded, lowercase), if any.

        >>> words = Lexicon.from_table("sa 5\\n")
        >>> model = ContextModel.from_tables(words, spellings="adopției\\ndrumarilor\\n")
        >>> model.spelling("adoptiei"), model.spelling("drumarilor"), model.spelling("casa")
        ('adopției', 'drumarilor', None)
        """
        if self._spellings is None:
            text = self._spellings_text if isinstance(self._spellings_text, str) else self._spellings_text()
            lines = text.splitlines()
            # The lowercase Romanian letters folded for the whole text at once
            # (str.replace is far faster than a translation table over 0.8 MB);
            # a line left with other letters (``é``) is folded alone.
            plain = text
            for letter, plain_letter in _LOWER_FOLD:
                plain = plain.replace(letter, plain_letter)
            keys = [key if key.isascii() else fold(key) for key in plain.splitlines()]
            self._spellings = {key: line for key, line in zip(keys, lines) if line}
        return self._spellings.get(folded)

    def mark_counts(self) -> dict[str, int]:
        """Each mark's count as a neighbour: its share of the neighbours just before and after (``L``, ``R``) the forms of the context tables, times the lexicon's total.

        >>> words = Lexicon.from_table("sa 5\\nsă 40\\n")
        >>> ContextModel.from_tables(words, "L\\tsă\\t2\\t10\\t, 3 pentru 5\\n").mark_counts()[","]
        14
        """
        if self._marks is None:
            seen = dict.fromkeys(MARKS, 0)
            pairs = 0
            for side in ("L", "R"):
                for form, neighbours in self.context.get(side, {}).items():
                    if form.startswith("-"):
                        continue  # an ending class: its pairs are its forms' again
                    pairs += self.context_totals[side][form]
                    for mark in MARKS:
                        seen[mark] += neighbours.get(mark, 0)
            self._marks = {mark: round(count * self.total / pairs) if pairs else 0 for mark, count in seen.items()}
        return self._marks


@lru_cache(maxsize=1)
def _load_shipped() -> ContextModel:
    lexicon = Lexicon.load()
    started = time.perf_counter()
    data = resources.files(DATA_PACKAGE)
    spellings = data / SPELLINGS_FILE
    model = ContextModel.from_tables(
        lexicon, (data / "context.tsv").read_text("utf-8"), (data / "affixes.tsv").read_text("utf-8"),
        lambda: spellings.read_text("utf-8") if spellings.is_file() else "",
    )
    log.debug(
        "context model: %d context pairs, %d letter rules, loaded in %.3f s",
        sum(len(pairs) for table in model.context.values() for pairs in table.values()),
        len(model.letters),
        time.perf_counter() - started,
    )
    return model
