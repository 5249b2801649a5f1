"""Repair words that OCR misread, as a noisy channel over the lexicon's words.

A token the lexicon does not know (ignoring case and diacritics) is compared
with the known words that one or two typical OCR confusions away from it could
have been: ``l`` read as ``I`` or ``1``, ``o`` as ``0``, ``m`` as ``rn``, ``d`` as
``cl``, ``u`` as ``ii``, ``e`` and ``c`` for each other, ``î`` as ``T`` or ``f``
(old OCR without Romanian letters), ``ă`` as ``ad``. Each candidate scores

    P(confusions) × P(word)

and the best one replaces the token when that score clears a threshold and
beats the runner-up clearly. Numbers, acronyms, names (capitalised words)
and anything inside URLs and e-mail addresses are left alone.

The replacement keeps the token's other letters as they are: a confusion that
stands for a Romanian letter writes that letter (``Tn`` → ``în``,
``digitalad`` → ``digitală``), the rest of the word's diacritics are left to
:func:`arhiva.romanian.diacritics.restore_diacritics`, which runs after.

>>> repair_ocr_confusions("aflat Tn prezent, a mai muItor activitati")[0]
'aflat în prezent, a mai multor activitati'
"""

from __future__ import annotations

import math
import re

from arhiva.romanian.diacritics import NOT_PROSE
from arhiva.romanian.letters import fold
from arhiva.romanian.lexicon import Lexicon

Edits = list[tuple[str, str]]

#: (what OCR wrote, what the page had, probability, where: any/start/end).
CONFUSIONS: list[tuple[str, str, float, str]] = [
    ("I", "l", 0.2, "any"),
    ("1", "l", 0.1, "any"),
    ("1", "i", 0.05, "any"),
    ("0", "o", 0.1, "any"),
    ("rn", "m", 0.05, "any"),
    ("m", "rn", 0.02, "any"),
    ("cl", "d", 0.05, "any"),
    ("ii", "u", 0.03, "any"),
    ("li", "h", 0.02, "any"),
    ("ri", "n", 0.02, "any"),
    ("c", "e", 0.02, "any"),
    ("e", "c", 0.02, "any"),
    ("l", "i", 0.01, "any"),
    ("b", "h", 0.02, "any"),
    ("T", "î", 0.2, "start"),
    ("f", "î", 0.05, "start"),
    ("ad", "ă", 0.1, "end"),
]

#: A candidate is taken when P(confusions) × P(word) is at least this, and at
#: least MARGIN times the runner-up's.
THRESHOLD = 1e-8
MARGIN = 5.0
MAX_EDITS = 2
#: Tokens seen this often are words, whatever they look like. Tokens shorter
#: than MIN_LENGTH get no letter-for-letter confusions (see _candidates).
KNOWN = 10
MIN_LENGTH = 4

_TOKEN = re.compile(r"[^\W_]+")


def repair_ocr_confusions(text: str) -> tuple[str, Edits]:
    """Replace unknown words by the known word typical OCR confusions make likeliest.

    >>> repair_ocr_confusions("inovarea digitalad")[0]
    'inovarea digitală'
    >>> repair_ocr_confusions("URBACT, ULG, 10.000 euro, office@primaria.ro, DigiPlace")[1]
    []
    """
    lexicon = Lexicon.load()
    masked = [(m.start(), m.end()) for m in NOT_PROSE.finditer(text)]
    edits: Edits = []
    pieces: list[str] = []
    cursor = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not _suspect(token, lexicon) or any(a <= match.start() < b for a, b in masked):
            continue
        starts_sentence = _sentence_start(text, match.start())
        fixed = _best_candidate(token, lexicon, starts_sentence)
        if fixed is None:
            continue
        if token[:1] == "T" and fixed[:1] == "î" and starts_sentence:
            fixed = "Î" + fixed[1:]
        pieces += [text[cursor : match.start()], fixed]
        cursor = match.end()
        edits.append((token, fixed))
    if not edits:
        return text, []
    pieces.append(text[cursor:])
    return "".join(pieces), edits


def _is_romanian_letter(ch: str) -> bool:
    return ("a" <= ch.lower() <= "z") or ch in "ăâîșțşţĂÂÎȘȚŞŢ"


def _suspect(token: str, lexicon: Lexicon) -> bool:
    """True for tokens that may be misread words: not numbers, acronyms or known words."""
    if sum(ch.isalpha() for ch in token) < 2:
        return False
    if any(ch.isalpha() and not _is_romanian_letter(ch) for ch in token):
        return False  # a foreign word, or letters of a legacy font (º, ã): not a Romanian word misread
    if token.isupper() and token.isalpha():
        return False  # an acronym
    return lexicon.folded_count(fold(token).lower()) < KNOWN


def _best_candidate(token: str, lexicon: Lexicon, starts_sentence: bool) -> str | None:
    scores: dict[str, float] = {}
    for candidate, logp in _candidates(token, starts_sentence):
        count = lexicon.folded_count(fold(candidate).lower())
        if count:
            score = logp + math.log(count / lexicon.total)
            scores[candidate] = max(score, scores.get(candidate, -math.inf))
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, score = ranked[0]
    # The token itself is the rival of no confusion at all.
    itself = lexicon.folded_count(fold(token).lower()) / lexicon.total
    if score < math.log(max(THRESHOLD, itself * MARGIN)):
        return None
    rivals = [s for c, s in ranked[1:] if fold(c).lower() != fold(best).lower()]
    if rivals and score - rivals[0] < math.log(MARGIN):
        return None
    return best


def _candidates(token: str, starts_sentence: bool) -> list[tuple[str, float]]:
    """Strings one or two confusions away from ``token``, with log P(confusions).

    Letter-for-letter confusions (``c``/``e``) are not tried on short tokens,
    which are often pieces of a word cut by the layout; nor, except in its
    first letter, on a capitalised word inside a sentence: it is a name.
    """
    short = len(token) < MIN_LENGTH
    found: list[tuple[str, float]] = []
    frontier = [(token, 0.0)]
    for _ in range(MAX_EDITS):
        next_frontier = []
        for text, logp in frontier:
            for bad, good, p, where in CONFUSIONS:
                if short and where != "start" and bad.isalpha() and bad.islower():
                    continue
                for i in _positions(text, bad, where):
                    if bad == "T" and not text[1:2].islower():
                        continue
                    if good == "l" and not _lower_around(text, i, len(bad)):
                        continue
                    next_frontier.append((text[:i] + good + text[i + len(bad) :], logp + math.log(p)))
        found += next_frontier
        frontier = next_frontier
    if token[:1].isupper() and token[1:].islower() and not starts_sentence:
        found = [(c, p) for c, p in found if c[:1] != token[:1]]
    return found


def _positions(text: str, bad: str, where: str) -> list[int]:
    if where == "start":
        return [0] if text.startswith(bad) else []
    if where == "end":
        return [len(text) - len(bad)] if text.endswith(bad) and len(text) > len(bad) + 2 else []
    positions, i = [], text.find(bad)
    while i != -1:
        positions.append(i)
        i = text.find(bad, i + 1)
    return positions


def _lower_around(text: str, i: int, width: int) -> bool:
    """True when the letters next to text[i:i+width] are lowercase: the ``I`` of ``muItor``."""
    around = text[max(0, i - 1) : i] + text[i + width : i + width + 1]
    return all(ch.islower() or not ch.isalpha() for ch in around)


_SENTENCE_START = re.compile(r"(?:^|[.!?]|\n[ \t]*\n)\s*$")


def _sentence_start(text: str, position: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, position - 20), position))
