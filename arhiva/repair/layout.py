"""Layout fixers: undo what an old OCR run did to the shape of a text.

Run in this order: :func:`remove_running_headers`, :func:`join_drop_capitals`,
:func:`reattach_fragments`, :func:`join_split_words`, :func:`join_paragraph_lines`. Each is a pure function
``text -> (text, edits)`` like those in :mod:`arhiva.repair.fixers`, and each is
idempotent: it repeats its single pass until nothing changes. The fixers that
must know whether a string is a word take a ``known`` callable (called with the
word as written; it must ignore case and diacritics, like ``Lexicon.knows``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from arhiva.repair.model import LONGEST_WORD
from arhiva.romanian.letters import fold

log = logging.getLogger(__name__)

Edits = list[tuple[str, str]]
Known = Callable[[str], bool]

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = tuple(".!?:;")

# Fallback vocabulary, folded: function words and common words of municipal texts.
_COMMON = frozenset(
    """a al ale ai acest aceasta aceste acestor acord act actiune activitate actual
    administratie an anul aproba aprobat apel are as asupra astfel au avea avut azi
    buget bun ca care cat catre ce cel cea cei cele cerinta cetatean cineva cu cum
    cadru chiar consiliu consiliul conform contract da dar data de decat decizie
    despre digital din dintre doar domeniu dupa e el ea ei este etapa eveniment
    fara fi fie fost grup hotarare iar in inainte intre judet la lege local loc lucru
    lor mai mare membru mult multe multi nici noi nou nu o oras ori pe pentru pilot
    plan primar primarie printre prin proiect program public sa sau se si spre sunt
    tot toti un una unei unui unor urmator va vor zi""".split()
)
_ENDINGS = "urilor urile ilor elor ului uri lor ul le or ii ei a e i".split()


def _fallback_known(word: str) -> bool:
    """A small built-in word list with suffix stripping, for when there is no lexicon.

    >>> _fallback_known("Proiectului"), _fallback_known("sealeg")
    (True, False)
    """
    w = fold(word).lower()
    return w in _COMMON or any(
        w.endswith(e) and len(w) > len(e) + 2 and w[: -len(e)] in _COMMON for e in _ENDINGS
    )


@lru_cache(maxsize=1)
def _lexicon_knows() -> Known:
    try:
        from arhiva.romanian.lexicon import Lexicon

        return Lexicon.load().knows
    except (ImportError, OSError) as error:
        log.warning("no Romanian lexicon (%s); layout fixers use a small word list", error)
        return _fallback_known


def _known(word: str) -> bool:
    """True if ``word`` is a Romanian word: the shipped lexicon, or the fallback list."""
    return _lexicon_knows()(word)


def _is_word(word: str, known: Known) -> bool:
    """``known``, also trying ``l`` for a capital ``I`` inside the word (``muItor``); never a token too long to be a word."""
    if not word or len(word) > LONGEST_WORD:
        return False
    if known(word):
        return True
    fixed = word[0] + word[1:].replace("I", "l")
    return fixed != word and not word.isupper() and known(fixed)


def _until_stable(step: Callable[[str], tuple[str, Edits]], text: str) -> tuple[str, Edits]:
    """Repeat a pass until it changes nothing (each pass removes lines or moves text up)."""
    edits: Edits = []
    while True:
        fixed, more = step(text)
        if fixed == text:
            return text, edits
        text, edits = fixed, edits + more


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_SENTENCE_END)


# ----------------------------------------------------------------- headers
_PAGE_NUMBER = re.compile(
    r"\W*(?:(?:pagina|pag|page|p)\W*)?(\d{1,4})(?:\s*(?:din|de|of|/)\s*\d{1,4})?\W*", re.IGNORECASE
)
#: A line is a running header or footer when it is repeated, exactly, at the
#: top or bottom of at least this many pages.
MIN_PAGES = 3

Removal = tuple[str, str, int]


def remove_running_headers(text: str) -> tuple[str, list[Removal]]:
    """Drop the repeats of running headers and footers, and page numbers alone on their line.

    Pages are separated by form feeds. A running header is a line repeated
    exactly (spaces aside) at the top or bottom of at least three pages: the
    lines from an edge of a page down to the first line that is not one. Its
    first occurrence in the document stays, so what it says is not lost; the
    repeats go. A line holding only a page number (``7``, ``- 7 -``, ``Pagina 7
    din 12``) goes from such an edge when the pages number themselves: at least
    three pages carry a number of the same form that rises with the page. A
    page is never emptied. Each removed line is reported as ``(line, "", page)``.

    >>> page = "PRIMARIA ORASULUI\\n{}\\nPagina {} din 3\\n"
    >>> text = "\\f".join(page.format(body, n) for n, body in enumerate(["Unu.", "Doi.", "Trei."], 1))
    >>> remove_running_headers(text)[0].split("\\f")
    ['PRIMARIA ORASULUI\\nUnu.\\n', 'Doi.\\n', 'Trei.\\n']
    """
    if text.count("\f") < MIN_PAGES - 1:
        return text, []
    return _until_stable(_headers_pass, text)  # type: ignore[arg-type]


def _headers_pass(text: str) -> tuple[str, list[Removal]]:
    pages = [piece.split("\n") for piece in text.split("\f")]
    keys = [[_key(line) for line in lines] for lines in pages]
    first_seen: dict[str, tuple[int, int]] = {}
    for p, page_keys in enumerate(keys):
        for i, key in enumerate(page_keys):
            if key:
                first_seen.setdefault(key, (p, i))
    tops = [[i for i, key in enumerate(page_keys) if key] for page_keys in keys]
    sides = (tops, [order[::-1] for order in tops])
    groups = _page_numbers(pages, tops)
    while True:  # page numbers count only where they stand at an edge of enough pages
        numbers: list[set[int]] = [set() for _ in pages]  # one pass: a pass per page is quadratic
        for q, i in groups:
            numbers[q].add(i)
        runs = [_edge_runs(keys, orders, numbers) for orders in sides]
        at_edge = Counter(
            group for side in runs for p, run in enumerate(side) for i in run if (group := groups.get((p, i)))
        )
        kept = {place: group for place, group in groups.items() if at_edge[group] >= MIN_PAGES}
        if kept == groups:
            break
        groups = kept
    drop: list[set[int]] = [set() for _ in pages]
    for side in runs:
        for p, run in enumerate(side):
            for i in run:
                if i in numbers[p] or first_seen[keys[p][i]] != (p, i):
                    drop[p].add(i)
    edits: list[Removal] = []
    out = []
    for p, lines in enumerate(pages):
        if len(drop[p]) >= sum(1 for key in keys[p] if key):  # nothing would be left
            drop[p] = set()
        edits += [(lines[i], "", p + 1) for i in sorted(drop[p])]
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop[p]))
    return "\f".join(out), edits


def _key(line: str) -> str:
    return " ".join(line.split())


def _edge_runs(keys: list[list[str]], orders: list[list[int]], numbers: list[set[int]]) -> list[list[int]]:
    """For each page, the lines from one edge that are running lines (repeated) or page numbers.

    The largest such runs: start from every line found on enough pages and
    drop, until nothing changes, those found in too few pages' runs.
    """
    pages_with = Counter(key for page_keys in keys for key in set(page_keys) if key)
    running = {key for key, n in pages_with.items() if n >= MIN_PAGES}
    while True:
        runs = []
        for page_keys, order, page_numbers in zip(keys, orders, numbers):
            run = []
            for i in order:
                if page_keys[i] not in running and i not in page_numbers:
                    break
                run.append(i)
            runs.append(run)
        counts = Counter(key for page_keys, run in zip(keys, runs) for key in {page_keys[i] for i in run})
        still = {key for key in running if counts[key] >= MIN_PAGES}
        if still == running:
            return runs
        running = still


def _page_numbers(pages: list[list[str]], orders: list[list[int]]) -> dict[tuple[int, int], tuple[str, int]]:
    """The lines that may be page numbers, as (page, line) → (form, offset).

    A line may be one when it holds only a number (``- 7 -``, ``Pagina 7 din
    12``) and at least three pages carry a number of the same form at the same
    offset from their own page's position (numbers that rise with the pages).
    """
    found: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for p, (lines, order) in enumerate(zip(pages, orders)):
        for i in order:
            match = _PAGE_NUMBER.fullmatch(lines[i].strip())
            if match:
                form = re.sub(r"\d+", "#", _key(lines[i]).lower())
                found.setdefault((form, int(match.group(1)) - p), []).append((p, i))
    return {
        place: group
        for group, places in found.items()
        if len({p for p, _ in places}) >= MIN_PAGES
        for place in places
    }


# --------------------------------------------------------------- fragments
_FRAGMENT = re.compile(r"[^\W\d_]{1,8}")


def _is_fragment(line: str) -> bool:
    word = line.strip()
    return bool(_FRAGMENT.fullmatch(word)) and not (len(word) > 1 and word.isupper())


def reattach_fragments(text: str, *, known: Known | None = None) -> tuple[str, Edits]:
    """Put back the starts of lines that OCR cut off into a block of short lines.

    A run of k one-word lines (blank lines allowed between them) after a line
    that does not end a sentence, followed by k lines of text: fragment i
    starts text line i. It is glued to that line's first word when the result
    is a word, or when neither half is one; otherwise joined with a space. The
    block is taken only if some fragment makes a word, or it is one lowercase
    word continuing into a lowercase line; so titles, names and signatures stay.

    >>> known = lambda w: w.lower() in {"proiectului", "actiune", "derulate", "conform"}
    >>> text = "derulate conform\\npro\\n\\nAct\\n\\niectului aflat\\niune Integrat"
    >>> reattach_fragments(text, known=known)[0]
    'derulate conform\\nproiectului aflat\\nActiune Integrat'
    """
    known = known or _known
    return _until_stable(lambda t: _fragments_pass(t, known), text)


def _fragments_pass(text: str, known: Known) -> tuple[str, Edits]:
    lines = text.split("\n")
    out: list[str] = []
    edits: Edits = []
    i = 0
    while i < len(lines):
        previous = next((line for line in reversed(out) if line.strip()), None)
        if _is_fragment(lines[i]) and previous and len(previous.split()) > 1 and not _ends_sentence(previous):
            j = i
            while j < len(lines) and (not lines[j].strip() or _is_fragment(lines[j])):
                j += 1
            fragments = [line.strip() for line in lines[i:j] if line.strip()]
            joined = _reattach(fragments, lines[j : j + len(fragments)], known)
            if joined is not None:
                while not out[-1].strip():
                    out.pop()
                for fragment, (line, head, glued) in zip(fragments, joined):
                    edits.append((f"{fragment}\n{head}", glued))
                    out.append(line)
                i = j + len(fragments)
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out), edits


def _reattach(fragments: list[str], texts: list[str], known: Known) -> list[tuple[str, str, str]] | None:
    """The rejoined text lines with (head, joined head) for each, or None to leave the block."""
    if len(texts) < len(fragments) or any(len(t.split()) < 2 for t in texts):
        return None
    heads = [(m.group() if (m := _WORD.match(t.lstrip())) else "") for t in texts]
    makes_word = [_is_word(f + h, known) for f, h in zip(fragments, heads)]
    lone = (
        len(fragments) == 1
        and fragments[0].islower()
        and heads[0][:1].islower()
        and _is_word(fragments[0], known)
    )
    if not (any(makes_word) or lone):
        return None
    result = []
    for fragment, text, head, word in zip(fragments, texts, heads, makes_word):
        cut = _starts_mid_word(head) and not _is_word(fragment, known) and not _is_word(head, known)
        glue = word or cut  # a word, or two non-words cut from one
        line = fragment + ("" if glue else " ") + text.lstrip()
        result.append((line, head, fragment + ("" if glue else " ") + head))
    return result


# ------------------------------------------------------------- split words
_LAST_WORD = re.compile(r"(?:^|(?<=\s))([^\W\d_]+)$")


#: A capital letter set apart from the rest of its word, a drop capital: one letter, a space, then at least
#: three letters of the same word (``PROCES- V ERBAL``, ``H OTĂRÂRE``, ``L ocal``).
_DROP_CAPITAL = re.compile(r"(?<![\w-])([^\W\d_a-zăâîșțşţ]) ((?:[^\W\d_]){3,})(?![\w-])")


def join_drop_capitals(text: str, *, known: Known | None = None) -> tuple[str, Edits]:
    """Join a capital letter set apart from the rest of its word when the two make a known word and
    the rest alone is none (a drop capital, or a heading's first letter a text layer spaced off).

    >>> join_drop_capitals("PROCES- V ERBAL încheiat în Consiliul L ocal")[0]
    'PROCES- VERBAL încheiat în Consiliul Local'
    >>> join_drop_capitals("H O T Ă R Â R E, anexa A PROBAT, clasa a V-a")[0]
    'H O T Ă R Â R E, anexa A PROBAT, clasa a V-a'
    """
    known = known or _known
    edits: Edits = []

    def join(match: re.Match[str]) -> str:
        letter, rest = match.groups()
        word = letter + rest
        if (len(word) > LONGEST_WORD or not (rest.isupper() or rest.islower())
                or _is_word(rest, known) or not known(word)):
            return match.group()
        edits.append((match.group(), word))
        return word

    return _DROP_CAPITAL.sub(join, text), edits


def join_split_words(text: str, *, known: Known | None = None) -> tuple[str, Edits]:
    """Join a word split across lines without a hyphen, blank lines allowed between.

    Joined when the two halves make a known word and are not both words
    themselves, and the second half starts in lowercase (or with ``I`` read
    for ``l``).

    >>> known = lambda w: w.lower() in {"proiectului", "in", "cadrul"}
    >>> join_split_words("in cadrul pro\\n\\niectului aflat", known=known)[0]
    'in cadrul proiectului\\naflat'
    >>> join_split_words("conform\\npro\\n\\niectului aflat", known=known)[0]
    'conform\\nproiectului aflat'
    """
    known = known or _known
    return _until_stable(lambda t: _split_words_pass(t, known), text)


def _split_words_pass(text: str, known: Known) -> tuple[str, Edits]:
    lines = text.split("\n")
    edits: Edits = []
    a = 0
    while a < len(lines):
        tail = _LAST_WORD.search(lines[a].rstrip())
        b = _next_text(lines, a)
        if b is None:
            break
        rest = lines[b].lstrip()
        head = m.group() if (m := _WORD.match(rest)) else ""
        left = tail.group(1) if tail else ""
        if (
            left
            and _starts_mid_word(head)
            and _is_word(left + head, known)
            and not (_is_word(left, known) and _is_word(head, known))
        ):
            if lines[a].strip() == left:
                new = [left + rest]
            else:
                remainder = rest[len(head) :].lstrip()
                new = [lines[a].rstrip() + head] + ([remainder] if remainder else [])
            lines[a : b + 1] = new
            edits.append((f"{left}\n{head}", left + head))
            continue
        a += 1
    return "\n".join(lines), edits


def _next_text(lines: list[str], a: int) -> int | None:
    """The index of the first non-blank line after line ``a``."""
    return next((k for k in range(a + 1, len(lines)) if lines[k].strip()), None)


def _starts_mid_word(word: str) -> bool:
    """Lowercase, or a capital ``I`` that OCR read for ``l`` (``Itor``)."""
    return word[:1].islower() or (word[:1] == "I" and word[1:2].islower())


# ---------------------------------------------------------- sentence starts
_PARAGRAPH_START = re.compile(r"(\A|[.!?…][\"”»)]*[ \t]*\n(?:[ \t]*\n)+[ \t]*)([^\W\d_]{3,})(?=[\s,;:.])")


#: Abbreviations a sentence may go on after (``alin. în``).
_ABBREVIATIONS = frozenset(
    """art alin lit pct str nr etc pag dl dna prof dr ing jud com mun bl sc ap tel fax ex vol cap sec ord hot
    dec leg obs cf op cit""".split()
)
#: A word with ``î`` first where a sentence starts: after a sentence's end
#: (group 1: the word before the mark, which may close a quote or bracket:
#: ``cunoscute". în``; or a number: ``art. 278 alin. (1). în``; glued to a
#: word's or a paragraph number's stop, where OCR lost the space:
#: ``europene.în``, ``(1).în``), first on a
#: line after an article's paragraph number ``(2)`` or a note's asterisks, or
#: first in the paragraph under an article's heading (``Articolul 64``).
_I_START = re.compile(
    r"(?:(?<![^\W\d_])([^\W\d_]{2,})[\"”»)]*[.!?…][\"”»)]*[ \t]*\n?[ \t]*(?:\n[ \t]*)*"
    r"|(?:(?<![\w.])\d+\.[ \t]*\n?[ \t]*(?:\n[ \t]*)*(?<=\s)|\(\d{1,3}\)\.[ \t]*\n?[ \t]*(?:\n[ \t]*)*)"
    r"|^[ \t]*(?:\(\d{1,3}\)|\*{1,3})[ \t]*(?:\n[ \t]*)*(?<=[\s)*])"
    r"|^[ \t]*(?:Articolul|Art\.)[ \t]+\d+[ \t]*\n(?:[ \t]*\n)*[ \t]*)(î[^\W\d_]*)",
    re.MULTILINE,
)


def capitalize_sentence_starts(text: str) -> tuple[str, Edits]:
    """Capitalize a paragraph's first word when the paragraph before ended a sentence, and a sentence's ``î``.

    Old OCR drops the capital of a paragraph's first letter more often than of
    any other, most of all ``Î``. List items (after ``:`` or ``;``), and short
    words such as enumerators (``a)``), are left alone.

    Tesseract ``eng`` reads a capital ``Î`` as a small ``i`` (its OCR channel,
    ``arhiva/repair/data/ocr_channel.tsv``), so a word that starts with ``î``
    where a sentence starts lost its capital: after a sentence's end (not an
    abbreviation's: ``alin. în``), or first on a line after an article's
    paragraph number ``(2)`` or a note's ``*``. In correct text, such words are
    capitalised 376 times for 1 lowercase (the development split), and never
    lowercase after a number's period (109 times, the training text), a quote
    or bracket closed before the mark (23) or an article's heading (22); list
    items (``a) în cazul``, ``- în``) are lowercase as often and are left alone.

    >>> capitalize_sentence_starts("S-a încheiat.\\n\\nîntâlnirea alege din:\\n\\nutilizarea unor instrumente;")[0]
    'S-a încheiat.\\n\\nÎntâlnirea alege din:\\n\\nutilizarea unor instrumente;'
    >>> capitalize_sentence_starts("a publicat. în cazul\\n(2) între data\\nalin. în termen\\na) în cazul")[0]
    'a publicat. În cazul\\n(2) Între data\\nalin. în termen\\na) în cazul'
    >>> capitalize_sentence_starts('unice". într-un clasament, alin. (1). în cazuri\\nArticolul 64\\n\\nîn cazul')[0]
    'unice". Într-un clasament, alin. (1). În cazuri\\nArticolul 64\\n\\nÎn cazul'
    >>> capitalize_sentence_starts("statelor europene.în anii 1920\\n(1).în cazul\\nart.în termen, 12.în")[0]
    'statelor europene.În anii 1920\\n(1).În cazul\\nart.în termen, 12.în'
    """
    edits: Edits = []

    def capitalize(match: re.Match[str]) -> str:
        word = match.group(2)
        if not word.islower() or not match.group(1):
            return match.group()
        edits.append((word, word[0].upper() + word[1:]))
        return match.group(1) + word[0].upper() + word[1:]

    def capitalize_i(match: re.Match[str]) -> str:
        before, word = match.group(1), match.group(2)
        if before is not None and before.lower() in _ABBREVIATIONS:
            return match.group()
        edits.append((word, "Î" + word[1:]))
        return match.group()[: -len(word)] + "Î" + word[1:]

    text = _PARAGRAPH_START.sub(capitalize, text)
    return _I_START.sub(capitalize_i, text), edits


# -------------------------------------------------------------- paragraphs
#: The start of a list item or an article: a bullet, ``1.``, ``a)``, ``IV.``, ``Art.``.
_ITEM = re.compile(r"\s*(?:[-–—•·*▪●■►]\s|\(?\d{1,3}[.)]|\(?[a-z][.)]\s|[IVX]+\.\s|Art(?:\.|icolul\b))")
#: Words after which a sentence goes on, whatever the next line starts with.
_LINKING = frozenset(
    """a al ale ai alor de din la în in cu pe pentru privind prin și si sau ori care către catre
    după dupa asupra între intre spre sub fără fara precum că ca conform potrivit nr art alin lit pct
    str""".split()
)
#: Before a number, only these (and the abbreviations: ``nr.``, ``art.``) let a line go on.
_BEFORE_NUMBER = frozenset("de din la în in pe cu privind prin până pana".split())
_LINKING_ABBREVIATION = re.compile(r"\b(?:nr|art|alin|lit|pct|str)\.$", re.IGNORECASE)
#: Fewer words than this on a line, and it continues only after a linking word.
_SHORT = 4
_LETTER_SPACED = re.compile(r"(?:\b[A-ZĂÂÎȘȚŞŢ] ){3,}[A-ZĂÂÎȘȚŞŢ]\b")
_COLUMNS = re.compile(r"\t|\S {4,}\S| \| ")
_CONTACT = re.compile(r"@|www\.|https?:|\b(?:e-?mail|tel|fax)\b", re.IGNORECASE)


def join_paragraph_lines(text: str, *, across_blank_lines: bool = False) -> tuple[str, Edits]:
    """Join the lines of a paragraph that the page width broke, when nothing else can be meant.

    A line continues into the next when it does not end a sentence or a clause
    (``.`` ``;`` ``:`` ``!`` ``?``, nor a hyphen) and the next starts in
    lowercase, or when it ends with a word that cannot end one (``al``,
    ``privind``, ``nr.``). Never joined: headings (capitals, spaced letters,
    centred or indented lines), list items and articles, lines that start with
    a digit, table rows (columns of spaces or tabs), addresses and contact
    lines, and a line of fewer than four words (signatures, roles, list items)
    unless it ends with such a word. With ``across_blank_lines`` (OCR, which
    leaves blank lines inside paragraphs), a line ending in a letter also
    continues past blank lines into a lowercase one.

    Each decision looks at the line joined so far and the start of the next,
    so the result is the same when the fixer runs again.

    >>> join_paragraph_lines("Consiliul Local a aprobat astazi in sedinta ordinara\\n"
    ...                      "bugetul pe anul 2021.\\n\\nPrimar,\\nIon Popescu")[0]
    'Consiliul Local a aprobat astazi in sedinta ordinara bugetul pe anul 2021.\\n\\nPrimar,\\nIon Popescu'
    >>> join_paragraph_lines("Primăria Comunei X, Email: primaria@x.ro\\nD E C I Z I E\\nnr. 6 din 12.12.2025")[1]
    []
    """
    lines = text.split("\n")
    out: list[str] = []
    edits: Edits = []
    a = 0
    while a < len(lines):
        line = lines[a]
        if line.strip():
            joined = _JoinedLine(line)
            while True:
                b = _next_text(lines, a)
                gap = b is not None and b - a > 1
                if b is None or (gap and (not across_blank_lines or "\f" in "".join(lines[a:b]))):
                    break
                if not joined.continues(lines[b], gap):
                    break
                right = lines[b].strip()
                last, first = joined.tail[-1], right.split(maxsplit=1)[0]
                edits.append((last + "\n" * (b - a) + first, f"{last} {first}"))
                joined.add(right)
                a = b
            line = joined.text()
        out.append(line)
        a += 1
    return "\n".join(out), edits


def _continues(above: str, below: str, gap: bool) -> bool:
    """Whether line ``below`` continues ``above`` (the paragraph's line joined so far).

    ``gap``: blank lines lie between them.

    >>> _continues("Consiliul a aprobat in sedinta", "bugetul pe anul 2021.", False)
    True
    >>> _continues("Primar,", "Ion Popescu", False)
    False
    """
    left = above.strip()
    return _goes_on(left, len(left.split()), _stands_alone(above), _indent(above), below, gap)


def _goes_on(left: str, words: int, alone: bool, indent: int, below: str, gap: bool) -> bool:
    """:func:`_continues`, told of the line above only its end ``left`` (its last two words are
    enough), its number of ``words``, whether it stands ``alone``, and its ``indent``.
    """
    right = below.strip()
    if not right or alone or _stands_alone(below) or _indent(below) > indent:
        return False
    if _ITEM.match(below) or not right[0].isalpha():  # a number, a bracket, a quote
        return not gap and right[0].isdigit() and not _ITEM.match(below) and _ends_linking(left, _BEFORE_NUMBER)
    linking = _ends_linking(left)
    if gap:
        return left[-1].isalpha() and right[0].islower() and words >= _SHORT
    if left[-1] in ".;:!?-–—" and not linking:
        return False
    if words < _SHORT and not linking:
        return False
    return right[0].islower() or linking


#: How far before a join the patterns of :func:`_stands_alone` can begin a match
#: that goes on past it (``A B`` + ``C D``, ``rând |`` + ``x``), with room to spare.
_REACH = 16


class _JoinedLine:
    """A paragraph's line as it is joined, with what :func:`_continues` asks of it kept up to date.

    Joining the lines of a long paragraph (or of a table the rules take for
    one) looks at each line once: asking again of the whole line joined so far
    would make the time grow with the square of its length.
    """

    def __init__(self, line: str) -> None:
        text = line.strip()
        self.first, self.rest = line, []
        self.indent = _indent(line)
        self.alone = _stands_alone(line)
        self.tail = text.split()[-2:]
        self.words = len(text.split())
        self.end = text[-_REACH - 1 :]
        # _is_heading of the whole, by parts: no small letter in any, a capital in one, three letters.
        self.no_small = (text + "A").isupper()
        self.capital = text.isupper()
        self.letters = sum(ch.isalpha() for ch in text)

    def continues(self, below: str, gap: bool) -> bool:
        """:func:`_continues` of the line joined so far and ``below``."""
        return _goes_on(" ".join(self.tail), self.words, self.alone, self.indent, below, gap)

    def add(self, right: str) -> None:
        """Join ``right`` (stripped, and not standing alone) after a space."""
        tokens = right.split()
        self.rest.append(right)
        self.tail = (self.tail + tokens[-2:])[-2:]
        self.words += len(tokens)
        self.no_small = self.no_small and (right + "A").isupper()
        self.capital = self.capital or right.isupper()
        self.letters += sum(ch.isalpha() for ch in right)
        window = self.end + " " + right
        start = 1 if len(self.end) > _REACH else 0  # the first character only as context, for \b
        self.alone = self.alone or (self.no_small and self.capital and self.letters >= 3) or any(
            pattern.search(window, start) for pattern in (_LETTER_SPACED, _COLUMNS, _CONTACT)
        )
        self.end = window[-_REACH - 1 :]

    def text(self) -> str:
        if not self.rest:
            return self.first
        return " ".join([self.first.rstrip(), *self.rest])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _ends_linking(line: str, words: frozenset[str] = _LINKING) -> bool:
    """Whether the line ends with a word after which the sentence must go on.

    Not ``a`` after a number or a dash: the ordinal ``a 2-a``, ``a 2 - a``.
    """
    tokens = line.split()
    last = tokens[-1]
    if last == "a" and len(tokens) > 1 and (tokens[-2][-1:].isdigit() or tokens[-2] in "-–"):
        return False
    return last.lower() in words or bool(_LINKING_ABBREVIATION.search(last))


def _stands_alone(line: str) -> bool:
    """A heading, a centred line, a table row or a contact line: never part of a paragraph."""
    text = line.strip()
    return (
        _is_heading(text)
        or line[:8].isspace()
        or bool(_LETTER_SPACED.search(text) or _COLUMNS.search(text) or _CONTACT.search(text))
    )


def _is_heading(line: str) -> bool:
    return line.isupper() and sum(ch.isalpha() for ch in line) >= 3
