"""The type of a document and its heading.

The heading is read the way a clerk reads it: letter-spaced words joined
(``D I S P O Z I Ț I A`` → ``DISPOZIȚIA``), OCR debris between words dropped
(``PROCES^ VERBAL``), a heading broken over two lines (``L`` / ``E G E``)
joined. It is the first of the top lines (:data:`HEADING_LINES`, up to where
the body's preamble begins) that *starts* with a type's heading pattern from
:data:`arhiva.metadata.doctypes.DOCUMENT_TYPES`, followed by the end of the
line, ``nr.``, ``din``, ``:``, ``privind``… (``HOTĂRÂREA nr. 45``,
``PROCES-VERBAL``, ``Comunicat de presă:``). A heading with a number or date
(``ORDIN nr. 170 din …``) is preferred over a bare one. Below the first
:data:`~arhiva.metadata.text.HEADER_LINES` lines, and on a long line, only a
heading set in capitals counts (``ANUNȚ`` under a two-column header).

The heading's *block* is its line and the lines that go on with it: its number
and date (``din 07.05.2021``), its subject (``privind …``, ``pentru …``, also
after a blank line), the session of a proces-verbal (``al ședinței …``,
``încheiat …``). What stands before the subject word is the document's own
(its number, its date); what follows is the subject's.

Without a heading, the operative formula alone on its line (``HOTĂRĂȘTE:``,
``D I S P U N E :``) gives the type; else the body cues of each type are
counted and the best type wins with a lower confidence; with none, the type is
``altul``.

The title built from the heading block: :mod:`arhiva.metadata.titles`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from arhiva.metadata.dates import POSTED_FIELD, find_dates
# ``same_length_fold`` is ``folded`` for the functions whose argument ``folded`` is the text's
from arhiva.metadata.text import HEADER_LINES, Line, collapse_spaced, folded, folded as same_length_fold
from arhiva.metadata.doctypes import DOCUMENT_TYPES, OPERATIVE_FORMULAS, OTHER, ROLES
from arhiva.romanian.letters import fold, one_slip
from arhiva.romanian.lexicon import Lexicon

#: How many non-blank lines from the top a heading may be found in.
HEADING_LINES = 20
#: A longer line is prose, unless it starts with a heading in capitals.
LONG_LINE = 200
MAX_TITLE = 300
#: A longer line is not an issuer's line of a header (``PRIMĂRIA COMUNEI X``) but a sentence.
ISSUER_LINE = 120
#: How much of the text is read to learn how a word in capitals is usually written.
RECASE_CHARS = 30_000

#: What may follow a type's words on a heading line: the end of the line, a number, a date, a subject.
_FOLLOW = re.compile(
    r"\s*(?:[^\w\s]*$|[^\w\s]+\S{0,2}\s*$|:|nr\b|nr\.|numarul\b|din(?![a-z])|privind|pentru|cu\s+privire|referitor|asupra\s|de\s|al\s|a\s|la\s"
    r"|pe\s|\(|-|–|—|,|\d|incheiat\b|(?-i:[IVX]{1,4})\.\s"  # ``NOTĂ DE FUNDAMENTARE I. …``: its first section
    r"|in\s+atentia\b|catre\b"  # whom it is addressed to: ``Scrisoare deschisă în atenția prim-ministrului …``
    r"|(?:guvernului|consiliului|primarului|presedintelui|ministrului|prefectului|plenului"
    r"|comitetului|comisiei|senatului|biroului|colegiului|directorului|rectorului|managerului)\b)",
    re.IGNORECASE,
)
#: A short line may go on with any words after its type: ``Minuta întâlnirii``, ``CERERE STANDARDIZATĂ``.
_SHORT_TAIL = re.compile(r"\s+[^\W\d_]+[^.]*$")
#: A heading in capitals may go on with one or two words that qualify its type, then its number
#: (``AVERTIZARE HIDROLOGICĂ NR. 26 DIN 26.05.2025``); not with a noun in the genitive, whose number
#: that is (``MINUTA DECIZIEI NR. 10``, ``ANEXA HOTĂRÂRII NR. 5``).
_QUALIFIED = re.compile(r"(?:\s+(?![^\W\d_]*(?:ului|ei|ii|lor)\b)[^\W\d_]+){1,2}\s+nr\b\.?\s*\d", re.IGNORECASE)


def _squeezable(pattern: str) -> str:
    """A heading pattern whose words may have lost the spaces between them (letter-spaced headings)."""
    return pattern.replace(r"\s+", r"\s*")


#: (A list item, ``- Procedura operațională … privind …`` among a letter's enclosures, is no heading; nor is one
#: whose marker is glued to a word in lower case, ``-Adresa nr.97/12.03.2018, către …``, ``-Cerere de înscriere``.)
#: (An extract is of its type: ``Extras din procesul verbal al ședințelor …``; not a note in brackets under
#: a title, ``(extras din Regulamentul de ordine internă …)``.)
_TYPE_AT_START = [(t.name, re.compile(rf"^(?![ \t]*[-–•*][ \t])(?![ \t]*[-–•*](?-i:[A-Z][a-z]))(?![ \t]*\([ \t]*extras)[\W_]*(?:extras(?:ul)?[ \t]+(?:din|al|de[ \t]+pe)[ \t]+)?"
                                      rf"(?P<type>{_squeezable(t.heading)})", re.IGNORECASE))
                  for t in DOCUMENT_TYPES]


def _typed(line: str, short: bool = False) -> tuple[str, re.Match[str]] | None:
    """The first type whose words start ``line`` (folded) and are followed as a heading's are;
    with ``short``, followed by any words (a short line)."""
    for name, pattern in _TYPE_AT_START:
        match = pattern.match(line)
        if match and (
            (_SHORT_TAIL.match(line, match.end()) or (match.group("type").isupper() and _QUALIFIED.match(line, match.end())))
            if short
            else _FOLLOW.match(line, match.end())
        ):
            return name, match
    return None


#: The same patterns with each possible gap between words captured, to give a squeezed
#: heading (``PROIECTDEHOTĂRÂRE``) its spaces back.
_RESPACE = [re.compile(r"^[\W_]*(?:" + t.heading.replace(r"\s+", r"(\s*)") + ")", re.IGNORECASE) for t in DOCUMENT_TYPES]
_TYPE_WORDS = {t.name: re.compile(rf"\b(?:{t.heading})", re.IGNORECASE) for t in DOCUMENT_TYPES}
_BODY = [(t.name, [(re.compile(cue, re.IGNORECASE), w) for cue, w in t.body]) for t in DOCUMENT_TYPES]
#: The letters that stand for a diacritic's letter once folded (``ă``/``â`` a, ``î`` i, ``ș`` s, ``ț`` t):
#: a text saved through a code page without them has ``?`` in their place (``anun?? publicul``).
_LOSSY_LETTERS = "asti"
_LOST = re.compile(r"[a-z]\?+[a-z]|[a-z]\?\?", re.IGNORECASE)
#: How many such ``?`` make a text one that lost its diacritics so.
LOST_MARKS = 3
#: A sentence quoted from an act with its article (``… în condițiile prevăzute de prezenta lege (art. 2
#: alin. 1).``): its words are the act's, not the document's, so they are no cue to its type.
#: Found by its article mark, then blanked back to where its sentence starts: one pass over the text,
#: where a pattern starting with the sentence would try again at every letter of a long line.
_QUOTED_ARTICLE = re.compile(r"\(\s*art\.?\s*\d+[^)\n]{0,40}\)")
_SENTENCE_ENDS = ".!?\n"


def _without_quotations(folded: str) -> str:
    """``folded`` with each sentence quoted from an act with its article blanked (its length kept).

    >>> _without_quotations("Se anunta. Conditiile prevazute (art. 2 alin. 1). Restul")
    'Se anunta.                                      . Restul'
    """
    parts, done = [], 0
    for match in _QUOTED_ARTICLE.finditer(folded):
        start = max(folded.rfind(end, done, match.start()) for end in _SENTENCE_ENDS) + 1
        start = max(start, done)
        parts += [folded[done:start], " " * (match.end() - start)]
        done = match.end()
    return "".join(parts) + folded[done:]


#: A numbered line of an agenda or a list that names a draft act (``2. Proiect de hotărâre nr. 138 privind …
#: la prezenta hotărâre``): the draft's words, not the document's, so no cue to its type either.
_DRAFT_ITEM = re.compile(r"^[ \t]*\d{1,3}[ \t]*[.)][ \t]*proiect(?:ul)?\s+de\s+[a-z]+\b[^\n]*", re.IGNORECASE | re.MULTILINE)


def _without_drafts(folded: str) -> str:
    """``folded`` with each numbered line that names a draft act blanked (its length kept).

    >>> text = "Ordinea de zi:\\n 1. Proiect de hotarare privind prezenta hotarare\\nRestul"
    >>> len(_without_drafts(text)) == len(text), _without_drafts(text).split()
    (True, ['Ordinea', 'de', 'zi:', 'Restul'])
    """
    return _DRAFT_ITEM.sub(lambda m: " " * len(m.group()), folded)


def _lossy(pattern: str) -> str:
    r"""A cue pattern that also matches with ``?`` for a letter a diacritic may have been.

    >>> re.search(_lossy(r"\banunta\s+publicul"), "anun?? publicul") is not None
    True
    >>> _lossy(r"anunt[ae](?:ul)?")
    '[a?]nun[t?][ae?](?:ul)?'
    """
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            end = i + 1
            while pattern[end] != "]" or pattern[end - 1] == "\\":
                end += 1
            body = pattern[i + 1 : end]
            lossy = any(c in _LOSSY_LETTERS for c in body) and "?" not in body and not body.startswith("^")
            out.append("[" + body + ("?" if lossy else "") + "]")
            i = end + 1
        else:
            out.append(f"[{ch}?]" if ch in _LOSSY_LETTERS else ch)
            i += 1
    return "".join(out)
_OPERATIVE = [
    (name, re.compile(rf"^[^\n]{{0,60}}?\b{_squeezable(verb)}\s*:?\s*$", re.IGNORECASE)) for verb, name in OPERATIVE_FORMULAS
]
#: The formula closing a long line, spoken by the body that adopts the act: ``…, Consiliul Local
#: Selemet DECIDE:`` (a preamble a text layer ran into one line with it).
_OPERATIVE_TAIL = [
    (name, re.compile(
        rf"\b(?:consiliul|primarul|guvernul|comisia|prefectul|presedintele|ministrul|directorul|pretorul|rectorul"
        rf"|managerul|colegiul|plenul|senatul|adunarea|comitetul)\b[^\n]{{0,60}}?"
        rf"\b{_squeezable(verb)}[ \t]*:[ \t]*$",
        re.IGNORECASE,
    )) for verb, name in OPERATIVE_FORMULAS
]
#: The formula in capitals inside a long line, its first article after it (a text layer that ran a
#: whole act into one line: ``… în temeiul prevederilor pct.8 …, ORDON: 1. Se aprobă: …``; OCR's
#: ``DECIDE: 1, Se majorează …``).
_OPERATIVE_INSIDE = [
    (name, re.compile(rf"(?-i:\b{verb.upper()})[ \t]*:[ \t]*(?:\d+[ \t]*[.)]|\d+[ \t]*,(?=[ \t]*[^\W\d_])|art\.?[ \t]*1\b|se[ \t]+aproba)", re.IGNORECASE))
    for verb, name in OPERATIVE_FORMULAS if verb.isalpha()
]
#: A senate's or a general assembly's decision told in the past, closing a line of any length:
#: ``Senatul Universității …, întrunit în ședința sa din data de 23.07.2019, a hotărât:``.
_DECIDED = re.compile(
    r"\b(?:senatul|consiliul|adunarea\s+generala)\b[^\n]{0,160}?\ba\s+hotarat[ \t]*:[ \t]*$", re.IGNORECASE
)
_STRUCTURED = re.compile(r"\s*(?:nr\b|nr\.|numarul\b|din(?![a-z])|:|incheiat\b)", re.IGNORECASE)
#: Where the body begins: the preamble of an act, its first article.
_PREAMBLE = re.compile(
    r"^[\W_]*(?:av[ai]nd\s+in\s+vedere|in\s+temeiul|in\s+baza|in\s+conformitate|analiz[ai]nd|vaz[ai]nd|lu[ai]nd\s+in|tin[ai]nd\s+cont"
    r"|art(?:icolul|\.)?\s*(?:1\b|unic)|capitolul\b|cap\.\s*[1i]\b|stimat[aei]?\b)",
    re.IGNORECASE,
)
#: What makes a line go on with the heading above it.
_SUBJECT_WORD = r"(?:privind|pentru|cu\s+privire\s+la|referito(?:r|are)\s+la|asupra)"
#: A subject word may be glued to the date before it by a text layer (``… 29 martie 2012pentru aprobarea …``).
#: Not a subject but the end of an institution's name: ``Comitetul Local pentru Situații de Urgență``,
#: ``Agenția pentru Protecția Mediului``, ``Autoritatea Națională pentru Cetățenie``.
_NAMED_AFTER = (r"(?!\s+(?:situatii\s+(?:de\s+urgenta|exceptionale)|protectia\s+(?:mediului|consumatorilor)|achizitii\s+publice"
                r"|combaterea\s+discriminarii|cetatenie)\b)")
_SUBJECT = re.compile(rf"(?:\b{_SUBJECT_WORD}|(?<=\d)(?:pentru|privind))\b{_NAMED_AFTER}", re.IGNORECASE)
#: An annex's own part ends where the act it is annexed to is named: ``ANEXA nr. 1 la Ordinul …``.
_ANNEXED = re.compile(rf"\b(?:{_SUBJECT_WORD}|la)\b", re.IGNORECASE)
_OWN_PART = re.compile(r"^(?:nr\b|nr\.|numarul\b|din\b|data\b|(?:din\s+)?data\s+de\b|seria\b)", re.IGNORECASE)
#: A line that goes on with the heading above it: its subject, the meeting of a proces-verbal,
#: its issuer; a line starting in lower case (a title broken over lines) goes on too.
#: ``Obiect: …`` in place of a subject word (``HOTĂRÂREA NR. 491`` / ``Obiect: respingerea …``).
_OBJECT = r"obiect(?:ul)?\s*:"
#: A scan's margin debris before a line's first word: ``! privind …``, ``I privind …``.
_MARGIN_DEBRIS = r"(?:(?:[!|\[\]{}'`]|(?-i:[Il1]))[ \t]+)?"
_CONTINUATION = re.compile(rf"^{_MARGIN_DEBRIS}(?:{_SUBJECT_WORD}|{_OBJECT}|incheiat|al\s|a\s|ale\s|\()", re.IGNORECASE)
_SUBJECT_AFTER_TYPE = re.compile(rf"[^.;:]{{0,60}}?(?P<subject>\b{_SUBJECT_WORD}\b)", re.IGNORECASE)
_CONTINUATION_AFTER_BLANK = re.compile(rf"^{_MARGIN_DEBRIS}(?:{_SUBJECT_WORD}|{_OBJECT}|incheiat|al\s|a\s|ale\s)", re.IGNORECASE)
#: Where a title that runs into the body stops.
_TITLE_END = re.compile(
    r"\s(?:publicat\b|emitent\b|act\s+emis|in\s+temeiul\b|av[ai]nd\s+in\s+vedere\b|analiz[ai]nd\b|vaz[ai]nd\b|in\s+conformitate\s+cu\b"
    r"|presedinte(?:le)?\s+de\s+sedinta\b"  # the chair's signature run into the title
    # a signer's office in capitals, then its comma: ``… pe anul 2016 DIRECTOR EXECUTIV, Dr. …``
    r"|(?-i:(?:DIRECTOR|PRIMAR|PRESEDINTE|SECRETAR|PREFECT|RECTOR|DECAN)(?:\s+[A-Z]{4,}){0,2})\s*,"
    r"|agenda(?:\s+sedintei)?\s*:|sectiunea\s+(?:a\s+)?\d"
    r"|(?<=\d{4}\s)(?-i:I)n\s+data\s+de\s+\d"  # the body's first sentence: ``… din data de 22 ianuarie 2018 În data de 22 …``
    # the body speaking of the act (``… Prezentul Regulament stabilește …``)
    r"|(?-i:P)rezent(?:ul|a|ele)\s+(?:regulament|hotar[ai]re|dispozitie|decizie|ordin|metodologie|procedura)\b"
    # the issuer opening the preamble, not the agent of the subject (``… emise de președintele Consiliului Județean``)
    r"|(?<!\bde\s)primarul\s+(?:orasului|municipiului|comunei|sectorului|judetului|satului)\b"
    r"|(?<!\bde\s)presedintele\s+consiliului\s+(?:judetean|raional)\b"
    r"|consiliul\s+local\b[^.]{0,60}?\bintrunit|monitorul\s+oficial\b(?:[^.]|\.(?=\S)){0,40}?\bnr\.?\s*\d)"
    r"|(?<=\d)publicat\b",  # a legislation site's line run into the title: ``… în anul 2016Publicat : 29.01.2016``
    re.IGNORECASE,
)
#: Where a subject line that runs on into a sentence stops.
_CLAUSE_END = re.compile(
    r"\s*[:;]\s|,\s+(?:la\s+sediul|cu\s+sediul|convocat\w*|av[ai]nd|in\s+baza|conform|in\s+prezenta)\b"
    r"|,\s+care\s+(?:se\s+desfasoara|a\s+avut\s+loc|are\s+loc|va\s+avea\s+loc)\b"
    r"|(?<=[a-z]{3})\.\s+(?=[A-Z])|,\s+(?:ora|orele)\s+\d",
    re.IGNORECASE,
)
#: The hour of a sitting, the superscript of its minutes lost or not (``ora 1100``, ``orele 10:00``).
_HOUR = re.compile(r",?\s+(?:ora|orele)\s+\d{1,2}(?:[.,:]?\d\d)?\b", re.IGNORECASE)
#: A colon after a subject's first words, not the end of its clause: ``cu privire la aprobarea: tarifelor …``.
_OPENING_COLON = re.compile(rf"[ \t]*{_SUBJECT_WORD}(?:[ \t]+[^\W\d_]+)?[ \t]*:", re.IGNORECASE)
#: A consolidated text's editorial marks: ``(*actualizată*)``, ``(actualizată până la data de 12 august 2010*)``,
#: ``*)`` (written with or without diacritics).
_EDITORIAL = re.compile(
    r"\s*-?\s*\(\*?actualizat[aăei]?(?:\*|\s+p[aâ]n[aă]\s+la\s+data\s+de\s+[^()]{1,40}?\*?)\)|\*\)|\s*\*$", re.IGNORECASE
)
_INSTITUTIONAL = re.compile(
    r"^[\W\d_]*(?:romania|republica|judetul|consiliul|primaria|municipiul|orasul|oras\b|comuna|sectorul|ministerul"
    r"|guvernul|nr\.|emitent"
    r"|publicat|m\.\s*of\.|monitorul|institutia|inspectoratul|directia|serviciul|compartimentul|biroul|autoritatea"
    r"|agentia|colegiul|scoala|liceul|parlamentul|camera|senatul|str\.|strada|tel|fax|e-?mail|www\.|http|cod\b"
    r"|aprobat|avizat|vizat|semnat|digitally|date:|reason:|page\b|pagina\b|anexa\b|anexa\s+nr|u\.?a\.?t\.?\b)",
    re.IGNORECASE,
)
#: A blank field of a form or a draft: ``nr. ____``, ``din ........``.
_BLANK_FIELD = re.compile(
    r"\s*\b(?:nr|din|data)\b\.?\s*:?\s*(?:[_.…]{2,}[_.…/\s]*(?:\d{2,4}\b)?|(?=\s*$))|\s*\bnr\b\.?(?=\s+[^\W\d_])",
    re.IGNORECASE,
)
_CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț", "ȋ": "î", "Ȋ": "Î"})
#: Short words that are not acronyms when set in capitals.
_SHORT_WORDS = frozenset({"sub", "spre", "peste", "pana", "până", "nr", "art", "alin", "lit"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


@dataclass(frozen=True)
class Heading:
    """The heading of a document and the lines that go on with it."""

    type: str
    line: int  # index of the heading's line in the document's lines
    last: int  # index of the block's last line
    confidence: float
    start: int  # offset where the heading begins
    own_end: int  # offset where its own part (type, number, date) ends: its subject begins
    end: int  # offset where the block ends
    own_text: str  # the own part as read: letter-spacing joined, lines joined, debris dropped
    rest_text: str  # the subject and the lines that go on with it, as read
    annex: str = ""  # the annex line above a heading (``ANEXA nr. 3 la normele metodologice``)


def _match_heading(line: str, long: bool, capitals_only: bool, issuer: bool = False) -> tuple[str, bool] | None:
    """The type a (collapsed, folded) line's heading names, and whether it is structured or alone;
    with ``issuer``, a long line in lower case may name its issuer between its type and number."""
    for short in (False, True):
        if short and len(line) > 80:
            break
        found = _typed(line, short)
        if found is None:
            continue
        name, match = found
        # (its first word in capitals will do: ``MINUTA ședinței Comisiei …`` after a header run into one line)
        capitals = match.group("type").isupper() or _spaced(line) or (
            len(first := match.group("type").split()[0]) >= 5 and first.isupper())
        after = match.end()
        if issuer and (words := _ISSUER_WORDS.match(line, after)):
            after = words.end()
        if (long or capitals_only) and not capitals and (
            capitals_only or not (_NUMBERED_SUBJECT.match(line, after) or _ISSUED_SUBJECT.match(line, after)
                                  or (name == "adresă" and _OPEN_LETTER.match(line, match.start("type"))
                                      and _ADDRESSED.match(line, after))
                                  or _ISSUER_NUMBERED_SUBJECT.match(line, after)
                                  or (_BARE_SUBJECT.match(line, after) and not _ARTICLED.search(match.group("type"))))
        ):
            return None  # a long line in lower case is a sentence, unless number and subject follow the type
        if not capitals and _prose(line, match.end()):
            return None  # ``Hotărârea nr. 181/2017 poate fi consultată la avizier.``
        if _AND_ANOTHER_ACT.match(line, after):
            return None  # a list of acts, a link's caption: ``HCL nr. 7 și Legea nr. 38/17.01.2019``
        structured = bool(_STRUCTURED.match(line, after)) or (name in ("proces-verbal", "minută")
                                                             and _sitting_dated(line, after))
        alone = not re.sub(r"[\W_]", "", line[match.end() :])
        return name, structured or alone
    return None


#: A sentence that announces files to download or attached below it (``Folosind legăturile de mai
#: jos, puteți descărca documentația aferentă:``, ``Documentele atașate mai jos:``).
_LINKS_BELOW = re.compile(
    r"\b(?:descarca\w*|atasa\w*|legaturil\w*|link\w*)\b[^\n]{0,100}?\bmai\s+jos\b"
    r"|\bmai\s+jos\b[^\n]{0,100}?\b(?:descarca\w*|atasa\w*|documentati\w*|documentel\w*)\b",
    re.IGNORECASE,
)
#: ``din`` (``din data de``) just before a date.
_DIN_BEFORE = re.compile(r"\bdin[ \t]+(?:data[ \t]+de[ \t]+)?\Z", re.IGNORECASE)
#: How far after a minute's type word its sitting's date may stand on the heading's line.
SITTING_DATED_CHARS = 200


def _sitting_dated(line: str, after: int) -> bool:
    """Whether a minute's heading line dates its sitting after its type word, before any ``;`` or
    ``:``: ``Minuta ședinței Senatului … din data de 29.09.2025`` is as good as a numbered heading.

    >>> _sitting_dated("Minuta sedintei Senatului Universitatii „1 Decembrie 1918” din data de 29.09.2025", 15)
    True
    >>> _sitting_dated("Minuta sedintei: ordinea de zi din 29.09.2025", 15)
    False
    """
    window = re.split(r"[;:\n]", line[after : after + SITTING_DATED_CHARS], maxsplit=1)[0]
    return any(_DIN_BEFORE.search(window, 0, date.start) for date in find_dates(window))
#: An act's number, then ``și`` and another act: the line lists acts (attachments), it heads none.
_AND_ANOTHER_ACT = re.compile(
    r"[ \t]*nr\.?[ \t]*\d[\w./-]*[ \t]+si[ \t]+(?:legea|hotar[ai]rea|hcl|ordinul|ordonanta|dispozitia|decizia|anexa)\b",
    re.IGNORECASE,
)
#: A long line in lower case that is still a heading: an act's type, its issuer, then its subject
#: (``Hotărâre a Guvernului privind …``, ``Ordin al ministrului sănătății pentru …``, a draft's
#: title run into its preamble by a document host).
_ISSUED_SUBJECT = re.compile(
    r"[ \t]+(?:a|al)[ \t]+(?:guvernului|consiliului|primarului|prefectului|presedintelui|ministrului)\b"
    rf"[^.;:\n]{{0,80}}?[ \t]{_SUBJECT_WORD}\b",
    re.IGNORECASE,
)
#: A long line in lower case that is still a heading: the type, its issuer, its number and date
#: written together without ``nr.``, then its subject (``Hotararea Consiliului Local 404/27.07.2018
#: privind …``, a council's register run into one line).
_ISSUER_NUMBERED_SUBJECT = re.compile(
    rf"(?:[ \t]+(?-i:[A-Z])[^\W\d_]+){{1,5}}[ \t]+\d{{1,5}}/\d{{1,2}}\.\d{{1,2}}\.\d{{4}}[ \t]+{_SUBJECT_WORD}\b", re.IGNORECASE
)
#: An open letter's heading run into its text, and whom it is addressed to: ``Scrisoare deschisă în atenția
#: prim-ministrului României, … Am luat act de …``.
_OPEN_LETTER = re.compile(r"scrisoare(?:a)?\s+deschisa\b", re.IGNORECASE)
_ADDRESSED = re.compile(r"[ \t]+(?:in[ \t]+atentia|catre|adresata)\b", re.IGNORECASE)
#: A long line in lower case that is still a heading: an act's type without its article, then its
#: subject (``Hotărâre privind declararea de utilitate publică …``; a sentence would say ``Hotărârea``).
_BARE_SUBJECT = re.compile(rf"[ \t]+{_SUBJECT_WORD}\b", re.IGNORECASE)
_ARTICLED = re.compile(r"(?:a|ul|ului|ii|ele|ile)$", re.IGNORECASE)
#: A long line in lower case that is still a heading: the type, its number and date, then its subject
#: (``Hotărârea nr. 21/16.02.2021 privind …``, a register's one-line entry, ``Proces verbal nr. 01 al
#: ședinței … din 29 septembrie 2011 Agenda ședinței: …`` run into one line by a document host).
_NUMBERED_SUBJECT = re.compile(
    r"\s*(?:nr\b\.?|numarul\b)\s*\d[\w./-]*(?:\s*din\s*(?:data\s+de\s+)?\S+(?:\s+\S+){0,2}?)?\s+"
    r"(?:privind|pentru|cu\s+privire\s+la|referito(?:r|are)\s+la|al\s+sedint\w*)\b",  # a minute's meeting: ``… nr. 01 al ședinței``
    re.IGNORECASE,
)


def _page_title(line: str) -> tuple[str, bool] | None:
    """The type a page's title names by its first word in capitals, a headline in lower case after it
    (``ANUNȚ s-a desfășurat ședința de consultare publică …``): a bare heading.

    >>> _page_title("ANUNT s-a desfasurat sedinta de consultare publica a proiectelor de decizii")
    ('anunț', False)
    >>> _page_title("Anunt s-a desfasurat sedinta") is None
    True
    """
    for name, pattern in _TYPE_AT_START:
        match = pattern.match(line)
        if match and match.group("type").isupper() and re.match(r" [a-zăâîșț]", line[match.end() : match.end() + 2]):
            return name, False
    return None


#: A verb just after an act's name: the line is a sentence about it (``Ordinea de zi a inclus …``,
#: ``Hotărârea a fost adoptată``, ``Anunțul se referă la …``); ``Proces-verbal a ședinței`` (for ``al``) is no verb.
_VERB_AFTER = re.compile(
    r"[ \t]+(?:(?:a|au|s-a|s-au)[ \t]+(?:fost[ \t]+)?[a-z]{2,}(?:at|it|ut|as|is|us|ns|rs|zut)\b|(?:este|sunt|se|va|vor)[ \t]+[a-z])"
)


def _prose(line: str, after: int) -> bool:
    """A sentence that begins with an act's name, not a heading: many words, no subject, a full stop;
    or a verb just after the name, ending as a sentence does.

    >>> _prose("ordinea de zi a inclus urmatoarele chestiuni:", len("ordinea de zi"))
    True
    >>> _prose("proces-verbal a sedintei ordinare din 12 mai 2019", len("proces-verbal"))
    False
    """
    ends = line.rstrip()[-1:] in ".:;"
    return ends and ((len(line.split()) >= 8 and not _SUBJECT.search(line, after)) or bool(_VERB_AFTER.match(line, after)))


def _sentence(line: str) -> bool:
    """A line of prose: ten words or more, ending as a sentence does.

    >>> _sentence("Astazi, 30.09.2024, PRIMARIA X anunta deschiderea procedurii de elaborare a proiectului:")
    True
    >>> _sentence("Str. Principala nr. 90, judetul Alba")
    False
    """
    return len(line.split()) >= 10 and line.rstrip()[-1:] in ".:;"


def _full_sentence(line: str) -> bool:
    """A line of prose that ends with a full stop: twelve words or more.

    >>> _full_sentence("Consiliul municipal se convoaca in sedinta extraordinara, in incinta salii de sedinte a Preturii.")
    True
    >>> _full_sentence("Astazi, 30.09.2024, PRIMARIA X anunta deschiderea procedurii de elaborare a proiectului:")
    False
    """
    return len(line.split()) >= 12 and line.rstrip().endswith(".")


def _spaced(line: str) -> bool:
    return bool(re.search(r"(?:^|\s)[^\W\d_] [^\W\d_] [^\W\d_](?:\s|$)", line))


#: What an ``INFORMARE`` is about when it gives an account of work done: ``cu privire la activitatea …``.
_ON_ACTIVITY = re.compile(r"(?:cu\s+privire\s+la|privind|asupra)\s+activitat(?:ea|ii)\b", re.IGNORECASE)
#: A heading that is the word ``Aviz`` alone: no number, no kind of opinion.
_NOTICE_AVIZ = re.compile(r"^\W*aviz\W*$", re.IGNORECASE)
#: ``AVIZ`` and a few words of what it is about, no number, no preposition (``AVIZ ACCES
#: LIMITAT``, ``Aviz important``): a notice when it tells the public (:data:`_TELLS_PUBLIC`).
_NOTICE_AVIZ_NAMED = re.compile(
    r"^\W*aviz(?:\s+(?!nr\b|de\b|la\b|cu\b|pentru\b|privind\b|asupra\b|favorabil|nefavorabil|consultativ|tehnic|conform"
    r"|prealabil)[^\W\d_]+){1,3}\W*$",
    re.IGNORECASE,
)
_TELLS_PUBLIC = re.compile(r"\bv[aă]\s+inform[aă]m\b|\bv[aă]\s+informeaz[aă]\b|\baduce(?:m)?\s+la\s+cuno[sș]tin[tț]", re.IGNORECASE)
#: What an opinion says of the act it judges: ``avizează favorabil``, ``aviz consultativ``, ``de legalitate``.
_OPINION = re.compile(
    r"\baviz(?:eaza|am|at[aă]?|ul|ului)?\s+(?:favorabil|nefavorabil|consultativ|de\s+legalitate|conform|tehnic"
    r"|de\s+oportunitate|de\s+mediu|de\s+principiu|prealabil)|\bcomisi(?:a|ei)\s+de\s+specialitate\b",
    re.IGNORECASE,
)


def subject_end(folded: str, heading: Heading) -> int:
    """Where the heading's subject ends: the end of its block, or before the preamble when a text
    layer ran the act into one line (``… privind aprobarea Regulamentului … Consiliul local al
    comunei …, întrunit în şedinţa ordinară din 30 Septembrie 2013``)."""
    found = _TITLE_END.search(folded, heading.own_end, heading.end)
    return found.start() if found else heading.end


#: Acts whose drafts are put to public debate, and the formula of the notice that does it
#: (``supune dezbaterii publice``, ``anunță deschiderea procedurii de transparență decizională``).
_DRAFTED = ("hotărâre", "ordin", "ordonanță", "ordonanță de urgență", "lege", "decizie", "dispoziție")
_ANNOUNCING = re.compile(
    r"\b(?:supun|propun)\w*\s+(?:spre\s+)?(?:dezbater\w*|consultar\w*)(?:\s+public\w*)?(?=\s)"
    r"|\banunt\w*\s+(?:despre\s+)?(?:deschiderea|initierea|lansarea)\s+(?:procedurii|consultarii|dezbaterii|procesului)\b"
    r"|\baduce\w*\s+la\s+cunostint\w*\s+(?:a\s+)?(?:publicului|cetatenilor|publica)\b"
    r"|\binvit\w*\b[^.;\n]{0,80}?\bla\s+(?:dezbaterea|consultarea)\s+publica\b"  # ``… sunt invitați să participe … la dezbaterea publică a …``
    r"|\ba\s+elaborat\b(?=\s+proiectul\b)"  # ``În conformitate cu … Legea nr. 52/2003 …, Consiliul Județean … a elaborat proiectul de …``
    # ``… organizează … ședința publică de dezbatere a Proiectului …``, ``Organizarea dezbaterii publice privind urmatorul proiect``
    r"|\borganiz(?:eaza|area)\b(?:[^.;\n]|\.(?=\d)){0,160}?\b(?:sedint\w*|dezbater\w*|consultar\w*)\s+public\w*",
    re.IGNORECASE,
)
#: The act's own text: its operative formula (:data:`OPERATIVE_FORMULAS`) on a line, or its first article.
_ACT_TEXT = re.compile(
    r"^[^\n]{0,60}?\b(?:" + "|".join(verb for verb, _ in OPERATIVE_FORMULAS) + r")\s*:?\s*$"
    r"|^\s*art(?:icolul)?\.?\s*(?:1|i|unic)\b",
    re.IGNORECASE | re.MULTILINE,
)
#: How far around a draft's bare heading the notice's formula is looked for.
DEBATED_CHARS = 400
#: A letter's salutation on a line of its own: ``EXCELENȚĂ,``, ``Stimate domnule Președinte,``.
_SALUTATION = re.compile(
    r"(?:^|\n)[ \t]*(?:excelenta|(?:stimat[ae]?\s+)?(?:domnule|doamna|domnilor|doamnelor)\b[^\n,!]{0,60})[ \t]*[,!][ \t]*(?:\n|$)",
    re.IGNORECASE,
)
#: How far below a message's heading its salutation is looked for.
SALUTATION_CHARS = 300
#: The line under a notice's heading that says it publishes a record: ``Aducem la cunoștința publicului``.
_PUBLISHES = re.compile(r"[ \t]*(?:aducem|se\s+aduce)\s+la\s+cunostint\w*\s+(?:a\s+)?publicului[ \t:.]*$", re.IGNORECASE)
#: The records such a notice publishes, and how many lines under it their heading is looked for.
_PUBLISHED_KINDS = ("proces-verbal", "hotărâre", "dispoziție", "decizie", "ordin")
PUBLISHED_LINES = 3
#: The first section of a note presenting a draft act (Law 24/2000's form).
_NOTE_FORM = re.compile(r"\bsec[tț]iunea\s+(?:1|i|intai)\b|\btitlul\s+proiectului\s+de\s+act\s+normativ\b", re.IGNORECASE)


def find_heading(text_lines: list[Line], folded: str, text: str | None = None) -> Heading | None:
    """The heading among the top lines, if one names a type, with its block.

    A heading with a number, a date or nothing after its type words wins at
    once; else the first bare one (``CONTRACT DE PRESTĂRI SERVICII``), unless a
    numbered one follows within the header lines. An annex's heading
    (``ANEXA nr. 3 la …``) keeps its type, but takes its title from the
    heading just under it (``CERERE STANDARDIZATĂ``).
    """
    text = folded if text is None else text
    heading = _first_heading(text_lines, folded, text, 0)
    if heading is not None and heading.type == "aviz" and not _OPINION.search(folded) and (
            _NOTICE_AVIZ.match(fold(heading.own_text))
            or (_NOTICE_AVIZ_NAMED.match(fold(heading.own_text + " " + heading.rest_text))
                and _TELLS_PUBLIC.search(folded, heading.end, heading.end + 400))):
        # a bare ``Aviz`` that gives no opinion is a notice, as in Moldova (``Aviz`` / ``În atenția …``)
        heading = replace(heading, type="anunț")
    if (heading is not None and heading.type == "anunț" and fold(heading.own_text).lower().startswith("informare")
            and _ON_ACTIVITY.match(fold(heading.rest_text))):
        # ``INFORMARE cu privire la activitatea Poliției Locale - aprilie 2019``: an account of work done
        heading = replace(heading, type="raport")
    if heading is not None and heading.type == "anunț" and fold(heading.own_text).lower().startswith("informare"):
        scores = _cue_scores(folded)
        if scores["comunicat de presă"] > scores["anunț"]:
            # an ``INFORMARE`` that tells what the authority did is its press release
            heading = replace(heading, type="comunicat de presă")
    if heading is not None and heading.type in _DRAFTED \
            and (announcing := _ANNOUNCING.search(folded, max(0, heading.start - DEBATED_CHARS), heading.end + DEBATED_CHARS)) \
            and (not re.search(r"\d", heading.own_text) or announcing.end() <= heading.start) \
            and not _ACT_TEXT.search(folded):
        # ``Proiect de Ordin`` / ``… supune dezbaterii publice proiectul de Ordin …``, and no act's text below:
        # the notice that puts a draft to public debate; a numbered draft too, when the notice names it above
        # (``… anunță deschiderea procedurii … a următorului act normativ:`` / ``PROIECT DE HOTĂRÂRE nr. 121/…``)
        heading = replace(heading, type="anunț", confidence=0.85)
    if heading is not None and heading.type == "comunicat de presă" and fold(heading.own_text).lower().startswith("mesaj") \
            and _SALUTATION.search(folded, heading.end, heading.end + SALUTATION_CHARS):
        # ``Mesaj de felicitare adresat Președintelui Franței`` / ``EXCELENȚĂ,``: a letter, not a message to the press
        heading = replace(heading, type="adresă")
    if (heading is not None and heading.type in _DRAFTED and heading.confidence < 0.95
            and not heading.own_text.isupper() and not re.search(r"\d", heading.own_text + heading.rest_text)
            and not _ACT_TEXT.search(folded)):
        scores = _cue_scores(folded)
        if scores["comunicat de presă"] >= 2.0 and scores["comunicat de presă"] == max(scores.values()):
            # ``Legea fondului funciar modificată`` over an account of a commission's meeting: a news
            # item's headline that names an act, not the act's heading
            heading = replace(heading, type="comunicat de presă", confidence=0.7)
    if heading is not None and heading.type == "expunere de motive" and _NOTE_FORM.search(folded, heading.end, heading.end + 400):
        # the Government's explanatory memorandum of a draft law, in the form of a note (``Secțiunea 1`` /
        # ``Titlul proiectului de act normativ``): the same instrument as a ``notă de fundamentare``
        heading = replace(heading, type="notă de fundamentare")
    if (heading is not None and heading.type == "anunț" and heading.line + 1 < len(text_lines)
            and _PUBLISHES.match(folded, text_lines[heading.line + 1].start, text_lines[heading.line + 1].end)):
        # ``ANUNȚ`` / ``Aducem la cunoștința publicului`` / ``PROCESUL VERBAL AL ȘEDINȚEI …``: a site's notice
        # that publishes a record whole; the record is the document
        inner = _first_heading(text_lines, folded, text, heading.line + 2, heading.line + 2 + PUBLISHED_LINES)
        # (not a draft whose text is not below: ``PROIECTUL DE HOTĂRÂRE privind …`` / ``… se pot transmite
        # în scris opinii …``, the notice that puts it to consultation)
        if inner is not None and inner.type in _PUBLISHED_KINDS and not (
                fold(inner.own_text).lower().startswith("proiect") and not _ACT_TEXT.search(folded)):
            heading = inner
    if heading is not None and heading.type == "anunț" and _disposes(text_lines, folded, heading.last + 1):
        # ``Convocarea Consiliului Local Mizil în ședință …`` / ``… DISPUN:`` / ``Art.1 Se convoacă …``: the
        # mayor's disposition itself under a page's title, not a notice of it
        heading = replace(heading, type="dispoziție", confidence=0.8)
    if heading is not None and heading.type in _ANNEXED_NAMES:
        below = _first_heading(text_lines, folded, text, heading.last + 1, heading.last + 3)
        if below is not None and below.type == "anexă":
            # ``Statutul comunei Brădeni`` / ``ANEXĂ la HCL nr. 48/27.05.2019``: the annex's name above its mark
            return below
    if (heading is not None and heading.type == "anexă" and _PROCEDURE_FORM.match(fold(heading.own_text + " " + heading.rest_text))
            and _PUBLIC_NOTICE.search(folded, heading.end, heading.end + PROCEDURE_NOTICE_CHARS)):
        # ``Anexa 5.J la procedura de aplicare a Legii 292/2018 …`` / ``COMUNA X, titular al proiectului …, anunță
        # publicul interesat …``: the mark of the procedure's form that the notice fills in, no heading of its own
        return None
    if heading is not None and heading.type == "anexă":
        inner = _first_heading(text_lines, folded, text, heading.last + 1, heading.last + 3)
        if inner is not None and inner.type != "anexă":
            annex = (heading.own_text + " " + heading.rest_text).strip()
            return Heading(heading.type, inner.line, inner.last, heading.confidence, inner.start, inner.own_end,
                           inner.end, inner.own_text, inner.rest_text, annex)
    return heading


#: How far below a notice's heading a disposition's formula makes it the disposition.
DISPOSED_CHARS = 3000
_DISPOSES = [pattern for name, pattern in _OPERATIVE if name == "dispoziție"]


def _disposes(text_lines: list[Line], folded: str, below: int) -> bool:
    """Whether a line from ``below`` on, within DISPOSED_CHARS of it, is a disposition's formula alone (``DISPUN:``)."""
    if below >= len(text_lines):
        return False
    limit = text_lines[below].start + DISPOSED_CHARS
    for line in text_lines[below:]:
        if line.start > limit:
            break
        line_folded = collapse_spaced(folded[line.start : line.end])
        if any(pattern.match(line_folded) for pattern in _DISPOSES):
            return True
    return False


#: The annex of a procedure that gives the form of a notice: ``Anexa 5.J la procedura de aplicare a Legii …``,
#: ``Anexa nr. 5.E la procedură``.
_PROCEDURE_FORM = re.compile(r"\W*anexa\s*(?:nr\.?\s*)?\d+(?:\s*\.\s*[a-z]\b)?\.?\s+la\s+procedur", re.IGNORECASE)
#: The notice's formula: ``… anunță publicul interesat asupra …``.
_PUBLIC_NOTICE = re.compile(r"\banunta\s+publicul\b", re.IGNORECASE)
#: How far below such an annex's heading the notice's formula may stand.
PROCEDURE_NOTICE_CHARS = 600


#: The kinds of text an act approves as its annex, named on the line above the annex's mark.
_ANNEXED_NAMES = ("statut", "regulament", "metodologie", "procedură", "normă", "ghid", "strategie", "instrucțiune")


#: The line under a short heading that names the draft it is about: ``la proiectul deciziei …``.
_ON_DRAFT = re.compile(r"[ \t]*(?:la|asupra|privind)[ \t]+proiect", re.IGNORECASE)
#: The words of type headings as a typist or OCR may damage them by one letter (``IMFORMARE DE PRESĂ``,
#: ``DISPOZIȚLE``, ``PROCES-VERBAI``), folded: mended in a short heading line in capitals, when the damaged
#: word is no Romanian word and only one of these is a letter away.
HEADING_WORDS = frozenset((
    "comunicat", "comunicatul", "informare", "presa", "hotarare", "hotararea", "dispozitie", "dispozitia",
    "decizie", "decizia", "ordinul", "anunt", "anuntul", "proces", "verbal", "raport", "raportul", "referat",
    "fundamentare", "contract", "contractul", "ordonanta", "urgenta", "minuta", "convocator", "invitatie",
))
#: The words a damaged one may be read as: those, and ``ORDIN`` when only its digits or ``l`` are OCR's
#: (never by a letter: ``ORDINE`` is a word a letter away).
_MENDED_AS = HEADING_WORDS | {"ordin"}
#: OCR's digits and small ``l`` for letters in a word of capitals (``C0MUNICAT``, ``RAP0RT``, ``DlSPOZIȚIE``).
_LETTER_DIGITS = str.maketrans({"0": "O", "1": "I", "l": "I"})
#: The shortest damaged word mended by a letter (``ANUMT``), and the most words in a mended line.
MENDED_LETTERS = 5
MENDED_WORDS = 4


def _mended(line: str) -> str | None:
    """A short heading line in capitals (folded) with its damaged type words mended, or None.

    >>> _mended("IMFORMARE DE PRESA"), _mended("C0MUNICAT DE PRESA"), _mended("PROCES-VFRBAL"), _mended("DlSPOZITIE")
    ('INFORMARE DE PRESA', 'COMUNICAT DE PRESA', 'PROCES-VERBAL', 'DISPOZITIE')
    >>> _mended("ORDINE DE ZI"), _mended("Imformare de presa"), _mended("DECIZII ALE CONSILIULUI")
    (None, None, None)
    """
    if not line.replace("l", "I").isupper() or not 1 <= len(line.split()) <= MENDED_WORDS:
        return None

    def mend(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() in _MENDED_AS:
            return word
        plain = word.translate(_LETTER_DIGITS).lower()
        if plain in _MENDED_AS:
            return plain.upper()
        if len(plain) < MENDED_LETTERS or not plain.isalpha() or Lexicon.load().knows(plain):
            return word
        near = [known for known in HEADING_WORDS if one_slip(plain, known)]
        return near[0].upper() if len(near) == 1 else word

    mended = re.sub(r"[^\W_]+", mend, line)
    return mended if mended != line else None


#: The masthead of the official gazette, its summary, and the running head of its pages
#: (``10 MONITORUL OFICIAL AL ROMÂNIEI, PARTEA I, Nr. 686/16.VII.2024``; OCR may read ``I`` as ``|``).
_GAZETTE = re.compile(r"^[\W\d_]*monitorul\s+oficial\b", re.IGNORECASE)
_SUMMARY = re.compile(r"^\W*sumar\W*$", re.IGNORECASE)
_GAZETTE_PAGE = re.compile(r"^\W*(?:\d{1,4}\s+)?monitorul\s+oficial\s+al\s+romaniei\s*,?\s*partea\b.{0,30}\bnr\b", re.IGNORECASE)
#: How far down the summary of an issue of the gazette is looked for, and how long it may be.
GAZETTE_LINES = 12
GAZETTE_SUMMARY = 200


def gazette_act(text_lines: list[Line], folded: str) -> int | None:
    """Where the first act begins in an issue of the Monitorul Oficial (its masthead on the first
    line, ``SUMAR`` below): the line after the first page's running head under the summary.

    >>> from arhiva.metadata.text import folded, lines
    >>> text = ("MONITORUL OFICIAL\\nAL ROMÂNIEI\\nAnul 192 — Nr. 686 Marți, 16 iulie 2024\\nSUMAR\\n"
    ...         "828. — Hotărâre privind organizarea CNCAN ..... 10\\n"
    ...         "10 MONITORUL OFICIAL AL ROMÂNIEI, PARTEA |, Nr. 686/16.VII.2024\\nGUVERNUL ROMÂNIEI\\nHOTĂRÂRE\\n")
    >>> gazette_act(lines(text), folded(text))
    6
    """
    if not text_lines or not _GAZETTE.match(folded[text_lines[0].start : text_lines[0].end]):
        return None
    summary = next((i for i in range(min(len(text_lines), GAZETTE_LINES))
                    if _SUMMARY.match(folded[text_lines[i].start : text_lines[i].end])), None)
    if summary is None:
        return None
    for i in range(summary + 1, min(len(text_lines), summary + GAZETTE_SUMMARY)):
        if _GAZETTE_PAGE.match(folded[text_lines[i].start : text_lines[i].end]):
            return i + 1 if i + 1 < len(text_lines) else None
    return None


def _first_heading(text_lines: list[Line], folded: str, text: str, first: int, stop: int = HEADING_LINES) -> Heading | None:
    bare: Heading | None = None
    # a numbered heading line in the header (``Nr.R 25796 din 20.05.2020 – PROCES – VERBAL …``) is
    # looked for even below the paragraph that a site put above it
    numbered = next((i for i in range(first, min(len(text_lines), HEADER_LINES))
                     if _NUMBERED_ENTRY.match(folded, text_lines[i].start, text_lines[i].end)), None)
    skip_to = first
    for index in range(first, min(len(text_lines), stop)):
        if index < skip_to:
            continue
        if bare is not None and index >= HEADER_LINES:
            break
        line = text_lines[index]
        if index > first and _LINKS_BELOW.search(folded, text_lines[index - 1].start, text_lines[index - 1].end):
            break  # the lines under ``puteți descărca documentele de mai jos:`` are links' captions
        if index > first and _LEGAL_BASIS.match(folded, text_lines[index - 1].start, text_lines[index - 1].end):
            continue  # ``Temeiul legal:`` / ``OUG 57/2019 privind Codul Administrativ …``: the acts it rests on
        line_folded = collapse_spaced(folded[line.start : line.end])
        candidates = [(line_folded, index)]
        if len(re.sub(r"\W", "", line_folded)) <= 2 and re.search(r"[^\W\d_]", line_folded) and index + 1 < len(text_lines):
            # ``L`` / ``E G E``: a heading broken after its first letter (not a dotted blank to fill in).
            nxt = text_lines[index + 1]
            candidates.insert(0, (collapse_spaced(line_folded + " " + folded[nxt.start : nxt.end]), index + 1))
        if index < HEADER_LINES:
            merged = _after_caps_header(folded[line.start : line.end])
            candidates += [(collapse_spaced(folded[line.start + offset : line.end]), index, offset) for offset in merged]
        if index < HEADER_LINES and (opening := _NUMBERED_ENTRY.match(folded, line.start, line.end)):
            # ``Nr. R 25796 din 20.05.2020 – PROCES – VERBAL DE AFIȘARE``: the heading after its number and date
            candidates.append((collapse_spaced(folded[opening.end() : line.end]), index, opening.end() - line.start))
        relaxed = None
        if (index == first and len(line.text) <= ISSUER_LINE and _blank_below(text, text_lines, index)
                and (issuer := _ISSUER_DASH.match(folded, line.start, line.end))):
            # a page's headline ``Poliția Locală Slobozia – Raport de activitate trimestrul III – 2016``:
            # the heading after its issuer and a dash, in any case
            relaxed = (collapse_spaced(folded[issuer.end() : line.end]), index, issuer.end() - line.start)
            candidates.append(relaxed)
        if (index > first and (lead := _EXTRACT_OF.match(folded, line.start, line.end))
                and any(_EXTRACT.match(folded, text_lines[j].start, text_lines[j].end) for j in range(max(first, index - 3), index))):
            # ``EXTRAS Nr. 1650`` / ``din 09.11.2018`` / ``din Hotărârea Plenului … nr. 464/22 din 23 octombrie 2018``:
            # the act an extract reproduces, named on its own line under the extract's number, in any case
            relaxed = (collapse_spaced(folded[lead.end() : line.end]), index, lead.end() - line.start)
            candidates.append(relaxed)
        if index == first and (page := _PAGE_NUMBER.match(folded, line.start, line.end)):
            # ``1 NOTĂ DE FUNDAMENTARE la …``: a page number before the first line's heading.
            candidates.append((folded[page.end() : line.end], index, page.end() - line.start))
        if (index < HEADER_LINES and len(line_folded.split()) <= 3 and index + 1 < len(text_lines)
                and _ON_DRAFT.match(folded, text_lines[index + 1].start, text_lines[index + 1].end)):
            # ``Nota informativă`` / ``la proiectul deciziei …``: a heading that names its draft on the next line
            nxt = text_lines[index + 1]
            candidates.append((re.sub(r"\s", " ", folded[line.start : nxt.end]), index + 1))
        if index < HEADER_LINES and (mended := _mended(line_folded)) is not None:
            candidates.append((mended, index))  # ``IMFORMARE DE PRESĂ``, ``C0MUNICAT``: a damaged heading word
        entry = _register_entry(folded, line) if index < HEADER_LINES else None
        for item in candidates:
            candidate, through, *offset = item
            caps = index >= HEADER_LINES or (bool(offset) and item is not relaxed)
            found = _match_heading(candidate, len(line.text) > LONG_LINE, caps)
            if found is None and index == 0 and candidate == line_folded and len(line.text) <= LONG_LINE:
                found = _page_title(candidate)
            if found is None and entry is not None and candidate == line_folded:
                # ``7 mai 2018 – Ordinul Prefectului nr. 288/07.05.2018 privind …`` over a bare ``ORDIN privind …``:
                # a register's entry, the only place of the act's number and date
                candidate, offset = folded[line.start + entry : line.end], [entry]
                found = _match_heading(candidate, True, False, issuer=True)
                if found is not None and not _bare_below(found[0], text_lines[index + 1 : index + 3], folded):
                    found = None
            if found is None:
                continue
            if through + 1 < len(text_lines) and _TABLE_ROW.match(text_lines[through + 1].text):
                continue  # a table's column heading (``Contract de …`` over ``1 |Energie electrică …``)
            if _ROW_INSIDE.search(text_lines[through].text):
                continue  # a column's heading read into a numbered row: ``Contract de 2 |Gaze naturale 65210000-8 …``
            name, structured = found
            if candidate == line_folded and (run_end := _listed_acts(text_lines, index, folded)) is not None:
                # ``Ordinul Prefectului nr. 62/20.02.2023 privind …`` / ``Ordinul Prefectului nr. 156/12 03 2021 privind …``:
                # a page's list of acts, one a line, none of them its heading
                skip_to = run_end
                break
            if bare is not None and name in _SECTIONS and bare.type != "anexă":
                return bare  # ``DECIZIE`` … ``Ordinea de zi:``: the agenda is a part of the act above it
            heading = _block(name, index, through, text_lines, folded, text, 0.95 if structured else 0.85, *offset)
            if structured:
                return heading
            bare = bare or heading
            break
        else:
            if index == first and len(line.text) > LONG_LINE and _typed(line_folded) is not None:
                continue  # a page's long title that names the type (``Anunț privind organizarea …``) over its heading
            if len(line.text) > LONG_LINE or _PREAMBLE.match(line_folded):
                if bare is None and numbered is not None and numbered > index:
                    skip_to = numbered
                    continue
                if bare is None and _INTRODUCES.search(line_folded):
                    continue  # ``În conformitate cu …, transmit următorul`` / ``Anunț referitor la …``
                break  # the body has begun
            if bare is not None and _sentence(line_folded):
                break  # a sentence under a bare heading: what it names below is in its body
            if bare is None and _full_sentence(line_folded) and _typed(line_folded) is None:
                break  # a notice's sentence before any heading: an act named below it is one it cites
    return bare


#: A preamble that ends by introducing the act under it: ``… emite următoarea``, ``… transmit următorul``.
_INTRODUCES = re.compile(r"\burmator(?:ul|ea|ii|ele)[ \t]*:?[ \t]*$", re.IGNORECASE)
#: Headings that name a part of a document when another heading stands above them.
_SECTIONS = ("ordine de zi",)
#: A table's numbered row as OCR reads its cells: ``1 |Energie electrică 65300000-6 …``, ``3 [Apa …``.
_TABLE_ROW = re.compile(r"^\s*\d{1,3}\s*[|\[]\s*\S")
#: A numbered row inside a line, its cell border after the number: ``… de 2 |Gaze naturale …``.
_ROW_INSIDE = re.compile(r"[ \t]\d{1,3}[ \t]*\|[ \t]*[^\W\d_]")
#: A line that opens with the document's registration number and date, then a dash before a
#: heading in capitals: ``Nr.R 25796 din 20.05.2020 – PROCES – VERBAL DE AFIȘARE``.
_NUMBERED_ENTRY = re.compile(
    r"[ \t]*(?:nr\.?|numarul)[ \t]*(?:(?-i:[A-Z])[ \t]?)?\d[\d./-]*[ \t]+din[ \t]+\d{1,2}[./-]\d{1,2}[./-]\d{4}"
    r"[ \t]*[–—-][ \t]*(?=(?-i:[A-Z]{2}))",
    re.IGNORECASE,
)
#: The words an issuer's name opens with, on a page's headline (folded).
_ISSUER_NOUNS = (r"primaria|consiliul|institutia|prefectura|ministerul|agentia|directia|inspectoratul|autoritatea"
                 r"|scoala|liceul|colegiul")
#: An issuer's name, then a dash before the rest of a page's headline (``Poliția Locală Slobozia – Raport …``).
_ISSUER_DASH = re.compile(
    rf"[\W_]*(?:{_ISSUER_NOUNS}|politia|universitatea|spitalul|biblioteca|muzeul)\b[^–—\n]{{0,80}}?[ \t]+[–—-][ \t]+(?=\S)",
    re.IGNORECASE,
)
#: An extract's heading (``EXTRAS Nr. 1650``), and the line under it that names what it is an extract of
#: (``din Hotărârea Plenului …``).
_EXTRACT = re.compile(r"[\W_]*extras(?:ul)?\b", re.IGNORECASE)
_EXTRACT_OF = re.compile(r"[ \t]*din[ \t]+(?=[^\W\d_])", re.IGNORECASE)
#: A register's or a site's entry line: a date, a dash, then the act (``7 mai 2018 – Ordinul …``).
_ENTRY_DASH = re.compile(r"[ \t]*[–—-][ \t]*")
#: The issuer between an act's name and its number in a register's entry (``Ordinul Prefectului
#: județului Buzău nr. …``): a genitive issuer word, then up to three words of its name.
_ISSUER_WORDS = re.compile(
    r"[ \t]+(?:guvernului|consiliului|primarului|prefectului|presedintelui|ministrului)"
    r"(?:[ \t]+(?:judetului|municipiului|orasului|comunei|sectorului|local|judetean|(?-i:[A-Z])[^\W\d_]*)){0,3}",
    re.IGNORECASE,
)


def _register_entry(folded: str, line: Line) -> int | None:
    """Where the act begins in a line that opens with a date set off by a dash (a register's or a
    site's entry: ``7 mai 2018 – Ordinul Prefectului nr. 288/07.05.2018 privind …``), if it does.

    >>> from arhiva.metadata.text import lines
    >>> text = "7 mai 2018 – Ordinul Prefectului nr. 288/07.05.2018 privind declararea"
    >>> _register_entry(text, lines(text)[0])
    13
    """
    dates = find_dates(folded[line.start : line.end])
    if not dates or folded[line.start : line.start + dates[0].start].strip():
        return None
    dash = _ENTRY_DASH.match(folded, line.start + dates[0].end, line.end)
    return dash.end() - line.start if dash and dash.end() > line.start + dates[0].end else None


def _bare_below(name: str, below: list[Line], folded: str) -> bool:
    """Whether one of the lines ``below`` opens with a heading of type ``name`` in capitals, without
    a number (``ORDIN privind …``)."""
    for line in below:
        line_folded = collapse_spaced(folded[line.start : line.end])
        found = _typed(line_folded)
        if found and found[0] == name and found[1].group("type").isupper() and not _STRUCTURED.match(line_folded, found[1].end()):
            return True
    return False


#: A page number opening a text transcribed from a PDF, before its heading (in capitals).
_PAGE_NUMBER = re.compile(r"[ \t]*\d{1,3}[ \t]+(?=(?-i:[A-Z]{2}))")
#: The issuer and number of a heading broken after its type word (``Hotărârea`` /
#: ``Guvernului nr. 1434/2004``, ``DISPOZIȚIA`` / ``Primarului nr. 45``).
_ISSUER_NUMBER = re.compile(r"^(?:[^\W\d_]+\s+){1,4}(?:nr\b|nr\.|numarul\b)\s*\d", re.IGNORECASE)
#: How a header merged with its heading begins: the country, the issuer (also letter-spaced:
#: ``R O M Â N I A JUDEŢUL VASLUI … DISPOZIȚIA nr. 10/2020 privind …``), or the issuer's office in a
#: column beside the heading (``PREŞEDINTE DISPOZIŢIA NR. 517``).
_CAPS_HEADER = re.compile(
    r"^[\W\d_]*(?:r ?o ?m ?a ?n ?i ?a|republica|judetul|municipiul|orasul|comuna|consiliul|primaria|ministerul|guvernul"
    r"|presedinte(?:le)?|primar(?:ul)?|prefect(?:ul)?|biroul|directia|serviciul|compartimentul|comisia|agentia)\b",
    re.IGNORECASE,
)
_CAPS_WORD = re.compile(r"(?<!\S)(?-i:[A-Z][A-Z.,-]*)(?=\s)")


#: A word in capitals with a number after it (``DISPOZIŢIA NR. 81``), or a draft's blank number
#: field (``ORDINUL nr. ........ din ........``): a heading, even after the address and telephone
#: lines (or the issuer's name) a transcription ran into the same line.
_CAPS_NUMBERED = re.compile(r"(?<!\S)(?-i:[A-Z]{4,})(?=[ \t]+nr\.?[ \t]*(?:\d|[.…_]{3,}))", re.IGNORECASE)
#: How far into a merged header line such a numbered heading is looked for.
MERGED_HEADER = 400
#: The registration number and date a header ends with, and the words in capitals in the next four
#: words, where the heading may be (``… www.primaria-nadlac.ro Nr. 1549 din 07.03.2019 RAPORT asupra …``,
#: ``Nr. 1122 Data 20.02.2009 Primar CORNEL NANU RAPORT Asupra …``).
_REGISTERED = re.compile(
    r"\bnr\.?[ \t]*(?:\d[\w./-]*[ \t]+(?:din|data)(?:[ \t]*:?[ \t]*\d{1,2}[./]\d{1,2}[./]\d{4}\b|[ \t]*:)?"
    r"|\d[\w-]*/\d{1,2}\.\d{1,2}\.\d{4}\b"  # ``Nr. 4954/25.03.2019 Nr. …………… RAPORT DE ACTIVITATE …``
    r"|(?:din|data)[ \t]*:?[ \t]*\d{1,2}[ \t]+[^\W\d_]+[ \t]+\d{4}\b)",  # the number left blank: ``Nr din 15 Martie 2019 RAPORT …``
    re.IGNORECASE,
)  # its date may be left blank, for the hand: ``Nr. 581 din RAPORT DE ACTIVITATE …``
_NEXT_WORDS = re.compile(r"(?:[ \t]+\S+){1,4}")
_CAPS_START = re.compile(r"(?<=[ \t])(?-i:[A-Z]{4,})(?=[ \t])")


def _after_caps_header(line: str) -> list[int]:
    """Where a heading may begin inside a line that a text layer merged with the header above it:
    after each word of a leading run of words in capitals that starts like a header
    (``1 ROMÂNIA JUDEŢUL VASLUI COMUNA LAZA RAPORT privind …``), and at a word in capitals
    numbered after the address (``1 JUDEŢUL BIHOR … Tel.0259/313598; DISPOZIŢIA NR. 81 …``).

    >>> line = "1 JUDETUL BIHOR COMUNA X PRIMAR Romania, jud. Bihor, Tel.0259/1 DISPOZITIA NR. 81 Din privind " + "x " * 200
    >>> line[_after_caps_header(line)[-1]:][:14]
    'DISPOZITIA NR.'
    """
    if not _CAPS_HEADER.match(line):
        return []
    offsets, position = [], 0
    for match in _CAPS_WORD.finditer(line, 0, 200):
        if line[position : match.start()].strip(" \t0123456789"):
            break
        position = match.end()
        offsets.append(len(line) - len(line[position:].lstrip()))
    offsets = offsets[:-1] if offsets else []
    numbered = []
    for registered in _REGISTERED.finditer(line, 0, MERGED_HEADER):
        if after := _NEXT_WORDS.match(line, registered.end()):
            numbered += [m.start() for m in _CAPS_START.finditer(line, registered.end(), after.end() + 1)]
    if len(line) > LONG_LINE:
        numbered += [m.start() for m in _CAPS_NUMBERED.finditer(line, 0, MERGED_HEADER)
                     if not re.search(r"\bla\s*\Z", line[max(0, m.start() - 6) : m.start()], re.IGNORECASE)]
    return offsets + [start for start in dict.fromkeys(numbered) if start not in offsets]


def _date_line(line: str, place: bool = False) -> bool:
    """A line that is a date and little else: ``19 martie 2021``, ``din 07.05.2021``, ``l2 mai 202l``;
    with ``place``, also a date with the place of issue after it (``22 iulie 2021 mun.Chișinău``).

    >>> _date_line("22 iulie 2021 mun.Chisinau"), _date_line("22 iulie 2021 mun.Chisinau", place=True)
    (False, True)
    >>> _date_line("22 iulie 2021 privind aprobarea", place=True)
    False
    """
    line = re.sub(r"^\s*(?:din|de\s+la|pe)?\s*(?:data\s+de\s+|data\s*:\s*)?", "", line, flags=re.IGNORECASE)
    dates = find_dates(line)
    if not dates or _POSTED.match(line):
        return False  # no date, or when a page was put up (``(Publicat: 20.01.2020)``), not the heading's
    if place and dates[0].start == 0 and _PLACE_AFTER_DATE.fullmatch(line, dates[0].end):
        return True
    return len(re.sub(r"\W", "", line)) - len(re.sub(r"\W", "", line[dates[0].start : dates[0].end])) <= 8


_POSTED = re.compile(rf"\W*{POSTED_FIELD}", re.IGNORECASE)
#: The place of issue after a heading's date: ``mun.Chișinău``, ``or. Ianca``, ``, București``.
_PLACE_AFTER_DATE = re.compile(
    r"[ \t]*[,.]?[ \t]+(?:(?:mun|or|com|sat|municipiul|orasul|comuna|satul)\.?[ \t]*)?"
    r"(?-i:[A-Z][a-z]+)(?:[ -](?-i:[A-Z][a-z]+))?[ \t.]*",
    re.IGNORECASE,
)


def _block(
    name: str, first: int, through: int, text_lines: list[Line], folded: str, text: str, confidence: float, offset: int = 0
) -> Heading:
    """The heading line(s) from ``first`` to ``through`` (from ``offset`` into the first) and the
    lines that go on with them: first its own lines (``din 07.05.2021``, ``Nr. 40``), then its
    subject and continuation."""
    start = text_lines[first].start + offset
    own_lines = [text[start : text_lines[first].end]] + [text[line.start : line.end] for line in text_lines[first + 1 : through + 1]]
    if offset and len(text_lines[first].text) > LONG_LINE and (back := _CAPITALS_AGAIN.search(own_lines[0], 0, MAX_TITLE)):
        # a heading inside a line a text layer merged: ``RAPORT DE ACTIVITATE pe anul 2018 UNIVERSITATEA „VASILE …``
        # ends where words in capitals begin again after words in lower case
        own_lines[0] = own_lines[0][: back.start()]
    rest_lines: list[str] = []
    last = through
    own_end: int | None = None
    subject = _ANNEXED if name == "anexă" else _SUBJECT
    found = subject.search(folded, start, text_lines[through].end)
    if found:
        own_end = found.start()
    caps = " ".join(own_lines).upper() == " ".join(own_lines)
    for index in range(through + 1, min(len(text_lines), through + 7)):
        line, previous = text_lines[index], text_lines[index - 1]
        line_folded = folded[line.start : line.end].lstrip(" \t\"„“”'-–—")  # also ``- privind …``
        lead = line.end - line.start - len(line_folded)
        blank = text.count("\n", previous.end, line.start) > 1
        if len(line.text) > 2 * MAX_TITLE or _PREAMBLE.match(line_folded) or _SIGNATURE_LINE.match(line_folded):
            break
        if _SALUTATION.match(f"\n{line_folded}\n"):
            break  # ``Domnule Prim-ministru,``: the letter begins
        if _TIMESTAMP_LINE.match(line_folded):
            continue  # a site's posting stamp between the heading and its date line (``23-11-17 08:28``)
        in_own = own_end is None and not rest_lines
        capitals = caps and line.text.upper() == line.text
        if in_own and not blank and capitals and _CAPS_CONNECTIVE.match(line_folded) and not _SUBJECT.match(line_folded):
            own_lines.append(line.text)  # the type's name goes on: ``CERTIFICAT`` / ``DE ACREDITARE``
            last = index
            continue
        issuer = not blank and not re.search(r"\d", " ".join(own_lines)) and _ISSUER_NUMBER.match(line_folded)
        number = not re.search(r"\d", " ".join(own_lines)) and _BARE_NUMBER.match(line_folded)
        # ``HOTĂRÂRE nr.`` / ``905 din 14 decembrie 2017 privind …``: the number wrapped onto the next line
        wrapped = bool(_NUMBER_FIELD_END.search(fold(" ".join(own_lines)))) and line_folded[:1].isdigit()
        own = bool(_OWN_PART.match(line_folded) or _date_line(line_folded) or issuer or number or wrapped)
        placed = not own and _date_line(line_folded, place=True)  # ``22 iulie 2021 mun.Chișinău``
        if in_own and (own or placed):
            if blank and len(" ".join(line.text.split())) > 40 and not wrapped and not _DATED_SUBJECT.match(line_folded):
                break
            found = _SUBJECT.search(folded, line.start, line.end)
            if found:
                own_end = found.start()
            # a date with its place of issue goes into the title without the place: ``22 iulie 2021``
            own_lines.append(line.text[: lead + find_dates(line_folded)[0].end] if placed else line.text)
            last = index
            continue
        in_subject = own_end is not None or bool(rest_lines)
        if name == "anexă" and blank and capitals and _typed(collapse_spaced(line_folded)) is not None:
            break  # ``ANEXĂ LA HCL NR. 40/31.10.2018`` / ``REGULAMENT …``: the annexed text's own heading
        if blank and capitals and in_subject and _INSTITUTIONAL.match(line_folded):
            break  # ``… A CONSILIULUI LOCAL AL MUNICIPIULUI IAȘI`` / ``MUNICIPIUL IAȘI``: an issuer's line begins another block
        caps_subject = capitals and in_subject
        if not (caps_subject or _goes_on(line, line_folded, folded[previous.start : previous.end], blank, in_subject)):
            break
        if own_end is None:
            own_end = line.start + lead
        rest_lines.append(re.sub(r"^[-–—]\s+", "", line.text))
        last = index
        caps = caps and line.text.upper() == line.text
    end = text_lines[last].end
    own_text = collapse_spaced(" ".join(own_lines))
    rest_text = collapse_spaced(" ".join(rest_lines))
    split = subject.search(same_length_fold(own_text))  # ``„Cu privire …``: fold() writes „ as two letters
    if split:
        at = split.start()
        while at and own_text[at - 1] in " „“\"«":
            at -= 1  # the opening quote goes with the subject it opens
        own_text, rest_text = own_text[:at], (own_text[at:].lstrip() + " " + rest_text).strip()
    return Heading(
        type=_refine(name, own_text + " " + rest_text),
        line=first,
        last=last,
        confidence=confidence,
        start=start,
        own_end=own_end if own_end is not None else end,
        end=end,
        own_text=own_text.strip(),
        rest_text=rest_text,
    )


#: Words in capitals again after a word in lower case or a figure: three of them, the run of another text.
_CAPITALS_AGAIN = re.compile(
    r"(?<=[a-zăâîșț0-9])[ \t]+(?=(?:[„\"]?[A-ZĂÂÎȘȚŞŢ][A-ZĂÂÎȘȚŞŢ.-]+[”\"]?[ \t]+){2}[„\"]?[A-ZĂÂÎȘȚŞŢ]{2})"
)
#: The heading's date and then its subject, on a line of their own (``Din 23.11.2017 privind …``).
_DATED_SUBJECT = re.compile(
    rf"^din\s+\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\s+{_SUBJECT_WORD}\b", re.IGNORECASE
)
#: A date and a time alone on a line: a site's posting stamp (``23-11-17 08:28``), or a date and a count.
_TIMESTAMP_LINE = re.compile(
    r"^\d{1,4}[-./]\d{1,2}[-./]\d{2,4}[ \t]+\d{1,2}:\d{2}(?::\d{2})?\s*$"
    r"|^\d{1,2}[ \t]+[^\W\d_]+[ \t]+\d{4}[ \t]*\|[ \t]*\d+\s*$"  # a portal's date and view counter: ``09 Octombrie 2017 | 6``
)
#: A signature line under a cover's title: ``DIRECTOR _________ Miron OLEG``, ``Primar,``.
_SIGNATURE_LINE = re.compile(
    r"^(?:" + "|".join(re.escape(role).replace(r"\ ", r"\s+") for role in ROLES) + r")\s*[,:]?\s*(?:_{3,}|\.{5,}|$)",
    re.IGNORECASE,
)
#: A heading's number and date on the line under its subject (a legislation portal's layout).
_NUMBER_LINE_BELOW = re.compile(r"^nr\.?\s*(?P<number>\d[\w./-]*)(?:\s+din\s+(?P<date>\d[\d./-]*\d))?\s*$", re.IGNORECASE)
#: A heading's ``nr.`` at the end of its line, the number on the next.
_NUMBER_FIELD_END = re.compile(r"\bnr\.?\s*$", re.IGNORECASE)
#: A number alone on the line under a heading that has none (``DISPOZIȚIE`` / ``02/1 – 7- 35``).
_BARE_NUMBER = re.compile(r"^\d[\d \t/–-]{0,20}$")
#: A line in capitals under a heading in capitals that goes on with it: ``CERTIFICAT`` / ``DE ACREDITARE``.
_CAPS_CONNECTIVE = re.compile(r"^(?:de|al|a|ale|pentru|privind|la|din|in|asupra)\s", re.IGNORECASE)
#: A line that ends on a word that cannot end a title: the title goes on below it.
_DANGLING = re.compile(r"\b(?:a|al|ale|de|din|si|privind|pentru|la|in|cu|asupra|catre|prin)\s*$", re.IGNORECASE)
#: A heading line that ends with a sitting, and the line under it that says what kind of sitting:
#: ``PROCES-VERBAL AL ȘEDINȚEI`` / ``ORDINARE DIN DATA DE 26.07.2012``.
_SITTING_END = re.compile(r"\bsedint(?:a|ei|ele|elor)\s*$", re.IGNORECASE)
_SITTING_KIND = re.compile(
    r"(?:extra)?ordinar[ae]\b|de\s+indata\b|festiv[ae]\b|solemn[ae]\b|de\s+constituire\b|publice?\b", re.IGNORECASE
)
#: A subject line that ends with an articled noun (``… organizarea și funcționarea``), and a line that
#: opens with a noun in the genitive (``Ministerului``, ``Agenției``, ``Consiliilor``): the one it names.
_ARTICLED_END = re.compile(r"\b[a-z]{3,}(?:rea|ul|ului|ile|ele)\s*$", re.IGNORECASE)
_GENITIVE_START = re.compile(r"[A-Z][a-z]{2,}(?:ului|ilor|elor|iei)\b")
_DATE_PHRASE = re.compile(r"^(?:din|de\s+la|pe)\s+(?:data\s+de\s+)?\S+(?:\s+\S+){0,2}\s*$", re.IGNORECASE)


#: A line that ends where a year must follow (``pentru anul școlar``), and a year (range) alone.
_YEAR_DUE = re.compile(
    r"\b(?:anul(?:\s+(?:scolar|universitar|calendaristic|bugetar|fiscal))?|anii(?:\s+(?:scolari|universitari))?"
    r"|exercitiul(?:\s+(?:financiar|bugetar))?|sezonul|campania|perioada)\s*$",
    re.IGNORECASE,
)
_YEAR_ALONE = re.compile(r"[ \t]*(?:19|20)\d\d(?:[ \t]*[-–/][ \t]*(?:19|20)\d\d)?[ \t.]*")
#: A short line naming the period a heading covers: ``pe anul 2017``, ``în semestrul I 2021``.
_PERIOD_LINE = re.compile(
    r"(?:pe|in|aferent\w*)\s+(?:anul|perioada|semestrul|trimestrul|luna)\b[^\n]{0,40}?\d{4}[ \t]*\Z", re.IGNORECASE
)


def _goes_on(line: Line, line_folded: str, previous_folded: str, blank: bool, in_subject: bool) -> bool:
    """Whether ``line`` goes on with the heading block above it (the previous line given folded).

    Without a blank line between: a subject word, ``încheiat``, ``al``/``a``, or a lower-case
    start (a title broken over lines). After a blank line, only a subject word, ``al``/``a``,
    ``încheiat`` before any subject, a lower-case line of the subject, a line under one that
    cannot end there (``… a`` / ``Consiliului Local …``), or a short date phrase (``din data de …``).
    A short line of the period covered (``pe anul 2017``) goes on either way.
    """
    lower = line.text[:1].islower()
    if _DANGLING.search(previous_folded) and len(line.text) <= MAX_TITLE:
        return True
    if _SITTING_END.search(previous_folded) and _SITTING_KIND.match(line_folded) and len(line.text) <= MAX_TITLE:
        return True  # ``PROCES-VERBAL AL ȘEDINȚEI`` / ``ORDINARE DIN DATA DE 26.07.2012``: the sitting's kind
    if _PERIOD_LINE.match(line_folded):
        return True  # ``Raport de activitate`` / ``pe anul 2017``: the period the heading covers
    if not blank and _YEAR_DUE.search(previous_folded) and _YEAR_ALONE.fullmatch(line_folded):
        return True  # ``… pentru anul școlar`` / ``2018-2019``: the year wrapped onto a line of its own
    if not blank and line_folded.lower().startswith("incheiat") and find_dates(previous_folded):
        return False  # ``al ședinței … din 13 noiembrie 2014`` / ``Încheiat azi 13 noiembrie 2014 …``: said already
    if not blank and in_subject and not lower and len(line.text) > MAX_TITLE:
        return False  # a paragraph under a subject begun: the preamble (``Pentru aplicarea prevederilor art. 24 …``)
    if not blank and in_subject and _ARTICLED_END.search(previous_folded) and _GENITIVE_START.match(line_folded):
        return True  # ``cu privire la organizarea și funcționarea`` / ``Ministerului Educației …``: whose, on the next line
    if not blank:
        return bool(_CONTINUATION.match(line_folded)) or lower or (in_subject and _wraps(previous_folded, line.text, line_folded))
    if line_folded.lower().startswith("incheiat"):
        return not in_subject
    if _CONTINUATION_AFTER_BLANK.match(line_folded):
        return True
    if lower and in_subject and len(line.text) <= 100 and len(line.text.split()) >= 2:
        return True
    return bool(_DATE_PHRASE.match(line_folded)) and _date_line(line_folded)


def _refine(name: str, heading: str) -> str:
    """``Minuta`` of a council's meeting is its proces-verbal; other minutes stay minutes."""
    if name == "minută" and re.search(r"\bsedint", fold(heading), re.IGNORECASE):
        return "proces-verbal"
    return name


@functools.cache
def _lossy_body() -> list[tuple[str, list[tuple[re.Pattern[str], float]]]]:
    """The body cues of :data:`_BODY` for a text whose diacritics were lost to ``?``."""
    return [(t.name, [(re.compile(_lossy(cue), re.IGNORECASE), w) for cue, w in t.body]) for t in DOCUMENT_TYPES]


def _cue_scores(folded: str) -> dict[str, float]:
    """Each type's score from its cue words in the body (quotations left out), in the order of the types."""
    body = _BODY if len(_LOST.findall(folded)) < LOST_MARKS else _lossy_body()
    own = _without_drafts(_without_quotations(folded))
    return {name: sum(weight * min(3, len(pattern.findall(own))) for pattern, weight in cues) for name, cues in body}


#: A field that names the acts a text rests on, on a line of its own: ``Temeiul legal:``, ``Baza legală:``.
_LEGAL_BASIS = re.compile(r"[\W_]*(?:temei(?:ul)?|baza)\s+legal[aă]?\s*:?[\W_]*$", re.IGNORECASE)
#: What follows an act's name in a list of acts: its number, then its subject (``nr. 156/12 03 2021 privind …``).
_LISTED_ACT = re.compile(rf"[ \t]*nr\b\.?[ \t]*\d[^\n]{{0,40}}?\b{_SUBJECT_WORD}\b", re.IGNORECASE)


def _listed_acts(text_lines: list[Line], index: int, folded: str) -> int | None:
    """Where a run of lines that each name a numbered act with its subject ends, if the line at ``index``
    opens one (the next line names another act so), else None."""
    def listed(at: Line) -> bool:
        line = folded[at.start : at.end]
        typed = _typed(line)
        if typed is None:
            return False
        after = typed[1].end()
        if issuer := _ISSUER_WORDS.match(line, after):
            after = issuer.end()
        return bool(_LISTED_ACT.match(line, after))

    if not listed(text_lines[index]):
        return None
    end = index
    while end + 1 < len(text_lines) and listed(text_lines[end + 1]):
        end += 1
    return end + 1 if end > index else None


#: A numbered row of one word: ``1 ORDON``.
_ROW_WORD = re.compile(r"[ \t]*\d+[ \t]+[^\W\d_]+[ \t]*$")


def _damaged_formula(line: str) -> bool:
    """A line that is ``HOTĂRĂȘTE:`` with one letter misread by OCR, and no Romanian word.

    >>> _damaged_formula("HoTIRASTE:"), _damaged_formula("HOTARASTE:"), _damaged_formula("Hotararea")
    (True, False, False)
    """
    word = line.strip().rstrip(":").strip().translate(_LETTER_DIGITS).lower()
    return (word.isalpha() and word != "hotaraste" and one_slip(word, "hotaraste")
            and not Lexicon.load().knows(word))


def body_type(folded: str, text_lines: list[Line] | None = None) -> tuple[str, float]:
    """The type of a document without a heading: its operative formula (``HOTĂRĂȘTE:``, 0.8; or
    closing a long line after the body that speaks it, ``…, Consiliul Local Selemet DECIDE:``),
    else the type its body's cue words suggest most (under 0.7); or ``altul``.

    >>> from arhiva.metadata.text import lines
    >>> text = ("Avand in vedere art. 14 din Legea nr. 436/2006 privind administratia publica locala pentru "
    ...         "necesitatile institutiilor publice, Consiliul Local Selemet DECIDE:\\n1. Se aproba consumul.")
    >>> body_type(text, lines(text))
    ('decizie', 0.8)
    >>> body_type(folded("Evaluarea se face după un grafic stabilit și comunicat de către inspectorat."))
    ('altul', 0.5)
    """
    for line in text_lines or ():
        if _DECIDED.search(folded, line.start, line.end):
            return "hotărâre", 0.8
        if len(line.text) > 120:
            for name, pattern in (*_OPERATIVE_TAIL, *_OPERATIVE_INSIDE):
                if pattern.search(folded, line.start, line.end):
                    return name, 0.8
            continue
        line_folded = collapse_spaced(folded[line.start : line.end])
        if _ROW_WORD.match(line_folded):
            continue  # a table's numbered row read as one word: ``1 ORDON`` (of ``ordonatorului``), no formula
        for name, pattern in _OPERATIVE:
            if pattern.match(line_folded):
                return name, 0.8
        if _damaged_formula(line_folded):
            return "hotărâre", 0.8
    if exam_paper(folded):
        return OTHER, 0.5  # an exam's paper: the words of its texts and questions are no cue to a type
    best, best_score = OTHER, 0.0
    for name, score in _cue_scores(folded).items():
        if score > best_score:
            best, best_score = name, score
    if best_score < 2.0:
        return OTHER, 0.5
    return best, min(0.7, 0.3 + 0.1 * best_score)


#: An exam's paper (``Toate subiectele sunt obligatorii. Se acordă 10 puncte din oficiu.``, ``Timpul de lucru
#: efectiv este de 3 ore.``), or its marking scheme (``Se punctează orice formulare …``).
_EXAM_PAPER = re.compile(
    r"\bse\s+acorda\s+\d+\s+puncte\s+din\s+oficiu\b|\btimpul\s+de\s+lucru\s+(?:efectiv\s+)?(?:este\s+de|:)\s+\d"
    r"|\btoate\s+subiectele\s+sunt\s+obligatorii\b",
    re.IGNORECASE,
)


def exam_paper(folded: str) -> bool:
    """Whether a (folded) text is an exam's paper or marking scheme: ``altul``, whatever its words."""
    return bool(_EXAM_PAPER.search(folded))


def _wraps(previous: str, line: str, line_folded: str) -> bool:
    """Whether ``line`` is the rest of ``previous``, a long line wrapped at the page's width."""
    return (
        len(previous) >= 70
        and not previous.rstrip().endswith((".", ";", ":", "!", "?"))
        and line[:1].isalpha()
        and not (line[:1].isupper() and (_ENDS_DATED.search(previous) or _PLACE_DATE.match(line_folded)))
        and not (_PREAMBLE.match(line_folded) or _SECTION.match(line_folded) or _INSTITUTIONAL.match(line_folded))
        and _typed(line_folded) is None
    )


#: A place and a date alone on a line (``București 27.11.2018``, ``BĂICOI, 25.03.2016``): a dateline, no title's.
_PLACE_DATE = re.compile(r"^(?-i:[A-Z])[\w-]+(?:[ -](?-i:[A-Z])[\w-]+){0,2},?[ \t]+\d{1,2}[./-]\d{1,2}[./-]\d{4}\.?[ \t]*$")
#: A line that ends on a date (``… începând cu data de 13 ianuarie 2021``): a capital below starts anew.
_ENDS_DATED = re.compile(r"\b\d{1,2}(?:[./-]\d{1,2}[./-]|\s+[^\W\d_]+\s+)\d{4}\s*$")
_SECTION = re.compile(r"^(?:sec[tț]iunea|capitolul|titlul|anexa|art(?:icolul|\.))\b", re.IGNORECASE)


def _blank_below(text: str, text_lines: list[Line], index: int) -> bool:
    """Whether a blank line sets line ``index`` off from the next one (a page's headline above its body)."""
    return index + 1 < len(text_lines) and text.count("\n", text_lines[index].end, text_lines[index + 1].start) > 1
