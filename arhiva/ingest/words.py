"""The words of a page's text that are judged (a PDF's text layer, an OCR reading), and how many the lexicon knows."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏȘșȚț]{3,}")  # Latin script: a mapping error gives Latin letters


def layer_words(text: str) -> list[str]:
    """The words of a layer that are judged: runs of three Latin letters or more.

    >>> layer_words("Consiliul a aprobat 12 Налог cvhfuvm")
    ['Consiliul', 'aprobat', 'cvhfuvm']
    """
    return _WORD.findall(text)


def known_words(words: list[str]) -> int:
    """How many of ``words`` the Romanian lexicon knows (ignoring case and diacritics).

    >>> known_words(["Consiliul", "Local", "aprobat", "bugetul", "cvhfuvm"])
    4
    """
    from arhiva.romanian.lexicon import Lexicon

    lexicon = Lexicon.load()
    return sum(1 for word in words if lexicon.knows(word))
