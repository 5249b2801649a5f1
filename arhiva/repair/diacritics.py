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
apart. Words the lexicon does not know get their diacritics letter by letter,
from the letters around each (``-tiei`` → ``-ției``, ``indepartat`` → ``îndepărtat``).

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
from bisect import bisect_right
from typing import NamedTuple

from arhiva.romanian.letters import fold, has_diacritics
from arhiva.repair.model import BOUNDARY, LONGEST_WORD, ContextModel
from arhiva.romanian.lexicon import WORD

Edits = list[tuple[str, str]]
Span = tuple[int, int]

#: Text that is not prose: URLs, e-mail addresses, domain names, file names.
#: An e-mail address or a domain name starts only where its run of letters,
#: dots, hyphens and signs starts (the look-behinds; a domain name also after
#: one dot or hyphen that starts the run: ``-primaria.ro``): tried at every
#: word of a long run such as ``a-a-a-…`` or ``a.a.a.…``, each try would scan
#: the rest of the run, and the time would grow with the square of its length.
NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:(?<![\w.-])|(?<=[^\w.-][.-])|(?<=^[.-]))\b[\w-]+(?:\.[\w-]+)*\.(?:ro|com|org|net|eu|pdf|docx?)\b",
    re.IGNORECASE,
)
#: What every match of NOT_PROSE has; much faster to look for.
_MAYBE_NOT_PROSE = re.compile(r"\.(?:ro|com|org|net|eu|pdf|docx?)\b|@|://|www\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;:]")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
#: A run of text without spaces that is prose: words and numbers joined by single
#: hyphens, slashes, dots or apostrophes (``și/sau``, ``2004/18/CE``, ``art.3``),
#: with punctuation around them, or marks OCR glues to a word's end (``orasul™``,
#: ``art. 5*``). ``64..40/6`` or ``a8`` is not.
_UNIT = r"(?:[^\W\d_]+|\d+)"
_CLEAN_CHUNK = re.compile(
    rf"[\"'„“”«»(\[{{<]*{_UNIT}(?:[-/.,:'’]{_UNIT})*-?[.,;:!?\"'“”»)\]}}>…%*°™®©-]*"
)
#: With SENTENCE_JOINS, two sentences or clauses run together without a space
#: are prose too: a closing quote or bracket, one mark and an opening quote
#: between two words (``internaționalizat.„Ocupanții”``, ``Borzești”.În``,
#: ``a declarat:„Atât``); a run with two marks in a row (``64..40``) is not.
_JOINED_CHUNK = re.compile(
    rf"[\"'„“”«»(\[{{<]*{_UNIT}(?:[\"”»)\]]*[-/.,:;!?'’][\"'„“«(\[]*{_UNIT})*-?[.,;:!?\"'“”»)\]}}>…%*°™®©-]*"
)
SENTENCE_JOINS = True
#: With QUOTE_MARKS, single typographic quotes (``‘Lullabay’``), a low one and
#: a doubled comma (``,,Cel``, OCR's reading of ``„``) may open a word too, and
#: ``‘ ’`` close it, as the quotes above do.
_OPEN_MORE, _CLOSE_MORE = "‘’‚,", "‘’"
_QUOTED_CHUNK = re.compile(
    rf"[\"'„“”«»(\[{{<{_OPEN_MORE}]*{_UNIT}(?:[\"”»)\]{_CLOSE_MORE}]*[-/.,:;!?'’][\"'„“«(\[{_OPEN_MORE}]*{_UNIT})*"
    rf"-?[.,;:!?\"'“”»)\]}}>…%*°™®©{_CLOSE_MORE}-]*"
)
QUOTE_MARKS = True
_CHUNK = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
#: The windows of letters (before, after) that decide a letter of a word the
#: lexicon lacks, narrowest first (scripts/build_langdata.py learns them).
LETTER_SHAPES = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 4), (4, 4))
_ALLOWED = {"a": "ăâ", "i": "î", "s": "ș", "t": "ț"}

#: Smoothing of the context model, and the weight of each side and of the
#: form's own frequency (PRIOR_WEIGHT): fitted together on the development
#: split, counting the words restored right in text stripped of diacritics
#: (docs/repair.md).
CONTEXT_SMOOTHING = 10.0
CLASS_SMOOTHING = 20.0
PRIOR_WEIGHT = 1.1
#: Whether rare forms borrow the neighbours of their ending's class (``-ă``/``-a``).
CLASS_BACKOFF = True
#: Whether the context chooses between -a and -ă for words the lexicon lacks.
UNKNOWN_ENDINGS = True
CONTEXT_WEIGHTS = {"L": 1.0, "R": 0.85, "L2": 0.4, "R2": 0.4}
#: A comma between two words of a sentence is a neighbour of its own: ``, că``
#: and ``, sau`` against ``ca`` and ``său`` after a word (the counts of
#: context.tsv are made the same way by scripts/build_langdata.py).
COMMA = ","
COMMA_CONTEXT = True
#: With MARK_CONTEXT, an opening or closing bracket or quote, or a dash, is one too
#: (see :func:`gap_mark`).
MARK_CONTEXT = True
_OPENING, _CLOSING, _DASHES = set("(„“«[\""), set(")”»]"), set("–—")


def gap_mark(gap: str) -> str | None:
    """The neighbour that the text between two words of a sentence makes, if any: COMMA, ``(``, ``)`` or ``-``.

    >>> gap_mark(", "), gap_mark(" („"), gap_mark(") "), gap_mark(" – "), gap_mark(" "), gap_mark("-")
    (',', '(', ')', '-', None, None)
    """
    if COMMA in gap:
        return COMMA
    if not MARK_CONTEXT or len(gap) < 2:
        return None
    chars = set(gap)
    if chars & _OPENING:
        return "("
    if chars & _CLOSING:
        return ")"
    if chars & _DASHES or " - " in gap:
        return "-"
    return None
#: The side whose "neighbour" is how the word itself is written inside a
#: sentence (``Aa`` capitalised, ``aa`` lowercase; see :func:`word_case`): a
#: capitalised ``Constanta`` is the city, ``Constanța``, not ``constantă``.
CASE_SIDE = "C"
CASE_WEIGHT = 0.5
#: A word is evidence of missing diacritics when its folded form is written with
#: diacritics at least this often, and seen at least this many times.
EVIDENCE_SHARE = 0.95
EVIDENCE_MIN_COUNT = 10
#: How much evidence of the sentence, paragraph and document weighs against the
#: next larger one when estimating the rate at which diacritics were dropped,
#: and the rate assumed for a document without evidence.
RATE_PRIOR_WEIGHT = 2.0
RATE_PRIOR = 0.5
#: Whether a word that is itself a sign of dropped diacritics (``sa``, whose
#: commonest spelling is ``să``) is left out of the evidence its own drop rate
#: is read from; else a correct ``țara sa`` in a short text would count as
#: proof that the text drops diacritics, and become ``țara să``.
LEAVE_ONE_OUT = True
#: Whether a word written with some diacritics keeps its last letter: the
#: writer who put the ``ț`` of ``consultanța`` chose its ``-a`` too (the
#: article), so only letters inside it may still take diacritics
#: (``diferentiată`` → ``diferențiată``). Not in OCR text, where the letters
#: OCR kept say nothing of the writer's choice (the clean-up turns it off for
#: a document with an OCR page).
KEEP_MARKED_ENDING = True
#: A word valid as written takes diacritics only when the log-odds of the best
#: other spelling (the context score plus the log of the drop rate) beat it by
#: this margin. Measured on the development split (docs/language-data.md).
CHANGE_MARGIN = 0.0
#: The weight of the log of the drop rate against the context score in that
#: comparison: PRIOR_WEIGHT and the side weights scale the score, this the
#: rate, so that correctly written text (a rate near 0) stays as written as
#: often as before they were fitted. Measured on the development split.
RATE_WEIGHT = 1.1
#: After the infinitive marker ``a`` (``a planifica``, ``de a exprima``), with
#: up to two clitics or ``nu`` between (``a se exprima``, ``a-și prezenta``,
#: ``a nu le aplica``), a form that is a verb's infinitive (see
#: :func:`infinitive_like`) gains this much (in nats) over the 3rd-person and
#: noun forms (``exprimă``, ``prezența``). Measured on the development split
#: (docs/language-data.md); 0 turns it off.
INFINITIVE_WEIGHT = 6.0
#: The words (folded) after which a verb stands in its bare infinitive: the
#: marker ``a``, the auxiliaries of the future and the conditional (``va
#: aproba``, ``ar câștiga``) and the forms of ``a putea`` (``pot interfera``);
#: and the words that may stand between them and the verb.
INFINITIVE_MARKERS = frozenset(
    {"a", "va", "vor", "vom", "veti", "vei", "ar", "pot", "poate", "poti", "putem", "puteti", "putea"}
)
INFINITIVE_CLITICS = frozenset(
    {"se", "si", "isi", "il", "l", "le", "li", "o", "i", "ii", "mi", "ma", "ti", "te", "ne", "va", "nu", "mai"}
)
#: How often a word the lexicon lacks that is a known form with the other ending
#: (``bagheta`` beside ``baghetă``) is assumed to occur, as a share of that form.
ARTICLE_SHARE = 0.1
#: Whether a word the lexicon lacks takes the spelling of ``spellings.tsv``
#: (hunspell-ro's, where the letter rules would misspell it) before the letter
#: rules (docs/language-data.md).
SPELLINGS = True
#: Words the lexicon lacks take diacritics (letter by letter) only where the
#: drop rate is at least this; below it, the text is taken as written with them.
AFFIX_MIN_RATE = 0.5
#: A paragraph with more unknown words than this share is left alone: it is
#: not Romanian prose (a list of names, code, another language).
FOREIGN_SHARE = 0.4


class _Plan(NamedTuple):
    """What a word, spelt exactly so, may become: computed once per word and kept (see :func:`_plan`)."""

    key: str  # folded lowercase
    evidence: str  # "dia", "unknown", "missing" (when the word is clean, see _is_clean), or ""
    fixed: bool  # never changed, whatever its context and the drop rate
    caps: bool  # a short word in capitals: changed only beside a word in capitals
    known: bool  # the lexicon knows some spelling of it
    forms: tuple[tuple[str, int], ...]  # known spellings that only add diacritics to it, commonest first
    article_forms: tuple[tuple[str, float], ...]  # the same, in text written with diacritics
    unknown: str  # its spelling letter by letter, for a word the lexicon lacks
    endings: tuple[tuple[str, float], ...]  # that spelling ending in -a and in -ă, for the context to choose


class _Paragraph:
    """The words of a paragraph, as parallel lists; whether a word is clean is found when asked."""

    __slots__ = ("text", "start", "end", "starts", "ends", "words", "plans", "boundary", "sentence", "comma", "_clean")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        self.plans: list[_Plan] = []
        self.boundary: list[bool] = []  # a sentence starts at the word
        self.sentence: list[int] = []  # index of the word's sentence in the paragraph
        self.comma: list[str | None] = []  # the mark between the word and the one before it in its sentence (gap_mark)
        self._clean: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.words)

    def runs(self, i: int) -> tuple[Span, Span | None, Span | None]:
        """The run of text without spaces that word i is in, and the runs before and after it in the paragraph."""
        text, start, end = self.text, self.start, self.end
        a = self.starts[i]
        while a > start and not text[a - 1].isspace():
            a -= 1
        space = _SPACE.search(text, self.ends[i], end)
        run = (a, space.start() if space else end)
        j = a
        while j > start and text[j - 1].isspace():
            j -= 1
        before = None
        if j > start:
            k = j
            while k > start and not text[k - 1].isspace():
                k -= 1
            before = (k, j)
        after = _CHUNK.search(text, run[1], end)
        return run, before, after.span() if after else None

    def clean(self, i: int) -> bool:
        """A word among words, not part of a code or of OCR debris (see :func:`_is_clean`)."""
        known = self._clean.get(i)
        if known is None:
            known = self._clean[i] = _is_clean(self.text, *self.runs(i))
        return known

    def caps_neighbour(self, i: int) -> bool:
        """Beside word i on its line, a run of text that is a word in capitals."""
        return _caps_neighbour(self.text, *self.runs(i))


def restore_diacritics(text: str, keep_marked_ending: bool | None = None, typed: bool = True) -> tuple[str, Edits]:
    """Add the diacritics that the words of ``text`` lack.

    Returns the text and the (before, after) of each changed word.
    ``keep_marked_ending``: see KEEP_MARKED_ENDING (its value when None).
    ``typed``: the text was typed, not read by OCR; a word glued to a word in lower case by a
    full stop is then an abbreviation or a file's name, left as it is (in OCR text the stop is
    more often a space misread: ``europene.in``).

    >>> restore_diacritics("Primarul a declarat ca proiectul de infrastructura se depune sau azi sau maine.")[0]
    'Primarul a declarat că proiectul de infrastructură se depune sau azi sau mâine.'
    >>> restore_diacritics("Ședința din țară, la URBACT și DigiPlace.")
    ('Ședința din țară, la URBACT și DigiPlace.', [])
    >>> restore_diacritics("Hotarare privind asocierea Orasului cu Judetul Prahova în vederea infiintarii")[0]
    'Hotărâre privind asocierea Orașului cu Județul Prahova în vederea înființării'
    """
    model = ContextModel.load()
    keep_ending = KEEP_MARKED_ENDING if keep_marked_ending is None else keep_marked_ending
    plans = _plans(model)
    paragraphs = [_paragraph(text, start, end, model, plans) for start, end in _paragraph_spans(text)]
    evidence = [_evidence(paragraph) for paragraph in paragraphs]
    document_marks = _sum(marks for paragraph in evidence for marks in paragraph)
    document_rate = _rate(document_marks, RATE_PRIOR)
    names = _names(text)
    pieces: list[str] = []
    edits: Edits = []
    cursor = 0
    for paragraph, sentences in zip(paragraphs, evidence):
        if sum(unknown for _, _, unknown in sentences) > FOREIGN_SHARE * len(paragraph):
            continue  # not Romanian, or not prose
        paragraph_marks = _sum(sentences)
        paragraph_rate = _rate(paragraph_marks, document_rate)
        rates = [_rate(marks, paragraph_rate) for marks in sentences]
        for i, plan in enumerate(paragraph.plans):
            if plan.fixed:
                continue
            word = paragraph.words[i]
            rate = rates[paragraph.sentence[i]]
            if LEAVE_ONE_OUT and plan.evidence == "missing":
                # The word is itself counted as a sign that diacritics were
                # dropped: its own drop rate is read from the other words.
                rate = _rate_without_one(document_marks, paragraph_marks, sentences[paragraph.sentence[i]])
            if typed and _glued_by_stop(text, paragraph.ends[i]):
                continue
            restored = _restore_token(paragraph, i, plan, model, rate, keep_ending, names)
            if restored != word:
                pieces.append(text[cursor : paragraph.starts[i]])
                pieces.append(restored)
                edits.append((word, restored))
                cursor = paragraph.ends[i]
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


def _paragraph(text: str, start: int, end: int, model: ContextModel, plans: dict[str, _Plan]) -> _Paragraph:
    """The words of text[start:end], outside URLs and e-mail addresses."""
    masked: list[Span] = []
    if _MAYBE_NOT_PROSE.search(text, start, end):
        masked = [(m.start(), m.end()) for m in NOT_PROSE.finditer(text, start, end)]
    mask_starts = [a for a, _ in masked]
    paragraph = _Paragraph(text, start, end)
    starts, ends, words, boundaries, sentences, word_plans, commas = (
        paragraph.starts, paragraph.ends, paragraph.words, paragraph.boundary, paragraph.sentence, paragraph.plans,
        paragraph.comma,
    )
    cut = start
    sentence = -1
    stops = [m.start() for m in _SENTENCE_END.finditer(text, start, end)]
    stops.append(end)
    for stop in stops:
        # Between two marks that end a sentence: a sentence starts at the first word.
        boundary = True
        for match in WORD.finditer(text, cut, stop):
            at = match.start()
            if masked and _inside(masked, mask_starts, at):
                continue
            word = match.group()
            plan = plans.get(word)
            if plan is None:
                plan = _plan(word, model, plans)
            sentence += boundary
            starts.append(at)
            ends.append(match.end())
            words.append(word)
            word_plans.append(plan)
            commas.append(gap_mark(text[ends[-2] : at]) if COMMA_CONTEXT and not boundary else None)
            boundaries.append(boundary)
            sentences.append(sentence)
            boundary = False
        cut = stop + 1
    return paragraph


def _inside(spans: list[Span], starts: list[int], at: int) -> bool:
    """True when ``at`` falls inside one of ``spans`` (sorted, not overlapping; ``starts`` their starts), by bisection.

    >>> _inside([(2, 5), (9, 12)], [2, 9], 4), _inside([(2, 5), (9, 12)], [2, 9], 5)
    (True, False)
    """
    k = bisect_right(starts, at) - 1
    return k >= 0 and at < spans[k][1]


def _plan(word: str, model: ContextModel, plans: dict[str, _Plan]) -> _Plan:
    """What ``word`` may become, whatever its context; kept in ``plans``."""
    lower = word.lower()
    key = fold(word).lower()
    lexicon = model.lexicon
    variants = lexicon.forms(key)
    if has_diacritics(word):
        evidence = "dia"
    elif not variants:
        evidence = "unknown"
    elif variants[0][0] == key:
        evidence = ""
    else:
        total = lexicon.folded_count(key)
        missing = total >= EVIDENCE_MIN_COUNT and lexicon.count(key) <= (1 - EVIDENCE_SHARE) * total
        evidence = "missing" if missing else ""
    too_long = len(word) > LONGEST_WORD  # no word: left as it stands, unscored
    may_change = False if too_long else _may_change(word)
    forms = tuple((form, count) for form, count in variants if only_adds(lower, form))
    article_forms = tuple(_with_article_form(list(forms), lower))
    unknown = lower if variants or forms or too_long else restore_unknown(lower, key, model)
    endings = () if variants or too_long else _endings(lower, unknown, model)
    fixed = (
        not may_change
        or (not forms and (bool(variants) or (unknown == lower and not endings)))
        or (len(forms) == 1 and forms[0][0] == lower and len(article_forms) == 1)
    )
    plan = _Plan(key, evidence, fixed, may_change == "caps", bool(variants), forms, article_forms, unknown, endings)
    if len(plans) >= PLANS_KEPT:
        plans.clear()
    plans[word] = plan
    return plan


#: How many words' plans are kept between calls (cleared when full).
PLANS_KEPT = 100_000
_PLANS: dict[str, _Plan] = {}
_PLANS_MODEL: list[ContextModel] = []


def _plans(model: ContextModel) -> dict[str, _Plan]:
    """The plans kept for ``model`` (emptied when another model is used)."""
    if not _PLANS_MODEL or _PLANS_MODEL[0] is not model:
        _PLANS.clear()
        _PLANS_MODEL[:] = [model]
    return _PLANS


def _same_line(text: str, first: Span, second: Span | None) -> bool:
    """True when run ``second`` exists and no line ends between it and ``first``."""
    if second is None:
        return False
    a, b = (first[1], second[0]) if first[0] < second[0] else (second[1], first[0])
    return "\n" not in text[a:b]


def _clean_chunk(chunk: str) -> bool:
    """True when a run of text without spaces is prose: words joined by single marks, quotes around them.

    >>> _clean_chunk("internaționalizat.„Ocupanții”"), _clean_chunk("‘Lullabay’"), _clean_chunk("64..40/6")
    (True, True, False)
    """
    # Each pattern accepts all that the one before it does: one match decides.
    pattern = _QUOTED_CHUNK if QUOTE_MARKS else _JOINED_CHUNK if SENTENCE_JOINS else _CLEAN_CHUNK
    return bool(pattern.fullmatch(chunk))


def _is_clean(text: str, run: Span, before: Span | None, after: Span | None) -> bool:
    """True when ``run`` is a word, and a short one has a word or number beside it on its line."""
    chunk = text[run[0] : run[1]]
    if not _clean_chunk(chunk):
        return False
    if sum(ch.isalpha() for ch in chunk) > 2:
        return True
    return any(
        _same_line(text, run, other) and _clean_chunk(text[other[0] : other[1]])  # type: ignore[index]
        for other in (before, after)
    )


def _caps_neighbour(text: str, run: Span, before: Span | None, after: Span | None) -> bool:
    for other in (before, after):
        if not _same_line(text, run, other):
            continue
        chunk = text[other[0] : other[1]]  # type: ignore[index]
        letters = "".join(WORD.findall(chunk))
        if len(letters) > 1 and letters.isupper() and _CLEAN_CHUNK.fullmatch(chunk):
            return True
    return False


def _evidence(paragraph: _Paragraph) -> list[tuple[int, int, int]]:
    """(words with diacritics, words that nearly always have them but lack them here, unknown words) per sentence.

    A word is evidence of missing diacritics only where it is clean (``64..40/6 IL`` is not).
    """
    counts: list[list[int]] = []
    for i, plan in enumerate(paragraph.plans):
        sentence = paragraph.sentence[i]
        if sentence == len(counts):
            counts.append([0, 0, 0])
        mark = plan.evidence
        if mark == "dia":
            counts[sentence][0] += 1
        elif mark == "missing" and paragraph.clean(i):
            counts[sentence][1] += 1
        elif mark == "unknown":
            counts[sentence][2] += 1
    return [tuple(seen) for seen in counts]  # type: ignore[misc]


def _sum(marks) -> tuple[int, int, int]:
    dia = missing = unknown = 0
    for d, m, u in marks:
        dia += d
        missing += m
        unknown += u
    return dia, missing, unknown


def _rate(evidence: tuple[int, int, int], prior: float) -> float:
    """The rate at which diacritics are dropped, from (words with them, words lacking them, _), smoothed to ``prior``."""
    dia, missing, _ = evidence
    return (missing + RATE_PRIOR_WEIGHT * prior) / (dia + missing + RATE_PRIOR_WEIGHT)


def _rate_without_one(document: tuple[int, int, int], paragraph: tuple[int, int, int],
                      sentence: tuple[int, int, int]) -> float:
    """The drop rate of a sentence, its paragraph and document, each with one word lacking diacritics fewer.

    >>> round(_rate_without_one((4, 1, 0), (4, 1, 0), (4, 1, 0)), 3), round(_rate((4, 1, 0), 0.224), 3)
    (0.019, 0.207)
    """
    less = [(dia, max(missing - 1, 0), unknown) for dia, missing, unknown in (document, paragraph, sentence)]
    return _rate(less[2], _rate(less[1], _rate(less[0], RATE_PRIOR)))


#: A capitalised word inside a sentence (after a lowercase word or a comma): a name.
_NAME_INSIDE = re.compile(r"(?<=[a-zăâîșțşţ,] )(?-i:[A-Z])[a-z]{2,}\b")


def _names(text: str) -> frozenset[str]:
    """The words ``text`` writes capitalised inside a sentence without diacritics (``municipiului
    Roman``), lowercased: names, also where the text sets them in capitals (``ROMAN``).

    >>> sorted(_names("Steagul municipiului Roman, aprobat de consiliu, și Ședința din Roman."))
    ['roman']
    >>> restore_diacritics("CONSILIUL LOCAL AL MUNICIPIULUI ROMAN. Aprobă steagul municipiului Roman, în ședință.")[0]
    'CONSILIUL LOCAL AL MUNICIPIULUI ROMAN. Aprobă steagul municipiului Roman, în ședință.'
    """
    return frozenset(word.lower() for word in _NAME_INSIDE.findall(text) if not has_diacritics(word))


def _restore_token(
    paragraph: _Paragraph, i: int, plan: _Plan, model: ContextModel, rate: float, keep_ending: bool = False,
    names: frozenset[str] = frozenset(),
) -> str:
    word = paragraph.words[i]
    if not paragraph.clean(i) or (plan.caps and not paragraph.caps_neighbour(i)):
        return word
    if word == "DA" and _yes_no_cell(paragraph, i):
        return word  # a form's answer (``NU DA DA DA``), not the verb ``DĂ``
    written = rate < AFFIX_MIN_RATE  # the text is mostly written with diacritics
    if written and word[:1].isupper() and not word.isupper():
        if not (paragraph.boundary[i] and _lacks_diacritics(plan, word)):
            return word  # in text written with diacritics, a capitalised word without them is a name ...
        # ... unless it opens a sentence and no spelling is it as written: ``Hotararea Consiliului …``
    if written and word.isupper() and word.lower() in names:
        return word  # ``MUNICIPIULUI ROMAN`` where the text writes ``municipiului Roman``: the same name
    forms = plan.article_forms if written else plan.forms
    if keep_ending and plan.evidence == "dia" and len(forms) > 1:
        forms = tuple(form for form in forms if form[0][-1] == word[-1].lower()) or forms
    lower = word.lower()
    if not forms:
        if plan.known or word[:1].isupper() and (word.isupper() or not paragraph.boundary[i]):
            return word  # a known word whose spelling we may not touch, a name or an acronym
        if written:
            return word
        restored = plan.unknown
        if plan.endings:
            scores = context_scores(plan.endings, _neighbours(paragraph, i), model)
            restored = max(scores, key=scores.__getitem__)
    elif len(forms) == 1:
        restored = forms[0][0] if _count(forms, lower) == 0 else lower
    else:
        restored = _best_in_context(lower, forms, paragraph, i, model, rate)
    return word if restored == lower else _with_case_of(word, restored)


def _glued_by_stop(text: str, end: int) -> bool:
    """Whether the word ending at ``end`` is glued by a full stop to a word in lower case: in typed
    text an abbreviation (``sist.proprii``, ``inv.primar``) or a file's name (``carti.txt``).

    >>> restore_diacritics("conform sist.proprii de evidenta", typed=True)[0]
    'conform sist.proprii de evidență'
    >>> restore_diacritics("conform sist.proprii de evidenta", typed=False)[0]
    'conform șist.proprii de evidență'
    """
    return text[end : end + 1] == "." and text[end + 1 : end + 2].islower()


#: A form's yes/no answers, in capitals.
_ANSWERS = frozenset({"DA", "NU", "DA/NU", "NU/DA"})


def _yes_no_cell(paragraph: _Paragraph, i: int) -> bool:
    """Whether word i stands beside another yes/no answer on its line, as in a form's table.

    >>> restore_diacritics("Salariat (CAS in sistemul propriu) NU DA DA DA")[0]
    'Salariat (CAS în sistemul propriu) NU DA DA DA'
    >>> restore_diacritics("NU DA DREPTUL DE A SEMNA, CI DA DREPTUL DE A CITI")[0].split()[-5]
    'DĂ'
    """
    text = paragraph.text
    run, before, after = paragraph.runs(i)
    return any(_same_line(text, run, other) and text[other[0] : other[1]] in _ANSWERS  # type: ignore[index]
               for other in (before, after))


def _lacks_diacritics(plan: _Plan, word: str) -> bool:
    """Whether ``word``, capitalised at the start of a sentence, lost its diacritics: no spelling the
    lexicon knows is it as written, and one with diacritics is (``Hotararea``; not ``Roman``, a word as
    written, nor ``Vodafone``, unknown). Inside a sentence such a word is taken for a name.

    >>> restore_diacritics("Hotararea Consiliului Local nr. 5 privind aprobarea taxelor. Consiliul hotărăște.")[0]
    'Hotărârea Consiliului Local nr. 5 privind aprobarea taxelor. Consiliul hotărăște.'
    """
    return bool(plan.forms) and _count(plan.forms, word.lower()) == 0


def _count(forms, form: str) -> float:
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


def _may_change(word: str) -> bool | str:
    """False for acronyms, mixed-case names (DigiPlace) and words without a, i, s, t.

    ``"caps"`` for a short word in capitals, which may be an acronym unless among other words in capitals.
    """
    if not any(ch in "aistAIST" for ch in word):
        return False
    if word.isupper() and len(word) > 1:
        return True if len(word) >= 4 else "caps"
    return word[1:].islower() or len(word) == 1


def only_adds(word: str, form: str) -> bool:
    """True if ``form`` is ``word`` with diacritics added, none removed or changed."""
    if len(form) != len(word):
        return False
    for a, b in zip(word, form):
        if a != b and b not in _ALLOWED.get(a, ""):
            return False
    return True


def _best_in_context(
    word: str, forms, paragraph: _Paragraph, i: int, model: ContextModel, rate: float
) -> str:
    """The form that wins by the context model, weighed against keeping ``word`` as it is.

    ``word`` (lowercase, as written) is among ``forms`` when it is valid; any
    other form must beat it by CHANGE_MARGIN after the log of the drop rate.
    """
    scores = context_scores(forms, _neighbours(paragraph, i), model)
    if INFINITIVE_WEIGHT and after_infinitive_marker(paragraph.plans, paragraph.boundary, paragraph.comma, i):
        for form in scores:
            if infinitive_like(form, model.lexicon):
                scores[form] += INFINITIVE_WEIGHT
    kept = scores.pop(word, None)
    if not scores:
        return word
    best = max(scores, key=scores.__getitem__)
    if kept is None:
        return best
    if scores[best] + RATE_WEIGHT * math.log(max(rate, 1e-9)) - kept >= CHANGE_MARGIN:
        return best
    return word


def infinitive_like(form: str, lexicon) -> bool:
    """True when ``form`` may be a verb's infinitive: it ends in ``-a`` and the lexicon knows its participle in ``-at``.

    ``prezenta`` (``prezentat``) is, ``prezența`` and ``exprimă`` are not;
    words of three letters or fewer never are.

    >>> from arhiva.romanian.lexicon import Lexicon
    >>> words = Lexicon.from_table("prezenta 5\\nprezența 9\\nprezentat 3\\n")
    >>> infinitive_like("prezenta", words), infinitive_like("prezența", words)
    (True, False)
    """
    return len(form) >= 4 and form[-1] == "a" and lexicon.count(form[:-1] + "at") > 0


def after_infinitive_marker(plans, boundary: list[bool], comma: list, i: int) -> bool:
    """True when word i follows the infinitive marker ``a`` in its sentence, with at most two clitics between.

    ``plans`` are the words' plans (their folded ``key``), ``boundary`` and
    ``comma`` as in the paragraph: no sentence start nor comma may stand between.
    """
    between = 0
    j = i
    while not boundary[j] and not comma[j] and j > 0:
        j -= 1
        key = plans[j].key
        if key in INFINITIVE_MARKERS:
            return True
        if key not in INFINITIVE_CLITICS or between == 2:
            return False
        between += 1
    return False


def context_scores(forms, neighbours: dict[str, str], model: ContextModel) -> dict[str, float]:
    """PRIOR_WEIGHT · log count(form) + Σ_side weight · log P(neighbour | form), for each form.

    ``neighbours`` maps the sides of CONTEXT_WEIGHTS to the folded word there,
    and CASE_SIDE to the word's case (a side it lacks is left out).
    """
    classes = {form: _form_class(form, forms) for form, _ in forms}
    scores = {form: PRIOR_WEIGHT * math.log(count) for form, count in forms}
    for side, weight in (*CONTEXT_WEIGHTS.items(), (CASE_SIDE, CASE_WEIGHT)):
        neighbour = neighbours.get(side)
        if neighbour is None or not weight:
            continue
        prior = 0.5 if side == CASE_SIDE else (model.neighbour_count(neighbour) + 1) / (model.total + 1)
        table = model.context.get(side, _EMPTY)
        types = model.context_types.get(side, _EMPTY)
        totals = model.context_totals.get(side, _EMPTY)
        backoff: dict[str, float] = {}
        for form, _ in forms:
            cls = classes[form]
            if cls not in backoff:
                # Witten-Bell: back off to the neighbour's frequency as often as the
                # class has been seen with a new neighbour.
                novel = types.get(cls, 0) + CLASS_SMOOTHING
                seen = table.get(cls, _EMPTY).get(neighbour, 0)
                backoff[cls] = (seen + novel * prior) / (totals.get(cls, 0) + novel)
            seen = table.get(form, _EMPTY).get(neighbour, 0)
            novel = types.get(form, 0) + CONTEXT_SMOOTHING
            scores[form] += weight * math.log((seen + novel * backoff[cls]) / (totals.get(form, 0) + novel))
    return scores


_EMPTY: dict = {}


def _form_class(form: str, forms: list[tuple[str, int]]) -> str:
    """``-`` and the last letter when the forms (of four letters or more) differ there (``-ă``, ``-a``), else ``-``."""
    if CLASS_BACKOFF and len(form) >= 4 and any(other[-1] != form[-1] for other, _ in forms):
        return "-" + form[-1]
    return "-"


def word_case(word: str) -> str | None:
    """``Aa`` for a capitalised word, ``aa`` for a lowercase one, None for capitals or mixed case.

    >>> word_case("Constanta"), word_case("constanta"), word_case("URBACT")
    ('Aa', 'aa', None)
    """
    if word.islower():
        return "aa"
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return "Aa"
    return None


def _neighbours(paragraph: _Paragraph, i: int) -> dict[str, str]:
    """The folded words around word i (a comma between two is a word, COMMA), BOUNDARY beyond its sentence; inside a sentence, its case (CASE_SIDE)."""
    plans, boundary, comma = paragraph.plans, paragraph.boundary, paragraph.comma
    before = []
    j = i
    while len(before) < 2:
        if boundary[j]:
            before += [BOUNDARY] * (2 - len(before))
        elif comma[j] and (not before or before[-1] != comma[j]):
            before.append(comma[j])
        else:
            j -= 1
            before.append(plans[j].key)
    after = []
    j = i + 1
    while len(after) < 2:
        if j == len(plans) or boundary[j]:
            after += [BOUNDARY] * (2 - len(after))
        elif comma[j] and (not after or after[-1] != comma[j]):
            after.append(comma[j])
        else:
            after.append(plans[j].key)
            j += 1
    neighbours = {"L": before[0], "L2": before[1], "R": after[0], "R2": after[1]}
    case = None if boundary[i] else word_case(paragraph.words[i])
    if case is not None:
        neighbours[CASE_SIDE] = case
    return neighbours


def _endings(word: str, restored: str, model: ContextModel) -> tuple[tuple[str, float], ...]:
    """``restored`` ending in ``-a`` and in ``-ă``, each counted as often as words of that ending class, when ``word`` ends in ``a``.

    A word the lexicon lacks is as often the articled ``-a`` (``vizita``) as the
    bare ``-ă`` (``vizită``): its neighbours decide, through the neighbours of
    all the words of each ending.
    """
    totals = model.context_totals.get("L", {})
    if not (CLASS_BACKOFF and UNKNOWN_ENDINGS) or len(word) < 4 or word[-1] != "a" or not totals.get("-a") or not totals.get("-ă"):
        return ()
    stem = restored[:-1]
    if stem[-1] in "aeioăâî":
        return ()  # -ea, -ia, -oa: never -eă, -iă, -oă
    return ((stem + "a", float(totals["-a"])), (stem + "ă", float(totals["-ă"])))


def restore_unknown(word: str, key: str, model: ContextModel) -> str:
    """Diacritics for a word the lexicon lacks, letter by letter from the letters around each.

    Each a, i, s, t takes the spelling of the widest window of LETTER_SHAPES
    around it that the letter rules list (``indepartatele`` → ``îndepărtatele``).
    A word whose spelling ``spellings.tsv`` gives (the letter rules would
    misspell it: ``adoptiei`` → ``adopției``) takes that one instead.
    """
    if len(key) != len(word):
        return word
    if SPELLINGS:
        spelled = model.spelling(key)
        if spelled is not None and only_adds(word, spelled):
            return spelled
    marked = f"^{key}$"
    letters = list(word)
    for i in range(1, len(key) + 1):
        if marked[i] not in "aist" or word[i - 1] != marked[i]:
            continue
        for before, after in reversed(LETTER_SHAPES):
            letter = model.letters.get(marked[max(0, i - before) : i] + marked[i].upper() + marked[i + 1 : i + 1 + after])
            if letter is not None:
                letters[i - 1] = letter
                break
    restored = "".join(letters)
    return restored if only_adds(word, restored) else word


def _with_case_of(original: str, restored: str) -> str:
    """``restored`` spelled with the capitals of ``original`` (same length)."""
    return "".join(r.upper() if o.isupper() else r for o, r in zip(original, restored))
