"""The Romanian lexicon: every word form and its frequency, shipped as data.

``arhiva/romanian/data/words.tsv`` is built by ``scripts/build_langdata.py``
from Romanian corpora (see docs/language-data.md): ``form<TAB>count``, every
lowercase word form with its frequency, sorted by the form without diacritics,
commonest spelling first. It is read once per process on first use, and a
word's spellings are parsed only when first asked for. Repair, metadata and
search share it; the models that only repair needs (the context counts and
letter rules of diacritics restoration, the OCR channel) live in
``arhiva/repair/data/`` (:mod:`arhiva.repair.model`).

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

DATA_PACKAGE = "arhiva.romanian.data"
#: Repair's models, fingerprinted with the lexicon by :func:`data_version`.
REPAIR_DATA_PACKAGE = "arhiva.repair.data"


class Lexicon:
    """Word-form frequencies and each word's spellings (its diacritic variants)."""

    def __init__(self, forms: list[str], counts: list[str], keys: list[str]) -> None:
        # words.tsv as three parallel lists sorted by key (the folded form);
        # a key's spellings are parsed when first asked for.
        self._forms, self._counts, self._keys = forms, counts, keys
        self._first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
        self._variants: dict[str, list[tuple[str, int]]] = {}
        self._folded: dict[str, int] = {}
        self._counts_by_form: dict[str, int] | None = None
        self.total = sum(map(int, counts))

    @classmethod
    def load(cls) -> Lexicon:
        """The shipped lexicon, read once per process."""
        return _load_shipped()

    @classmethod
    def from_table(cls, words: str) -> Lexicon:
        """Build a lexicon from the text of ``words.tsv`` (see the module docstring)."""
        parts = words.split()
        forms, counts = parts[0::2], parts[1::2]
        folded = fold_romanian("\n".join(forms))
        keys = folded.split("\n") if forms else []
        if not folded.isascii():
            keys = [key if key.isascii() else fold(key) for key in keys]
        if any(a > b for a, b in zip(keys, keys[1:])):
            order = sorted(range(len(keys)), key=keys.__getitem__)
            forms, counts, keys = ([items[i] for i in order] for items in (forms, counts, keys))
        return cls(forms, counts, keys)

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
    lexicon = Lexicon.from_table((resources.files(DATA_PACKAGE) / "words.tsv").read_text("utf-8"))
    log.debug("lexicon: %d forms, loaded in %.3f s", len(lexicon._forms), time.perf_counter() - started)
    return lexicon


@lru_cache(maxsize=1)
def data_version() -> str:
    """A fingerprint of the shipped language data (SHA-256 of its tables), for manifests.

    Two ingests whose manifests show the same fingerprint repaired text with the
    same data. It covers the lexicon and the diacritics model of
    ``arhiva/repair/data/`` (read as data, in the order they were hashed before
    they moved there, so the fingerprint of the same bytes is unchanged).
    """
    import hashlib

    digest = hashlib.sha256()
    for package, name in ((DATA_PACKAGE, "words.tsv"), (REPAIR_DATA_PACKAGE, "context.tsv"), (REPAIR_DATA_PACKAGE, "affixes.tsv")):
        digest.update((resources.files(package) / name).read_bytes())
    return "sha256:" + digest.hexdigest()[:16]
