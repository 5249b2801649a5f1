"""References to numbered documents: ``Legea nr. 98/2016``, ``HCL nr. 45/2021``, ``nr. 1234/12.05.2021``.

A reference is an act word from :data:`arhiva.metadata.doctypes.ACT_KINDS`
(in any of its inflected forms, with up to eight words between it and the
number: ``Ordinul președintelui Agenției Naționale pentru Achiziții Publice
nr. 1.017/2019``), then ``nr.`` and a number, then an optional year (``/2016``)
or date (``din 29 noiembrie 2000``); or an act word directly followed by
``number/year`` (``OUG 34/2006``, ``Directiva 2014/24/UE``); or, without an
act word, a registration number with its date (``nr. 1234/12.05.2021``,
``Nr. 1.837 din 29 decembrie 2021``). Articles, paragraphs, points and annexes
(``art. 5 alin. (2)``, ``Anexa nr. 1``) are parts of a document, not references.

>>> [(r.kind, r.number, r.year) for r in find_references("conform Legii nr. 98/2016 și art. 5 alin. (2)", None, 0)]
[('lege', '98', 2016)]
"""

from __future__ import annotations

import re
from dataclasses import replace

from arhiva.metadata.dates import find_dates
from arhiva.metadata.model import Reference
from arhiva.metadata.text import Spans, folded as fold_text
from arhiva.romanian.calendar import MONTH_WORDS
from arhiva.metadata.doctypes import ACT_KINDS

REGISTRATION = "număr de înregistrare"

_KINDS = [kind for kind, _ in ACT_KINDS]
_ACT = "|".join(f"(?P<k{i}>{form})" for i, (_, form) in enumerate(ACT_KINDS))
_GAP = r"(?:\s+(?!nr\b|numarul\b|din\b)[^\s.,;:()\d\"„”]+){0,8}?"
_PART = r"(?:[A-Z]\.?)?\d[\d.]*\d|\d|[A-Z]{1,3}\b"
#: A letter suffix of a number: ``201-A``, ``436-XVI`` (capitals only: ``nr. 5-din`` is no suffix).
_SUFFIX = r"(?:-(?-i:[A-Z]{1,4})(?![\w-]))?"
_NUMBER = rf"(?P<num>(?:(?:[A-Z]\.?)?\d[\d.]*\d|(?:[A-Z]\.?)?\d){_SUFFIX})(?P<tail>(?:[ ]?/[ ]?(?:{_PART}))*)(?:\s+bis\b)?"
_DATE = rf"\d{{1,2}}\s*(?:{'|'.join(MONTH_WORDS)})(?![a-z])\.?\s*\d{{4}}|\d{{1,2}}[ ]?[./-][ ]?\d{{1,2}}[ ]?[./-][ ]?\d{{4}}"
#: The issuer named between an act's number and its date: ``Ordin comun nr. 1994/880 al ANAF/CNPP din
#: 11.12.2023``, ``Hotărârea nr. 5 a Consiliului Local din …`` (words in capitals only).
_ISSUER_BETWEEN = r"(?:\s+(?:al|a|ale)\s+(?-i:[A-Z])[\w/.-]*(?:\s+(?-i:[A-Z])[\w/.-]*){0,4}?)?"
_DATE_TAIL = rf"(?:{_ISSUER_BETWEEN}\s*,?\s*din\s*(?:data\s+(?:de\s+)?)?(?P<date>{_DATE}))?"
_NR = r"(?:nr\.?|numarul|numar)"

_CITED = re.compile(
    rf"(?<![\w.])(?:{_ACT})(?![a-z0-9]){_GAP}\s*,?\s*{_NR}\s*{_NUMBER}{_DATE_TAIL}", re.IGNORECASE
)
_BARE = re.compile(
    rf"(?<![\w.])(?:{_ACT})(?![a-z0-9])\s+(?!\d{{1,2}}/\d{{1,2}}/\d{{4}})(?P<num>\d[\d.]*)(?P<tail>(?:[ ]?/[ ]?(?:{_PART}))+)", re.IGNORECASE
)
_REGISTRATION = re.compile(
    rf"(?<![\w.])(?:{_NR}(?:\s+de\s+inregistrare|\s*inreg(?:istrare)?\b\.?)?)\s*:?\s*(?:(?-i:[A-Z])[ \t](?=\d))?(?P<num>(?:[a-z]{{1,3}}[\da-z]{{0,3}}-)?(?:\d[\d.]*\d|\d))"
    rf"(?:\s*/\s*(?P<numdate>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})|\s*,?\s*din\s*(?:data\s+(?:de\s+)?)?(?P<date>{_DATE})|[ \t]*,?[ \t]*data[ \t]*:?[ \t]*(?P<dated>{_DATE}))",
    re.IGNORECASE,
)
#: The act's own number alone on a line in its signature block (``Nr. 130.``), or after its
#: place and date on the same line (``București, 13 martie 2013. Nr. 89.``).
_OWN_LINE = re.compile(
    rf"^(?:[ \t]*[^\W\d_][^\W\d_ \t-]*(?:[ \t-]+[^\W\d_]+){{0,3}},[ \t]*(?:{_DATE})[ \t]*[.,]?)?"
    rf"[ \t]*(?P<mark>nr\.)[ \t]*{_NUMBER}\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Any ``nr.`` with a number, inside the heading's own part: the document's own number
#: (``DISPOZIȚIE`` / ``din 28.11.2016      nr. 201-A``).
_HEADING_NR = re.compile(rf"(?<![\w.])(?:{_NR})\s*{_NUMBER}", re.IGNORECASE)
#: An act's name, its number without ``nr.`` and its date, inside the heading's own part: the
#: document's own number (``HCL 16 din 28.01.2023 avizare …``, ``Decizie 4879/R din 28.06.2013``).
_HEADING_BARE = re.compile(rf"(?<![\w.])(?:{_ACT})(?![a-z0-9])\s+{_NUMBER}\s*,?\s*din\s*(?:data\s+(?:de\s+)?)?(?P<date>{_DATE})",
                           re.IGNORECASE)
#: Any ``nr.`` with a number in parts (``cu nr. 20/6.796/A.T.``): a registration number.
_ANY_SLASHED = re.compile(rf"(?<![\w.])(?:{_NR})\s*(?P<num>\d[\d.]*)(?P<tail>(?:[ ]?/[ ]?(?:{_PART}\.?))+)", re.IGNORECASE)
_ACT_ONLY = re.compile(rf"(?<![\w.])(?:{_ACT})(?![a-z0-9])", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMERIC_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def _innermost(match: re.Match[str], folded: str) -> re.Match[str]:
    """``dispozițiile Legii nr. 98/2016`` → the reference starts at ``Legii``, the act nearest the number."""
    last = None
    for inner in _ACT_ONLY.finditer(folded, match.start() + 1, match.start("num")):
        last = inner
    if last is None:
        return match
    return _CITED.match(folded, last.start()) or match


def find_references(text: str, heading: tuple[int, int] | None, header_end: int, folded: str | None = None) -> list[Reference]:
    """Every reference in ``text``, in order. Those on the heading line, registration
    numbers heading a line of the header and the ``Nr. 130.`` line of a signature block are
    the document's own (``own=True``)."""
    folded = fold_text(text) if folded is None else folded
    found: list[Reference] = []
    taken = Spans()
    for pattern in (_CITED, _BARE, _HEADING_BARE, _REGISTRATION, _ANY_SLASHED, _OWN_LINE, _HEADING_NR):
        for match in pattern.finditer(folded):
            if pattern is _CITED:
                match = _innermost(match, folded)
            start, end = match.start("mark") if pattern is _OWN_LINE else match.start(), match.end()
            if pattern in (_HEADING_NR, _HEADING_BARE) and not (heading is not None and heading[0] <= start < heading[1]):
                continue
            if not taken.take(start, end):
                continue
            kind = _kind(match)
            number, year = _number(match, kind)
            date = _date(match)
            if date:
                year = int(date[:4])
            on_heading = heading is not None and heading[0] <= start < heading[1]
            before_heading = heading is not None and start < heading[0] and text.find("\n", start, heading[0]) < 0
            # a registration run into one line with the heading after it (a header a text layer flattened:
            # ``… www.primaria-nadlac.ro Nr. 1549 din 07.03.2019 RAPORT asupra …``): at most three words between
            just_before = before_heading and len(folded[end : heading[0]].split()) <= 3
            own = (on_heading or (kind == REGISTRATION and ((start < header_end or before_heading) and _heads_line(text, start)
                                                            or just_before))
                   or pattern is _OWN_LINE)
            found.append(Reference(text[start:end], kind, number, year, date, start, end, own))
    found.sort(key=lambda r: r.start)
    return _repeated_own(found, header_end)


def _repeated_own(found: list[Reference], header_end: int) -> list[Reference]:
    r"""The document's own number named again in its header (a legislation site's line above
    the act: ``Guvernul României - Hotărâre nr. 1361/2006 din 27 septembrie 2006`` over
    ``Hotărârea nr. 1361/2006 privind …``) is its own too: same kind, same number, no other year.

    >>> refs = find_references("Hotărâre nr. 5/2006 din 27 septembrie 2006\nHOTĂRÂREA nr. 5/2006\nprivind x", (43, 63), 80)
    >>> [(r.number, r.year, r.own) for r in refs]
    [('5', 2006, True), ('5', 2006, True)]
    """
    own = [r for r in found if r.own]
    out = []
    for ref in found:
        if not ref.own and ref.start < header_end and any(
            o.kind == ref.kind and o.number == ref.number and (o.year is None or ref.year is None or o.year == ref.year)
            for o in own
        ):
            ref = replace(ref, own=True)
        out.append(ref)
    return out


#: A line that ends on a word a sentence cannot end on (``… aprobate prin``): the next line goes on with it.
_RUNS_ON = re.compile(r"\b(?:a|al|ale|de|din|si|privind|pentru|la|in|cu|asupra|catre|prin|nr\.?)\s*\Z", re.IGNORECASE)


#: A letterhead's contacts ending just before a number: a web or e-mail address, a telephone or fax number.
_AFTER_CONTACTS = re.compile(
    r"(?:www\.[\w.-]+|[\w.-]+@[\w.-]+|\[email[^\]]*\]|(?:fax|tel\w*)\s*:?\s*[\d /.-]{6,})[;,.]?[ \t]*\Z", re.IGNORECASE
)
#: How far from the top such a letterhead may end.
LETTERHEAD_CHARS = 600


def _heads_line(text: str, start: int) -> bool:
    r"""A registration number the document gives itself stands first on its line, or after
    header words in capitals (``PRIMĂRIA ORAȘULUI DEJ   Nr. 1234/12.05.2021``); a number
    inside a sentence (``ca urmare a adresei nr. 223/04.02.2016``) is another document's, and
    so is one on a line that goes on with the line above (``… aprobate prin`` / ``HCLS 3
    nr.395/30.07.2019 …``).

    >>> _heads_line("PRIMĂRIA X\nNr. 12/01.02.2021", 11)
    True
    >>> _heads_line("privind anexele aprobate prin\n\nHCLS nr.395/30.07.2019", 36)
    False
    """
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    if start < LETTERHEAD_CHARS and _AFTER_CONTACTS.search(prefix):
        return True  # a letterhead a text layer ran into one line: ``… WEB: www.isj-db.ro Nr. 10788/18.12.2015``
    if any(ch.islower() for ch in prefix):
        return False
    above = text[:line_start].rstrip()
    previous = above[above.rfind("\n") + 1 :]
    return not _RUNS_ON.search(fold_text(previous))


def _kind(match: re.Match[str]) -> str:
    for i, kind in enumerate(_KINDS):
        if match.groupdict().get(f"k{i}"):
            return kind
    return REGISTRATION


def _number(match: re.Match[str], kind: str) -> tuple[str, int | None]:
    number = match.group("num")
    tail = match.groupdict().get("tail") or ""
    parts = [p.strip() for p in tail.split("/") if p.strip()]
    if parts and _NUMERIC_DATE.fullmatch(parts[-1]):
        return "/".join([number, *parts[:-1]]), int(parts[-1][-4:])
    if parts and _YEAR.fullmatch(parts[-1]):
        return "/".join([number, *parts[:-1]]), int(parts[-1])
    if kind in ("directivă", "regulament") and _YEAR.fullmatch(number):
        return "/".join([number, *parts]), int(number)
    return "/".join([number, *parts]), None


def _date(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    written = groups.get("date") or groups.get("numdate") or groups.get("dated")
    tail = (groups.get("tail") or "").split("/")[-1].strip()
    if not written and _NUMERIC_DATE.fullmatch(tail):
        written = tail
    if not written:
        return None
    dates = find_dates(written)
    return dates[0].iso() if dates else None


#: The kinds of reference that name an act of each type (a town's decision is cited as ``HCL``).
_OWN_KINDS = {"hotărâre": ("hotărâre", "hcl"), "dispoziție": ("dispoziție",), "decizie": ("decizie",), "ordin": ("ordin",)}
#: An annex's mark opening its line, before the act it is annexed to: ``Anexă la`` / ``ANEXA nr. 1 la``.
_ANNEX_OPENS = re.compile(r"(?:^|\n)[ \t]*anex[ae](?:[ \t]+(?:nr\.?[ \t]*)?\d+)?[ \t]+la[ \t]+\Z", re.IGNORECASE)
#: The act telling that it has an annex: ``… anexă la prezenta``, ``anexa care face parte integrantă din prezenta``.
_HAS_ANNEX = re.compile(r"\banex\w*\s+(?:la|din)\s+prezent\w*|\banex\w*[^.\n]{0,40}\bparte\s+integranta\s+din\s+prezent\w*",
                        re.IGNORECASE)


def annexed_own(found: list[Reference], folded: str, heading_end: int, doc_type: str) -> list[Reference]:
    """An act whose heading gives no number, and which says it has an annex, is the act its own annex
    names, when that annex follows in the same text (``DISPOZIȚIE privind convocarea …`` … ``Art.2 –
    … proiectul ordinii de zi, anexă la prezenta`` … ``Anexă la Dispoziția Primarului nr.3039 din
    23.11.2023``): that reference is the document's own, number and date.

    >>> text = "DISPOZITIE privind convocarea\\nArt.2 Ordinea de zi, anexa la prezenta.\\nPRIMAR\\n\\nAnexa la Dispozitia nr.30 din 23.11.2023\\n1. Buget"
    >>> [(r.number, r.own) for r in annexed_own(find_references(text, (0, 10), 10), text, 29, "dispoziție")]
    [('30', True)]
    """
    kinds = _OWN_KINDS.get(doc_type)
    if not kinds or any(r.own for r in found):
        return found
    for i, ref in enumerate(found):
        if (ref.kind in kinds and ref.date and ref.start > heading_end
                and _ANNEX_OPENS.search(folded, max(0, ref.start - 40), ref.start)
                and _HAS_ANNEX.search(folded, heading_end, ref.start)):
            return found[:i] + [replace(ref, own=True)] + found[i + 1 :]
    return found
