"""Where a text came from, and which fixers its errors call for.

Each kind of source makes its own errors, and a fixer runs only where its
errors can occur: OCR confusions are never looked for in a PDF's text layer or
in typed text, where every word was typed as it stands.

- ``text-layer``: a born-digital PDF's own text;
- ``ocr``: Tesseract with the Romanian model, run by arhiva;
- ``old-ocr``: a text file left by an older OCR run (no Romanian letters,
  lines and words cut by the layout);
- ``typed``: a text file typed by a person.

A text file is one or the other, decided by :func:`classify_text_file` from
signs that OCR leaves and typing does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TEXT_LAYER, OCR, OLD_OCR, TYPED = "text-layer", "ocr", "old-ocr", "typed"
#: A text file whose kind is still to be decided (ingest's page method).
TEXT_FILE = "text-file"
SOURCES = (TEXT_LAYER, OCR, OLD_OCR, TYPED)

#: The fixers that run on each source, besides those that run everywhere
#: (characters and encodings, running headers, hyphenation, diacritics,
#: paragraph lines).
ONLY_ON: dict[str, frozenset[str]] = {
    "reattach_fragments": frozenset({OLD_OCR}),
    "join_split_words": frozenset({OLD_OCR}),
    "ocr_confusions": frozenset({OCR, OLD_OCR}),
    "capitalize_sentence_starts": frozenset({OLD_OCR}),
}

#: Signs of OCR in a text file, each a pattern that typed Romanian text does
#: not show (checked on the corpora and the real typed texts: see docs/repair.md).
OCR_SIGNS: dict[str, re.Pattern[str]] = {
    # ``Ia``/``Tn``/``In`` for la/în between lowercase words: l and î misread
    "lookalike": re.compile(r"(?<=[^\W\d]|[,”\"'’]) (?:Ia|Tn|In|Il|Tntr\w*|Tmp\w*)(?= [a-zăâîșț])"),
    # l, I or O inside a number (``nrl62830``, ``2O21``)
    "letter in number": re.compile(r"(?<![\w/.-])(?:[a-zăâîșț]*[lI]\d{2,}|\d+[lIO]\d+)(?![\w/])"),
    # a date or year cut by a space (``30.09.201 1``)
    "number cut": re.compile(r"\b\d{1,2}\.\d{2}\.\d{3} \d\b|\b(?:19|20)\d \d\b"),
    # a number run into a word (``2004privind``)
    "number glued": re.compile(r"\b\d{2,}[a-zăâîșț]{4,}"),
    # a glyph read for a letter inside a word (``CHI$INAU``, ``Chigin[u``, ``recep{ionarea``)
    "glyph in word": re.compile(r"(?<=[^\W\d_])[$\[{]+(?=[^\W\d_])"),
    # a digit read for a letter inside a word (``Adun6ri``, ``ChiEin5u``)
    "digit in word": re.compile(r"(?<!\w)[^\W\d_][a-zăâîșț]+\d[a-zăâîșț]{2,}(?!\w)"),
    # a letter read for a digit in a date's year (``16.08.2A19``)
    "letter in year": re.compile(r"\b\d{1,2}\.\d{2}\.(?:\d[A-Za-z]\d{2}|\d{2}[A-Za-z]\d|\d{3}[A-Za-z])\b"),
    # specks read as glyphs: ■ ¬ ™ stuck to text, a caret after a word, a stray ‘
    "junk glyph": re.compile(r"(?<=\S)[■¬¦™�]|[■¬¦™�](?=\S)|(?<=[^\W\d])\^(?=\s)|(?:^|\s)[‘`](?=\s)", re.M),
}

#: A text file is old OCR when it shows at least MIN_SIGNS signs and at least
#: SIGNS_PER_1000 per thousand words. Measured: typed texts (real ones and the
#: corpora) at most 0.9 per thousand words, old OCR texts at least 8.
MIN_SIGNS = 2
SIGNS_PER_1000 = 3.0

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Classification:
    """What a text file was taken for, and why."""

    source: str
    words: int
    signs: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "words": self.words,
            "ocr_signs": len(self.signs),
            "examples": [f"{kind}: {text.strip()}" for kind, text in self.signs[:5]],
        }


def ocr_signs(text: str) -> list[tuple[str, str]]:
    """The signs of OCR in ``text``: (kind, what was found).

    >>> ocr_signs("aflat Tn prezent, conform nrl62830 din 30.09.201 1")
    [('lookalike', ' Tn'), ('letter in number', 'nrl62830'), ('number cut', '30.09.201 1')]
    >>> ocr_signs("În anul 2021, art. 19^1 și TVA-ul: „Ședința” ™")
    []
    >>> [kind for kind, _ in ocr_signs("MUNICIPIUL CHI$INAU, Piața Marii Adun6ri, din 16.08.2A19")]
    ['glyph in word', 'digit in word', 'letter in year']
    >>> ocr_signs("US$ 100, [1] nota, {x}, covid19, 12A, nr. 2019/A, mp3-ul")
    []
    """
    return [(kind, m.group()) for kind, pattern in OCR_SIGNS.items() for m in pattern.finditer(text)]


def classify_text_file(text: str) -> Classification:
    """Old OCR or typed: old OCR when it shows enough signs of OCR for its length.

    >>> classify_text_file("Pe 8 aprilie a avut loc Tn sala mare ™ intalnirea Tn cadrul proiectului.").source
    'old-ocr'
    >>> classify_text_file("Consiliul Local a aprobat bugetul pe anul 2021.").source
    'typed'
    """
    signs = ocr_signs(text)
    words = len(_WORD.findall(text))
    old = len(signs) >= MIN_SIGNS and len(signs) * 1000 >= SIGNS_PER_1000 * max(words, 1)
    return Classification(OLD_OCR if old else TYPED, words, signs)


def runs_on(fixer: str, source: str) -> bool:
    """Whether ``fixer`` runs on text from ``source``.

    >>> runs_on("ocr_confusions", "text-layer"), runs_on("ocr_confusions", "ocr"), runs_on("diacritics", "typed")
    (False, True, True)
    """
    allowed = ONLY_ON.get(fixer)
    return allowed is None or source in allowed
