"""Layout fixers: undo what an old OCR run did to the shape of a text.

Run in this order: :func:`remove_running_headers`, :func:`reattach_fragments`,
:func:`join_split_words`, :func:`join_paragraph_lines`. Each is a pure function
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
from difflib import SequenceMatcher
from functools import lru_cache

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
    """``known``, also trying ``l`` for a capital ``I`` inside the word (``muItor``)."""
    if not word:
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
    r"\W*(?:(?:pagina|pag|page|p)\W*)?\d{1,4}(?:\s*(?:din|de|of|/)\s*\d{1,4})?\W*", re.IGNORECASE
)
_MAX_ZONE = 3  # header or footer lines on one page


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(fold(line).lower().split()))


def remove_running_headers(text: str) -> tuple[str, Edits]:
    """Drop page numbers and lines repeated at the top or bottom of most pages.

    Pages are separated by form feeds. The lines at the top (or bottom) of a
    page that are page numbers (``7``, ``- 7 -``, ``Pagina 7 din 12``) or have a
    similar line (ignoring digits and small OCR differences) near the same edge
    of most pages are dropped, up to three lines, and only when text remains
    below them: deeper repetition is duplicated content, not a header. Text
    without a page break is returned unchanged.

    >>> page = "PRIMARIA ORASULUI\\n{}\\nPagina {} din 3\\n"
    >>> text = "\\f".join(page.format(body, n) for n, body in enumerate(["Unu.", "Doi.", "Trei."], 1))
    >>> remove_running_headers(text)[0].split("\\f")
    ['Unu.\\n', 'Doi.\\n', 'Trei.\\n']
    """
    if "\f" not in text:
        return text, []
    return _until_stable(_headers_pass, text)


def _headers_pass(text: str) -> tuple[str, Edits]:
    pieces = text.split("\f")
    pages = [piece.removesuffix("\n").split("\n") for piece in pieces]
    tops = [[i for i, line in enumerate(lines) if line.strip()] for lines in pages]
    orders = (tops, [order[::-1] for order in tops])  # non-blank lines from the top, from the bottom
    shapes = [  # per side and page: the shapes of the lines nearest that edge
        [[_shape(page[i]) for i in order[: _MAX_ZONE + 1]] for page, order in zip(pages, side)] for side in orders
    ]
    repeats = [_Repeats(side_shapes) for side_shapes in shapes]
    edits: Edits = []
    out = []
    for p, lines in enumerate(pages):
        top, bottom = (_zone_depth(p, pages[p], orders[side][p], shapes[side], repeats[side]) for side in (0, 1))
        order = tops[p]
        if top + bottom >= len(order):  # nothing would be left: not a header
            top = bottom = 0
        start = order[top] if top else 0
        end = order[-1 - bottom] + 1 if bottom else len(lines)
        edits += [(lines[i], "") for i in order[:top] + order[len(order) - bottom :]]
        out.append("\n".join(lines[start:end]) + "\n" * pieces[p].endswith("\n"))
    return "\f".join(out), edits


class _Repeats:
    """Whether a line shape recurs near one edge on most pages.

    Exact repeats are counted over all pages; near repeats (OCR differences)
    are looked for in at most :data:`_SAMPLE` pages spread over the document,
    so a 500-page document costs no more than a 24-page one.
    """

    def __init__(self, shapes: list[list[str]]) -> None:
        self.need = max(2, len(shapes) // 2 + 1)
        self.exact = Counter(shape for page in shapes for shape in set(page))
        step = -(-len(shapes) // _SAMPLE)
        self.sample = shapes[::step]
        self.sample_need = max(2, len(self.sample) // 2 + 1)

    def __call__(self, shape: str) -> bool:
        if self.exact[shape] >= self.need:
            return True
        return sum(any(_similar(shape, other) for other in page) for page in self.sample) >= self.sample_need


_SAMPLE = 24


def _zone_depth(p: int, lines: list[str], order: list[int], shapes: list[list[str]], repeats: _Repeats) -> int:
    """How many lines at one edge of page ``p`` repeat on most pages or are page numbers.

    More than :data:`_MAX_ZONE` such lines is repeated content, not a header.
    """
    depth = 0
    for i, shape in zip(order, shapes[p]):
        if not repeats(shape) and not _PAGE_NUMBER.fullmatch(lines[i].strip()):
            return depth
        depth += 1
    return depth if depth <= _MAX_ZONE else 0


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b)
    return min(len(a), len(b)) >= 4 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


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


def capitalize_sentence_starts(text: str) -> tuple[str, Edits]:
    """Capitalize a paragraph's first word when the paragraph before ended a sentence.

    Old OCR drops the capital of a paragraph's first letter more often than of
    any other, most of all ``Î``. List items (after ``:`` or ``;``), and short
    words such as enumerators (``a)``), are left alone.

    >>> capitalize_sentence_starts("S-a încheiat.\\n\\nîntâlnirea alege din:\\n\\nutilizarea unor instrumente;")[0]
    'S-a încheiat.\\n\\nÎntâlnirea alege din:\\n\\nutilizarea unor instrumente;'
    """
    edits: Edits = []

    def capitalize(match: re.Match[str]) -> str:
        word = match.group(2)
        if not word.islower() or not match.group(1):
            return match.group()
        edits.append((word, word[0].upper() + word[1:]))
        return match.group(1) + word[0].upper() + word[1:]

    return _PARAGRAPH_START.sub(capitalize, text), edits


# -------------------------------------------------------------- paragraphs
#: The start of a list item or an article: a bullet, ``1.``, ``a)``, ``IV.``, ``Art.``.
_ITEM = re.compile(r"\s*(?:[-–—•·*▪●]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|[IVX]+\.\s|Art(?:\.|icolul\b))")


def join_paragraph_lines(text: str) -> tuple[str, Edits]:
    """Join the lines of each paragraph, broken at the old page width, into one.

    A line about as long as the document's typical line was broken by the page
    width, so the next line continues it; a short line continues only into a
    lowercase one. Lines stay apart after ``;`` or ``:``, after a full stop
    before a capital or an indented line, before a bullet, in a list (``;``
    items whose bullets were lost), around headings in capitals, and in a
    signature block of short lines at the end. Blank lines stay, except inside
    a sentence cut by one.

    >>> join_paragraph_lines("Consiliul Local a aprobat astazi in sedinta ordinara\\n"
    ...                      "bugetul pe anul 2021.\\n\\nPrimar,\\nIon Popescu")[0]
    'Consiliul Local a aprobat astazi in sedinta ordinara bugetul pe anul 2021.\\n\\nPrimar,\\nIon Popescu'
    """
    return _until_stable(_paragraphs_pass, text)


def _paragraphs_pass(text: str) -> tuple[str, Edits]:
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 2:
        return text, []
    width = max(30.0, 0.65 * lengths[int(0.8 * (len(lengths) - 1))])
    signature = _signature_start(lines, width)
    joins: dict[int, int] = {}
    in_list = False  # the last line that ended a sentence ended with ";"
    for a, line in enumerate(lines[:signature]):
        b = _next_text(lines, a)
        if line.strip() and b is not None and b < signature:
            if _continues(line, lines[b], b - a, width, in_list):
                joins[a] = b
        if _ends_sentence(line):
            in_list = line.rstrip().endswith(";")
    out: list[str] = []
    edits: Edits = []
    a = 0
    while a < len(lines):
        line = lines[a]
        while a in joins:
            right = lines[joins[a]].strip()
            last, first = line.split()[-1], right.split()[0]
            edits.append((last + "\n" * (joins[a] - a) + first, f"{last} {first}"))
            line, a = line.rstrip() + " " + right, joins[a]
        out.append(line)
        a += 1
    return "\n".join(out), edits


def _continues(above: str, below: str, distance: int, width: float, in_list: bool) -> bool:
    """Whether line ``below`` continues line ``above`` (``distance`` lines further down)."""
    left, right = above.strip(), below.strip()
    if _ITEM.match(below) or _is_heading(left) or _is_heading(right):
        return False
    end, lower, long = left[-1], right[0].islower(), len(left) >= width
    if distance > 1:  # blank lines inside a sentence
        return long and end.isalpha() and lower
    if end in ";:":
        return False
    if end in ".!?":  # not by length: a joined line would look long on the next pass
        indented = below[:1].isspace() and not above[:1].isspace()
        return lower and not in_list and not indented
    if end == "," and in_list and lower:
        return False
    return long or lower


def _is_heading(line: str) -> bool:
    return line.isupper() and len(line) < 60 and sum(ch.isalpha() for ch in line) >= 3


def _signature_start(lines: list[str], width: float) -> int:
    """The index where a trailing block of short lines (role, names) begins."""
    start = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k].strip()
        if line and (len(line) >= min(width, 40) or len(line.split()) > 5 or _ends_sentence(line)):
            break
        start = k
    nonblank = [line for line in lines[start:] if line.strip()]
    return start if len(nonblank) >= 2 else len(lines)
