"""Error rates between a ground truth and what the tool produced."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    """Whitespace-insensitive form: one space between words, no form feeds."""
    return " ".join(text.split())


def char_error_rate(truth: str, hypothesis: str) -> float:
    """Edits per character of the truth, after normalising whitespace.

    >>> char_error_rate("ședința publică", "sedinta publică")
    0.133...
    """
    truth, hypothesis = normalise(truth), normalise(hypothesis)
    return Levenshtein.distance(truth, hypothesis) / max(len(truth), 1)


def word_error_rate(truth: str, hypothesis: str) -> float:
    """Word-level edits per word of the truth."""
    words_t, words_h = normalise(truth).split(), normalise(hypothesis).split()
    return Levenshtein.distance(words_t, words_h) / max(len(words_t), 1)
