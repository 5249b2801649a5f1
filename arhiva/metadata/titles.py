"""The title of a document, as a registry clerk would write it.

The title is the heading block as a clerk would register it: type, number and
date, subject (``Dispoziția nr. 326 din 07.05.2021 privind convocarea …``), in
sentence case with the words' usual case restored from the body, comma-below
diacritics, blank number fields dropped. Without a heading, the first line
that reads as a title (not an institution, address or signature line, not
OCR debris).

The heading and its block come from :mod:`arhiva.metadata.types`.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import takewhile

from arhiva.metadata.dates import find_dates
from arhiva.metadata.doctypes import OTHER
from arhiva.metadata.text import HEADER_LINES, Line, collapse_spaced, folded
from arhiva.metadata.types import (
    DEBATED_CHARS,
    Heading,
    ISSUER_LINE,
    LONG_LINE,
    MAX_TITLE,
    RECASE_CHARS,
    _ANNOUNCING,
    _BLANK_FIELD,
    _CEDILLA,
    _CLAUSE_END,
    _CONTINUATION,
    _DRAFTED,
    _EDITORIAL,
    _HOUR,
    _INSTITUTIONAL,
    _MARGIN_DEBRIS,
    _ISSUER_NOUNS,
    _ISSUER_WORDS,
    _NUMBER_LINE_BELOW,
    _OBJECT,
    _OPENING_COLON,
    _PREAMBLE,
    _RESPACE,
    _SECTION,
    _SHORT_WORDS,
    _SUBJECT,
    _SUBJECT_AFTER_TYPE,
    _SUBJECT_WORD,
    _TITLE_END,
    _TYPE_WORDS,
    _WORD,
    _blank_below,
    _typed,
    _wraps,
)
from arhiva.romanian.calendar import MONTHS, WEEKDAYS
from arhiva.romanian.encoding import LEGACY_FONT
from arhiva.romanian.letters import fold
from arhiva.romanian.lexicon import Lexicon
from arhiva.romanian.stopwords import STOP_WORDS

#: A body that met, opening the preamble: ``Consiliul Local al Comunei …, jud. Sibiu, întrunit în şedinţă …``.
_CONVENED = re.compile(r"\b(?:intrunit|reunit)\w*\b", re.IGNORECASE)
#: Minutes whose first line opens with their formula: ``Încheiat astăzi, 26 septembrie 2019, în ședința …``.
_OPENED_MINUTE = re.compile(r"[ \t]*incheiat\w*\b[^\n]{0,80}?\bsedint", re.IGNORECASE)
#: The longest first line read as a release's headline though it ends with a full stop.
HEADLINE_CHARS = 100
#: The acts whose page may be titled by their subject alone.
_ACTS = ("hotărâre", "dispoziție", "decizie", "ordin")
#: The types whose page may be titled by its subject or headline alone.
_HEADLINED = (*_ACTS, "comunicat de presă", "anunț")


def title(
    text: str,
    text_lines: list[Line],
    folded: str,
    heading: Heading | None,
    number: str | None = None,
    date: str | None = None,
    doc_type: str = OTHER,
) -> str | None:
    """The document's title: its heading block as a clerk writes it, or its first line that reads
    as a title, or the name of its type.

    ``number`` and ``date`` are the document's own registration number and
    date as written, for a heading that does not carry them.
    """
    if heading is not None and heading.type == "anexă" and not heading.annex and (named_below := _annex_title(text_lines, folded, heading)):
        # ``ANEXA nr. 7`` / ``la normele metodologice`` / ``Criterii minime obligatorii`` / ``privind …``
        annex = _heading_title(text, text_lines, folded, heading, number, date)
        return _finish(f"{_cut(named_below)} ({annex})", text) if annex else _finish(_cut(named_below), text)
    if heading is not None:
        return _heading_title(text, text_lines, folded, heading, number, date)
    named = None if doc_type == OTHER else doc_type[:1].upper() + doc_type[1:]
    top = text_lines[:HEADER_LINES]
    if top and (published := _PUBLISHED_NOTICE.search(folded, top[0].start, top[0].end)):
        # ``AUTORITATEA …, publică anunțul privind organizarea concursului … în baza art. …``
        subject = text[published.start("subject") : top[0].end]
        end = _NOTICE_END.search(fold(subject))
        return _finish("Anunț " + _cut(subject[: end.start()] if end else subject), text)
    if doc_type == "adresă":
        # A letter without a heading: ``Adresă nr. 2642 din 16 septembrie 2008 în atenția reprezentanților …``
        said = f" nr. {number}" if number else ""
        if date and not re.search(r"\d{4}", said):
            said += f" din {date}"
        to = _addressee(text_lines, folded)
        return _finish(f"Adresă{said}" + (f" {to}" if to else ""), text)
    if doc_type == "proces-verbal" and top and _OPENED_MINUTE.match(folded, top[0].start, top[0].end):
        # minutes without their heading, opening ``Încheiat astăzi 26 septembrie 2019 … în ședința ordinară a …``
        said = re.sub(r",?\s+(?:ora|orele)\s+\d{1,2}(?:[.,:]\d\d)?\b", "", top[0].text.strip(), flags=re.IGNORECASE)
        clause = _CLAUSE_END.search(fold(said))
        said = said[: clause.start()] if clause else said
        return _finish("Proces-verbal " + said[:1].lower() + said[1:], text)
    # The issuer's lines come first, then the title: what stands above them is a logo or a stamp.
    # (A sentence that opens with an institution's name, ``Instituția prefectului a avut …``, is the body's.)
    # Only above the body's first paragraph: ``Biroul de presă`` signing a short release is no issuer's line.
    above_body = list(takewhile(lambda line: len(line.text) <= ISSUER_LINE, top))
    # A page's headline that opens with its issuer (``Primăria Focșani a reluat distribuirea …``,
    # ``PRIMĂRIA MEDGIDIA: AJUTOARE ALIMENTARE …``), set off by a blank line, is the headline, not an issuer's line.
    told = bool(above_body) and _told_headline(text, text_lines, folded)
    issuer = [i for i, line in enumerate(above_body) if _INSTITUTIONAL.match(folded[line.start : line.end])
              and not (told and i == 0)
              and not _CONVENED.search(folded, line.start, line.end)]  # not ``Consiliul Local …, întrunit …``
    for line in top[issuer[-1] + 1 if issuer else 0 :] or top:
        line_folded = folded[line.start : line.end]
        if _PREAMBLE.match(line_folded):
            break
        # a release's headline on the first line, set off by a blank line, may end with a full stop
        # (``Membrii Comisiei pentru Situații Excepționale … în ședință extraordinară.``)
        headline = (doc_type == "comunicat de presă" and line is text_lines[0] and len(line.text) <= HEADLINE_CHARS
                    and _blank_below(text, text_lines, 0))
        if _reads_as_title(line.text.rstrip(" .") if headline else line.text, line_folded, issuer_told=told and line is text_lines[0]):
            if doc_type == "anunț" and _ANNOUNCED.search(folded, 0, line.start) and (said := _announced(text, folded, 0)):
                return _finish("Anunț – " + said, text)  # ``… organizează concurs pentru …:`` / ``ECONOMIST GRADUL I …``
            found = _cut(line.text)
            if named and _SUBJECT.match(line_folded):
                found = f"{named} {found[:1].lower()}{found[1:]}"  # ``privind …`` under a heading the text lost
            elif doc_type in _HEADLINED and not _TYPE_WORDS[doc_type].match(re.sub(r"^[\W\d_]+", "", line_folded)):
                # a page titled by its subject: an act's (``Taxa specială de salubrizare``), a release's or a
                # notice's headline (``Controale în Piața Centrală``): the clerk writes the type before it
                head = _recase(found, text)  # a headline opens with a capital: ``Anunț – Primăria Medgidia: ajutoare …``
                found = f"{named} – {head[:1].upper()}{head[1:]}"
            return _finish(found, text)
    if doc_type == "comunicat de presă" and (meeting := _meeting(text, folded)):
        return _finish(f"Comunicat privind {meeting}" + (f" din {date}" if date else ""), text)
    if doc_type == "comunicat de presă" and (said := _held(text, folded, 0)):
        return _finish(f"Comunicat privind {said}", text)  # ``… a avut loc ședința de lucru a …``
    if doc_type == "comunicat de presă" and (said := _debated(text, folded, 0, 0)):
        return _finish("Comunicat de presă – " + _cut(said), text)  # ``… organizează … dezbaterea publică a Proiectului …``
    if doc_type == "anunț" and (said := _procedure(text, folded, 0)):
        return _finish("Anunț " + said, text)  # ``… anunță publicul interesat asupra luării deciziei etapei de încadrare …``
    if doc_type == "anunț" and (said := _announced(text, folded, 0) or _debated(text, folded, 0, 0)):
        return _finish("Anunț – " + _cut(said), text)
    if doc_type == "anunț" and (said := _held(text, folded, 0)):
        return _finish(f"Anunț privind {said}", text)  # ``… vă informează că … va avea loc Referendumul …``
    if doc_type in _TOLD_KINDS and top and (said := _first_sentence(top[0].text)):
        # a release or a notice that opens with its news, no headline: ``Agenția Națională de Administrare
        # Fiscală informează contribuabilii că termenul de depunere a Declarației unice este 25 mai 2020.``
        return _finish(f"{named} – {said}", text)
    if named and number and doc_type in _ACTS:
        # an act without a heading, its number and date on a line of their own: ``Nr. 208 din 31.10.2019``
        said = f" nr. {number}"
        if date and not re.search(r"\d{4}", said):
            said += f" din {date}"
        return _finish(named + said, text)
    return named


#: The kinds whose first sentence tells what they are about, when they have no heading.
_TOLD_KINDS = ("comunicat de presă", "anunț")
#: The most and fewest words of a first sentence taken for a title.
SENTENCE_CHARS = 220
SENTENCE_WORDS = 6


def _first_sentence(line: str) -> str | None:
    """The first sentence of a text's first line, if it is short enough to name the text.

    >>> _first_sentence("ANAF informează contribuabilii că termenul este 25 mai 2020. Acest formular se utilizează …")
    'ANAF informează contribuabilii că termenul este 25 mai 2020'
    >>> _first_sentence("Stimați cetățeni,") is None
    True
    """
    end = re.search(r"(?<=[^\W\d_]{3})[.!?](?=\s|$)|(?<=\d{4})\.(?=\s+[^\W\d_]|$)|:(?=\s|$)", line)
    sentence = line[: end.start()] if end else line
    if end is None and len(line) > SENTENCE_CHARS:
        return None
    sentence = sentence.strip()
    if len(sentence) > SENTENCE_CHARS or len(sentence.split()) < SENTENCE_WORDS:
        return None
    return sentence


#: A letter's addressee: ``CĂTRE`` / ``INSPECTORATELE ȘCOLARE …``, ``În atenția reprezentanților mass-media``.
_ADDRESSEE = re.compile(r"^[\W_]*(?P<word>catre|in\s+atentia)\b[\s:,]*(?P<rest>.*)$", re.IGNORECASE)
#: How many lines from the top a letter's addressee may stand.
ADDRESSEE_LINES = 15


def _addressee(text_lines: list[Line], folded: str) -> str | None:
    """A letter's addressee, as a title says it: ``către …`` or ``în atenția …`` (capitals lowered).

    >>> from arhiva.metadata.text import lines
    >>> text = "Nr. 1/02.03.2016\\nCĂTRE\\nINSPECTORATELE ȘCOLARE ALE SECTOARELOR\\nPrin prezenta, vă transmitem nota."
    >>> _addressee(lines(text), fold(text))
    'către inspectoratele școlare ale sectoarelor'
    """
    top = text_lines[:ADDRESSEE_LINES]
    for i, line in enumerate(top):
        found = _ADDRESSEE.match(folded[line.start : line.end])
        if not found:
            continue
        rest = line.text[found.start("rest") :].strip()
        if not rest and i + 1 < len(top):
            rest = top[i + 1].text.strip()
        if not rest or len(rest) > ISSUER_LINE:
            return None
        word = "către" if found.group("word").lower() == "catre" else "în atenția"
        return f"{word} {rest.lower() if rest.isupper() else rest}"
    return None


_NAME = r"(?-i:[A-Z])[\w-]+(?:[ \t](?-i:[A-Z])[\w-]+)?"
_COUNCIL = r"(?P<level{n}>raional|local|judetean|municipal|orasenesc)"
#: A press release without a headline telling of a council's meeting: ``… s-a desfășurat ședința
#: ordinară a Consiliului raional Ungheni``, ``Consiliul raional Cantemir, s-a întrunit … în ședință ordinară``.
_MEETING = re.compile(
    rf"\bsedint(?:a|ei)\s+(?P<kind1>ordinar|extraordinar)\w*\s+a\s+consiliului\s+{_COUNCIL.format(n=1)}\s+(?P<name1>{_NAME})"
    rf"|\bconsiliul\s+{_COUNCIL.format(n=2)}\s+(?P<name2>{_NAME})\s*,?\s+s-a\s+(?:intrunit|convocat)\b[^.]{{0,60}}?"
    r"\bin\s+sedint[ae]\s+(?P<kind2>ordinar|extraordinar)"
    r"|\bconsilierii\s+(?P<level3>raionali|locali|judeteni|municipali)\s+s-au\s+(?:intrunit|convocat)\b[^.]{0,60}?"
    r"\bin\s+sedint[ae]\s+(?P<kind3>ordinar|extraordinar)",
    re.IGNORECASE,
)
#: Whose councillors met (``… președintele raionului Sîngerei``), when the sentence names them only so.
_COUNCIL_OF = re.compile(rf"\b(?:raionului|comunei|orasului|municipiului|judetului)\s+(?P<name>{_NAME})", re.IGNORECASE)
#: A councillors' adjective and the council it names.
_COUNCIL_LEVEL = {"raionali": "raional", "locali": "local", "judeteni": "județean", "municipali": "municipal"}
#: How far into the text that meeting may be told.
MEETING_CHARS = 600


def _meeting(text: str, folded: str) -> str | None:
    """The council meeting a press release tells of, as a title's subject (``ședința ordinară a
    Consiliului raional Ungheni``), from its first sentences.

    >>> text = "Astăzi s-a desfășurat ședința ordinară a Consiliului raional Ungheni, cu 28 de consilieri."
    >>> _meeting(text, fold(text))
    'ședința ordinară a Consiliului raional Ungheni'
    """
    found = _MEETING.search(folded, 0, MEETING_CHARS)
    if found is None:
        return None
    n = next(n for n in (1, 2, 3) if found.group(f"kind{n}"))
    kind = "ordinară" if found.group(f"kind{n}").lower() == "ordinar" else "extraordinară"
    if n == 3:
        # ``consilierii raionali s-au întrunit în ședință ordinară`` … ``președintele raionului Sîngerei``
        named = _COUNCIL_OF.search(folded, 0, MEETING_CHARS)
        if named is None:
            return None
        level = _COUNCIL_LEVEL[found.group("level3").lower()]
        return f"ședința {kind} a Consiliului {level} {text[named.start('name') : named.end('name')]}"
    council = text[found.start(f"level{n}") : found.end(f"level{n}")] + " " + text[found.start(f"name{n}") : found.end(f"name{n}")]
    return f"ședința {kind} a Consiliului {council}"


#: An act named in the genitive just before a number: the number is that act's (``… implementării Legii
#: nr. 544/2001``), not the document's.
_CITED_BEFORE = re.compile(
    r"\b(?:legii|hotar[ai]rii|ordinului|ordonantei|deciziei|dispozitiei|h\.?g\.?|o\.?u\.?g\.?|h\.?c\.?l\.?)\s*\Z", re.IGNORECASE
)


def _own_nr(own: str) -> re.Match[str] | None:
    """The first ``nr. …`` of a heading's own part that is not a cited act's.

    >>> _own_nr("RAPORT de evaluare a implementării Legii nr. 544/2001 în anul 2025") is None
    True
    >>> _own_nr("HOTĂRÂREA nr. 5 din 12.03.2020").group()
    'nr. 5'
    """
    for match in re.finditer(r"\bnr\. \S+", own, re.IGNORECASE):
        if not _CITED_BEFORE.search(fold(own[: match.start()])):
            return match
    return None


def _heading_title(
    text: str, text_lines: list[Line], folded: str, heading: Heading, number: str | None, date: str | None
) -> str | None:
    own = _respace(_clean_own(heading.own_text))
    rest = re.sub(rf"^{_MARGIN_DEBRIS}", "", _BLANK_FIELD.sub(" ", heading.rest_text).strip())
    if number:
        number = _GLUED_DIN.sub(r"\1 \2", number)  # ``Nr. 2847din 25.03.2016`` in the header
    if heading.type == "anunț" and (typed := _typed(fold(own))) and typed[0] in _DRAFTED:
        # a notice that puts a draft to public debate: ``Anunț – proiectul de Ordin privind …``
        said = _debated(text, folded, heading.start, heading.end)
        return _finish(_cut("Anunț – " + (said or f"{own} {rest}".strip())), text)
    if heading.type in _NOTES and (section := _FIRST_SECTION.search(own)):
        # ``NOTĂ DE FUNDAMENTARE I. REGULAMENT privind …  II. Motivul …``: the draft in its first section
        rest = _on_draft((own[section.end() :] + " " + _NEXT_SECTION.split(rest, 1)[0]).strip())
        own = own[: section.start()].rstrip()
    rest = re.sub(rf"^{_OBJECT}\s*", "privind ", rest, flags=re.IGNORECASE)
    if (quoted := re.fullmatch(r"[„“\"]\s*((?:privind|pentru|cu\s+privire\s+la)\b.*?)\s*[”“\"]", rest, re.IGNORECASE | re.DOTALL)):
        rest = quoted.group(1)  # the subject in quotes: ``„Privind stabilirea regimului special de lucru”``
    rest = re.sub(r"^(\w+)\s*:\s+", lambda m: m.group(1) + " " if _SUBJECT.fullmatch(fold(m.group(1))) else m.group(), rest)
    # The clerk's order: type (and issuer), ``nr.``, ``din`` date; the document's own number
    # and date from elsewhere when the heading lacks them.
    own = re.split(r",\s+(?:ora|orele)\s+\d", own, maxsplit=1)[0]
    own_number = _own_nr(own)
    own = re.sub(r"\b(proces)\s+[-–—]\s*(verbal)\b", r"\1-\2", own, flags=re.IGNORECASE)  # ``PROCES - VERBAL``
    # the own date as written: ``din 25.03.2020``, ``încheiat azi 25.03.2020``, ``din 01.09. 2020``
    own_date = re.search(r"\b(?:din|azi|astazi|astăzi|la) (?:data de )?\d{1,2}(?:[./-] ?\d{1,2}[./-] ?|\s+\S+\s+)\d{4}", own, re.IGNORECASE)
    if own_number and own_date and own_date.start() < own_number.start():
        # ``HOTĂRÎRE 03.02.2013 Nr. 2`` → ``Hotărîre nr. 2 din 03.02.2013``
        moved = own[: own_date.start()].rstrip() + " " + own[own_date.end() :].lstrip()
        own = moved.replace(own_number.group(), f"{own_number.group()} {own_date.group()}", 1)
        own_number, own_date = _own_nr(own), re.search(re.escape(own_date.group()), own)
    date = " ".join(date.split()) if date else None
    if not (own_number or own_date or number) and rest and heading.last + 1 < len(text_lines):
        # ``H O T Ă R Î R E`` / ``privind …`` / ``Nr. 449-XIII din 05.05.95``: the number line under the subject
        below = _NUMBER_LINE_BELOW.match(text_lines[heading.last + 1].text)
        number = " din ".join(filter(None, below.group("number", "date"))) if below else None
    written_number = own_number.group() if own_number else number or ""
    carried = bool(re.search(r" din |/\d{1,2}\.\d{1,2}\.\d{4}", written_number, re.IGNORECASE))  # ``NR. 807 DIN 10.01.2022``
    if own_date or not date or date in " ".join(rest.split()) or re.sub(r"\s", "", date) in re.sub(r"\s", "", own):
        date = None  # the heading writes its date already, spaced its own way (``din 15 martie2022``)
    headline = "" if rest else _headline(text_lines, folded, heading) if heading.type in ("comunicat de presă", "anunț") else ""
    if headline and heading.type == "anunț" and _MADE_KNOWN.fullmatch(fold(headline)):
        headline = ""  # ``ANUNȚ`` / ``Aducem la cunoștința publicului`` / ``PROIECTUL DE HOTĂRÂRE`` / ``privind …``: what it names
    typed = _typed(fold(own))
    at = own_number.end() if own_number else own_date.start() if own_date else typed[1].end("type") if typed else len(own)
    if typed and not (own_number or own_date) and (issuer := _ISSUER_WORDS.match(fold(own), at)):
        at = issuer.end()  # after the issuer: ``Hotărîrea Guvernului Republicii Moldova din …``
    elif typed and not (own_number or own_date) and (kind := _KIND_WORDS.match(fold(own), at)):
        at = kind.end()  # after what kind of minute or report: ``Proces-verbal de afișare nr. …``
    if (typed and heading.type == "hotărâre" and not fold(own).lower().startswith("proiect")
            and not _ISSUER_WORDS.match(fold(own), typed[1].end("type")) and (council := _council(text))
            and fold(council.split()[0]).lower() not in fold(own).lower()):  # not ``Hotărâre a Guvernului`` again
        # the council that adopted it, as a clerk writes it: ``Hotărârea Consiliului Local al comunei Ulmi nr. 2 …``
        end = typed[1].end("type")
        word = own[:end].rstrip()
        word += "" if fold(word).lower().endswith("a") else ("A" if word.isupper() else "a")
        own = f"{word} {council}{own[end:]}"
        at += len(word) + 1 + len(council) - end
    insert = ""
    if number and not own_number:
        insert += f" nr. {number}"
    if date and not carried and not headline:
        insert += f" din {date}"
    if insert:
        own = (own[:at].rstrip() + insert + " " + own[at:].lstrip()).strip()
        own = re.sub(r"\s+([:,.])", r"\1", own)
    if headline and date and not carried:
        headline += f" din {date}"
    if not rest:
        rest = _subject_below(text_lines, folded, heading) or _subject_above(text_lines, folded, heading)
        if not rest and headline and fold(headline).lower() != fold(own).lower():  # a page that repeats its heading
            own = own.rstrip(" :") + (": " if own.rstrip().endswith(":") else " – ") + headline
        elif not rest and not headline and heading.type == "anunț" and (said := _procedure(text, folded, heading.end)):
            own = own.rstrip(" :") + " " + said  # ``Anunț`` / ``… anunță publicul interesat asupra luării deciziei …``
        elif (not rest and not headline and heading.type == "anunț" and (said := _announced(text, folded, heading.end))
              and not _says_again(own, said)):
            own = own.rstrip(" :") + " – " + said  # ``ANUNȚ`` / ``… organizează concurs pentru …``
        elif not rest and not headline and heading.type == "anunț" and (said := _debated(text, folded, heading.start, heading.end)):
            own = own.rstrip(" :") + " – " + said  # ``Anunț`` / ``… aduce la cunoștința publicului … proiect de hotărâre …``
        elif (not rest and not headline and heading.type in ("comunicat de presă", "anunț")
              and (said := _held(text, folded, heading.end)) and not _says_again(own, said)):
            own = own.rstrip(" :") + " privind " + said  # ``COMUNICAT`` / ``… va avea loc desemnarea …``
    if rest and _CONTINUATION.match(fold(rest)) and not rest.split(" ", 1)[0].isupper():
        rest = rest[:1].lower() + rest[1:]
    elif rest and own.rstrip().endswith(":"):
        rest = rest[:1].upper() + rest[1:]
    if opening := _OPENING_COLON.match(fold(rest)):
        rest = rest[: opening.end() - 1].rstrip() + " " + rest[opening.end() :].lstrip()  # ``privind: aprobarea …``
    rest = _HOUR.sub("", rest)  # ``încheiat azi 8.11.2023 ora 1100 cu ocazia ședinței …``
    clause = _CLAUSE_END.search(fold(rest))
    if clause:
        rest = rest[: clause.start()]
    joined = (own.strip() + " " + rest).strip()
    if heading.annex:
        joined += f" ({_finish(_clean_own(heading.annex), text)})"
    return _finish(_cut(joined), text)


#: What kind of document the type word is, when the heading says (``PROCES-VERBAL DE AFIȘARE``,
#: ``Raport de activitate``): the own number and date go after it.
_KIND_WORDS = re.compile(
    r"[ \t]+de[ \t]+(?!la\b|data\b)[^\W\d_]{4,}(?=[ \t]*$|[ \t]+(?-i:[A-Z]{3,})\b)",  # ``RAPORT DE ACTIVITATE DIRECTOR …``
    re.IGNORECASE,
)
_NAME_WORD = r"(?-i:[A-ZĂÂÎȘȚŞŢ])[^\W\d_]+(?:-(?-i:[A-ZĂÂÎȘȚŞŢ])[^\W\d_]+)*"
#: A local or county council named in a decision's header or preamble (``CONSILIUL LOCAL AL
#: COMUNEI POIANA MARE``, ``Consiliul Local al municipiului Pitești, întrunit …``,
#: ``Consiliul Județean Brașov``), its unit and name.
_COUNCIL = re.compile(
    r"\bconsiliul[ \t]+(?:(?P<local>local)[ \t]+al[ \t]+(?P<unit>comunei|orasului|municipiului|sectorului)[ \t]+"
    rf"|(?P<county>judetean)[ \t]+)(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}|\d)",
    re.IGNORECASE,
)
#: The Government as a decision's issuer: its line in the header (``GUVERNUL`` / ``GUVERNUL ROMÂNIEI``,
#: ``GUVERNUL REPUBLICII MOLDOVA``) or its formula (``Guvernul României adoptă prezenta hotărâre``,
#: ``Guvernul HOTĂRĂŞTE:``).
_GOVERNMENT = re.compile(
    r"^[ \t]*guvernul(?:[ \t]+(?:romaniei|republicii[ \t]+moldova))?[ \t]*$"
    r"|\bguvernul(?:[ \t]+(?:romaniei|republicii[ \t]+moldova))?[ \t]+(?:adopta[ \t]+prezenta[ \t]+hotarare|hotaraste)\b",
    re.IGNORECASE | re.MULTILINE,
)
#: How far into the text the council is looked for.
COUNCIL_CHARS = 2500


def _council(text: str) -> str | None:
    r"""The council a decision names first (in its header or its preamble), in the genitive a
    title takes: ``Consiliului Local al comunei Poiana Mare``, ``Consiliului Județean Brașov``.

    >>> _council("ROMÂNIA\nCONSILIUL LOCAL AL COMUNEI POIANA MARE\nHOTĂRÂREA nr. 5")
    'Consiliului Local al comunei Poiana Mare'
    >>> _council("HOTĂRÂRE\nConsiliul Județean Brașov, întrunit în ședință")
    'Consiliului Județean Brașov'
    >>> _council("HOTĂRÂRE\nConsiliul local a aprobat bugetul.") is None
    True
    >>> _council("Republica Moldova\nGUVERNUL\nHOTĂRÎRE Nr. 691\ndin 30.08.2017")
    'Guvernului'
    """
    head = folded(text[:COUNCIL_CHARS])  # letter for letter, so its offsets are the text's
    found = _COUNCIL.search(head)
    government = _GOVERNMENT.search(head)
    if government and (not found or government.start() < found.start()):
        return "Guvernului"
    if not found:
        return None
    name = " ".join(_name_case(w) for w in text[found.start("name") : found.end("name")].split())
    if found.group("county"):
        return f"Consiliului Județean {name}"
    unit = text[found.start("unit") : found.end("unit")].lower()
    return f"Consiliului Local al {unit} {name}"


def _name_case(word: str) -> str:
    """A place name's word in its usual case: ``POIANA`` → ``Poiana``, ``CLUJ-NAPOCA`` → ``Cluj-Napoca``."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")) if word.isupper() else word


def _respace(own: str) -> str:
    """Spaces back between the words of a letter-spaced type: ``PROIECTDEHOTĂRÂRE`` → ``PROIECT DE HOTĂRÂRE``."""
    own_folded = fold(own)
    for pattern in _RESPACE:
        match = pattern.match(own_folded)
        if match:
            groups = range(1, pattern.groups + 1)
            gaps = sorted({match.start(g) for g in groups if 0 <= match.start(g) == match.end(g)}, reverse=True)
            for gap in gaps:
                own = own[:gap] + " " + own[gap:]
            break
    return own


#: A number glued to the ``din`` of its date: ``2847din 25.03.2016``.
_GLUED_DIN = re.compile(r"(\d)(din)(?=\s)", re.IGNORECASE)
#: A number and, after its slash, a date with its month's name: ``4218/22 iunie 2017``.
_SLASH_TEXT_DATE = re.compile(rf"(\d)\s*/\s*(\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\s*,?\s*(?:19|20)\d\d)\b", re.IGNORECASE)


def _clean_own(own: str) -> str:
    """The heading's own part as a clerk writes it: ``nr.`` and ``din`` normalised, the first
    number only, blank and unreadable fields dropped.

    >>> _clean_own("HOTĂRÂRE A CONSILIULUI LOCAL NR. 343 DIN DATA DE 21.12.2023")
    'HOTĂRÂRE A CONSILIULUI LOCAL nr. 343 din 21.12.2023'
    >>> _clean_own("DISPOZIȚIA Nr./59 Data: _31,09 «0/9"), _clean_own("PROIECT HOTĂRÂRE NR.____")
    ('DISPOZIȚIA', 'PROIECT HOTĂRÂRE')
    >>> _clean_own("CONTRACT Nr. U.A.T. Ghimbav: 4881/08.04.2019 Nr. prestator: 44/08.04.2019")
    'CONTRACT nr. 4881/08.04.2019'
    >>> _clean_own("DECIZIE nr.4/1 19 martie 2021"), _clean_own("PROCES-VERBAL încheiat azi 25.03.2020")
    ('DECIZIE nr. 4/1 din 19 martie 2021', 'PROCES-VERBAL încheiat azi 25.03.2020')
    >>> _clean_own("ORDINUL nr. ........ din ............... 2021")
    'ORDINUL'
    >>> _clean_own("Anunț -audieri publice la data de 12.06.2023")
    'Anunț -audieri publice la data de 12.06.2023'
    >>> _clean_own("RAPORTUL nr. 2847din 25.03.2016")
    'RAPORTUL nr. 2847 din 25.03.2016'
    >>> _clean_own("PROCES VERBAL Nr. 65515 din 05.12,2018"), _clean_own("H O T Ă R Â R E A nr. 146 din 17 04 2003")
    ('PROCES VERBAL nr. 65515 din 05.12.2018', 'H O T Ă R Â R E A nr. 146 din 17.04.2003')
    >>> _clean_own("ORDIN nr. M.16 din 26 ianuarie 2016")
    'ORDIN nr. M.16 din 26 ianuarie 2016'
    >>> _clean_own("ORDIN Nr. 4218/ 22 iunie 2017 privind"), _clean_own("HOTĂRÂREA nr. 12/23 martie 2019")
    ('ORDIN nr. 4218 din 22 iunie 2017 privind', 'HOTĂRÂREA nr. 12 din 23 martie 2019')
    """
    own = re.split(r"\S*[«»_©®<>|■{}&]", own, maxsplit=1)[0]
    own = _GLUED_DIN.sub(r"\1 \2", own)  # ``nr. 2847din 25.03.2016``
    own = _SLASH_TEXT_DATE.sub(r"\1 din \2", own)  # ``Nr. 4218/ 22 iunie 2017``: the number, then its date
    own = re.sub(r"(\d)\s*/\s*(\d)", r"\1/\2", own)
    own = re.sub(r"(?<=[A-ZĂÂÎȘȚ]{3})(din|nr\.)(?=\s*\d)", r" \1", own)  # ``METODOLOGIEdin 22 februarie 2018``
    own = re.sub(r"\b(din|nr\.)(?=\d)", r"\1 ", own, flags=re.IGNORECASE)  # ``din11.09.2020``
    # the stop OCR lost between day and month (``Din data de 2907.2016``), as dates.py reads it
    own = re.sub(r"\b((?:din|de)\s+)([0-3]\d)([01]\d)[./]((?:19|20)\d\d)\b", r"\1\2.\3.\4", own, flags=re.IGNORECASE)
    # the stop between month and year left out or read as a comma (``din 25.05 2014``, ``din 05.12,2018``),
    # the fields set apart by spaces (``din 17 04 2003``)
    own = re.sub(r"\b((?:din|de)\s+)([0-3]?\d)\.([01]?\d)[ ,]((?:19|20)\d\d)\b", r"\1\2.\3.\4", own, flags=re.IGNORECASE)
    own = re.sub(r"\b((?:din|de)\s+)([0-3]\d) ([01]\d) ((?:19|20)\d\d)\b", r"\1\2.\3.\4", own, flags=re.IGNORECASE)
    # a number and its date written together after the issuer, without ``nr.``: ``Consiliului Local 404/27.07.2018``
    own = re.sub(r"(?<=[^\W\d_] )(?<!nr )(?<!nr\. )(\d{1,5}/\d{1,2}\.\d{1,2}\.\d{4})\b", r"nr. \1", own, flags=re.IGNORECASE)
    numbers = 0

    def number(match: re.Match[str]) -> str:
        nonlocal numbers
        numbers += 1
        # a series' letters may come first: ``nr. M.16`` (a ministry's order), ``nr. RG-12``
        valid = re.fullmatch(r"(?:[A-Z]{1,3}[.-])?\d[\w./-]*?", match.group(1).rstrip(".,;"))
        return f"nr. {match.group(1).rstrip('.,;')}" if valid and numbers == 1 else ""

    own = re.sub(
        r"\b(?:nr|numărul|numarul)\b\.?\s*(?:(?:[^\W\d_][^\s:]*\s*){1,3}:\s*)?(\d[\w./-]*[.,;]?|\S*)", number, own, flags=re.IGNORECASE
    )
    own = re.sub(r"\b(?:din\s+data\s+de|din\s+data\s*:?|data\s*:)\s*(?=\d)", "din ", own, flags=re.IGNORECASE)
    own = re.sub(r"\bdin\s+[.…_]{3,}(?:\s*[.…_\d]+)*", "", own, flags=re.IGNORECASE)  # a draft's blank date field
    # a period (``01.01.2015-31.07.2017`` under ``Raport de activitate``): not a date of issue
    own = re.sub(r"(?<![\w/.])(?<!din )(\d{1,2}\.\d{1,2}\.\d{4})\s*[-–]\s*(\d{1,2}\.\d{1,2}\.\d{4})\b",
                 r"pentru perioada \1–\2", own)
    own = re.sub(
        r"(?<![\w/.–])(?<!din )(?<!din)(?<!azi )(?<!astazi )(?<!astăzi )(?<!la )(?<!de )(?<!pe )(?<!perioada )"
        r"(\d{1,2}(?:[./-]\d{1,2}[./-]|\s+[^\W\d_]+\.?\s+)\d{4})\b",
        # not after its weekday (``ședințelor de marți 13 ianuarie 2025``)
        lambda m: m.group() if _AFTER_WEEKDAY.search(fold(own[: m.start()])) else f"din {m.group(1)}", own, flags=re.IGNORECASE
    )
    unread = next((m for m in re.finditer(r"\bdin\s+(?=\S*\d)", own) if not find_dates(fold(own[m.end() :]))), None)
    if unread:
        own = own[: unread.start()]  # ``din 31,09``: a date OCR could not read
    own = re.sub(r"(?:\s+(?:nr|din|data)\b[\s.:]*)+$", "", own, flags=re.IGNORECASE)
    own = re.sub(r"(\d)\.\s*$", r"\1", own)  # ``din 11.09.2020.``: the full stop is not the date's
    # the place after the date: ``ORDIN nr.29 25 martie 2020 mun. Orhei``
    own = re.sub(r"(\d{4})\s*,?\s+(?:mun|or|com|s|sat|orasul|orașul|municipiul)\.?\s+(?-i:[A-ZĂÂÎȘȚ])[\w-]+(?:\s+(?-i:[A-ZĂÂÎȘȚ])[\w-]+)?\s*$",
                 r"\1", own, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", own).strip(" ,")


_AFTER_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)}),?\s+\Z", re.IGNORECASE)


def _annex_title(text_lines: list[Line], folded: str, heading: Heading) -> str | None:
    """The title of an annex whose heading names only what it is annexed to: a short line under
    its block with the subject line that goes on with it (``Criterii minime obligatorii`` /
    ``privind încadrarea cu personal …``; ``F I Ș A`` / ``privind …`` under a form's fields), else
    the line just under the block when it reads as a title, else the line just above the heading
    when it does (a page that names the annex above its mark)."""
    below = text_lines[heading.last + 1 : heading.last + 1 + ANNEX_TITLE_LINES]
    for line, following in zip(below, below[1:]):
        line_folded = collapse_spaced(folded[line.start : line.end])
        if _PREAMBLE.match(line_folded) or len(line.text) > LONG_LINE:
            break
        if (
            len(line_folded) <= ISSUER_LINE
            and _WORD.search(line_folded)
            and not _INSTITUTIONAL.match(line_folded)
            and _SUBJECT.match(folded[following.start : following.end])
            and len(following.text) <= MAX_TITLE
        ):
            return collapse_spaced(line.text) + " " + following.text
    if below and not below[0].text.isupper() and _reads_as_title(below[0].text, folded[below[0].start : below[0].end]):
        return below[0].text
    above = text_lines[max(0, heading.line - ANNEX_ABOVE_LINES) : heading.line]
    if above and not above[-1].text.isupper() and _reads_as_title(above[-1].text, folded[above[-1].start : above[-1].end]):
        return above[-1].text  # ``Statutul Orașului Scornicești`` / ``ANEXĂ la HCL nr. 22/20.04.2016``: its name above
    return None


#: How many lines under an annex's heading its title is looked for in, and above it.
ANNEX_TITLE_LINES = 6
ANNEX_ABOVE_LINES = 1


def _subject_below(text_lines: list[Line], folded: str, heading: Heading) -> str:
    """A subject in the lines just below a heading block that has none: after a repeated
    bare heading (``DISPOZIȚIA`` / ``privind …``) or the title of the draft a report is about
    (``Proiect de hotărâre privind …``)."""
    for index in range(heading.last + 1, min(len(text_lines), heading.last + 4)):
        line = text_lines[index]
        line_folded = collapse_spaced(folded[line.start : line.end])
        if _PREAMBLE.match(line_folded):
            break
        found = _SUBJECT.match(line_folded)
        if not found:
            typed = _typed(line_folded)
            if typed is None:
                if len(line_folded) > 30 and not _SECTION.match(line_folded):
                    break  # a sentence begins: what follows is not the heading's subject
                continue
            name, prefix = typed
            found = _SUBJECT_AFTER_TYPE.match(line_folded, prefix.end())
            whole = _wrapped_on(text_lines, index, folded)
            if not found and heading.type in _NOTES and index + 1 < len(text_lines) and not re.sub(
                r"[\W_]", "", line_folded[prefix.end() :]
            ):
                # the draft's type alone on its line, its subject below: ``ORDONANȚĂ DE URGENȚĂ`` / ``pentru …``
                below = text_lines[index + 1]
                if _SUBJECT.match(folded[below.start : below.end]):
                    return _on_draft(line.text.strip() + " " + _wrapped_on(text_lines, index + 1, folded).strip())
            if not found:
                continue
            if _TYPE_WORDS[name].search(fold(heading.own_text)):
                # ``REFERAT … A PROIECTULUI DE HOTĂRÂRE`` / ``Proiect de hotărâre privind …``
                return whole[found.start("subject") :].strip()
            if heading.type in _NOTES:
                return _on_draft(whole.strip())
            return "– " + whole.strip()  # a draft's title under another heading: ``– Hotărâre a Guvernului pentru …``
        return _wrapped_on(text_lines, index, folded)[found.start() :].strip()
    return ""


#: A note's first section run into its heading's line: ``… I. REGULAMENT``; the next one: ``II. Motivul …``.
_FIRST_SECTION = re.compile(r"\s+(?:I|1)\.\s+(?=\S)")
_NEXT_SECTION = re.compile(r"\s+(?:II|2)\.\s+(?=[A-ZĂÂÎȘȚ])")
#: The papers that present a draft act, whose form names the draft in its first section
#: (``Secțiunea 1`` / ``Titlul proiectului de act normativ`` / ``Ordonanță de urgență …``).
_NOTES = ("notă de fundamentare", "expunere de motive")


def _on_draft(title: str) -> str:
    """``ORDONANȚĂ DE URGENȚĂ pentru …`` → ``la proiectul de Ordonanță de urgență pentru …``: a
    note's title names the draft it presents (its type word written as in a sentence).

    >>> _on_draft("ORDONANȚĂ DE URGENȚĂ pentru aprobarea Programului")
    'la proiectul de Ordonanță de urgență pentru aprobarea Programului'
    >>> _on_draft("Proiect de hotărâre a Guvernului privind x")
    'la proiectul de hotărâre a Guvernului privind x'
    """
    typed = _typed(fold(title))
    if typed is not None and title[: typed[1].end()].isupper():
        head = title[: typed[1].end()]
        title = head[:1] + head[1:].lower() + title[typed[1].end() :]
    title = re.sub(r"^proiect(?:ul)?\s+de\s+", "", title, flags=re.IGNORECASE)
    return "la proiectul de " + title


def _subject_above(text_lines: list[Line], folded: str, heading: Heading) -> str:
    """The subject on the line just above a heading that has none, as a page's title gives it
    (``Cu privire la stabilirea … taxelor locale`` / ``Decizia nr. 11/03 din 26.11.2010``)."""
    if heading.line == 0:
        return ""
    line = text_lines[heading.line - 1]
    line_folded = folded[line.start : line.end]
    if _SUBJECT.match(line_folded) and len(line.text) <= 2 * MAX_TITLE and not line.text.rstrip().endswith((".", ";", ":")):
        return line.text.strip()
    return ""


def _wrapped_on(text_lines: list[Line], index: int, folded: str) -> str:
    """Line ``index`` (letter-spacing joined) with the lines a full-width title wrapped onto:
    ``… în Adunarea`` / ``Generală a Asociaților …``."""
    parts = [text_lines[index].text]
    for following in text_lines[index + 1 : index + 3]:
        if not _wraps(parts[-1], following.text, folded[following.start : following.end]):
            break
        parts.append(following.text)
    return collapse_spaced(" ".join(parts))


def _headline(text_lines: list[Line], folded: str, heading: Heading) -> str:
    """The headline under a bare ``COMUNICAT DE PRESĂ``: a short line that is not a sentence."""
    for line in text_lines[heading.last + 1 : heading.last + 2]:
        line_folded = folded[line.start : line.end]
        if (
            len(line.text) <= 160
            and not line.text.rstrip().endswith((".", ",", ";"))
            and _reads_as_title(line.text, line_folded)
            and not re.search(r"\d{1,2}[./]\d{1,2}[./]\d{4}", line.text)
            and _cut(line.text) == line.text
            and not _ANNOUNCED.search(line_folded)  # the first sentence of the notice, broken at the page's width
        ):
            return line.text.strip()
    return ""


#: What a notice announces, in its first sentences: ``… organizează concurs pentru ocuparea unui post
#: vacant …``, ``Primăria … anunță deschiderea procedurii de transparență decizională …``.
_ANNOUNCED = re.compile(
    r"\b(?:organizeaza|anunta|lanseaza|declanseaza|desfasoara|deruleaza|scoate\s+la),?\s+(?:in\s+(?:perioada|data\s+de|ziua)\s+[^,;\n]{1,40},\s*"
    r"|la\s+sediul\b[^;:\n]{0,120}?,\s*)?"  # where: ``organizează la sediul instituției din …, concurs pentru …``
    r"(?:(?:un|o)\s+)?(?P<object>(?:concurs(?:ul|uri)?|licitati[ae]?|selecti[ae]?"
    r"|examen(?:ul|e)?|deschiderea|inceperea|initierea|lansarea|declansarea|organizarea|consultar(?:e|ea|i)|dezbater(?:e|ea|i)"
    r"|campania\s+de\s+(?:recrutare|selectie|inscriere)"  # ``desfășoară, în perioada …, campania de recrutare …``
    r"|procedur(?:a|ii|ile))\b)",
    re.IGNORECASE,
)
_LIST_FOLLOWS = re.compile(r",?\s+dupa\s+cum\s+urmeaza\b", re.IGNORECASE)
#: How far below a bare heading, or from the top, the announcing sentence is looked for.
ANNOUNCED_CHARS = 600


#: The formula of an environmental procedure's public notice (the forms of HG 445/2009 and Law
#: 292/2018): ``… titular al proiectului „…”, … anunță publicul interesat asupra luării deciziei etapei
#: de încadrare …``, ``… anunță publicul interesat despre inițierea procedurii privind „…”``.
_PUBLIC_INTERESTED = re.compile(
    r"\banunta\s+publicul\s+interes\w*\s+(?:asupra|despre|cu\s+privire\s+la|privind)\s+(?P<what>[^\W\d_]{4,}\b)",
    re.IGNORECASE,
)
#: Where the procedure's name stops: its authority, a clause, the project, punctuation.
_PROCEDURE_END = re.compile(
    r"\s+(?:de\s+catre|pentru|privind(?!\s+impactul)|in\s+cadrul|ca|conform|la|si)\b|\s*(?:[,.;:(„“”\"«»]|$)", re.IGNORECASE
)
#: A project's name in quotes (``„…”``, ``“…”``, ``,,…”``, ``«…»``), a line at most.
_QUOTED_NAME = re.compile(r"(?:„|“|,,|«|\")\s*(?P<name>(?:(?!,,)[^„“”\"«»\n]){3,200}?)\s*(?:”|“|»|\")")
#: How far before and after the formula the project's name is looked for, and how far from the top
#: the formula (a notice may open with the project's long description).
PROJECT_CHARS = 600
PROCEDURE_CHARS = 1500


def _procedure(text: str, folded: str, start: int) -> str | None:
    """What an environmental procedure's notice announces, in the nominative, and its project:
    ``privind luarea deciziei etapei de încadrare pentru proiectul „…”``.

    >>> text = ("Comuna Ulmi, titular al proiectului „Extindere rețea de apă”, propus a se realiza în comuna Ulmi, "
    ...         "anunță publicul interesat asupra luării deciziei etapei de încadrare de către APM Dâmbovița, că nu este necesară evaluarea.")
    >>> _procedure(text, folded(text), 0)
    'privind luarea deciziei etapei de încadrare pentru proiectul „Extindere rețea de apă”'
    >>> text = "Consiliul Județean anunță publicul interesat despre inițierea procedurii privind reabilitarea drumului."
    >>> _procedure(text, folded(text), 0)
    'privind inițierea procedurii'
    """
    found = _PUBLIC_INTERESTED.search(folded, start, start + PROCEDURE_CHARS)
    if not found:
        return None
    begin = found.start("what")
    end = _PROCEDURE_END.search(folded, begin, begin + MAX_TITLE)
    what = " ".join(text[begin : end.start() if end else begin + MAX_TITLE].split())
    if len(what.split()) < 2:
        return None
    first, _, others = what.partition(" ")
    if first.endswith("ării"):  # the genitive of a long infinitive: ``luării`` → ``luarea``
        first = first[:-4] + "area"
    elif first.endswith("rii"):  # ``depunerii``, ``emiterii``, ``inițierii``
        first = first[:-2] + "ea"
    said = f"privind {first[:1].lower()}{first[1:]} {others}"
    window = text[max(0, found.start() - PROJECT_CHARS) : found.end() + PROJECT_CHARS]
    named = next((m for m in _QUOTED_NAME.finditer(window)
                  if re.search(r"proiect\w*\W*$|privind\W*$", fold(window[max(0, m.start() - 30) : m.start()]), re.IGNORECASE)), None)
    if named:
        said += f" pentru proiectul „{named.group('name').strip(' ,')}”"
    return said


def _says_again(own: str, said: str) -> bool:
    """Whether a heading already says what the notice announces (its first three words)."""
    heading_words = set(fold(own).lower().split())
    return all(word in heading_words for word in fold(said).lower().split()[:3])


#: (its name may go on, after a line break, with its subject: ``PROIECTUL DE HOTARÂRE`` / ``privind aprobarea …``)
_DEBATED_DRAFT = re.compile(
    r"\bproiect(?:ul|ului)?\s+(?P<draft>(?:de|al|bugetului|privind)\s+"
    r"(?:[^.;\n]|\.(?=[ \t]*\d)|[ \t]*\n[ \t]*(?=(?:privind|pentru|cu\s+privire\s+la)\s)){10,})",
    re.IGNORECASE,
)
#: A notice's line that makes known what its next lines name: ``Aducem la cunoștința publicului``.
_MADE_KNOWN = re.compile(r"(?:aducem|aduce|se\s+aduce)\s+la\s+cunostint\w*(?:\s+[^\W\d_]+){0,3}\s*:?", re.IGNORECASE)
#: A draft named only by its kind, the name on the lines below: ``… următorul proiect de act normativ:``.
_GENERIC_DRAFT = re.compile(r"de\s+act\s+normativ\s*:?\s*", re.IGNORECASE)
#: A draft not named, a clause after its kind: ``… proiectul de hotarare care se posteaza pe site …``.
_RELATIVE_AFTER_KIND = re.compile(r"(?:de|al)\s+[^\W\d_]+\s+(?:care|ce)\b", re.IGNORECASE)
#: Where a debated draft's name ends: what comes with it, where it is shown, who initiated it
#: (``…, însoțit de referatul …``, ``…, care sunt afișate la avizier``, ``… – inițiator viceprimar …``).
_DRAFT_END = re.compile(r",?\s+(?:insotit\w*|care\w*|inregistrat\w*|afisat\w*|publicat\w*)\b|\s+[–-]\s+initiator\w*\b", re.IGNORECASE)


def _debated(text: str, folded: str, start: int, end: int) -> str | None:
    """The draft a notice puts to public debate, as its sentence near ``start``–``end`` (its
    heading) names it: ``… supune dezbaterii publice proiectul de Ordin privind …``, ``… aduce la
    cunoștința publicului textul următorului proiect de act normativ: …`` → ``proiectul de …``."""
    formula = _ANNOUNCING.search(folded, max(0, start - DEBATED_CHARS), end + DEBATED_CHARS)
    if formula is None:
        return None
    found = _DEBATED_DRAFT.search(folded, formula.end(), formula.end() + 120 + MAX_TITLE)
    if found is None or found.start() > formula.end() + 120:
        return None
    if _GENERIC_DRAFT.fullmatch(folded, found.start("draft"), found.end("draft")):
        # ``… următorul proiect de act normativ:`` / ``Proiect de hotărâre privind …``: the draft is named below
        found = _DEBATED_DRAFT.search(folded, found.end(), found.end() + 300 + MAX_TITLE) or found
    if _RELATIVE_AFTER_KIND.match(folded, found.start("draft")):
        return None  # which draft, it does not say
    end = _DRAFT_END.search(folded, found.start("draft"), found.end("draft"))
    draft = " ".join(text[found.start("draft") : end.start() if end else found.end("draft")].split())
    kind = re.match(r"(?:[^\W\d_a-zăâîșț]{2,}\s+)+", draft)  # a heading's capitals: ``DE HOTĂRÂRE nr. 121``
    return "proiectul " + (kind.group().lower() + draft[kind.end() :] if kind else draft)


def _announced(text: str, folded: str, start: int) -> str | None:
    """The object of the sentence that announces a notice, cut where its subject ends.

    >>> text = "Palatul Copiilor, cu sediul în Vaslui, organizează concurs pentru ocuparea unui post vacant de îngrijitor."
    >>> _announced(text, fold(text), 0)
    'concurs pentru ocuparea unui post vacant de îngrijitor'
    >>> text = "Școala Gimnazială Nr. 2 organizează în perioada 06.11.2025-05.12.2025, concurs pentru ocuparea funcției de secretar."
    >>> _announced(text, fold(text), 0)
    'concurs pentru ocuparea funcției de secretar'
    >>> text = "DGASPC Vaslui desfășoară, în perioada mai-iunie 2020, campania de recrutare a asistenților maternali."
    >>> _announced(text, fold(text), 0)
    'campania de recrutare a asistenților maternali'
    """
    found = _ANNOUNCED.search(folded, start, start + ANNOUNCED_CHARS)
    if not found:
        return None
    said = _object_text(text, folded, found.start("object"))
    end = _NOTICE_END.search(fold(said))
    said = said[: end.start()] if end else said
    listed = _LIST_FOLLOWS.search(fold(said))  # ``… a 5 posturi de asistent medical, după cum urmează``
    said = _cut(said[: listed.start()] if listed else said).strip(" ,–-")
    return said if len(said.split()) >= 3 else None


#: What a release or notice says took or will take place, in its first sentences: ``… va avea loc
#: desemnarea, prin tragere la sorți, a …``, ``… a avut loc ședința ordinară a …``. The object is a
#: noun with its article, not a time or place (``a avut loc, în sala …``).
_HELD = re.compile(
    r"\b(?:va|vor|au?)\s+(?:avea|avut)\s+loc\s+(?P<object>(?!(?:in|la|pe|cu|din|de|intre|incepand|ora|orele|astazi|azi|maine|ieri)\b)"
    r"[^\W\d_]{3,}(?:ul|ea|a|le)\b)",
    re.IGNORECASE,
)
#: Where what took place stops being named: a clause about it (``…, în cadrul căreia …``).
_HELD_END = re.compile(
    r",\s+(?:in\s+cadrul|la\s+care|unde|cand|care|ocazie|cu\s+participarea|prilej|(?:a|au)\s+fost|s-(?:a|au))\b", re.IGNORECASE
)


_OBJECT_STOP = re.compile(r"[;•]")


def _object_text(text: str, folded: str, start: int) -> str:
    """What a sentence's object says from ``start``, up to a ``;`` or a bullet, at most
    :data:`MAX_TITLE` characters (read past the window the sentence was found in)."""
    stop = _OBJECT_STOP.search(folded, start, start + MAX_TITLE)
    return " ".join(text[start : stop.start() if stop else start + MAX_TITLE].split())


def _held(text: str, folded: str, start: int) -> str | None:
    """What a release or notice without a subject says takes place, cut where its subject ends.

    >>> text = "Vă aducem la cunoștință că în ziua de 3 octombrie 2008, la ora 8.00, va avea loc desemnarea, prin tragere la sorți, a președintelui biroului electoral."
    >>> _held(text, fold(text), 0)
    'desemnarea, prin tragere la sorți, a președintelui biroului electoral'
    >>> text = "Astăzi a avut loc, în sala mare, ședința consiliului."
    >>> _held(text, fold(text), 0) is None
    True
    """
    found = _HELD.search(folded, start, start + ANNOUNCED_CHARS)
    if not found:
        return None
    said = _object_text(text, folded, found.start("object"))
    for end in (_NOTICE_END.search(fold(said)), _HELD_END.search(fold(said))):
        said = said[: end.start()] if end else said
    said = _cut(said).strip(" ,–-")
    return said if len(said.split()) >= 3 else None


#: The issuer's sentence that opens a notice without a heading: ``…, publică anunțul privind …``.
_PUBLISHED_NOTICE = re.compile(
    rf"^[^.;:]{{0,160}}?,?\s\b(?:publica|afiseaza)\s+anuntul\s+(?P<subject>{_SUBJECT_WORD}\b)", re.IGNORECASE
)
#: Where that notice's subject ends: its legal basis or the end of the sentence.
_NOTICE_END = re.compile(r"\s(?:in\s+baza|in\s+temeiul|conform|potrivit|in\s+conformitate)\b|[.;:!?](?:\s|$)", re.IGNORECASE)
#: A news item's credit line: ``Text și imagini: …``, ``Foto: …``, ``Sursa: …``.
_CREDIT = re.compile(r"^\s*(?:text(?:\s+si\s+(?:imagini|foto))?|foto(?:grafii)?|sursa|autor|redactor)\s*:", re.IGNORECASE)
#: A form's field with its value: ``Data publicării anunțului: 30.09.2024``, ``Număr dosar: 123/2024``.
_FIELD = re.compile(r"^\s*[^\W\d_]+(?:\s+[^\W\d_]+){0,4}\s*:\s*[\d][\d\s./,:-]*(?:ora\s+[\d.:]+)?\s*$", re.IGNORECASE)


_UPPER = "A-ZĂÂÎȘȚŞŢ"
_LOWER = "a-zăâîșțşţ"
#: A signatory's name as a signature block writes it: a title's abbreviation, given names, the
#: surname in capitals (``Ec. Gabriela COȚA``, ``Jr. Ana-Maria POP``, ``Ion POPESCU``), perhaps after
#: the office it signs for (``Judecător, Ana POP``).
_SIGNATORY = re.compile(
    rf"^\s*(?:[{_UPPER}][{_LOWER}]+\s*,\s*)?(?:(?i:ec|ing|jr|dr|prof|av|ref|insp|cons|ms|sing|prof\.\s*univ)\.\s*)?"
    rf"[{_UPPER}][{_LOWER}]+(?:[- ][{_UPPER}][{_LOWER}]+)*\s+[{_UPPER}]{{2,}}(?:[- ][{_UPPER}]{{2,}})*\s*$"
    # a name after a chain of titles: ``Prof. univ. dr. ing. Lucian P. Georgescu``
    rf"|^\s*(?:(?i:prof|conf|lect|asist|univ|dr|ing|ec|jr|av|arh|med|col|cpt|mr|lt|ss)\.\s*){{1,5}}"
    rf"[{_UPPER}][{_LOWER}]+(?:[- ]+(?:[{_UPPER}]\.|[{_UPPER}][{_LOWER}]+)){{1,4}}\s*$",
)


#: A print driver's page header: the program and the file printed (``Microsoft Word - ordin.doc``).
_PRINT_HEADER = re.compile(
    r"^\s*(?:microsoft\s+(?:word|excel|powerpoint)\s*-|\S.*\.(?:docx?|xlsx?|odt|rtf|pdf)\s*$)", re.IGNORECASE
)


#: A headline that opens with its issuer and tells what it did or says (``Primăria Focșani a reluat …``,
#: ``Consiliul Județean a semnat …``, ``PRIMĂRIA MEDGIDIA: AJUTOARE ALIMENTARE …``, ``Consiliul Raional
#: Șoldănești lansează consultarea publică``): a past participle after ``a``/``au``/``s-a``/``s-au``, a verb
#: that announces, or a colon and words, after the institution's name.
_ISSUER_TELLS = re.compile(
    rf"[\W\d_]*(?:{_ISSUER_NOUNS}|prefectul|guvernul)\b[^:\n]{{0,80}}?"
    r"(?::[ \t]+[^\W\d_]{2,}[ \t]+[^\W\d_]{2,}|[ \t](?:a|au|s-a|s-au)[ \t]+[^\W\d_]{2,}(?:at|it|ut|as|is|us)\b"
    r"|[ \t](?:anunta|informeaza|lanseaza|organizeaza|invita|convoaca|demareaza|avertizeaza|reaminteste)\b)",
    re.IGNORECASE,
)


def _told_headline(text: str, text_lines: list[Line], folded: str) -> bool:
    r"""Whether the first line is a headline that opens with its issuer: one line, set off by a blank
    line, no longer than an issuer's line, not a sentence that ends there.

    >>> from arhiva.metadata.text import lines
    >>> text = "Primăria Focșani a reluat distribuirea produselor POAD\n\nDin data de 4 martie 2021 a început livrarea."
    >>> _told_headline(text, lines(text), folded(text))
    True
    >>> text = "PRIMĂRIA MUNICIPIULUI FOCȘANI\n\nDin data de 4 martie 2021 a început livrarea."
    >>> _told_headline(text, lines(text), folded(text))
    False
    """
    first = text_lines[0]
    return (
        len(first.text) <= ISSUER_LINE
        and not first.text.rstrip().endswith((".", ",", ";", ":"))
        and _blank_below(text, text_lines, 0)
        and bool(_ISSUER_TELLS.match(folded, first.start, first.end))
    )


def _reads_as_title(line: str, line_folded: str, issuer_told: bool = False) -> bool:
    """A line that could be a title: words, not an institution, address, signature or debris line
    (an institution's line may be, with ``issuer_told``: a headline that opens with its issuer).

    >>> _reads_as_title("Ec. Gabriela COȚA", "ec. gabriela cota")
    False
    """
    words = _WORD.findall(line)
    if len(words) < 2 or len(line) > LONG_LINE or (_INSTITUTIONAL.match(line_folded) and not issuer_told) or _SIGNATORY.match(line):
        return False
    if len(words) <= 2 and line.upper() == line:
        return False  # a place or an office in capitals: ``ORAȘ BĂICOI``
    if re.match(r"\s*(?:[-–—•►*]|\d+[.)]|[a-z]\)|[IVX]+\.\s)", line) or line.rstrip().endswith((":", ";", ",")):
        return False  # an item of a list, a line that goes on
    if _PREAMBLE.match(line_folded) or _TITLE_END.match(" " + line_folded):
        return False  # the body's preamble: ``Având în vedere …``
    if line.rstrip().endswith(".") and len(words) >= 6:
        return False  # a sentence of the body
    if re.search(r"@|www\.|\btel\b|\bfax\b|signed\s+by|\bdate:|reason:", line_folded, re.IGNORECASE) or _FIELD.match(line_folded) or _CREDIT.match(line_folded):
        return False  # contacts, a signature's stamp, a form's field, a credit line
    if _PRINT_HEADER.match(line_folded):
        return False  # the header a printer driver wrote: ``Microsoft Word - ordinul nr.220 din anexele.doc``
    if _ADDRESSEE.match(line_folded):
        return False  # whom it is for: ``ÎN ATENȚIA ELEVILOR!``, ``Către Consiliul Local``
    if _LINK_CAPTION.search(line_folded):
        return False  # a link's caption: ``Atașat – model de DECLARAȚIE``, ``… poate fi descărcată de aici``
    return _wordlike(words)


def _wordlike(words: list[str]) -> bool:
    """Most words look like words (vowels, not all one letter), and words in lower case are mostly
    Romanian words (by their letters): OCR debris from stamps and logos (``vssevaenanoe
    oastaovianeneeaneona``, ``ante zaceteasouauca``) is not.

    >>> _wordlike(["vssevaenanoe", "oastaovianeneeaneona", "see"]), _wordlike(["privind", "aprobarea", "bugetului"])
    (False, True)
    >>> _wordlike(["Pe", "septembrie", "se", "va", "sărbători", "Ziua", "Mangaliei"])
    True
    """
    good = [w for w in words if (len(w) >= 3 and re.search(r"[aeiouăâîAEIOUĂÂÎ]", w) and not re.search(r"(.)\1\1", w.lower()))
            or (len(w) == 2 and w.lower() in STOP_WORDS and not w.isupper())]  # ``pe``, ``se``, ``va``, ``în``: words too
    if len(good) < max(2, 0.6 * len(words)):
        return False
    lower = [w for w in good if w.islower()]
    lexicon = Lexicon.load()
    return sum(len(w) for w in lower if lexicon.knows(w)) * 2 >= sum(len(w) for w in lower)


def _cut(title: str) -> str:
    found = _TITLE_END.search(fold(title))
    if found:
        title = title[: found.start()]
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE].rsplit(" ", 1)[0]
    return title


def _finish(title: str, text: str) -> str | None:
    """Sentence case with each word's usual case, comma-below diacritics, no editorial marks."""
    title = _EDITORIAL.sub("", title).translate(_CEDILLA)
    title = re.sub(r"[{}]", "", title)  # a scan's debris: ``… în lei, {veniturile din arendă …``
    title = re.sub(r"\s+", " ", title).strip(" \t-–—:;,")
    title = re.sub(r"(?<=[a-zăâîșț]{3})\.$", "", title)  # a sentence's full stop, not an abbreviation's
    title = re.sub(r"\b(din|data de)(?=\d)", r"\1 ", title, flags=re.IGNORECASE)  # ``din data de16 august``
    title = re.sub(r"(?<=\d )DIN(?= \d)", "din", title)  # ``NR.982`` / ``DIN 28.06.2021`` on lines of their own
    if title.count("”") > title.count("„") + title.count("“"):
        title = re.sub(r"\s*”(?=\s|$)", "", title, count=1)
    if not title:
        return None
    title = _LEGACY_WORD.sub(_legacy_letters, title)
    title = _recase(title, text)
    title = re.sub(r"(?<=\w[ ,] )(Privind|Pentru)\b|(?<=\w )(Privind|Pentru)\b", lambda m: m.group().lower(), title)
    return title[:1].upper() + title[1:]


_VOWELS = frozenset("aeiouyăâî")
#: A word, perhaps with a letter of a pre-Unicode Romanian font (``Hotãrârea``, ``ºedinþa``) left by the clean-up
#: where a document has too few of them to be taken for that font (a letter-spaced heading's ``H O T Ã R Â R E A``).
_LEGACY_WORD = re.compile(r"[^\W\d_]+")
_LEGACY_LETTERS = str.maketrans(LEGACY_FONT)
#: The fewest letters of a word mapped so (never ``São`` → ``Său``).
LEGACY_WORD_LETTERS = 5


def _legacy_letters(match: re.Match[str]) -> str:
    """The word with a legacy font's letters mapped, when that spells a word the lexicon has and the word did not.

    >>> _LEGACY_WORD.sub(_legacy_letters, "Hotãrârea nr. 69 din São Paulo")
    'Hotărârea nr. 69 din São Paulo'
    """
    word = match.group()
    mapped = word.translate(_LEGACY_LETTERS)
    if mapped == word:
        return word
    lexicon = Lexicon.load()
    if len(word) >= LEGACY_WORD_LETTERS and lexicon.count(mapped.lower()) and not lexicon.count(word.lower()):
        return mapped
    return word


#: A web page's caption of a link to a file: ``Atașat – model de declarație``, ``Descarcă formularul``,
#: ``Nota … poate fi descărcată de aici``, ``Click aici``.
_LINK_CAPTION = re.compile(
    r"^\s*(?:atasat|atasament|anexat|descarca|download|click|clic|vezi\s+(?:aici|atasament))\b"
    r"|\bpo(?:ate|t)\s+fi\s+(?:descarcat|consultat|vizualizat|accesat)\w*\s+(?:de\s+)?aici\b|\b(?:click|clic)\s+aici\b",
    re.IGNORECASE,
)
#: What stands before a word that opens a sentence or a line.
_SENTENCE_START = re.compile(r"(?:[.!?]\s+|\n[ \t•·*-]*)\Z")


def _recase(title: str, text: str) -> str:
    """Words set in capitals take the case they usually have in the text (``CONSTANȚA`` →
    ``Constanța``, ``PRIVIND`` → ``privind``): the first word, and words in a run of capitals.
    Acronyms (``RATBV``, ``SA``, ``R.A.E.D.P.P.``) stay.

    >>> _recase("HOTĂRÂREA nr. 45 PRIVIND BUGETUL LOCAL AL ORAȘULUI DEJ", "bugetul local al Orașului Dej privind")
    'hotărârea nr. 45 privind bugetul local al Orașului Dej'
    >>> _recase("Întâlnirea Grupului Local URBACT", "")
    'Întâlnirea Grupului Local URBACT'
    >>> _recase("HCL nr. 16 PRIVIND APROBAREA BUGETULUI", "")
    'HCL nr. 16 privind aprobarea bugetului'
    >>> _recase("SE DEPUN CERERILE PENTRU BURSE", "Cererile se depun la secretariat. Bursele se acordă lunar.")
    'se depun cererile pentru burse'
    """
    words = list(_WORD.finditer(title))
    capitals = [m.group().isupper() for m in words]
    # A run of words in capitals, across short lower-case words and numbers (``ANEXA nr. 5 La PROIECT``).
    bridge = [not c and len(m.group()) <= 2 for c, m in zip(capitals, words)]

    def run(i: int) -> int:
        count, j = 0, i
        while j >= 0 and (capitals[j] or bridge[j]):
            count, j = count + capitals[j], j - 1
        j = i + 1
        while j < len(words) and (capitals[j] or bridge[j]):
            count, j = count + capitals[j], j + 1
        return count

    needed = {m.group().lower() for i, m in enumerate(words) if capitals[i]}
    forms: dict[str, Counter[str]] = {}
    if needed:
        words_re = (re.escape(w).replace("ș", "[șş]").replace("ț", "[țţ]") for w in sorted(needed, key=len, reverse=True))
        pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(words_re)})(?![^\W\d_])", re.IGNORECASE)
        for match in pattern.finditer(text, 0, RECASE_CHARS):
            form = match.group().translate(_CEDILLA)
            # a capital that opens a sentence or a line says nothing of the word's usual case
            opening = match.start() == 0 or _SENTENCE_START.search(text, max(0, match.start() - 4), match.start())
            if not form.isupper() and not (opening and form[:1].isupper()):
                forms.setdefault(form.lower(), Counter())[form] += 1
    out, last = [], 0
    for i, match in enumerate(words):
        word = match.group()
        leading = all(capitals[: i + 1])
        glued = match.start() > 0 and title[match.start() - 1].isalnum()
        if capitals[i] and not glued and (leading or run(i) >= 3):
            seen = forms.get(word.lower())
            dotted = len(word) <= 2 and title[match.end() : match.end() + 1] == "."
            if dotted or not _VOWELS.intersection(word.lower()):
                pass  # an acronym: ``R.A.E.D.P.P.``, ``HCL``, ``CJ`` (no Romanian word is without a vowel)
            elif word.lower() in STOP_WORDS or word.lower() in _SHORT_WORDS:
                word = word.lower()
            elif seen:
                word = seen.most_common(1)[0][0]
            elif not (len(word) <= 3 and not leading):
                word = word.lower()
        out.append(title[last : match.start()] + word)
        last = match.end()
    return "".join(out) + title[last:]
