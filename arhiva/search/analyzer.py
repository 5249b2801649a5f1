"""The Romanian analysis: each field has one, used both when indexing and when querying.

Pure Python, for any search backend: the Whoosh backend wraps it in Whoosh's
analyzer interface (``whoosh_backend/schema.py``).

Every analyzer starts with the same tokenizer and lowercases and folds
diacritics (cedilla and comma-below alike), so a query typed with or without
diacritics gives the same results.

The tokenizer reads as one token what people type in several ways:

- acronyms with or without dots: ``S.P.C.L.E.P.``, ``s.p.c.l.e.p``, ``SPCLEP``
  are all ``spclep``;
- words joined by a hyphen or a slash: ``Start-up`` is ``startup`` (and, when
  indexing, also ``start`` and ``up`` at the same position), so ``startup``,
  ``start-up`` and ``start up`` find it;
- numbers joined by ``/ . -``: ``45/2021`` is one token (and, when indexing,
  ``45`` and ``2021`` at its position), also with spaces around the slash
  (``1023 / 21.03.2018``, ``4/ 15.10.2014``); a date in digits, with any of the
  three separators, is written ``2021-04-29``; ``nr. 1234/29.04.2021`` is also
  indexed as ``1234/2021``.

A name of capitalised words is also indexed by its initials, the acronym people
type for it: ``Direcția Județeană de Evidență a Persoanelor`` is also ``dj``,
``dje`` and ``djep`` (each at the position of the word its initials end with,
the words ``de``, ``a``, ``și``, ``pentru`` … between them skipped), so that
``DJEP``, ``CJ Bacău`` or ``HCL 45`` find a text that writes the names out.

Words that a web page or a text layer ran together lose no word: a token that
is not a Romanian word but two words of the lexicon glued (``convocareaîn``,
``fiscalepentru``) is also indexed as the two words, and a token of letters
glued to figures (``22octombrie2020``) as its runs of letters and of figures,
at its position.

When querying, the tokenizer gives only the whole token, so that ``45/2021``
is not ``45 OR 2021`` and a phrase's words keep their positions.

Fields:

- ``exact``: every word, folded, unstemmed: exact words, phrases, prefixes;
- ``stemmed``: stop words dropped, Whoosh's Romanian snowball stem (after
  mapping comma-below to cedilla, which is all the stemmer knows), folded;
- ``inflected``: stop words dropped, the light inflection stem of the folded
  word, which keeps all the forms of a noun together (``hotarare``,
  ``hotărârea``, ``hotărârile``);
- ``stems``: both stems of each word at its position, once when they are the
  same (seven words in ten): the ``content`` field, so that a word's
  documents are read from one field instead of two;
- ``whole``: whole tokens only (references such as ``45/2021``).

Words spelled with ``î`` inside (the spelling before 1993, still in Moldova
and in place names: ``Tîrgu``, ``hotărîre``) are stemmed in both spellings
(``tirgu`` and ``targu``), so the modern spelling finds them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from arhiva.romanian.calendar import month_number
from arhiva.romanian.letters import fold, to_comma_below
from arhiva.search.stemming import inflection_stem, snowball_stem
from arhiva.romanian.stopwords import STOP_WORDS

#: Hyphens that join the parts of a word (ASCII, Unicode hyphen, non-breaking hyphen).
_HYPHENS = "-\u2010\u2011"
#: One token: an acronym of single letters with dots (``S.P.C.L.E.P.``,
#: ``s.p.c.l.e.p``), or word characters joined by hyphens or slashes, and by
#: dots between digits (``start-up``, ``45/2021``, ``29.04.2021``).
TOKEN_PATTERN = (
    r"(?<![\w.])(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?"
    rf"|\w+(?:(?:[{_HYPHENS}/]|(?<=\d)\.(?=\d)|(?<=\d)[ \t]{{0,2}}/[ \t]{{0,2}}(?=\d))\w+)*"
)
#: Spaces around a slash between figures, which a typist or OCR leaves (``1023 / 21.03.2018``).
_SPACED_SLASH = re.compile(r"[ \t]*/[ \t]*")
_TOKEN = re.compile(TOKEN_PATTERN)
_SPLIT = re.compile(rf"([{_HYPHENS}/.])")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
#: A number written with thousands dots inside a longer token (``1.507/2020``,
#: ``49.304/03.05.2016``): one to three digits, then groups of three, not part
#: of a date or of a longer dotted number.
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])")


@lru_cache(maxsize=65536)
def word_forms(token: str) -> tuple[str, tuple[str, ...]]:
    """A lowercase token's whole form, what a query looks for, and the other
    forms indexed at its position.

    >>> word_forms("s.p.c.l.e.p."), word_forms("start-up")
    (('spclep', ()), ('startup', ('start', 'up')))
    >>> word_forms("29/04/2021")
    ('2021-04-29', ('29', '04', '2021'))
    >>> word_forms("1234/29.04.2021")[0], word_forms("1234/29.04.2021")[1][-1]
    ('1234/2021-04-29', '1234/2021')
    >>> word_forms("1.008")
    ('1.008', ('1', '008', '1008'))
    >>> word_forms("1.507/2020")
    ('1.507/2020', ('1', '507', '2020', '1.507', '1507/2020', '1507'))
    >>> word_forms("4/ 15.10.2014")[0]
    '4/2014-10-15'
    >>> word_forms("3242.23.02.2018")[0], word_forms("3242.23.02.2018")[1][-1]
    ('3242/2018-02-23', '3242/2018')

    A registration number of several parts before its date is also its whole
    number and year, and a number with thousands dots inside it also as written:

    >>> others = word_forms("277.855/305/27.05.2019")[1]
    >>> [f for f in ("277.855", "277855", "277.855/305/2019", "277855/305/2019", "305/2019") if f in others]
    ['277.855', '277855', '277.855/305/2019', '277855/305/2019', '305/2019']
    """
    if _ACRONYM.fullmatch(token):
        return token.replace(".", ""), ()
    if " " in token or "\t" in token:
        return word_forms(_SPACED_SLASH.sub("/", token))
    pieces = _SPLIT.split(token)
    if len(pieces) == 1:
        return token, ()
    parts = pieces[::2]
    separators = ["-" if s in _HYPHENS else s for s in pieces[1::2]]
    if all(p.isalpha() for p in parts):
        return "".join(parts), _unique(parts, "".join(parts))
    units, extras = _numeric_units(parts, separators)
    whole = "".join(u + s for u, s in zip(units, separators + [""]) if u)
    if all(p.isdigit() for p in parts) and set(separators) == {"."} and all(len(p) == 3 for p in parts[1:]):
        extras.append("".join(parts))  # thousands: 1.008 is 1008
    else:
        plain = _THOUSANDS.sub(lambda m: m.group().replace(".", ""), token)
        if plain != token:  # nr. 1.507/2020 is also 1507/2020, and 277.855 of 277.855/305 is itself
            extras += [m.group() for m in _THOUSANDS.finditer(token)]
            plain_whole, plain_others = word_forms(plain)
            extras += [plain_whole, *plain_others]
    return whole, _unique(parts + extras, whole)


def _numeric_units(parts: list[str], separators: list[str]) -> tuple[list[str], list[str]]:
    """The parts with each date in digits written ``yyyy-mm-dd`` (its other parts
    emptied, and the separators that joined them dropped), and the dates'
    extra forms: the date, and ``number/year`` for a number before it."""
    units = list(parts)
    extras: list[str] = []
    i = 0
    while i + 2 < len(parts):
        date = _date(parts[i:i + 3]) if separators[i] == separators[i + 1] else None
        if date is None:
            i += 1
            continue
        units[i:i + 3] = [date, "", ""]
        separators[i] = separators[i + 1] = ""
        extras.append(date)
        if i and separators[i - 1] == "." and units[i - 1].isdigit() and len(units[i - 1]) >= 3:
            separators[i - 1] = "/"  # a number too long to be a day, then its date: ``3242.23.02.2018``
        if i and separators[i - 1] == "/" and units[i - 1].isdigit():
            extras.append(f"{units[i - 1]}/{date[:4]}")
            if i >= 2 and all(u.isdigit() for u in units[:i]) and all(s in "./" for s in separators[:i - 1]):
                # ``277.855/305/27.05.2019``: the whole registration number, then its year
                extras.append("".join(u + s for u, s in zip(units[:i], separators[:i - 1] + [""])) + f"/{date[:4]}")
        i += 3
    return units, extras


def _date(three: list[str]) -> str | None:
    """``yyyy-mm-dd`` if three numbers are a day, month and year (or year, month, day).

    >>> _date(["29", "4", "2021"]), _date(["2021", "04", "29"]), _date(["45", "4", "2021"])
    ('2021-04-29', '2021-04-29', None)
    """
    if not all(p.isdigit() for p in three):
        return None
    if len(three[2]) == 4 and len(three[0]) <= 2:
        day, month, year = three
    elif len(three[0]) == 4 and len(three[2]) <= 2:
        year, month, day = three
    else:
        return None
    if len(month) <= 2 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31 and 1900 <= int(year) <= 2099:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


def named_date(day: str, month: str, year: str) -> str | None:
    """``yyyy-mm-dd`` if three tokens are a date with its month in words (``26 iunie 2007``,
    ``3 sept 2020``), indexed as a date in digits is, so that ``26.06.2007`` finds it.

    >>> named_date("26", "iunie", "2007"), named_date("1", "mai", "2016"), named_date("26", "iunii", "2007")
    ('2007-06-26', '2016-05-01', None)
    """
    if not (day.isdigit() and len(day) <= 2 and year.isdigit()):
        return None
    number = month_number(month)
    return _date([day, str(number), year]) if number and not month.isdigit() else None


#: Words that may stand between the capitalised words of a name without ending it
#: (``Direcția Generală de Asistență Socială și Protecția Copilului``), lowercase, as written.
NAME_JOINERS = frozenset("a al ale cu de din in în la pe pentru si și şi".split())
#: The most initials an acronym is given (a header's run of words in capitals is no name).
ACRONYM_LETTERS = 8


class Initials:
    """The initials of the run of capitalised words a text is in, fed one token at a time: after a
    capitalised word, the acronym of the run so far when it has two letters or more.

    >>> run = Initials()
    >>> [run.feed(w, " ") for w in "Direcția Județeană de Evidență a Persoanelor Bistrița".split()]
    [None, 'dj', None, 'dje', None, 'djep', 'djepb']
    >>> run = Initials()
    >>> [run.feed(w, g) for w, g in (("Consiliul", ""), ("Județean", " "), ("Bacău", " "), ("Primăria", ", "), ("ȘI", " "))]
    [None, 'cj', 'cjb', None, None]

    A line in capitals is a name of its own (a letterhead's lines); a name in lower case
    goes on across a line break:

    >>> run = Initials()
    >>> [run.feed(w, g) for w, g in (("MINISTERUL", ""), ("SĂNĂTĂȚII", " "), ("DIRECȚIA", "\\n"), ("SĂNĂTATE", " "), ("PUBLICĂ", " "))]
    [None, 'ms', None, 'ds', 'dsp']
    >>> run = Initials()
    >>> [run.feed(w, g) for w, g in (("Direcția", ""), ("Sănătate", " "), ("Publică", "\\n"))]
    [None, 'ds', 'dsp']
    """

    __slots__ = ("letters", "capitals")

    def __init__(self) -> None:
        self.letters = ""
        self.capitals = False

    def feed(self, raw: str, gap: str) -> str | None:
        """The acronym after token ``raw`` (as written), ``gap`` the text between it and the token
        before (read only while a run is open)."""
        if self.letters and (gap.strip() or ("\n" in gap and self.capitals)):
            self.letters = ""  # a comma, a full stop, a bracket, a line in capitals ended: another name, if any
        self.capitals = raw.isupper() and len(raw) >= 2
        if not raw[:1].isupper():
            if self.letters and raw not in NAME_JOINERS:
                self.letters = ""
            return None
        if len(raw) < 2 or raw.lower() in NAME_JOINERS or not raw.replace("-", "").isalpha():
            if raw.lower() not in NAME_JOINERS:
                self.letters = ""  # ``ȘI``, ``DE`` inside a name in capitals: no initial, the run goes on
            return None
        if len(self.letters) >= ACRONYM_LETTERS:
            return None
        self.letters += fold(raw[0]).lower()
        return self.letters if len(self.letters) >= 2 else None


class Extras:
    """The terms a text's tokens add with the tokens before them, fed one token at a time: a date
    with its month in words, at its year (``26 iunie 2007`` is also ``2007-06-26``), and a name's
    initials (:class:`Initials`); each with the offset where what it stands for starts. The one
    reading of both for every backend.

    >>> text = "pe 26 iunie 2007 Direcția Județeană"
    >>> extras = Extras(text)
    >>> [found for match in _TOKEN.finditer(text) for found in extras.feed(match)]
    [(3, '2007-06-26'), (17, 'dj')]
    """

    __slots__ = ("text", "before", "run", "run_start", "last_end")

    def __init__(self, text: str) -> None:
        self.text = text
        self.before: tuple[tuple[int, str], tuple[int, str]] = ((0, ""), (0, ""))  # the two tokens before: start, text
        self.run, self.run_start, self.last_end = Initials(), 0, 0

    def feed(self, match: re.Match[str]) -> tuple[tuple[int, str], ...]:
        """What the token ``match`` (of :data:`TOKEN_PATTERN`) adds: (start, term) pairs, mostly none."""
        raw, found = match.group(), ()
        if len(raw) == 4 and (named := named_date(self.before[0][1], self.before[1][1], raw)):
            found = ((self.before[0][0], named),)
        self.before = (self.before[1], (match.start(), raw.lower()))
        if self.run.letters:
            if acronym := self.run.feed(raw, self.text[self.last_end : match.start()]):
                found += ((self.run_start, acronym),)
        elif raw[:1].isupper():
            self.run_start = match.start()
            self.run.feed(raw, "")
        self.last_end = match.end()
        return found


def _unique(forms: list[str], whole: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for f in forms if f and f != whole))


def tokens(text: str, extras: bool = True) -> Iterator[tuple[int, int, int, str]]:
    """The tokens of :data:`TOKEN_PATTERN`, lowercase, with comma-below letters:
    (position, start, end, text); with ``extras``, each token's other forms
    (:func:`word_forms`) follow it at the same position.

    >>> list(tokens("Nr. 45/2021"))
    [(0, 0, 2, 'nr'), (1, 4, 11, '45/2021'), (1, 4, 11, '45'), (1, 4, 11, '2021')]
    >>> [t[3] for t in tokens("Start-up", extras=False)]
    ['startup']
    """
    forms = indexed_forms if extras else word_forms
    around = Extras(text)
    for pos, match in enumerate(_TOKEN.finditer(text)):
        whole, others = forms(to_comma_below(match.group().lower()))
        yield pos, match.start(), match.end(), whole
        if extras:
            for other in others:
                yield pos, match.start(), match.end(), other
            for start, term in around.feed(match):
                yield pos, start, match.end(), term


def indexed_forms(token: str) -> tuple[str, tuple[str, ...]]:
    """What indexing keeps of a lowercase token: its whole form and every other form at its
    position, those of :func:`word_forms` and the words it ran together (:func:`glued_parts`).

    >>> indexed_forms("pentrușase")
    ('pentrușase', ('pentru', 'șase'))
    """
    whole, others = word_forms(token)
    return whole, others + glued_parts(whole)


#: A glued token is split only when it is this long, and each of its two words this common in the
#: lexicon (its count, and the product of both counts): rarer pairs are more often one word the
#: lexicon lacks (``evaluator``, ``capsate``) than two words run together.
GLUED_LENGTH, GLUED_COUNT, GLUED_PRODUCT = 7, 3, 5000
#: Word endings that are also words: a word the lexicon lacks followed by one of them is not two words.
_ENDINGS = frozenset(
    "a ai ani anu ar are at ata ate ati ea ei ele eni esti i ia ic ica ie iei ii ile ilor it iti iv le lor lui "
    "ni or re rea ri sti ta te ti ua ul ului uri urile urilor ut".split()
)
#: Prefixes that are also words: a word the lexicon lacks after one is a compound, not two words
#: (``postsecundar`` is not ``secundar``).
_PREFIXES = frozenset(
    "agro anti auto bio co contra de des eco ex extra foto hidro inter micro mini multi ne non post pre pro "
    "radio re semi sub super supra tele termo ultra vice".split()
)
_LETTERS_AND_FIGURES = re.compile(r"[^\W\d_]{3,}|\d+")


@lru_cache(maxsize=65536)
def glued_parts(token: str) -> tuple[str, ...]:
    """The words a token ran together, when it is not a word itself; else nothing.

    Two words of the lexicon (see :data:`GLUED_COUNT`), or known words and figures.

    >>> glued_parts("convocareaîn"), glued_parts("22octombrie2020")
    (('convocarea', 'în'), ('22', 'octombrie', '2020'))
    >>> glued_parts("hotărârea"), glued_parts("popescu"), glued_parts("postsecundar"), glued_parts("7b")
    ((), (), (), ())
    """
    if not token.isalnum() or token.isdigit() or len(token) < GLUED_LENGTH - 2:
        return ()
    lexicon = _lexicon()
    if not token.isalpha():  # figures glued to words; not OCR's 1 for i (``med1cal``)
        runs = _LETTERS_AND_FIGURES.findall(token)
        letters = [run for run in runs if not run.isdigit()]
        glued = letters and len(runs) > 1 and "".join(runs) == token and all(map(lexicon.knows, letters))
        return tuple(runs) if glued else ()
    if len(token) < GLUED_LENGTH:
        return ()
    if lexicon.knows(token):
        return ()
    best = None
    for i in range(2, len(token) - 1):
        left, right = token[:i], token[i:]
        if fold(right) in _ENDINGS or fold(left) in _PREFIXES:
            continue
        a, b = lexicon.folded_count(fold(left)), lexicon.folded_count(fold(right))
        if min(a, b) >= GLUED_COUNT and a * b >= GLUED_PRODUCT and (best is None or a * b > best[0]):
            best = (a * b, left, right)
    return best[1:] if best else ()


def _lexicon():
    from arhiva.romanian.lexicon import Lexicon

    return Lexicon.load()


@dataclass(frozen=True)
class Analysis:
    """How one field's text becomes terms, the same when indexing and when querying.

    The tokens of :func:`tokens` (their other forms only when indexing, and
    only with ``extras``); stop words dropped with ``stop``; each token
    replaced by the terms ``terms`` gives, at its position.
    """

    terms: Callable[[str], tuple[str, ...]]
    extras: bool = True
    stop: bool = False

    def __call__(self, text: str, query: bool = False) -> Iterator[tuple[int, int, int, str]]:
        """The terms of ``text``: (position, start, end, term).

        >>> [t[3] for t in ANALYSES["inflected"]("Hotărârea și hotararile")]
        ['hotarar', 'hotarar']
        """
        for pos, start, end, text_ in tokens(text, self.extras and not query):
            if self.stop and text_ in STOP_WORDS:
                continue
            for term in self.terms(text_):
                yield pos, start, end, term


def _folded(word: str) -> tuple[str, ...]:
    return (fold(word),)


def _snowball(word: str) -> tuple[str, ...]:
    return (snowball_stem(word),)


def _spellings(word: str) -> tuple[str, ...]:
    """The word, and its modern spelling when it has ``î`` inside (``tîrgu`` → ``târgu``).

    >>> _spellings("tîrgu"), _spellings("învățământ")
    (('tîrgu', 'târgu'), ('învățământ',))
    """
    if "î" in word[1:-1]:
        return word, word[0] + word[1:-1].replace("î", "â") + word[-1]
    return (word,)


@lru_cache(maxsize=65536)
def content_terms(word: str) -> tuple[str, ...]:
    """The ``content`` field's terms for one lowercase word: its snowball and
    inflection stems in each spelling, once each; a token with digits or
    other signs unstemmed, folded.

    >>> content_terms("situației"), content_terms("hotărîrile"), content_terms("45/2021")
    (('situ', 'situat'), ('hotarir', 'hotarar'), ('45/2021',))
    """
    if not word.isalpha():
        return (fold(word),)
    terms = [stem(w) for w in _spellings(word) for stem in (snowball_stem, inflection_stem)]
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=65536)
def title_terms(word: str) -> tuple[str, ...]:
    """The ``title`` field's terms for one lowercase word: its inflection stem in each spelling.

    >>> title_terms("hotărîrea")
    ('hotarir', 'hotarar')
    """
    if not word.isalpha():
        return (fold(word),)
    return tuple(dict.fromkeys(inflection_stem(w) for w in _spellings(word)))


#: The analysis of each kind of text field, by name (``exact`` is also the
#: analysis of ``type``, ``stems`` that of ``content``, ``inflected`` that of
#: ``title``, ``whole`` that of ``ref`` and ``cited``; see the module's docstring).
ANALYSES: dict[str, Analysis] = {
    "exact": Analysis(_folded),
    "whole": Analysis(_folded, extras=False),
    "stemmed": Analysis(_snowball, stop=True),
    "inflected": Analysis(title_terms, stop=True),
    "stems": Analysis(content_terms, stop=True),
}


def analyze(kind: str, text: str, query: bool = False) -> list[str]:
    """The terms of ``text`` under one analysis of :data:`ANALYSES`.

    >>> analyze("exact", "Ședința ŞI hotărârea S.P.C.L.E.P.")
    ['sedinta', 'si', 'hotararea', 'spclep']
    >>> analyze("exact", "Start-up", query=True), analyze("whole", "343/2023 nr. 29.04.2021")
    (['startup'], ['343/2023', 'nr', '2021-04-29'])
    >>> analyze("stemmed", "situației şi situaţiei"), analyze("stems", "situației și hotărârile")
    (['situ', 'situ'], ['situ', 'situat', 'hotarar'])
    """
    return [term for _, _, _, term in ANALYSES[kind](text, query)]


#: The analysis of each text field whose matches the snippets mark, by field name.
FIELD_ANALYZERS = {"exact": ANALYSES["exact"], "content": ANALYSES["stems"]}


@lru_cache(maxsize=65536)
def word_terms(word: str) -> dict[str, tuple[str, ...]]:
    """The terms each text field indexes for one lowercase token (stop words aside).

    The same functions as the analyzers above, applied to one token (a word
    as :func:`words_with_offsets` gives it): the snippet finder uses it to
    find matched words in one pass over a text.

    >>> word_terms("hotărârile")
    {'exact': ('hotararile',), 'content': ('hotarar',)}
    >>> word_terms("start-up")["exact"]
    ('startup', 'start', 'up')
    """
    whole, others = indexed_forms(word)
    forms = (whole, *others)
    content = [t for w in forms if w not in STOP_WORDS for t in content_terms(w)]
    return {"exact": tuple(fold(w) for w in forms), "content": tuple(dict.fromkeys(content))}


def words_with_offsets(text: str) -> Iterator[tuple[int, int, str]]:
    """The tokens of ``text`` as the analyzers see them before stemming, with their offsets.

    The same steps as the tokenizer (its pattern, lowercase, comma-below
    letters), without Whoosh's token objects, for speed.

    >>> list(words_with_offsets("Ţara şi S.C. start-up"))
    [(0, 4, 'țara'), (5, 7, 'și'), (8, 12, 's.c.'), (13, 21, 'start-up')]
    """
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), to_comma_below(match.group().lower())


#: Whoosh analyzer classes that indexes made before the Whoosh backend had its
#: own package name by their old place, here: Whoosh keeps the schema, with
#: its analyzers, pickled in the index, so their names must still resolve.
_MOVED_TO_WHOOSH_BACKEND = {"WordTokenizer", "MapFilter", "ExpandFilter"}


def __getattr__(name: str):
    if name in _MOVED_TO_WHOOSH_BACKEND:
        from arhiva.search.whoosh_backend import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
