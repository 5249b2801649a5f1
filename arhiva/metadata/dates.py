"""Dates in Romanian text, and which of them is the document's own.

Every date is found, in every form these documents use: ``8 aprilie 2021``,
``joi, 16 septembrie 2021``, ``08.04.2021``, ``08/04/2021``, ``8.IV.2021``,
``2021-04-08``, ``din 8 aprilie`` (the year from the nearest dated neighbour),
months alone (``decembrie 2020``, ``lunii aprilie``: ISO ``YYYY-MM``), with or
without diacritics, with abbreviated months (``sept.``) and OCR's letters for
digits (``2O21``, ``l2``). The patterns run on the folded text
(:func:`arhiva.metadata.text.folded`), so offsets are the original's.

Each date then gets a role:

- ``period-start``/``period-end``: two dates joined by a dash, by ``până la``
  after ``din``/``de la``/``începând cu``, or by ``și`` after ``între``
  (``decembrie 2020 - decembrie 2021``). A period is never the document's date.
- ``mentioned``: inside a reference to another act (``Hotărârea nr. 1.240 din
  29 noiembrie 2000``, ``Monitorul Oficial nr. 49 din 18 ianuarie 2019``), in
  the subject of the heading, in a meeting convened or announced, on an
  election or exam day, after a future or deadline cue (``va avea loc``,
  ``până la data de``), or anywhere else that is not the document's own.
- ``possible``: the best date when its score is below ``ACCEPT``: worth showing
  as uncertain, never the document's date.
- ``document``: the one date :func:`document_date` chooses, by the table in
  docs/metadata.md: in the heading's own part (0.95), the registration number
  at the top, ``încheiat azi``/``întrunit în ședința``, the signature block
  (``București, 14 iulie 2005.`` / ``Nr. 775.``, ``Dată azi …``, 0.9–0.85), a
  date line of the header (0.9), anywhere else in the header on a line of its
  own (0.75; inside a sentence 0.5), or at the start of a body sentence of a
  press release (``Pe 8 aprilie 2021 a avut loc``, 0.6; in other documents such
  a date is the event they announce or record, and no date is given). A date
  without a year of its own is never chosen. The highest score wins; on a tie,
  the first. A score below ``ACCEPT`` (0.6) does not make the document's date:
  that date's role is ``possible``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date as _date
from itertools import islice

from arhiva.metadata.doctypes import ACT_KINDS, DOCUMENT_TYPES
from arhiva.metadata.text import Spans
from arhiva.romanian.calendar import MONTH_WORDS, MONTHS, WEEKDAYS, close_month, month_number, ocr_number
from arhiva.romanian.letters import fold

# A day or year field, where OCR may have put a letter for a digit; at least one real digit.
_DAY = r"(?=[lIoO]?\d)[0-3lIoO]?[\dlIoO]"
_YEAR = r"[12lI][\doOlI]{3}"
_MONTH = "|".join(MONTH_WORDS)
_FULL_MONTH = "|".join(MONTHS)
_WEEKDAY = "|".join(WEEKDAYS)
_ROMAN = r"(?-i:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
#: A heading's date broken after its month (``din 27 septembrie`` / ``2006``): the year
#: alone on the next non-blank line, nothing after it but a full stop or a comma.
_WRAPPED = r"[ \t]*\n\s*(?=(?:19|20)\d\d[ \t]*[.,]?[ \t]*(?:\n|\Z))"

#: A year written in two digits below this is of the 2000s, else of the 1900s.
SHORT_YEAR_PIVOT = 50
#: The date patterns, most specific first; a later one never overlaps an earlier match.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", r"(?<![\d.,/-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"),
        ("numeric", rf"(?<![\d.])(?<!\d,)(?P<d>{_DAY})[ ]?(?P<sep>[./-])[ ]?(?P<m>[0-1lIoO]?[\dlIoO])[ ]?(?P=sep)[ ]?"
                    rf"(?P<y>{_YEAR})(?![\d]|[./]\d)"),
        # a day and month typed into a form's blank before its printed year: ``din _24.09_2015``
        ("filled", rf"(?<![\d.])(?<!\d,)(?P<d>{_DAY})\.(?P<m>[0-1]?\d)_+(?P<y>(?:19|20)\d\d)(?![\d])"),
        # OCR lost the stop between day and month, after ``din``/``data de``: ``Din data de 2907.2016``
        ("glued", r"(?:(?<=\bdin )|(?<=\bde ))(?P<d>[0-3]\d)(?P<m>[01]\d)[./](?P<y>(?:19|20)\d\d)(?![\d])"),
        # the stop between month and year left out or read as a comma, after ``din``/``data de``:
        # ``Nr. 133 din 25.05 2014``, ``Nr. 65515 din 05.12,2018``
        ("unstopped", r"(?:(?<=\bdin )|(?<=\bde ))(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)[ ,](?P<y>(?:19|20)\d\d)(?![\d.,/-])"),
        # day, month and year in two, two and four figures set apart by spaces, after ``din``/``data de``:
        # ``H O T Ă R Â R E A nr. 146`` / ``din 17 04 2003``
        ("spaced", r"(?:(?<=\bdin )|(?<=\bde ))(?P<d>[0-3]\d)[ ](?P<m>[01]\d)[ ](?P<y>(?:19|20)\d\d)(?![\d.,/-])"),
        # a registration's date broken after its month, the year alone on the next non-blank line:
        # ``Nr. 3213/02.10.`` / ``2023``
        ("wrapped", rf"(?<![\d.])(?<!\d,)(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_WRAPPED}(?P<y>(?:19|20)\d\d)(?![\d])"),
        # the separators mixed, after ``azi``/``din``/``data de``: ``Întocmit azi 13/05.2021``
        ("mixed", r"(?:(?<=\bazi )|(?<=\bdin )|(?<=\bde ))(?P<d>[0-3]?\d)(?P<a>[./-])(?P<m>[01]?\d)(?!(?P=a))[./-](?P<y>(?:19|20)\d\d)(?![\d])"),
        # a year in two digits in a date's field: ``Nr. 03D-192-19 Data: 13.04.19`` (not after ``din``: a cited
        # law's ``nr. 440-XII din 27.04.95`` is read with its act's number, where a short year is not looked for)
        ("short", r"(?:(?<=\bdata )|(?<=\bdata: )|(?<=\bdata:))(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d\d)(?![\d.,/-])"),
        ("roman", rf"(?<![\d./])(?<!\d,)(?P<d>{_DAY})(?:[ ]?[./-][ ]?|[ ])(?P<m>{_ROMAN})(?:[ ]?[./-][ ]?|[ ])"
                  rf"(?P<y>{_YEAR})(?![\d])"),
        # after a registration number's slash too (``Nr. 4218/22 iunie 2017``); the day may be quoted, as
        # on an approval line (``APROBAT … „28” mai 2013``)
        ("text", rf"(?<![\d.])(?<!\d,)(?:(?P<wd>\b(?:{_WEEKDAY}))\s*,?\s*)?(?P<d>{_DAY})(?:[ ]?[”\"»“])?[ \t]*(?:-?[ \t]*(?:lea|a)\s+)?"
                 rf"(?P<m>{_MONTH})(?![a-z])\.?(?:(?:[ \t]*,?[ \t]*|{_WRAPPED})(?P<y>{_YEAR})(?![\d]))?"),
        ("month", rf"(?<![\w])(?:(?P<gen>lunii|luna)\s+)?(?P<m>{_FULL_MONTH})(?![a-z])(?:[ \t]*,?[ \t]*(?P<y>{_YEAR})(?![\d]))?"),
        # a long month's name misspelt by one letter, between a day and a year: ``18 moiembrie 2010``
        ("slip", rf"(?<![\d./])(?<!\d,)(?P<d>{_DAY})[ \t]+(?P<m>[a-z]{{6,11}})(?![a-z])[ \t]*,?[ \t]*(?P<y>{_YEAR})(?![\d])"),
    )
)

# After a year-less ``8 mai``: what may follow a date (not ``5 mai multe``).
_AFTER_YEARLESS = re.compile(r"\s*(?:[,.;:)\n]|$|(?:a|au|s-a|va|vor|ora|orele|incepand|in|la|pana|si)\b)", re.IGNORECASE)
_BETWEEN_PERIOD = re.compile(r"\s*(?:-|–|—|pana\s+(?:la|in|pe)|si)\s*(?:data\s+de\s+)?\Z", re.IGNORECASE)
#: The first day of a period written before a date with its month's name: ``4-`` of ``4-8 mai 2020``,
#: ``8MAI-`` of ``8MAI- 12MAI 2023``.
_RANGE_START = re.compile(rf"(?<![\d.,/])\d{{1,2}}[ \t]*(?:(?:{_MONTH})(?![a-z])\.?[ \t]*)?[-–—][ \t]*\Z", re.IGNORECASE)
_NR_BEFORE = re.compile(r"\bnr\.?\s*\Z", re.IGNORECASE)
_PERIOD_OPENERS = re.compile(r"(?:\bdin|\bde\s+la|\bincepand\s+cu|\bintre|\bperioad(?:a|ei))\s*(?:data\s+de\s+)?\Z", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:va\s+avea\s+loc|vor\s+avea\s+loc|se\s+va\s+desfasura|pana\s+(?:la|in|pe)|termen(?:ul)?(?:\s+limita)?"
    r"|incepand\s+cu|programat[aei]?|urmeaza|va\s+fi|vor\s+fi|se\s+vor?|pentru\s+(?:data|ziua)\s+de"
    r"|intra\s+in\s+vigoare)\b[^.;]*\Z",
    re.IGNORECASE,
)
#: A meeting the date belongs to (``ședința ordinară din data de 31.08.2021``, ``se convoacă
#: vineri, 07.06.2019``): the document's own date only in the minutes of that meeting, or
#: in the act the meeting adopted (``întrunit în ședința …``, ``adoptată în ședința …``).
_SESSION = re.compile(  # not the chair's title of a signature block: ``PREȘEDINTE DE ȘEDINȚĂ,`` / ``București, …``
    r"\b(?<!presedinte de )(?<!presedintele de )(?:sedint\w*|sesiun\w*|convoca\w*|adunar(?:ea|ii)\s+general\w*)\b[^.;!?]{0,120}\Z", re.IGNORECASE
)
#: Who signs, a column away from a date on the last lines: a short name (50 characters), no figure.
_SIGNER_COLUMN = re.compile(r"[ \t]{3,}[^\W\d_][^\d\n]{0,50}?[ \t]*")
#: Who signs, and then a column away a date on the last lines (the same, the other way round).
_SIGNER_BEFORE = re.compile(r"[ \t]*[^\W\d_][^\d\n]{0,50}?[ \t]{6,}")
#: A date a column away from the words before it: more than one near each other are a table's.
_COLUMN_DATE = re.compile(r"[^\W\d_][ \t]{6,}\d{1,2}(?:[./-]\d{1,2}[./-]|[ \t]+[a-z]+[ \t]+)\d{4}", re.IGNORECASE)
_MEETING_OPENS = re.compile(r"(?:^|\n)[ \t]*(?:in|la)\s+sedint\w*\b[^.;!?\n]{0,80}\Z", re.IGNORECASE)
_DECIDED_AFTER = re.compile(r"(?:[^.;!?\n]|\.(?=[ \t]*\d)){0,150}?\b(?:a|au)\s+(?:hotarat|decis|aprobat|adoptat)\b", re.IGNORECASE)
_OWN_SESSION = re.compile(
    r"(?:\b(?:intrunit\w*|incheiat\w*)|^\s*adoptat\w*)\b[^.;!?]{0,30}\bsedint\w*\b[^.;!?]{0,120}\Z"
    # the council that adopts the act opening its preamble in its sitting, without ``întrunit``:
    # ``Consiliul Local al Municipiului Târnăveni în ședința ordinară din 26 ianuarie 2012.``
    r"|^\s*consiliul\s+(?:local|judetean)\b[^.;!?]{0,80}?\bin\s+sedint\w*(?:\s+(?:extra)?ordinar\w*)?\s+din\s+(?:data\s+de\s+)?\Z",
    re.IGNORECASE,
)
#: A day glued to the dash before it, its month in words: the end of a range (``1-3 octombrie``), never a
#: document's date.
_RANGE_END = re.compile(r"[-–—]\d{1,2}\s+[^\W\d_]")
#: An event told as held, before its date: ``… s-a întrunit în ședință extraordinară la data de``, ``a avut loc``.
_HELD = re.compile(r"\b(?:s-a|s-au)\s+[a-z]+(?:it|at|ut)\b|\b(?:a|au)\s+avut\s+loc\b", re.IGNORECASE)
#: The next paragraph telling it as today's: ``Astăzi, consilierii …``.
_TOLD_TODAY = re.compile(r"[ \t]*\n\s*(?:astazi|azi)\s*,", re.IGNORECASE)
#: An event the document announces or regulates: a polling day, an exam, a contest.
_EVENT_BEFORE = re.compile(
    r"\b(?:alegeri\w*|scrutin\w*|referendum\w*|votar\w*|examen\w*|concurs\w*|prob(?:a|ei|ele|elor)|interviu\w*"
    r"|admiter\w*|inscrier\w*|depuner\w*)\b[^.;!?]{0,120}\Z",
    re.IGNORECASE,
)
#: A public hearing, debate, consultation or meeting a notice announces, before its date.
_HEARING = re.compile(r"\b(?:audier\w*|dezbater\w*|consultar\w*|intalnir\w*)\b[^.;!?]{0,80}\Z", re.IGNORECASE)
_EVENT_AFTER = re.compile(
    r"[^.;!?\n]{0,40}?\b(?:ziua|data)\s+(?:desfasurarii|alegerilor|votarii|scrutinului|examenului|concursului)"
    r"|(?:[^.;!?\n]|\n(?![ \t]*\n)){0,60}?\b(?:alegeri(?:le|lor)?|scrutinul\w*|referendumul\w*|examenul\w*|concursul\w*"
    r"|va\s+avea\s+loc|vor\s+avea\s+loc|se\s+va\s+desfasura|se\s+vor\s+desfasura)\b"
    r"|\s*,?\s*(?:de\s+la\s+|la\s+|intre\s+|incepand\s+cu\s+)?(?:ora|orele)\b",
    re.IGNORECASE,
)
#: A publication line: ``M. Of. nr. 685 din 29 iulie 2005``, ``Publicat: 31.10.2014``.
_PUBLICATION = re.compile(
    r"\b(?:publicat\w*|publicar\w*|postat\w*|actualizat\w*|afisar\w*|m\.\s*of\.|monitorul\s+oficial)\b"
    r"(?:[^.;]|\.(?=\S)){0,80}\Z",  # a dot inside ``al R.Moldova``, ``nr.29-30`` does not end it
    re.IGNORECASE,
)
#: The legal status of an act, as a legislation site prints it: ``Abrogat: 08.11.2001``,
#: ``modificat prin …``, ``republicat în …``, ``În vigoare de la 01 ianuarie 2007``,
#: ``Consolidarea din data de …``, ``Ultimul amendament în …``. Never the act's own date.
_STATUS = re.compile(
    r"\b(?:abrogat\w*|modificat\w*|completat\w*|republicat\w*|rectificat\w*|suspendat\w*|actualizat\w*"
    r"|consolidar\w*|amendament\w*|in\s+vigoare)\b"
    r"(?:[^.;]|\.(?=\S)){0,60}\Z",
    re.IGNORECASE,
)
#: Another paper's date: ``adresa dumneavoastră din 04.02.2016``, ``referatul … din …`` (its number
#: after any abbreviation: ``înregistrat cu nr. 1498``, misspelt ``cum. 1498``).
_OTHER_PAPER = re.compile(
    r"\b(?:adres\w*|scriso\w*|cerer\w*|solicitar\w*|petiti\w*|sesizar\w*|referat\w*|raport\w*|not(?:a|ei)"
    r"|dispozit\w*|hotar[ai]r\w*|decizi\w*|ordin(?:ul|ului)?|leg(?:ea|ii)|contract\w*|procesul\w*)\b(?:[^.;\n]|\.(?=[ \t]*\d)){0,40}"
    r"\bdin\s*(?:data\s+(?:de\s+)?)?\Z",
    re.IGNORECASE,
)
_STRONG_CUE = re.compile(
    r"\b(?:(?:incheiat[a]?\s+)?(?:astazi|azi)|incheiat[a]?\s+(?:(?:in|la)\s+data\s+de|la|in|pe))\s*,?\s*(?:data\s+de\s+)?\Z",
    re.IGNORECASE,
)
#: The end of the period a balance sheet or a financial statement accounts for.
_PERIOD_END = re.compile(
    r"\b(?:bilant\w*|balant\w*|situati\w*\s+financiar\w*|exercitiu\w*|cont\w*\s+de\s+executie)\b[^.;]{0,40}?"
    r"\bincheiat\w*\s+(?:la|pe|in)\s+(?:data\s+de\s+)?\Z",
    re.IGNORECASE,
)
#: The document naming its own date of issue before it: ``data emiterii prezentei, 13.03.2020``.
_SELF_ISSUED = re.compile(r"\bdata\s+(?:emiterii|semnarii)\s+(?:prezent\w*|acest\w*)(?:\s+[^\W\d_]+)?\s*[,:]?\s*\Z", re.IGNORECASE)
#: The date of a signature block: ``Dată azi 25.03.2016``, ``Dat în Băicoi, azi …``.
_FOOT_CUE = re.compile(
    r"^[ \t]*(?:(?:[do]at[a]?|emis[a]?|semnat[a]?|eliberat[a]?)[ \t]+(?:(?:in|la)[ \t]+[\w-]+(?:[ \t]+[\w-]+)?[ \t]*,?[ \t]*)?"
    r"(?:azi|astazi|la|in\s+data\s+de)?|data[ \t]+(?:eliberarii|emiterii|semnarii)[ \t]*:?)[ \t]*,?[ \t]*\Z",
    re.IGNORECASE,
)
#: A regulation's line under its title telling when it was adopted: ``Adoptat în ședința Consiliului
#: Local din data de 08.02.2013 prin Hotărârea nr. 17``, ``Aprobat prin HCL nr. 40 din``.
_ADOPTED_LINE = re.compile(r"[ \t]*(?:adoptat|aprobat)\w*\b[^.;\n]{0,80}?\b(?:din|la|in)\s+(?:data\s+de\s+)?\Z", re.IGNORECASE)
#: The document approving itself in its last articles: ``Prezentul regulament a fost aprobat în ședința
#: Senatului … în data de 28 iunie 2018``, ``Prezenta Metodologie a fost aprobată prin hotărârea … din data de``.
_SELF_APPROVED = re.compile(
    r"\bprezent(?:a|ul|ele)\s+(?P<word>[^\W\d_]+)(?:\s+[^\W\d_]+){0,2}\s+(?:a|au)\s+fost\s+(?:aprobat|adoptat)\w*\b"
    r"[^.;]{0,160}?\b(?:din|in|la)\s+(?:data\s+de\s+)?\Z",
    re.IGNORECASE,
)
#: A later version named after it (``… din 30.06.2016, … și a fost revizuit în …``): that one is the document's.
_REVISED_AFTER = re.compile(r"[^.;]{0,200}?\b(?:revizuit|modificat|actualizat|completat|republicat)\w*\b", re.IGNORECASE)
#: A report's own completion: ``Raport … finalizat la data de 14.10.2018``, ``întocmit la data de``.
_REPORT_DONE = re.compile(r"\b(?:finalizat|intocmit)\w*\s+(?:la|in)\s+data\s+de\s*\Z", re.IGNORECASE)
#: A view counter after a date alone on its line: a portal's posting stamp (``09 Octombrie 2017 | 6``,
#: ``11.08.2014   1828 Accesări``, ``Vizualizări: 312``).
_COUNTER_AFTER = re.compile(
    r"[ \t]*(?:\|[ \t]*\d+|,?[ \t]+\d+[ \t]+(?:accesari|vizualizari|afisari|vizite|citiri|views|hits)\b"
    r"|,?[ \t]+(?:accesari|vizualizari|afisari|vizite|citiri|views|hits)[ \t]*:?[ \t]*\d+)[ \t]*(?:\n|$)",
    re.IGNORECASE,
)
#: A date an outside register gave: ``numărul de înregistrare la Camera … - 6807 din 28 iunie 2005``.
_REGISTERED_ELSEWHERE = re.compile(
    r"\b(?:inregistrare\w*\s+(?:la|in)\b|inregistrat\w*\s+(?:la|in|sub)\b|inmatricul\w*)[^.;]{0,80}\Z", re.IGNORECASE
)
#: The line of a regulation's or a decision's approval above its signature: ``Aprobat în ședința
#: Consiliului Facultății din …``, ``Adoptată de Senat în ședința din data de …``.
_APPROVED_LINE = re.compile(r"^[ \t]*(?:adoptat|aprobat)\w*[ \t]+(?:in|de|la)\b[^.;\n]{0,120}\Z", re.IGNORECASE)
#: The act a minute records, dated in its opening sentence: ``… că la data de 03.08.2018, s-a afișat …``.
_RECORD_CUE = re.compile(r"\b(?:la|in)\s+data\s+de\s*\Z", re.IGNORECASE)
_RECORDED_AFTER = re.compile(
    r"\s*,?\s*(?:s-a|s-au|a|au)\s+(?:afisat\w*|intrunit\w*|desfasurat\w*|avut\s+loc|intocmit\w*|incheiat\w*)\b"
    # the hour and the place between: ``În data de 28 septembrie 2023, cu începere de la ora 10.00, sala …, s-a desfășurat``
    r"|\s*,(?:[^.;!?\n]|\.(?=\d)){0,200}?,\s*(?:s-a|s-au)\s+(?:intrunit\w*|desfasurat\w*)\b",
    re.IGNORECASE,
)
#: How far into the body a minute's opening sentence may be.
RECORD_WINDOW = 400
#: A registration line whose number was left blank for the hand: ``Nr din``, ``Nr. ____ din``.
_BLANK_NUMBER_BEFORE = re.compile(r"\bnr\.?[ \t]*(?:[.…_]{2,}[ \t]*)?din[ \t]*\Z", re.IGNORECASE)
#: A version's line in the header of a plan or a list: ``modificat 09.06.2023``.
_VERSION_LINE = re.compile(r"^[ \t]*modificat[a]?[ \t]*(?:(?:la|in|pe)[ \t]+)?:?[ \t]*\Z", re.IGNORECASE)
_HEADER_CUE = re.compile(
    r"(?:\bdin|\bdata|\bdata\s+emiterii|\bemis[a]?\s+(?:la|in)|\bla\s+data\s+de|\bpe|\bin\s+data\s+de|\bin\s+ziua\s+de)"
    r"\s*:?\s*(?:data\s+(?:de\s+)?)?\Z",
    re.IGNORECASE,
)
_PLACE = re.compile(r"^[A-Z][\w-]+(?:[ -][A-Z][\w-]+){0,3}\s*,\s*\Z")
#: A place-and-date line (``BĂICOI, 25.03.2016``, ``București, 14 iulie 2005.``, ``Sfântu Gheorghe, la
#: 04 aprilie 2014.``), the act's
#: number beside it or not (``NR. 40``).
_NUMBER_BESIDE = r"(?:nr\.?[ \t]*\d[\d./]*[ \t]*[.,]?)"
_PLACE_LINE_BEFORE = re.compile(
    rf"^[ \t]*(?:{_NUMBER_BESIDE}[ \t]*)?(?:dat[a]?[ \t]+(?:in|la)[ \t]+)?(?!(?:{_WEEKDAY})\b)(?-i:[A-Z])[\w-]+(?:[ -](?-i:[A-Z])[\w-]+){{0,3}}"
    r"(?:[ \t]*,[ \t]*(?:(?:azi|astazi|la|in)[ \t]*,?[ \t]*)?|[ \t]+(?:azi|astazi|la)[ \t]*,?[ \t]*)\Z",  # ``Brezoi la …``
    re.IGNORECASE,
)
#: A place and a date with no comma between, alone on their line: ``București 27.11.2018`` (one word
#: in title case, one space: not ``DIN DATA DE``, a field's name such as ``Data``, nor a table's row).
_PLACE_NO_COMMA = re.compile(r"^[ \t]*(?!(?:data|din|anexa|ziua|luna|nr)\b)(?-i:[A-Z][a-z]+)(?:-(?-i:[A-Z][a-z]+))?[ \t]\Z", re.IGNORECASE)
#: The left column of a header read into the same line as the right one: words in capitals, then the
#: place in lower case with its date (``INSPECTORATUL PENTRU SITUAȚII DE URGENȚĂ București, 27.06.2022``).
_CAPS_COLUMN = re.compile(r"(?:[ \t]*(?-i:[A-Z][A-Z.„”\"-]+)){2,}[ \t]+(?=(?-i:[A-Z][a-z]))")
_PLACE_LINE_AFTER = re.compile(rf"[ \t]*\.?[ \t|]*(?:{_NUMBER_BESIDE}[ \t]*)?[ \t|]*$", re.IGNORECASE | re.MULTILINE)  # ``|``: cell borders
_NUMBER_LINE = re.compile(rf"^[ \t]*{_NUMBER_BESIDE}[ \t]*$", re.IGNORECASE | re.MULTILINE)
#: A registration number right after a date that opens a header line: ``07.10.2019, nr.40/189``.
_NUMBER_AFTER_DATE = re.compile(r"[ \t]*,?[ \t]*nr\.?[ \t]*\d[\w./-]*", re.IGNORECASE)
#: The signature block run into the place-and-date line of the foot: the signer's office after the
#: date (``BUZĂU, 10 DECEMBRIE 2018 PREŞEDINTE, PETRE-EMANOIL NEAGU …``).
_SIGNER_AFTER = re.compile(
    r"[ \t]*\.?[ \t]+(?:presedinte(?:le)?|primar(?:ul)?|viceprimar(?:ul)?|prefect(?:ul)?|secretar(?:ul)?|director(?:ul)?"
    r"|contrasemneaza|avizat|ministru(?:l)?)\b[ \t]*[,:]?",
    re.IGNORECASE,
)
#: ``DIN`` alone before a date, and the line of the number alone above it (blank lines between).
_DIN_LINE = re.compile(r"^[ \t]*din[ \t]*(?:data[ \t]+de[ \t]*)?\Z", re.IGNORECASE)
_NUMBER_ALONE = re.compile(r"(?:^|\n)[ \t]*nr\.?[ \t]*\d+[ \t]*\n\s*\Z", re.IGNORECASE)
#: ``Data: 12.05.2021`` alone on its line, anywhere (the date box of a form or a signature block),
#: ``Data anunțului: 9 mai 2017``, ``Data hotărârii: …``, ``Data emiterii facturii: …`` (not its
#: publication's, posting's or due date: another date); a standard form's code before the field's
#: name (``BT-2 Data emitere factură 2023-03-31``, the business terms of an electronic invoice).
_FIELD_NAMES = (
    r"anuntului|emiter(?:ii|e)(?:[ \t]+[^\W\d_]+)?|intocmirii|redactarii|documentului|adoptarii|semnarii"
    r"|hotar[ai]r(?:e|ii)|dispozitie[i]?|decizie[i]?|ordinului|aprobar(?:e|ii)"
)
#: A form's code before its date field, on the same line: ``F-16 Data: …``, ``Cod: PS-SCIM-23 Data aprobare: …``.
_FIELD_CODE = r"(?:(?:(?-i:[A-Z]{1,4})-\d{1,3}(?:-\d{1,2})?|cod[ \t]*:[ \t]*[\w.-]+)[ \t]+)?"
_DATE_FIELD = re.compile(rf"^[ \t]*{_FIELD_CODE}data(?:[ \t]+(?:{_FIELD_NAMES}))?[ \t]*:?[ \t]*\Z", re.IGNORECASE)
#: A field naming another date than the document's own, on the date's line or the line above:
#: A page's note of when it was put up or updated, ``(Publicat: 20.01.2020)``, ``Postat la: …``,
#: ``[ACTUALIZARE: 09.05.2024]``, a site's byline ``Autor: Ion Pop, 30.01.2017 12:40``: the date of
#: something else than the document (also read by the heading's rules in types.py).
POSTED_FIELD = (r"[(\[]?[ \t]*(?:(?:publicat|postat|afisat|actualiz)\w*(?:[ \t]+(?:la|pe|in))?[ \t]*:"
                r"|autor\w*[ \t]*:[^\n\d]{0,60}?)")
#: ``Data publicării:`` / ``12.04.2019`` (a page's posting), ``Data limită: …``, ``Data nașterii: …``.
_OTHER_FIELD = re.compile(
    r"(?:\A|\n)[ \t]*(?:data[ \t]+(?:ultimei[ \t]+)?(?:publicarii|afisarii|postarii|actualizarii|modificarii|expirarii"
    r"|depunerii|limita|nasterii)[ \t]*:?"
    # a page's own note of when it was put up: ``(Publicat: 20.01.2020)``, ``Postat la: …``
    rf"|{POSTED_FIELD})[ \t]*(?:\n[ \t]*)?\Z",
    re.IGNORECASE,
)
#: The same field's name on the line above its date, as a register's page lays out an act's record
#: (``Data hotarare:`` / ``Vineri, 2 Februarie, 2007``): with its colon.
_DATE_FIELD_ABOVE = re.compile(rf"(?:\A|\n)[ \t]*data(?:[ \t]+(?:{_FIELD_NAMES}))?[ \t]*:[ \t]*\n[ \t]*\Z", re.IGNORECASE)
#: The act's own number and date on a line of its signature block: ``Dispoziția nr. 125 din 17.03.2020``.
_SELF_LINE = re.compile(r"^[ \t]*(?:(?P<word>[^\W\d_]+)[ \t]+)?nr\.?[ \t]*\d[\w./-]*[ \t]*(?:din|/)[ \t]*(?:data[ \t]+de[ \t]+)?\Z", re.IGNORECASE)
_ACT_WORD = re.compile("|".join(f"(?:{form})" for _, form in ACT_KINDS), re.IGNORECASE)
#: A street, square or place named after a date (``Str. 1 Decembrie 1918 nr. 2``, ``Bd. 1 Mai``,
#: ``Piața 22 Decembrie 1989``, ``Calea 13 Septembrie``), also with OCR's letters in the abbreviation
#: (``Slr.``, ``5tr.``) or a ``?`` for a lost diacritic (``Pia?a``), or an institution named so
#: (``Universitatea „1 Decembrie 1918”``): part of a name, never a date of the document.
_ADDRESS = re.compile(
    r"(?<![^\W\d_])(?:[s5][tl1i]r(?:ada)?|bd|b-?dul|bd-ul|blvd|bulevardul|calea|pia[t?]a|p-?ta|aleea|sos|soseaua"
    r"|splaiul|spl|intr|intrarea|cartierul|cart|universitat(?:ea|ii)|liceul|colegiul(?:\s+national)?|scoala(?:\s+gimnaziala)?)"
    r"[ \t]*[.,]?[ \t]*[\"„“”«']?[ \t]*\Z",
    re.IGNORECASE,
)
#: How many short lines may follow a date for it to be in the signature block at the foot.
FOOT_LINES = 5
_BODY_CUE = re.compile(
    r"(?:^|[.!?\n]\s*)(?:pe|in\s+data\s+de|in\s+ziua\s+de|astazi|azi|ieri)\s*,?\s*(?:data\s+de\s+)?\Z",
    re.IGNORECASE,
)
_SUBJECT_WORD = re.compile(r"\b(?:privind|pentru|cu\s+privire\s+la|referito(?:r|are)\s+la)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.;!?]\s|\n\s*\n")
#: The types whose own date a body sentence may give (``Pe 8 aprilie 2021 a avut loc …``): a
#: press release reports the day's event. In an announcement, a minute or a report such a
#: date is the event announced or recorded, as often as the day it was written: no date.
BODY_DATE_TYPES = ("comunicat de presă",)
#: How far into the body a meeting date (``Pe 8 aprilie 2021 a avut loc``) may be.
BODY_WINDOW = 1500
#: The types that announce something in their own name: notices and press releases.
ANNOUNCING_TYPES = ("anunț", "comunicat de presă")
#: What follows a body's opening date when the issuer announces on that day: its name, then
#: ``anunță``, ``informează``, ``aduce la cunoștință`` or ``face cunoscut`` in the present
#: (``În data de 09 decembrie 2022 Primăria Municipiului Botoșani anunță deschiderea …``); no
#: comma or stop between, so that an event told first (``va avea loc …, primăria anunță``) is not it.
_ANNOUNCES_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:[^\W\d_][^.,;:!?\n]{0,100}?[ \t])?(?:anunta|informeaza|aduce\s+la\s+cunostint\w*|face\s+cunoscut)\b",
    re.IGNORECASE,
)
#: The score of the date of the act an annex belongs to, when the annex names it at its top
#: and has no date of its own (below 0.9: the date is the act's, the annex carries no other).
ANNEX_SCORE = 0.8
#: The least score a date needs to be the document's own. The best date scored below it is only
#: ``possible``: shown as such, never the document's date. Below it: a date told inside a sentence
#: of the header (``PROSE_SCORE``), where wrong dates came from on documents not seen before; at it,
#: a press release's event (0.6), never wrong on them so far (docs/real-documents.md).
ACCEPT = 0.6
#: A date elsewhere in the header inside a sentence (``… faptul că în data de 15 octombrie 2014,
#: Consiliul local … a adoptat``): an event the text tells of, not the document's date.
PROSE_SCORE = 0.5
#: How many lines (a headline) may stand between the header and a dateline that opens the body.
DATELINE_LINES = 1
#: How many words may stand beside a date elsewhere in the header, on its line, before and after
#: it, for it to stand apart (``PRIMĂRIA 21 ianuarie 2009``, ``1. 2032/30.03.2021``) rather than
#: inside a sentence.
APART_WORDS = 3
#: … within this many characters: a longer stretch beside a date is not a header's or a stamp's.
APART_SPAN = 300
#: A date with more lines than this under it, debris or not, is not at the foot.
FOOT_SCAN = 100
#: How far from a date the rules look for the ends of its line.
LINE_REACH = 1000
#: ``Anexa nr. 1`` (or ``ANEXA LA``) opening a line of the header, or after header words in capitals.
_ANNEX_MARK = re.compile(r"(?<![\w])anexa\b", re.IGNORECASE)
#: How far after the annex mark the act it belongs to may be named (header columns in between).
ANNEX_WINDOW = 300
#: ``la`` before the act, or before the draft of it (``ANEXA LA PROIECTUL DE HOTĂRÂRE NR. 72/31.10.2025``).
_ANNEX_LA = re.compile(r"\bla\s*(?:proiectul(?:ui)?\s+(?:de\s+)?)?\Z", re.IGNORECASE)
#: A field left blank to be filled in (``nr. ______``, ``din ..........``); a form has several.
#: A field left blank (``____``, ``.....``, ``……``); not the dot leader of a table of contents,
#: which ends its line with a page number (``CAPITOLUL I – Dispoziții generale ……… 2 pag``).
_BLANK_FIELD = re.compile(
    r"_{3,}|(?<![.…])(?=[.…]*(?:\.{5}|…{2}))[.…]+(?![.…])(?![ \t]*\d{1,3}[ \t]*(?:pag\w*\.?)?[ \t]*$)", re.MULTILINE
)
BLANK_FIELDS = 3
#: How many line breaks may stand between the heading of a text that an act adopts and its annex mark.
ADOPTED_MARK_LINES = 2
#: The kinds of text an act adopts, whose annex mark may stand right under their heading.
ADOPTED_KINDS = frozenset({"regulament", "metodologie", "procedură", "normă", "instrucțiune", "ghid", "strategie"})
#: The types whose own date may be the date of the meeting they record or that adopted them.
#: The types that record a meeting or an act (their date is what they record).
MINUTE_TYPES = ("proces-verbal", "minută")
#: A heading's subject that is the meeting itself: ``DECIZIE`` / ``al ședinței Comisiei pentru … din …``.
_MEETING_FIRST = re.compile(r"[\s\W]*(?:al|a)\s+sedint\w*\b", re.IGNORECASE)
SESSION_TYPES = (*MINUTE_TYPES, "hotărâre", "decizie")
#: Minutes registered above their heading are dated by their registration, as a registry files them,
#: rather than by the sitting they record (0.95): ``Nr.8605/27.07.2005`` / ``PROCES-VERBAL al ședinței
#: … din data de 23 iunie 2005``.
REGISTERED_MINUTE = 0.96
#: A line that a document type's heading opens.
_TYPE_LINE = re.compile(r"^[\W_]*(?:" + "|".join(t.heading for t in DOCUMENT_TYPES) + r")\b", re.IGNORECASE | re.MULTILINE)
#: The sitting that gave a decision, on a line of its own just under its heading (a court's
#: ``Decizia nr. 2075`` / ``Şedinţa publică din data de 10 aprilie 2024``), or that minutes
#: record (``Procesul verbal al ședinței …`` / ``Data ședinței 27 octombrie 2008``).
_SITTING_LINE = re.compile(
    r"^[ \t]*(?:sedint\w*(?:[ \t]+(?:publica|ordinara|extraordinara|din[ \t]+camera[ \t]+de[ \t]+consiliu))?[ \t]+"
    r"(?:din|de[ \t]+la)[ \t]+(?:data[ \t]+de[ \t]+)?"
    r"|data[ \t]+(?:sedintei|intalnirii|reuniunii)[ \t]*:?[ \t]*)\Z",  # a field: ``Data ședinței 27 octombrie 2008``
    re.IGNORECASE,
)
#: How far below its heading such a sitting line may be.
SITTING_REACH = 200


@dataclass(frozen=True)
class Found:
    """A date found in the text, before roles are assigned."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    pattern: str
    year_inferred: bool = False  # the year was taken from a neighbouring date

    def iso(self) -> str | None:
        if self.year is None:
            return None
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def find_dates(folded: str) -> list[Found]:
    """Every date in ``folded`` text, in order, without overlaps; year-less ones given a year."""
    found: list[Found] = []
    taken = Spans()
    for name, pattern in PATTERNS:
        for match in pattern.finditer(folded):
            date = _parse(name, match, folded)
            if date is not None and taken.take(date.start, date.end):
                found.append(date)
    found.sort(key=lambda d: d.start)
    return _fill_years(found)


def _parse(name: str, match: re.Match[str], folded: str) -> Found | None:
    groups = match.groupdict()
    if name in ("iso", "numeric", "filled", "glued", "unstopped", "spaced", "mixed", "wrapped", "short"):
        month = ocr_number(groups["m"])
    else:
        month = close_month(groups["m"]) if name == "slip" else month_number(groups["m"])
    if not month or not 1 <= month <= 12:
        return None
    day = None
    if groups.get("d") is not None:
        day = ocr_number(groups["d"])
        if not day or not 1 <= day <= 31:
            return None
    year = None
    if groups.get("y"):
        if sum(ch.isdigit() for ch in groups["y"]) < 2:
            return None
        year = ocr_number(groups["y"])
        if name == "short" and year is not None:
            year += 2000 if year < SHORT_YEAR_PIVOT else 1900  # ``19`` is 2019, ``95`` is 1995
        if year is None or not 1900 <= year <= 2099:
            return None
    elif name == "text":
        if not _AFTER_YEARLESS.match(folded, match.end()) and groups["m"].lower() == "mai":
            return None
        if groups["m"].lower() not in MONTHS:
            return None  # ``8 noi`` without a year is not a date
        return Found(match.start(), match.end("m"), None, month, day, name) if _valid(2000, month, day or 1) else None
    elif name == "month" and not groups.get("gen"):
        return None
    if day is not None and not _valid(year or 2000, month, day):
        return None
    return Found(match.start(), match.end(), year, month, day, name)


def _valid(year: int, month: int, day: int) -> bool:
    return day <= monthrange(year, month)[1]


def _fill_years(found: list[Found]) -> list[Found]:
    """Give a year-less date the year of the nearest date before it that has one (else after)."""
    out = []
    for i, date in enumerate(found):
        if date.year is None:
            before = [d.year for d in found[:i] if d.year is not None]
            after = [d.year for d in found[i + 1 :] if d.year is not None]
            year = before[-1] if before else (after[0] if after else None)
            if year is None:
                continue
            date = replace(date, year=year, year_inferred=True)
        out.append(date)
    return out


def periods(found: list[Found], folded: str) -> dict[int, str]:
    """The roles ``period-start``/``period-end`` by index into ``found``."""
    roles: dict[int, str] = {}
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        between = folded[first.end : second.start]
        if len(between) > 20 or not _BETWEEN_PERIOD.match(between):
            continue
        joiner = between.strip().lower()
        opener = _PERIOD_OPENERS.search(folded, max(0, first.start - 30), first.start)
        if joiner in ("-", "–", "—") or (opener and (joiner.startswith("pana") or (joiner == "si" and "intre" in opener.group()))):
            roles[i], roles[i + 1] = "period-start", "period-end"
    for i, date in enumerate(found):
        start = _RANGE_START.search(folded, max(0, date.start - 25), date.start) if date.pattern == "text" else None
        if i not in roles and start and not _NR_BEFORE.search(folded, max(0, start.start() - 6), start.start()):
            roles[i] = "period-end"  # ``4-8 mai 2020``, ``8 mai - 12 mai 2023``: the last day of a period (not ``Nr. 12 - 8 mai``)
    return roles


@dataclass(frozen=True)
class Context:
    """What :func:`document_date` needs to know about the document around its dates."""

    header_end: int
    heading: tuple[int, int] | None  # the heading's own part (``HOTĂRÂREA nr. 45 din …``), if any
    own: tuple[tuple[int, int], ...]  # spans of the document's own numbers
    cited: tuple[tuple[int, int], ...]  # spans of references to other acts
    subject: tuple[int, int] | None = None  # the heading's subject (``privind …``): not the document's date
    type: str = "altul"
    annexed: tuple[int, int] | None = None  # the act an annex belongs to (``Anexa nr. 1 la HCL nr. 16/26.02.2015``)


#: A minute cannot cite acts issued after it: this many of its cited acts dated more than LATER_DAYS
#: after the date it gives itself mean that date is mistyped (a year left from an old template:
#: ``Încheiat astăzi 29.03.2010`` above ``convocată prin Dispoziția nr. 1020 din 24.03.2011``).
LATER_CITED = 2
LATER_DAYS = 31


def contradicted(own: str, cited: list[str], kind: str) -> bool:
    """Whether a minute's own date ``own`` (ISO) comes before LATER_CITED of the acts it cites (their ISO dates).

    >>> contradicted("2010-03-29", ["2011-03-24", "2011-02-15", "2009-12-10"], "proces-verbal")
    True
    >>> contradicted("2011-03-29", ["2011-03-24", "2011-02-15"], "proces-verbal")
    False
    >>> contradicted("2010-03-29", ["2011-03-24", "2011-02-15"], "hotărâre")
    False
    """
    if kind not in MINUTE_TYPES:
        return False
    try:
        day = _date.fromisoformat(own)
    except ValueError:
        return False
    later = 0
    for iso in cited:
        try:
            later += (_date.fromisoformat(iso) - day).days > LATER_DAYS
        except ValueError:
            continue
    return later >= LATER_CITED


def document_date(found: list[Found], roles: dict[int, str], folded: str, context: Context) -> tuple[int | None, float]:
    """The index into ``found`` of the document's own date, and the confidence of that choice."""
    best, best_score = None, 0.0
    for i, date in enumerate(found):
        if i in roles or date.day is None or date.year_inferred:
            continue
        score = _score(date, folded, context)
        if score > best_score:
            best, best_score = i, score
    return best, best_score


#: A run of spaces that sets a line's columns apart (a signature block's two sides).
_COLUMN_GAP = re.compile(r"[ \t]*\t[ \t]*| {6,}")


def _line_around(folded: str, start: int, end: int) -> tuple[int, int]:
    r"""Where the line holding ``folded[start:end]`` (a date) starts and ends, looking no further
    than ``LINE_REACH`` characters either side: what a line longer than that holds far from the
    date does not change its score, and a text run into one line is scored in time proportional to it.

    >>> text = "Nr. 5\nBaia Mare, 12.03.2020\n"
    >>> _line_around(text, 17, 27)
    (6, 27)
    >>> text = "Buzău, 04.07.2018          Control de legalitate,"
    >>> _line_around(text, 7, 17)
    (0, 17)
    """
    reach_back, reach_on = max(0, start - LINE_REACH), min(len(folded), end + LINE_REACH)
    line_start = folded.rfind("\n", reach_back, start) + 1 or reach_back
    line_end = reach_on if (n := folded.find("\n", end, reach_on)) < 0 else n
    # a wide gap after the date ends its column: ``Buzău, 04.07.2018          Control de legalitate,``
    # (not one before it: ``Cartierul Nord          12.10.2009`` is a row of a table)
    if gap := _COLUMN_GAP.search(folded, end, line_end):
        line_end = gap.start()
    return line_start, line_end


def _score(date: Found, folded: str, context: Context) -> float:
    """The score of one date as the document's own, by the table in docs/metadata.md."""

    def inside(spans: tuple[tuple[int, int], ...]) -> bool:
        return any(a <= date.start and date.end <= b for a, b in spans)

    line_start, line_end = _line_around(folded, date.start, date.end)
    if _wrong_weekday(date, folded):
        return 0.0  # ``marți 13 ianuarie 2025`` was a Monday: its year or its day is misprinted
    if _ADDRESS.search(folded, max(line_start, date.start - 30), date.start):
        return 0.0  # a street's or an institution's name: ``Str. 1 Decembrie 1918 nr. 2``
    if _OTHER_FIELD.search(folded, max(0, line_start - 60), date.start):
        return 0.0  # ``Data publicării: 12.04.2019``: the date of something else than the document
    if _COUNTER_AFTER.match(folded, date.end) and not folded[line_start : date.start].strip():
        return 0.0  # a portal's posting date and view counter: ``09 Octombrie 2017 | 6``
    if _RANGE_END.match(folded, max(0, date.start - 1), date.end):
        return 0.0  # a range's last day, its first lost to OCR: ``în perioada | -3 octombrie 2021``
    if (date.start >= context.header_end and _at_foot(folded, line_end) and not folded[line_start : date.start].strip()
            and _SIGNER_COLUMN.fullmatch(folded, date.end, line_end) and not _scheduled(date, folded, line_start)):
        return 0.85  # the date and, a column away, who signs: ``7 iulie 2017            Biroul de presă``
    if (date.start >= context.header_end and _at_foot(folded, line_end) and not folded[date.end : line_end].strip(" .")
            and _SIGNER_BEFORE.fullmatch(folded, line_start, date.start) and not _scheduled(date, folded, line_start)
            and not _COLUMN_DATE.search(folded, max(0, line_start - 300), line_start)
            and not _COLUMN_DATE.search(folded, line_end, line_end + 300)):
        return 0.85  # who signs and, a column away, the date: ``Direcția Relații Publice            04.10.2007``
    if date.start >= context.header_end and _at_foot(folded, line_end) and not folded[date.end : line_end].strip(" ."):
        self_line = _SELF_LINE.match(folded[line_start : date.start])
        if self_line and _names_itself(self_line.group("word"), context.type) and not _cited_above(folded, line_start):
            return 0.9  # ``Dispoziția nr. 125 din 17.03.2020`` above the signature
        if _DIN_LINE.match(folded[line_start : date.start]) and _NUMBER_ALONE.search(folded, 0, line_start):
            return 0.9  # ``NR. 32`` / ``DIN 03.02.2012``: the number and the date on lines of their own
        if not folded[line_start : date.start].strip() and not _scheduled(date, folded, line_start):
            return 0.85  # a date alone on a line of the signature block
        if _APPROVED_LINE.match(folded[line_start : date.start]):
            return 0.9  # ``Aprobat în ședința Consiliului Facultății din 14 Noiembrie 2016.`` above the signature
    if context.annexed and context.annexed[0] <= date.start and date.end <= context.annexed[1]:
        return ANNEX_SCORE  # an annex is adopted and signed with its act: dated by it, less surely
    if inside(context.cited):
        return 0.0
    before = folded[max(line_start, date.start - 60) : date.start]
    clause = _clause_before(folded, date.start)
    if _DATELINE_PLACE.fullmatch(folded, line_start, date.start) and _dateline(folded, line_start, date):
        clause = folded[line_start : date.start]  # a dateline opens its sentence: the headline above is another
    session = bool(_SESSION.search(clause))
    own_session = context.type in SESSION_TYPES and (
        bool(_OWN_SESSION.search(clause))
        # ``La ședința din 24 mai 2016, Consiliul de Administrație … a hotărât …``: the meeting that decided
        or bool(_MEETING_OPENS.search(clause) and _DECIDED_AFTER.match(folded, date.end))
        or bool(context.heading and 0 <= date.start - context.heading[1] < SITTING_REACH
                and _SITTING_LINE.match(folded[line_start : date.start]) and not folded[date.end : line_end].strip(" ."))
    )
    if context.heading and context.heading[0] <= date.start < context.heading[1]:
        if context.type == "anunț" and (_EVENT_BEFORE.search(clause) or _HEARING.search(clause)):
            return 0.0  # what a notice's heading announces: ``Anunț -audieri publice la data de 12.06.2023``
        if not session or own_session or context.type in MINUTE_TYPES:
            return 0.95
        return 0.9 if context.type in SESSION_TYPES else 0.0  # the meeting that adopted the act
    if (
        date.start < context.header_end
        and _VERSION_LINE.match(folded[line_start : date.start])
        and not folded[date.end : line_end].strip(" .")
    ):
        return 0.85  # the date of this version, on a line of its own at the top (under a plan's heading too)
    if context.subject and context.subject[0] <= date.start < context.subject[1]:
        # The subject's date is the subject's, except the meeting a proces-verbal records.
        if context.type in MINUTE_TYPES and (
            session or not _SUBJECT_WORD.search(folded, context.subject[0], date.start)
        ):
            return 0.95  # the meeting the minutes record: ``al ședinței … din …``, ``întâlnirii … din …``
        if context.type in SESSION_TYPES and (
            _MEETING_FIRST.match(folded, context.subject[0]) or not _SUBJECT_WORD.search(folded, context.subject[0], date.start)
        ):
            return 0.9  # an act named by the meeting that took it, before any ``privind``: ``Decizie … a ședinței … din …``
        return 0.9 if _STRONG_CUE.search(before) else 0.0
    if inside(context.own):
        if (context.type in MINUTE_TYPES and context.heading and date.start < context.heading[0]
                and not _TYPE_LINE.search(folded, line_end, context.heading[0])):
            # minutes registered above their heading (``Nr.8605/27.07.2005`` / ``PROCES-VERBAL …``), not a
            # notice that publishes them (``Nr. 1201/14.04.2016`` / ``ANUNȚ`` / ``… PROCESUL VERBAL``)
            return REGISTERED_MINUTE
        return 0.9
    if context.heading and not folded[date.end : context.heading[0]].strip() and _BLANK_NUMBER_BEFORE.search(before):
        return 0.9  # a merged header: ``… Nr din 15 Martie 2019 RAPORT DE ACTIVITATE …``, the number left blank
    if _PERIOD_END.search(folded, max(0, date.start - 80), date.start):
        return 0.0  # ``BILANȚ / Încheiat la data de 31.12.2007``: the end of the period it accounts for
    if _SELF_ISSUED.search(before):
        return 0.9  # the document names its own date of issue: ``Începând cu data emiterii prezentei, 13.03.2020 …``
    foot_cue = bool(_FOOT_CUE.search(folded[line_start : date.start]))
    if foot_cue or (_STRONG_CUE.search(before) and (date.start < context.header_end + BODY_WINDOW or _at_foot(folded, line_end))):
        return 0.9  # ``încheiat astăzi …`` near the top, or in the last lines (``… întrunită astăzi 10.04.2009, …``)
    if own_session:
        return 0.9
    approved = _SELF_APPROVED.search(folded, max(0, date.start - 300), date.start)
    if approved and _names_itself(approved.group("word"), context.type) and not _REVISED_AFTER.match(folded, date.end):
        return 0.85  # the document's own approval, told in its last articles
    if (context.type in ADOPTED_KINDS and date.start < context.header_end + BODY_WINDOW
            and _ADOPTED_LINE.match(folded[line_start : date.start])):
        return 0.85  # ``REGULAMENT`` / ``Adoptat în ședința Consiliului Local din data de 08.02.2013 …``
    if context.type == "raport" and date.start < context.header_end + BODY_WINDOW and _REPORT_DONE.search(before):
        return 0.85  # ``Raport … finalizat la data de 14.10.2018``
    if (
        context.type in MINUTE_TYPES
        and date.start < context.header_end + RECORD_WINDOW
        and _RECORD_CUE.search(before)
        and _RECORDED_AFTER.match(folded, date.end)
    ):
        return 0.85  # what a minute records, told in its opening sentence: ``la data de 03.08.2018, s-a afișat …``
    if (context.type in BODY_DATE_TYPES and date.start < context.header_end and _HELD.search(clause)
            and _TOLD_TODAY.match(folded, line_end)):
        # a release's headline on a sitting held that day, its body telling it as today's: ``Consiliul
        # Raional Cahul s-a întrunit în ședință extraordinară la data de 31 iulie 2024`` / ``Astăzi, consilierii …``
        return 0.75
    after = folded[date.end : date.end + 80]
    if (
        _FUTURE.search(before)
        or session
        or _EVENT_BEFORE.search(clause)
        or _EVENT_AFTER.match(after)
        or _PUBLICATION.search(clause)
        or _STATUS.search(clause)
        or _OTHER_PAPER.search(before)
        or _REGISTERED_ELSEWHERE.search(clause)
    ):
        return 0.0
    # A table's cell opens where its border ``|`` is: ``Prim-ministru, … | București, 27 ianuarie 1994 | Nr. 31.``
    cell_start = folded.rfind("|", line_start, date.start) + 1 or line_start
    if date.start < context.header_end and (column := _CAPS_COLUMN.match(folded, cell_start, date.start)):
        cell_start = column.end()  # two header columns on one line: ``INSPECTORATUL … URGENȚĂ București, 27.06.2022``
    no_comma = _PLACE_NO_COMMA.match(folded[cell_start : date.start]) and not _scheduled(date, folded, line_start)
    signer_after = (date.start >= context.header_end and _at_foot(folded, line_end)
                    and _SIGNER_AFTER.match(folded, date.end, line_end))
    if (_PLACE_LINE_BEFORE.match(folded[cell_start : date.start]) or no_comma) and (
            _PLACE_LINE_AFTER.match(folded, date.end, line_end + 1) or signer_after):
        beside = _NUMBER_LINE.search(folded, max(0, line_start - 80), min(len(folded), line_end + 80))
        number_on_line = re.search(_NUMBER_BESIDE, folded[line_start:line_end], re.IGNORECASE)
        return 0.9 if (beside or number_on_line) and date.start >= context.header_end else 0.85
    if _signed_inline(folded, date, line_start, context):
        return 0.9  # ``… Ion STURZA … Chişinău, 26 octombrie 1999. Nr. 983.`` run into one line
    if date.start < context.header_end and not folded[line_start : date.start].strip() and _NUMBER_AFTER_DATE.match(folded, date.end):
        return 0.9  # the registration line written date first: ``07.10.2019, nr.40/189``
    if (_DATE_FIELD.match(folded[line_start : date.start])
            or not folded[line_start : date.start].strip() and _DATE_FIELD_ABOVE.search(folded, max(0, line_start - 60), line_start)
            ) and not folded[date.end : line_end].strip(" .-–—_"):  # ``Data: 23.06.2023 -``: a dash, a blank's rule
        return 0.85 if date.start < context.header_end else 0.8
    if date.start < context.header_end:
        cue = _HEADER_CUE.search(before)
        if cue and len(folded[date.end : line_end].split()) <= 3:
            # A date line: ``Data: 8.IV.2021``, ``din 8 aprilie 2021``; less sure after other words.
            return 0.9 if not folded[line_start : date.start - len(before) + cue.start()].strip() else 0.8
        if not _BODY_CUE.search(folded, max(0, date.start - 30), date.start):
            if _ends_subject(folded, line_start) and _SUBJECT_GOES_ON.fullmatch(folded, line_start, date.start):
                return 0.0  # the end of a subject: ``privind … Programului manifestărilor dedicate`` / ``Zilei Naționale – 1 DECEMBRIE 2015``
            apart = _stands_apart(folded, line_start, line_end, date) or _dateline(folded, line_start, date)
            if apart and _scheduled(date, folded, line_start):
                return PROSE_SCORE  # a day of a calendar at the top: ``24.05.2021 – 31.05.2021 II ETAPĂ`` / ``19.05.2021 – AFIȘAREA …``
            return 0.75 if apart else PROSE_SCORE
    if (
        _WORD.search(folded, line_start, date.start)
        and len([ln for ln in folded[context.header_end : line_start].splitlines() if ln.strip()]) <= DATELINE_LINES
        and _dateline(folded, line_start, date)
    ):
        return 0.75  # a release's dateline opening its first paragraph: ``Chișinău, 19 noiembrie 2020 – Parlamentul …``
    if (
        context.type in ANNOUNCING_TYPES
        and date.start < context.header_end + BODY_WINDOW
        and _BODY_CUE.search(folded, max(0, date.start - 30), date.start)
        and _ANNOUNCES_AFTER.match(folded, date.end)
    ):
        return 0.8  # the day the issuer announces: ``În data de 09 decembrie 2022 Primăria … anunță …``
    if (
        context.type in BODY_DATE_TYPES
        and context.heading is not None  # a headless news item is dated by its page, not by what it reports
        and date.start < context.header_end + BODY_WINDOW
        and _BODY_CUE.search(folded, max(0, date.start - 30), date.start)
    ):
        return 0.6
    return 0.0


_WORD = re.compile(r"[^\W\d_]{2,}")


#: The words that carry a subject on to a date (``Zilei Naționale a României – ``): words, no field's
#: name or number (``Cod document: P.O. 4/`` is a registration).
_SUBJECT_GOES_ON = re.compile(r"[ \t]*[^\W\d_]{3,}[^:\d\n]*?[ \t]*[–—-]?[ \t]*", re.IGNORECASE)


def _ends_subject(folded: str, line_start: int) -> bool:
    r"""Whether the line at ``line_start`` goes on with a subject above it: the last line above
    that has words holds ``privind``/``pentru``/``cu privire la`` and ends without a stop.

    >>> text = "O R D I N\nprivind aprobarea Programului dedicat\n\nZilei Nationale - 1 DECEMBRIE 2015\n"
    >>> _ends_subject(text, text.index("Zilei"))
    True
    >>> text = "HOTARAREA nr. 5\nprivind bugetul pe anul 2020.\n15 martie 2020\n"
    >>> _ends_subject(text, text.index("15"))
    False
    """
    end = line_start
    while end and folded[end - 1].isspace():
        end -= 1
    previous = folded[_line_around(folded, end, end)[0] : end]
    return bool(_SUBJECT_WORD.search(previous)) and not previous.endswith((".", ";", ":", "!", "?", ")"))


def _stands_apart(folded: str, line_start: int, line_end: int, date: Found) -> bool:
    """Whether at most ``APART_WORDS`` words stand beside ``date`` on its line, on either side:
    a header line, a stamp, a registration line; not a sentence.

    >>> text = "PRIMARIA   21  ianuarie 2009"
    >>> _stands_apart(text, 0, len(text), find_dates(text)[0])
    True
    >>> text = "Primarul aduce la cunostinta faptul ca in data de 15 octombrie 2014, Consiliul local a adoptat"
    >>> _stands_apart(text, 0, len(text), find_dates(text)[0])
    False
    """
    def few(start: int, end: int) -> bool:  # a stretch longer than a header's is a sentence's
        if end - start > APART_SPAN:
            return False
        return len(list(islice(_WORD.finditer(folded, start, end), APART_WORDS + 1))) <= APART_WORDS

    return few(line_start, date.start) and few(date.end, line_end)


_DASH_AFTER = re.compile(r"[ \t]*[–—-][ \t]")


def _dateline(folded: str, line_start: int, date: Found) -> bool:
    r"""Whether ``date`` opens its line and a dash sets it off from what follows, as a message's or
    a news item's dateline does (``2 aprilie 2022 – 158 de ani de tradiție …``), or a full stop
    after its place and date (``BĂLȚI, 28 septembrie 2012. Consiliul …``); not a day of a
    schedule.

    >>> text = "La multi ani!\n2 aprilie 2022 – 158 de ani de traditie institutionala in slujba cetatenilor!"
    >>> _dateline(text, text.index("2 apr"), find_dates(text)[0])
    True
    >>> text = "Luni, 12 ianuarie 2026 – colectare deseuri menajere in zona 2"
    >>> _dateline(text, 0, find_dates(text)[0])
    False
    >>> text = "Chisinau, 19 noiembrie 2020 – Parlamentul a aprobat, in prima lectura, proiectul"
    >>> _dateline(text, 0, find_dates(text)[0])
    True
    >>> text = "BALTI, 28 septembrie 2012. Consiliul Regional a aprobat Strategia"
    >>> _dateline(text, 0, find_dates(text)[0])
    True
    >>> text = "6 august 2021 – termenul de prezentare a recomandarilor asupra proiectelor"
    >>> _dateline(text, 0, find_dates(text)[0])
    False
    >>> text = "11 septembrie 2020 – sedinta a X-a extraordinara a Consiliului municipal Balti"
    >>> _dateline(text, 0, find_dates(text)[0])
    False
    """
    placed = _DATELINE_PLACE.fullmatch(folded, line_start, date.start)
    if not (_DASH_AFTER.match(folded, date.end) or (placed and _STOP_AFTER.match(folded, date.end))):
        return False
    if _DEADLINE_AFTER.match(folded, date.end):
        return False  # ``6 august 2021 – termenul de prezentare a recomandărilor …``: what the date is, a deadline
    if not placed and _EVENT_AFTER_DASH.match(folded, date.end):
        return False  # ``11 septembrie 2020 – ședința a X-a extraordinară a Consiliului …``: the sitting's day
    if _WORD.search(folded, line_start, date.start) and not placed:
        return False
    return not _scheduled(date, folded, line_start)


#: A dash and the name of what the date is, a deadline: ``… – termenul de prezentare …``, ``… – data limită …``.
_DEADLINE_AFTER = re.compile(r"[ \t]*[–—-][ \t]*(?:termen(?:ul)?|data\s+limita|ultima\s+zi|pana\s+la)\b", re.IGNORECASE)


#: A dash and the event the date is the day of: a sitting, a session, an exam, a hearing (``… – ședința a X-a …``).
_EVENT_AFTER_DASH = re.compile(
    r"[ \t]*[–—-][ \t]*(?:sedint\w*|sesiun\w*|adunar\w*|intrunir\w*|intalnir\w*|concurs\w*|examen\w*|audier\w*"
    r"|dezbater\w*|consultar\w*)\b",
    re.IGNORECASE,
)


#: A full stop and a sentence after a dateline with its place: ``BĂLȚI, 28 septembrie 2012. Consiliul …``.
_STOP_AFTER = re.compile(r"\.[ \t]+(?-i:[A-Z])")


#: The place before a dateline's date: ``Chișinău, 19 noiembrie 2020 – Parlamentul a aprobat …``.
_DATELINE_PLACE = re.compile(
    rf"[ \t]*(?!(?i:{'|'.join(WEEKDAYS)})\b)(?-i:[A-Z])[^\W\d_]+(?:[ -](?-i:[A-Z])[^\W\d_]+){{0,2}}[ \t]*,[ \t]*"
)


_PLACE_INLINE = re.compile(r"(?<![^\W\d_])(?-i:[A-Z])[\w-]+[ \t]*,[ \t]*\Z")
_NUMBER_AFTER = re.compile(r"[ \t]*\.?[ \t]*nr\.?[ \t]*(?P<number>\d+)\b", re.IGNORECASE)
_HEADING_NUMBER = re.compile(r"\bnr\.?[ \t]*(?P<number>\d+)\b", re.IGNORECASE)


def _signed_inline(folded: str, date: Found, line_start: int, context: Context) -> bool:
    """Whether ``date`` is the place and date of the act's signature block inside a line a text
    layer or a legislation site ran together: a place name and a comma before it, ``Nr.`` and the
    number of the heading after it (``… Chişinău, 26 octombrie 1999. Nr. 983.`` under a heading
    ``… Nr.983 din 26.10.99``).

    >>> text = "HOTARIREA GUVERNULUI pentru aprobarea X Nr.983 din 26.10.99 ... Ion STURZA Chisinau, 26 octombrie 1999. Nr. 983."
    >>> context = Context(header_end=10, heading=(0, 20), own=(), cited=(), subject=(20, 60))
    >>> _signed_inline(text, find_dates(text)[0], 0, context)
    True
    """
    if not context.heading or not _PLACE_INLINE.search(folded, max(line_start, date.start - 40), date.start):
        return False
    after = _NUMBER_AFTER.match(folded, date.end)
    block_end = context.subject[1] if context.subject else context.heading[1]
    own = _HEADING_NUMBER.search(folded, context.heading[0], block_end)
    return bool(after and own and after.group("number") == own.group("number"))


def _at_foot(folded: str, line_end: int) -> bool:
    """Whether only a few short lines (a signature block) follow ``line_end``; a stamp's
    debris (lines without a word of three letters: ``; N``, ``j D228``) does not count."""
    rest = 0
    for seen, line in enumerate(_LINE.finditer(folded, line_end)):  # stopping as soon as it can tell
        if seen >= FOOT_SCAN or line.end() - line.start() > LINE_REACH:
            return False
        if _WORD3.search(line.group()):
            rest += 1
            if rest > FOOT_LINES or len(line.group().strip()) > 80:
                return False
    return True


_WORD3 = re.compile(r"[^\W\d_]{3,}")
_LINE = re.compile(r"[^\n]+")
_WEEKDAY_START = re.compile(rf"(?:{_WEEKDAY})\b", re.IGNORECASE)
#: A weekday a dash away, before the date (``MIERCURI – 28.09.2022``).
_WEEKDAY_BEFORE = re.compile(rf"\b(?:{_WEEKDAY})[ \t]*[,–—-][ \t]*\Z", re.IGNORECASE)
_LIST_ITEM = re.compile(r"[ \t]*[•·▪◦*–—-]")
_DATE_AT_START = re.compile(r"^[ \t]*(?:[•·▪◦*–—-][ \t]*)?(?:\w+[ \t]*,[ \t]*)?\d{1,2}[ \t./,-]", re.MULTILINE)


def _wrong_weekday(date: Found, folded: str) -> bool:
    """Whether the weekday written with a date (``marți 13 ianuarie 2025``, ``Joi, 5.02.2015``)
    is not that day's: the date is misprinted somewhere, and which part is wrong cannot be told.

    >>> text = "marti 13 ianuarie 2025 si marti 14 ianuarie 2025"
    >>> [_wrong_weekday(d, text) for d in find_dates(text)]
    [True, False]
    """
    weekday = _WEEKDAY_START.match(folded, date.start) or _WEEKDAY_BEFORE.search(folded, max(0, date.start - 15), date.start)
    if not weekday or date.year is None or date.day is None:
        return False
    try:
        day = _date(date.year, date.month, date.day)
    except ValueError:
        return False
    return WEEKDAYS[day.weekday()] != weekday.group().lower().strip(" \t,–—-")


def _scheduled(date: Found, folded: str, line_start: int) -> bool:
    r"""A day of a schedule, not the date of a signature: a weekday before it (``Vineri, 23
    ianuarie 2026``, ``MIERCURI – 28.09.2022``), or another line that opens with a date (a
    list's bullet aside) among the four lines above, or, for a date that opens a list item, among the four below (a calendar's
    first day: ``• 1 septembrie 2021 – afișare …`` / ``• 2, 3 septembrie 2021 – depunere dosare``).

    >>> text = "Program\nLuni, 19 ianuarie 2026\nZona 2\nJoi, 22 ianuarie 2026\nZona 1"
    >>> _scheduled(find_dates(text)[1], text, text.index("Joi"))
    True
    >>> text = "Calendar\n• 1 septembrie 2021 – afisare lista\n• 2, 3 septembrie 2021 – depunere dosare"
    >>> _scheduled(find_dates(text)[0], text, text.index("•"))
    True
    """
    if _WEEKDAY_START.match(folded, date.start) or _WEEKDAY_BEFORE.search(folded, line_start, date.start):
        return True
    reach = max(0, line_start - 4 * LINE_REACH)
    above = folded[reach:line_start].splitlines()
    if reach and folded[reach - 1] != "\n":
        above = above[1:]  # a line cut by the reach
    above = above[-4:]
    if any(_DATE_AT_START.match(line) and find_dates(line[:LINE_REACH]) for line in above):
        return True
    if not _LIST_ITEM.match(folded, line_start):
        return False
    below = folded[line_start : line_start + 5 * LINE_REACH].splitlines()[1:5]
    return any(_DATE_AT_START.match(line) and find_dates(line[:LINE_REACH]) for line in below)


def _cited_above(folded: str, line_start: int) -> bool:
    """Whether the line before ``line_start`` runs on into it with an act's name: the number and date
    below finish a citation (``… aprobat prin Hotărîrea Guvernului Republicii`` / ``Moldova nr. 435 din 23.04.2007.``).

    >>> _cited_above("aprobat prin Hotarirea Guvernului Republicii\\nMoldova nr. 435 din 23.04.2007.", 45)
    True
    >>> _cited_above("PRIMAR,\\nIon Popescu\\nDispozitia nr. 12 din 03.02.2020", 20)
    False
    """
    previous = folded[max(0, line_start - 120) : line_start].rstrip()
    previous = previous[previous.rfind("\n") + 1 :]
    return bool(previous) and previous[-1] not in ".;:!?" and bool(_ACT_WORD.search(previous[-60:]))


def _names_itself(word: str | None, doc_type: str) -> bool:
    """``Dispoziția`` (or its typo ``Dipoziția``) in a dispoziție; no word at all; not ``Legea`` there."""
    if word is None:
        return True
    word, name = fold(word).lower(), fold(doc_type).lower()
    if word[:5] == name[:5] or _distance(word[:8], name[:8]) <= 2:
        return True
    return not _ACT_WORD.fullmatch(word)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for short words.

    >>> _distance("dipoziti", "dispozit")
    2
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _clause_before(folded: str, start: int) -> str:
    """The text of the clause a date is in, up to the date (at most 200 characters, across line breaks)."""
    window = folded[max(0, start - 200) : start]
    last = None
    for last in _CLAUSE_START.finditer(window):
        pass
    return window[last.end() :] if last else window


#: The body naming its own annex: ``… cuprinsă în Anexa la prezenta Dispoziție``, ``anexa nr. 1 face parte
#: integrantă din prezenta hotărâre``; the act's word, folded, by the document's type.
_OWN_ANNEX = re.compile(
    r"\banex\w*(?:\s+nr\.?\s*\d+)?\s+(?:la|(?:face|fac)\s+parte\s+integranta\s+din)\s+prezent(?:a|ul|ei|ului)\s+(?P<act>[a-z]+)",
    re.IGNORECASE,
)
_ACT_WORDS = {"dispoziție": "dispoziti", "hotărâre": "hotar", "decizie": "decizi", "ordin": "ordin"}


#: An annex's heading line naming its act's number and date: ``ANEXĂ la Dispoziția nr.83/ 2 APRILIE 2020``.
_ANNEX_OF_ACT = re.compile(
    r"^[ \t]*anex[a-z]*(?:[ \t]+nr\.?[ \t]*\d+)?[ \t]+la[ \t]+(?P<act>[a-z]+)[ \t]+nr\.?[ \t]*\d+[ \t]*(?:/|din\b)?[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def own_annex_act(folded: str, found: list[Found], kind: str) -> int | None:
    r"""The date (its index in ``found``) in the heading of the document's own annex, when the body names
    that annex as its own (a page that kept the annex, not the document's heading: ``… cuprinsă în Anexa
    la prezenta Dispoziție`` / ``ANEXĂ la Dispoziția nr.83/ 2 APRILIE 2020``); the annex must name an act
    of the document's own kind, its number and the date just after it.

    >>> text = "Art.1 Se convoacă consiliul, cu ordinea de zi cuprinsă în Anexa la prezenta Dispoziție.\nANEXĂ la Dispoziția nr.83/ 2 APRILIE 2020"
    >>> own_annex_act(fold(text), find_dates(fold(text)), "dispoziție")
    0
    >>> own_annex_act(fold(text), find_dates(fold(text)), "hotărâre") is None
    True
    """
    stem = _ACT_WORDS.get(kind)
    if stem is None:
        return None
    named = next((m for m in _OWN_ANNEX.finditer(folded) if m.group("act").lower().startswith(stem)), None)
    if named is None:
        return None
    for heading in _ANNEX_OF_ACT.finditer(folded, named.end()):
        if heading.group("act").lower().startswith(stem):
            for i, date in enumerate(found):
                if date.start == heading.end():
                    return i
    return None


def annexed_act(
    folded: str, acts: list[tuple[int, int]], header_end: int, heading_start: int | None = None,
    adopted_end: int | None = None,
) -> tuple[int, int] | None:
    r"""The span of the act an annex belongs to, when the document opens as its annex.

    ``acts`` are the spans of dated references to other acts. A blank form (three or more
    fields left blank) is a template, not an adopted text: none. The annex mark must head
    a line of the header (only words in capitals before it on its line: ``R O M Â N I A
    Anexa nr.1``) and the act follow it within :data:`ANNEX_WINDOW` characters after
    ``la`` (``Anexa nr.1`` / ``la Dispoziția primarului nr. 19/15.02.2023``; ``ANEXA LA
    DISPOZIȚIA NR. 118/24.09.2025``; ``Anexa Nr.`` / ``3`` / ``JUDEŢUL TIMIŞ La H.C.L.
    nr.57/27.07.2017``). Under a heading of its own, the mark is the document's only when it
    stands above the heading or begins it (``Raport`` / ``de activitate …`` / ``Anexă la Dispoziția
    nr. 432 din 12 octombrie 2015``: the report is not dated by the order that asked for it);
    a text that an act adopts (a regulation, a methodology: ``adopted_end`` is where its
    heading's subject ends) also has it on the two lines right under its heading
    (``REGULAMENTUL COMITETULUI`` / ``LOCAL PENTRU SITUAȚII DE URGENȚĂ`` / ``Anexa nr.3`` /
    ``la Dispoziția Primarului nr.48 din 14.04.2021``).

    >>> text = "ROMANIA   Anexa nr.1\nJUDETUL X    la HOTARAREA nr.16/26.02.2015\nREGULAMENT"
    >>> annexed_act(text, [(37, 63)], 60)
    (37, 63)
    >>> annexed_act("conform anexa la HCL nr. 16/26.02.2015", [(17, 38)], 40) is None
    True
    >>> annexed_act(text + "\nNume ______ Prenume ______ Semnătura ______", [(37, 63)], 60) is None
    True
    """
    if len(_BLANK_FIELD.findall(folded)) >= BLANK_FIELDS:
        return None  # a blank form annexed to an order is a template, not an adopted text: undated
    for mark in _ANNEX_MARK.finditer(folded, 0, min(len(folded), max(header_end, 600))):
        if heading_start is not None and mark.start() > heading_start and not (
            adopted_end is not None and folded.count("\n", adopted_end, mark.start()) <= ADOPTED_MARK_LINES
            and "\n\n" not in folded[adopted_end : mark.start()].replace(" ", "").replace("\t", "")
        ):
            return None
        line_start = folded.rfind("\n", 0, mark.start()) + 1
        if any(ch.islower() for ch in folded[line_start : mark.start()]):
            continue
        for start, end in acts:
            if mark.end() <= start <= mark.end() + ANNEX_WINDOW and _ANNEX_LA.search(folded, max(0, start - 30), start):
                return start, end
        return None
    return None
