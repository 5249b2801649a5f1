"""Document metadata from Romanian text: its own date, type, title, references and names.

One pure entry point, :func:`extract`, which never raises and does no I/O.
The rules are in docs/metadata.md; the Romanian vocabulary behind them
(months, document types, acts, roles) is in :mod:`arhiva.romanian.calendar`
and :mod:`arhiva.metadata.doctypes`.

>>> meta = extract("HOTĂRÂREA nr. 45 din 29 aprilie 2021\\nprivind aprobarea bugetului local\\n\\n"
...                "Având în vedere Legea nr. 273/2006 privind finanțele publice locale...")
>>> meta.date, meta.type, meta.title
('2021-04-29', 'hotărâre', 'Hotărârea nr. 45 din 29 aprilie 2021 privind aprobarea bugetului local')
>>> [(r.kind, r.number, r.year, r.own) for r in meta.references]
[('hotărâre', '45', 2021, True), ('lege', '273', 2006, False)]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from arhiva.metadata import dates as _dates
from arhiva.metadata.classifier import fallback_type
from arhiva.metadata.doctypes import OTHER
from arhiva.metadata.entities import institutions_and_projects, people
from arhiva.metadata.model import DateMention, Entity, Metadata, Person, Reference
from arhiva.metadata.references import REGISTRATION, annexed_own, find_references
from arhiva.metadata.text import cover_end, folded, header_end, lines
from arhiva.metadata.titles import title
from arhiva.metadata.types import body_type, exam_paper, find_heading, gazette_act, subject_end
from arhiva.romanian.letters import fold

__all__ = ["DateMention", "Entity", "Metadata", "Person", "Reference", "extract"]

log = logging.getLogger(__name__)

#: Longer texts are read up to here: a document's metadata is in its first pages.
MAX_CHARS = 200_000


def extract(text: str, unsure: Sequence[tuple[str, str]] = ()) -> Metadata:
    """The metadata of one document's (cleaned) text. Never raises: on an internal
    error it logs it and returns what is known (an empty :class:`Metadata` at worst).

    ``unsure`` are readings OCR was unsure of, each a word with a figure in it and the
    word after it on its line (:func:`arhiva.ingest.page.unsure_figures`): a date read
    from one is never the document's own, only ``possible`` (a day written by hand),
    unless the same date is also written, and read surely, elsewhere in the text.
    """
    try:
        return _extract(text if isinstance(text, str) else str(text), tuple(unsure))
    except Exception:  # noqa: BLE001 - metadata must never stop an ingest
        log.exception("metadata extraction failed")
        return Metadata()


def _unsure_date(text: str, start: int, end: int, unsure: tuple[tuple[str, str], ...]) -> bool:
    """Whether the date written at ``text[start:end]`` holds a reading OCR was unsure of: a word of
    it (its punctuation aside) with the word after it, or a whole date written as one word.

    >>> _unsure_date("Nr. 1532 din 4 octombrie 2009", 13, 29, (("4", "octombrie"),))
    True
    >>> _unsure_date("la 4 octombrie 2009, ora 4", 3, 19, (("4", ""),))
    False
    >>> _unsure_date("Cluj, 01.10.2009", 6, 16, (("01.10.2009", ""),))
    True
    """
    words = [w.strip(".,;:()") for w in text[start:end].split()]
    for word, after in unsure:
        word, after = word.strip(".,;:()"), after.strip(".,;:()")
        for i, mine in enumerate(words):
            if mine and mine == word:
                following = words[i + 1] if i + 1 < len(words) else ""
                if len(words) == 1 or (after and fold(after).lower() == fold(following).lower()):
                    return True
    return False


def _extract(text: str, unsure: tuple[tuple[str, str], ...] = ()) -> Metadata:
    # A page break (form feed) also ends a line: ``\fBucurești, 31 august 2017.`` opens the next
    # page's first line. Same length, so offsets into ``text`` stay right.
    text = text[:MAX_CHARS].replace("\f", "\n")
    flat = folded(text)
    if cover := cover_end(flat):
        # a security gateway's cover note (in English) above the sanitised document: blanked, offsets kept
        text = re.sub(r"[^\n]", " ", text[:cover]) + text[cover:]
        flat = folded(text)
    text_lines = lines(text)
    if (act := gazette_act(text_lines, flat)) is not None:
        # an issue of the Monitorul Oficial: its masthead (the number and date), its summary and
        # the running head above its first act are the gazette's, not the act's; blanked, offsets kept
        cut = text_lines[act].start
        text = re.sub(r"[^\n]", " ", text[:cut]) + text[cut:]
        flat, text_lines = folded(text), lines(text)
    heading = find_heading(text_lines, flat, text)
    end_of_header = header_end(text_lines, heading.start if heading is not None else None)
    own_part = subject = None
    if heading is not None:
        own_part = (heading.start, heading.own_end)
        subject = (heading.own_end, subject_end(flat, heading))
        doc_type, type_confidence = heading.type, heading.confidence
    else:
        doc_type, type_confidence = body_type(flat, text_lines)

    references = find_references(text, own_part, end_of_header, flat)
    if heading is not None:
        references = annexed_own(references, flat, heading.end, doc_type)
    found = _dates.find_dates(flat)
    roles = _dates.periods(found, flat)
    context = _dates.Context(
        header_end=end_of_header,
        heading=own_part,
        own=tuple((r.start, r.end) for r in references if r.own),
        cited=tuple((r.start, r.end) for r in references if not r.own),
        subject=subject,
        type=doc_type,
        annexed=_dates.annexed_act(
            flat,
            [(r.start, r.end) for r in references if not r.own and r.date],
            end_of_header,
            heading.start if heading is not None else None,
            subject[1] if subject is not None and doc_type in _dates.ADOPTED_KINDS else None,
        ),
    )
    chosen, confidence = _dates.document_date(found, roles, flat, context)
    if chosen is not None and _dates.contradicted(found[chosen].iso() or "", [
            r.date for r in references if r.date and not r.start <= found[chosen].start < r.end], doc_type):
        confidence = 0.0  # a minute dated before acts it cites: its own date is mistyped, and none is given
    if chosen is None or confidence < _dates.ACCEPT:
        own_annex = _dates.own_annex_act(flat, found, doc_type)
        if own_annex is not None:
            chosen, confidence = own_annex, 0.8  # the document's own annex names its number and date
    possible = None
    if chosen is not None and unsure and _unsure_date(text, found[chosen].start, found[chosen].end, unsure):
        iso = found[chosen].iso()
        if not any(i != chosen and d.iso() == iso and not _unsure_date(text, d.start, d.end, unsure)
                   for i, d in enumerate(found)):
            confidence = 0.0  # read from figures OCR was unsure of, and written nowhere else: never the own date
    if chosen is not None and confidence < _dates.ACCEPT:
        possible, chosen, confidence = chosen, None, 0.0  # below the threshold: never the document's date
    mentions = tuple(
        DateMention(
            iso=date.iso() or "",
            text=text[date.start : date.end],
            start=date.start,
            end=date.end,
            role="document" if i == chosen else "possible" if i == possible else roles.get(i, "mentioned"),
        )
        for i, date in enumerate(found)
    )
    final_type, final_confidence = doc_type, type_confidence
    if heading is None and doc_type == OTHER and not exam_paper(flat):
        # no heading, no formula, no cue: the words' model may know it (dates keep the rules' type; the title reads it)
        guessed = fallback_type(text)
        if guessed is not None and guessed[0] != OTHER:
            final_type, final_confidence = guessed[0], round(0.3 * guessed[1], 3)
    written = None
    if chosen is not None and confidence >= 0.9:
        written = text[found[chosen].start : found[chosen].end]
    number = _own_number(references, own_part, found[chosen].start if written else None)
    return Metadata(
        date=found[chosen].iso() if chosen is not None else None,
        date_confidence=confidence if chosen is not None else 0.0,
        dates=mentions,
        type=final_type,
        type_confidence=final_confidence,
        title=title(text, text_lines, flat, heading, number, written, final_type),
        references=tuple(references),
        entities=tuple(institutions_and_projects(text, flat)),
        people=tuple(people(text, text_lines, flat)),
    )


def _own_number(references: list[Reference], heading: tuple[int, int] | None, dated: int | None = None) -> str | None:
    """The document's own number as written, for a title whose heading has none: its
    registration number at the top (``4240 din 29 iunie 2017``, ``9240/26.06.2019``), else the
    number of its signature block (``NR. 40``), else the registration number whose date is the
    document's (at ``dated``: an act numbered and dated only at its foot, ``Nr.104`` / ``din 28
    octombrie 1996``)."""
    def mine(reference: Reference) -> bool:
        if heading and heading[0] <= reference.start < heading[1]:
            return False
        return reference.own or (dated is not None and reference.kind == REGISTRATION and reference.start < dated < reference.end)

    for reference in sorted(references, key=lambda r: not r.own):
        if mine(reference):
            written = re.sub(r"^[^\d]*?(?=\bnr\b)", "", reference.text, count=1, flags=re.I)  # ``Dispoziția Primarului nr.3039 …``
            written = re.sub(r"^\W*(?:nr|num[aă]r(?:ul)?)\b\.?\s*(?:de\s+[îi]nregistrare\s*|[îi]nreg(?:istrare)?\b\.?\s*)?:?\s*", "", written, flags=re.I)
            # ``1122 Data 20.02.2009``, ``50 din data 29.04.2010``
            written = re.sub(r"\s*,?\s+(?:din\s+)?data(?:\s+de)?\s*:?\s*(?=\d)", " din ", written, count=1, flags=re.I)
            return re.sub(r"\s*/\s*", "/", " ".join(written.split())).rstrip(".")
    return None
