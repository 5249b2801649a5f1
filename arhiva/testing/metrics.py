"""Error rates between a ground truth and what the tool produced."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    """Whitespace-insensitive form: one space between words, no form feeds."""
    return " ".join(text.split())


def char_error_rate(truth: str, hypothesis: str) -> float:
    """Edits per character of the truth, after normalising whitespace.

    >>> round(char_error_rate("ședința publică", "sedinta publică"), 3)
    0.133
    """
    truth, hypothesis = normalise(truth), normalise(hypothesis)
    return Levenshtein.distance(truth, hypothesis) / max(len(truth), 1)


_WORD = re.compile(r"\w+(?:-\w+)*")


def words(text: str) -> list[str]:
    """The words of a text, without punctuation; hyphenated forms stay whole.

    >>> words("Întâlnirea s-a înscris (decembrie 2020 - 2021).")
    ['Întâlnirea', 's-a', 'înscris', 'decembrie', '2020', '2021']
    """
    return _WORD.findall(text)


def word_error_rate(truth: str, hypothesis: str, punctuation: bool = False) -> float:
    """Word-level edits (substitutions, insertions, deletions) per word of the truth.

    By default words are compared without punctuation; with ``punctuation``
    the whitespace-separated tokens are compared as they stand.
    """
    split = (lambda t: normalise(t).split()) if punctuation else words
    words_t, words_h = split(truth), split(hypothesis)
    return Levenshtein.distance(words_t, words_h) / max(len(words_t), 1)
