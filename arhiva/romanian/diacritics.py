"""Restore Romanian diacritics in text typed or recognised without them.

Each word's spelling is chosen among the diacritized forms the lexicon knows for
it, by a naive-Bayes model of its left and right neighbours (written without
diacritics, so the context is the same whether or not the text has them):

    score(form) = log count(form) + Σ_side log P(neighbour | form)

with P(neighbour | form) smoothed towards the neighbour's overall frequency.
That tells ``ca``/``că``, ``sa``/``să``, ``fata``/``fata``/``fața`` apart. Words
the lexicon does not know get a diacritized suffix or prefix only when the
lexicon's words are nearly unanimous about it (``-tiei`` → ``-ției``).

Diacritics are only ever added (a→ă/â, i→î, s→ș, t→ț), never removed, and only
in paragraphs (blocks between blank lines) that lack them: correctly written
Romanian passes through unchanged. A paragraph lacks them when its words that
are nearly always written with diacritics (``si``, ``sedinta``) outnumber its
words with diacritics three to one; a paragraph with too few such words follows
the whole text, and a text without a single diacritic is restored throughout.

>>> restore_diacritics("Sedinta a avut loc in sala de sedinte a primariei.")[0]
'Ședința a avut loc în sala de ședințe a primăriei.'
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
MAX_SUFFIX, MAX_PREFIX = 7, 5
_ALLOWED = {"a": "ăâ", "i": "î", "s": "ș", "t": "ț"}

#: Smoothing of the context model, and the weight of each side.
CONTEXT_SMOOTHING = 20.0
CONTEXT_WEIGHTS = {"L": 1.0, "R": 1.0, "L2": 0.3, "R2": 0.3}
#: A word counts as evidence of missing diacritics when its folded form is
#: written with diacritics at least this often, and seen at least this many times.
EVIDENCE_SHARE = 0.95
EVIDENCE_MIN_COUNT = 10
#: A paragraph is restored when it has at most this many words with diacritics
#: per word that lacks them; a paragraph with fewer than EVIDENCE_MIN_WORDS words
#: of evidence takes the document's decision.
RESTORE_RATIO = 0.34
EVIDENCE_MIN_WORDS = 3
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


def restore_diacritics(text: str) -> tuple[str, Edits]:
    """Add missing diacritics to the paragraphs of ``text`` written without them.

    Returns the text and the (before, after) of each changed word.

    >>> restore_diacritics("Primarul a declarat ca proiectul de infrastructura se depune sau azi sau maine.")[0]
    'Primarul a declarat că proiectul de infrastructură se depune sau azi sau mâine.'
    >>> restore_diacritics("Ședința din țară, la URBACT și DigiPlace.")
    ('Ședința din țară, la URBACT și DigiPlace.', [])
    """
    lexicon = Lexicon.load()
    paragraphs = _paragraph_spans(text)
    tokenized = [_tokens(text, start, end) for start, end in paragraphs]
    evidence = [_evidence(tokens, lexicon) for tokens in tokenized]
    document = (sum(e[0] for e in evidence), sum(e[1] for e in evidence), 0)
    pieces: list[str] = []
    edits: Edits = []
    cursor = 0
    for tokens, (dia, missing, unknown) in zip(tokenized, evidence):
        if unknown > FOREIGN_SHARE * len(tokens):
            continue  # not Romanian, or not prose
        if dia + missing < EVIDENCE_MIN_WORDS:
            dia, missing, _ = document
        if dia > RESTORE_RATIO * missing or (missing == 0 and document[0] > 0):
            continue
        for i, token in enumerate(tokens):
            restored = _restore_token(tokens, i, lexicon)
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
    tokens: list[_Token] = []
    last = start
    for match in WORD.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in masked):
            continue
        word = match.group()
        tokens.append(
            _Token(
                match.start(),
                match.end(),
                word,
                fold(word).lower(),
                not tokens or bool(_SENTENCE_END.search(text, last, match.start())),
            )
        )
        last = match.end()
    return tokens


def _evidence(tokens: list[_Token], lexicon: Lexicon) -> tuple[int, int, int]:
    """(words with diacritics, words that nearly always have them but do not, unknown words)."""
    dia = missing = unknown = 0
    for token in tokens:
        if has_diacritics(token.text):
            dia += 1
            continue
        forms = lexicon.forms(token.key)
        if not forms:
            unknown += 1
            continue
        if forms[0][0] == token.key:
            continue
        total = lexicon.folded_count(token.key)
        plain = lexicon.count(token.key)
        if total >= EVIDENCE_MIN_COUNT and plain <= (1 - EVIDENCE_SHARE) * total:
            missing += 1
    return dia, missing, unknown


def _restore_token(tokens: list[_Token], i: int, lexicon: Lexicon) -> str:
    token = tokens[i]
    word = token.text
    if not _may_change(tokens, i):
        return word
    lower = word.lower()
    forms = [(form, count) for form, count in lexicon.forms(token.key) if _only_adds(lower, form)]
    if not forms:
        if token.key in lexicon.variants or word[:1].isupper() and (word.isupper() or not token.boundary_before):
            return word  # a known word whose spelling we may not touch, a name or an acronym
        restored = _restore_unknown(lower, token.key, lexicon)
    elif len(forms) == 1:
        restored = forms[0][0]
    else:
        restored = _best_in_context(forms, tokens, i, lexicon)
    return _with_case_of(word, restored)


def _may_change(tokens: list[_Token], i: int) -> bool:
    """False for acronyms, mixed-case names (DigiPlace) and words without a, i, s, t."""
    word = tokens[i].text
    if not any(ch in "aistAIST" for ch in word):
        return False
    if word.isupper() and len(word) > 1:
        # A short all-capital word may be an acronym, unless among other capital words.
        neighbours = [tokens[j].text for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        return len(word) >= 4 or any(n.isupper() and len(n) > 1 for n in neighbours)
    return word[1:].islower() or len(word) == 1


def _only_adds(word: str, form: str) -> bool:
    """True if ``form`` is ``word`` with diacritics added, none removed or changed."""
    if len(form) != len(word):
        return False
    for a, b in zip(word, form):
        if a != b and b not in _ALLOWED.get(a, ""):
            return False
    return True


def _best_in_context(forms: list[tuple[str, int]], tokens: list[_Token], i: int, lexicon: Lexicon) -> str:
    neighbours = _neighbours(tokens, i)
    sides = []
    for side, weight in CONTEXT_WEIGHTS.items():
        neighbour = neighbours[side]
        prior = (lexicon.folded_count(neighbour) + 1) / (lexicon.total + 1)
        sides.append((lexicon.context.get(side, {}), lexicon.context_types.get(side, {}), neighbour, prior, weight))
    best, best_score = forms[0][0], -math.inf
    for form, count in forms:
        score = math.log(count)
        for table, types, neighbour, prior, weight in sides:
            # Witten-Bell: back off to the neighbour's frequency as often as the
            # form has been seen with a new neighbour.
            seen = table.get(f"{neighbour} {form}", 0)
            novel = types.get(form, 0) + CONTEXT_SMOOTHING
            score += weight * math.log((seen + novel * prior) / (count + novel))
        if score > best_score:
            best, best_score = form, score
    return best


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
