"""Restore Romanian diacritics in text typed or recognised without them.

Each word's spelling is chosen among the spellings the lexicon knows for it that
only add diacritics, by a naive-Bayes model of its left and right neighbours
(written without diacritics, so the context is the same whether or not the text
has them):

    score(form) = log count(form) + Σ_side log P(neighbour | form)

with P(neighbour | form) smoothed towards the neighbours of all the forms that
end the same way where their words differ at the end (the ``-ă`` of ``o
vizită`` against the ``-a`` of ``vizita``), and those towards the neighbour's
overall frequency. That tells ``ca``/``că``, ``sa``/``să``, ``fata``/``fața``
apart. Words the lexicon does not know get a diacritized suffix or prefix only
when the lexicon's words are nearly unanimous about it (``-tiei`` → ``-ției``).

Diacritics are only ever added (a→ă/â, i→î, s→ș, t→ț), never removed. Whether a
word written without them lost them is weighed against how the text around it
is written: the rate at which its sentence, paragraph and document drop
diacritics (words such as ``si`` or ``sedinta``, nearly always written with
them, against words that have them) is the prior probability that the word lost
its own. A word that is valid as written (``ca``, ``vacante``, ``masura``) is
changed only when the context makes the other spelling clearly more likely, by
a margin measured on held-out text; in correctly written text that margin is
out of reach, so correct Romanian passes through unchanged, while a line where
OCR kept one diacritic is restored with the rest of its text. Tokens that are
not words (``64..40/6 IL``), URLs, e-mail addresses, acronyms and names inside
a sentence that the lexicon does not know are left alone.

>>> restore_diacritics("Sedinta consiliului a avut loc in sala de sedinte a primariei.")[0]
'Ședința consiliului a avut loc în sala de ședințe a primăriei.'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from arhiva.romanian.letters import fold, has_diacritics
from arhiva.romanian.lexicon import BOUNDARY, WORD, Lexicon

Edits = list[tuple[str, str]]

#: Text that is not prose: URLs, e-mail addresses, domain names, file names.
NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:ro|com|org|net|eu|pdf|docx?)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:]")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
#: A run of text without spaces that is prose: words and numbers joined by single
#: hyphens, slashes, dots or apostrophes (``și/sau``, ``2004/18/CE``, ``art.3``),
#: with punctuation around them. ``64..40/6`` or ``a8`` is not.
_UNIT = r"(?:[^\W\d_]+|\d+)"
_CLEAN_CHUNK = re.compile(
    rf"[\"'„“”«»(\[{{<]*{_UNIT}(?:[-/.,:'’]{_UNIT})*-?[.,;:!?\"'“”»)\]}}>…%-]*"
)
_CHUNK = re.compile(r"\S+")
MAX_SUFFIX, MAX_PREFIX = 7, 5
_ALLOWED = {"a": "ăâ", "i": "î", "s": "ș", "t": "ț"}

#: Smoothing of the context model, and the weight of each side.
CONTEXT_SMOOTHING = 20.0
CLASS_SMOOTHING = 20.0
#: Whether rare forms borrow the neighbours of their ending's class (``-ă``/``-a``).
CLASS_BACKOFF = True
CONTEXT_WEIGHTS = {"L": 1.0, "R": 1.0, "L2": 0.3, "R2": 0.3}
#: A word is evidence of missing diacritics when its folded form is written with
#: diacritics at least this often, and seen at least this many times.
EVIDENCE_SHARE = 0.95
EVIDENCE_MIN_COUNT = 10
#: How much evidence of the sentence, paragraph and document weighs against the
#: next larger one when estimating the rate at which diacritics were dropped,
#: and the rate assumed for a document without evidence.
RATE_PRIOR_WEIGHT = 2.0
RATE_PRIOR = 0.5
#: A word valid as written takes diacritics only when the log-odds of the best
#: other spelling (the context score plus the log of the drop rate) beat it by
#: this margin. Measured on the development split (docs/language-data.md).
CHANGE_MARGIN = 0.0
#: How often a word the lexicon lacks that is a known form with the other ending
#: (``bagheta`` beside ``baghetă``) is assumed to occur, as a share of that form.
ARTICLE_SHARE = 0.1
#: Words the lexicon lacks take diacritics from their affixes only where the
#: drop rate is at least this.
AFFIX_MIN_RATE = 0.5
#: A paragraph with more unknown words than this share is left alone: it is
#: not Romanian prose (a list of names, code, another language).
FOREIGN_SHARE = 0.4


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str  # folded lowercase
    boundary_before: bool
    sentence: int  # index of its sentence in the text
    clean: bool  # a word among words, not part of a code or of OCR debris
    caps_neighbour: bool  # a short word in capitals, beside a run of text that is a word in capitals


def restore_diacritics(text: str) -> tuple[str, Edits]:
    """Add the diacritics that the words of ``text`` lack.

    Returns the text and the (before, after) of each changed word.

    >>> restore_diacritics("Primarul a declarat ca proiectul de infrastructura se depune sau azi sau maine.")[0]
    'Primarul a declarat că proiectul de infrastructură se depune sau azi sau mâine.'
    >>> restore_diacritics("Ședința din țară, la URBACT și DigiPlace.")
    ('Ședința din țară, la URBACT și DigiPlace.', [])
    >>> restore_diacritics("Hotarare privind asocierea Orasului cu Judetul Prahova în vederea infiintarii")[0]
    'Hotărâre privind asocierea Orașului cu Județul Prahova în vederea înființării'
    """
    lexicon = Lexicon.load()
    paragraphs = [_tokens(text, start, end) for start, end in _paragraph_spans(text)]
    evidence = [[_evidence(token, lexicon) for token in tokens] for tokens in paragraphs]
    document = _sum(e for paragraph in evidence for e in paragraph)
    document_rate = _rate(document, RATE_PRIOR)
    pieces: list[str] = []
    edits: Edits = []
    cursor = 0
    for tokens, marks in zip(paragraphs, evidence):
        if sum(mark == "unknown" for mark in marks) > FOREIGN_SHARE * len(tokens):
            continue  # not Romanian, or not prose
        paragraph_rate = _rate(_sum(marks), document_rate)
        rates = _sentence_rates(tokens, marks, paragraph_rate)
        for i, token in enumerate(tokens):
            restored = _restore_token(tokens, i, lexicon, rates[token.sentence])
            if restored != token.text:
                pieces.append(text[cursor : token.start])
                pieces.append(restored)
                edits.append((token.text, restored))
                cursor = token.end
    if not edits:
        return text, []
    pieces.append(text[cursor:])
    return "".join(pieces), edits


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPHS.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """The words of text[start:end], outside URLs and e-mail addresses."""
    masked = [(m.start(), m.end()) for m in NOT_PROSE.finditer(text, start, end)]
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text, start, end)]
    tokens: list[_Token] = []
    last = start
    sentence = 0
    c = 0
    for match in WORD.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in masked):
            continue
        while chunks[c][1] <= match.start():
            c += 1
        boundary = not tokens or bool(_SENTENCE_END.search(text, last, match.start()))
        sentence += bool(tokens) and boundary
        word = match.group()
        tokens.append(
            _Token(
                match.start(),
                match.end(),
                word,
                fold(word).lower(),
                boundary,
                sentence,
                _is_clean(text, chunks, c),
                word.isupper() and 1 < len(word) < 4 and _caps_neighbour(text, chunks, c),
            )
        )
        last = match.end()
    return tokens


def _chunk_text(text: str, chunks: list[tuple[int, int]], c: int) -> str:
    return text[chunks[c][0] : chunks[c][1]] if 0 <= c < len(chunks) else ""


def _same_line(text: str, chunks: list[tuple[int, int]], a: int, b: int) -> bool:
    return 0 <= a < len(chunks) and 0 <= b < len(chunks) and "\n" not in text[chunks[min(a, b)][1] : chunks[max(a, b)][0]]


def _is_clean(text: str, chunks: list[tuple[int, int]], c: int) -> bool:
    """True when run of text ``c`` is a word, and a short one has a word or number beside it on its line."""
    chunk = _chunk_text(text, chunks, c)
    if not _CLEAN_CHUNK.fullmatch(chunk):
        return False
    if sum(ch.isalpha() for ch in chunk) > 2:
        return True
    return any(
        _same_line(text, chunks, c, n) and _CLEAN_CHUNK.fullmatch(_chunk_text(text, chunks, n)) for n in (c - 1, c + 1)
    )


def _caps_neighbour(text: str, chunks: list[tuple[int, int]], c: int) -> bool:
    for n in (c - 1, c + 1):
        chunk = _chunk_text(text, chunks, n)
        letters = "".join(WORD.findall(chunk))
        if _same_line(text, chunks, c, n) and len(letters) > 1 and letters.isupper() and _CLEAN_CHUNK.fullmatch(chunk):
            return True
    return False


def _evidence(token: _Token, lexicon: Lexicon) -> str:
    """``dia`` (has diacritics), ``missing`` (nearly always has them, but not here), ``unknown``, or ``""``."""
    if has_diacritics(token.text):
        return "dia"
    forms = lexicon.forms(token.key)
    if not forms:
        return "unknown"
    if forms[0][0] == token.key or not token.clean:
        return ""
    total = lexicon.folded_count(token.key)
    if total >= EVIDENCE_MIN_COUNT and lexicon.count(token.key) <= (1 - EVIDENCE_SHARE) * total:
        return "missing"
    return ""


def _sum(marks) -> tuple[int, int]:
    dia = missing = 0
    for mark in marks:
        dia += mark == "dia"
        missing += mark == "missing"
    return dia, missing


def _rate(evidence: tuple[int, int], prior: float) -> float:
    """The rate at which diacritics are dropped, from (words with them, words lacking them), smoothed to ``prior``."""
    dia, missing = evidence
    return (missing + RATE_PRIOR_WEIGHT * prior) / (dia + missing + RATE_PRIOR_WEIGHT)


def _sentence_rates(tokens: list[_Token], marks: list[str], paragraph_rate: float) -> list[float]:
    counts: dict[int, list[int]] = {}
    for token, mark in zip(tokens, marks):
        seen = counts.setdefault(token.sentence, [0, 0])
        seen[0] += mark == "dia"
        seen[1] += mark == "missing"
    return [_rate(tuple(counts.get(s, (0, 0))), paragraph_rate) for s in range(len(tokens) and tokens[-1].sentence + 1)]


def _restore_token(tokens: list[_Token], i: int, lexicon: Lexicon, rate: float) -> str:
    token = tokens[i]
    word = token.text
    if not token.clean or not _may_change(token):
        return word
    lower = word.lower()
    if word[:1].isupper() and rate < AFFIX_MIN_RATE and not word.isupper():
        return word  # in text written with diacritics, a capitalised word without them is a name
    forms = [(form, count) for form, count in lexicon.forms(token.key) if _only_adds(lower, form)]
    if rate < AFFIX_MIN_RATE:
        forms = _with_article_form(forms, lower)
    if not forms:
        if token.key in lexicon.variants or word[:1].isupper() and (word.isupper() or not token.boundary_before):
            return word  # a known word whose spelling we may not touch, a name or an acronym
        if rate < AFFIX_MIN_RATE:
            return word
        restored = _restore_unknown(lower, token.key, lexicon)
    elif len(forms) == 1:
        restored = forms[0][0] if _count(forms, lower) == 0 else word
    else:
        restored = _best_in_context(lower, forms, tokens, i, lexicon, rate)
    return _with_case_of(word, restored)


def _count(forms: list[tuple[str, float]], form: str) -> float:
    return next((count for other, count in forms if other == form), 0)


def _with_article_form(forms: list[tuple[str, float]], word: str) -> list[tuple[str, float]]:
    """``forms`` and ``word`` when it is a form of theirs with the other ending (``baghetă``: ``bagheta``).

    The lexicon lacks many rare forms with or without the article; in text
    written with diacritics, such a word is taken as valid, counting
    ARTICLE_SHARE of the form it pairs with, and the context decides.
    """
    if len(word) < 4 or word[-1] not in "aă" or _count(forms, word):
        return forms
    other = word[:-1] + ("ă" if word[-1] == "a" else "a")
    count = _count(forms, other)
    return forms + [(word, count * ARTICLE_SHARE)] if count else forms


def _may_change(token: _Token) -> bool:
    """False for acronyms, mixed-case names (DigiPlace) and words without a, i, s, t."""
    word = token.text
    if not any(ch in "aistAIST" for ch in word):
        return False
    if word.isupper() and len(word) > 1:
        # A short all-capital word may be an acronym, unless among other capital words.
        return len(word) >= 4 or token.caps_neighbour
    return word[1:].islower() or len(word) == 1


def _only_adds(word: str, form: str) -> bool:
    """True if ``form`` is ``word`` with diacritics added, none removed or changed."""
    if len(form) != len(word):
        return False
    for a, b in zip(word, form):
        if a != b and b not in _ALLOWED.get(a, ""):
            return False
    return True


def _best_in_context(
    word: str, forms: list[tuple[str, int]], tokens: list[_Token], i: int, lexicon: Lexicon, rate: float
) -> str:
    """The form that wins by the context model, weighed against keeping ``word`` as it is.

    ``word`` (lowercase, as written) is among ``forms`` when it is valid; any
    other form must beat it by CHANGE_MARGIN after the log of the drop rate.
    """
    scores = context_scores(forms, tokens, i, lexicon)
    kept = scores.pop(word, None)
    if not scores:
        return word
    best = max(scores, key=scores.__getitem__)
    if kept is None:
        return best
    if scores[best] + math.log(max(rate, 1e-9)) - kept >= CHANGE_MARGIN:
        return best
    return word


def context_scores(forms: list[tuple[str, int]], tokens: list[_Token], i: int, lexicon: Lexicon) -> dict[str, float]:
    """log count(form) + Σ_side weight · log P(neighbour | form), for each form."""
    neighbours = _neighbours(tokens, i)
    classes = {_form_class(form, forms) for form, _ in forms}
    sides = []
    for side, weight in CONTEXT_WEIGHTS.items():
        neighbour = neighbours[side]
        prior = (lexicon.folded_count(neighbour) + 1) / (lexicon.total + 1)
        table = lexicon.context.get(side, {})
        types = lexicon.context_types.get(side, {})
        totals = lexicon.context_totals.get(side, {})
        backoff = {}
        for cls in classes:
            # Witten-Bell: back off to the neighbour's frequency as often as the
            # class has been seen with a new neighbour.
            novel = types.get(cls, 0) + CLASS_SMOOTHING
            backoff[cls] = (table.get(f"{neighbour} {cls}", 0) + novel * prior) / (totals.get(cls, 0) + novel)
        sides.append((table, types, totals, neighbour, backoff, weight))
    scores = {}
    for form, count in forms:
        cls = _form_class(form, forms)
        score = math.log(count)
        for table, types, totals, neighbour, backoff, weight in sides:
            seen = table.get(f"{neighbour} {form}", 0)
            novel = types.get(form, 0) + CONTEXT_SMOOTHING
            score += weight * math.log((seen + novel * backoff[cls]) / (totals.get(form, 0) + novel))
        scores[form] = score
    return scores


def _form_class(form: str, forms: list[tuple[str, int]]) -> str:
    """``-`` and the last letter when the forms (of four letters or more) differ there (``-ă``, ``-a``), else ``-``."""
    if CLASS_BACKOFF and len(form) >= 4 and any(other[-1] != form[-1] for other, _ in forms):
        return "-" + form[-1]
    return "-"


def _neighbours(tokens: list[_Token], i: int) -> dict[str, str]:
    """The folded words around token i; BOUNDARY beyond its sentence."""
    before = []
    j = i
    while len(before) < 2:
        if tokens[j].boundary_before:
            before += [BOUNDARY] * (2 - len(before))
        else:
            j -= 1
            before.append(tokens[j].key)
    after = []
    j = i + 1
    while len(after) < 2:
        if j == len(tokens) or tokens[j].boundary_before:
            after += [BOUNDARY] * (2 - len(after))
        else:
            after.append(tokens[j].key)
            j += 1
    return {"L": before[0], "L2": before[1], "R": after[0], "R2": after[1]}


def _restore_unknown(word: str, key: str, lexicon: Lexicon) -> str:
    """Diacritics for a word the lexicon lacks, from its longest listed suffix and prefix."""
    restored = word
    suffix_len = 0
    for k in range(min(MAX_SUFFIX, len(key) - 2), 1, -1):
        tail = lexicon.suffixes.get(key[-k:])
        if tail is not None:
            restored, suffix_len = word[:-k] + tail, k
            break
    for k in range(min(MAX_PREFIX, len(key) - 2 - suffix_len), 1, -1):
        head = lexicon.prefixes.get(key[:k])
        if head is not None:
            restored = head + restored[k:]
            break
    return restored if _only_adds(word, restored) else word


def _with_case_of(original: str, restored: str) -> str:
    """``restored`` spelled with the capitals of ``original`` (same length)."""
    return "".join(r.upper() if o.isupper() else r for o, r in zip(original, restored))
