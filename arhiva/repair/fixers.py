"""The fixers: each a pure function from text to (text, list of (before, after)).

A fixer reports what it changed, so the pipeline can keep a change log that an
auditor can read. Fixers must be idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from arhiva.repair.model import LONGEST_WORD
from arhiva.romanian.encoding import GAZETTE_FONT, LEGACY_FONT, POLISH_T_FONT
from arhiva.romanian.letters import CLITICS_AFTER, CLITICS_BEFORE, to_comma_below

Edits = list[tuple[str, str]]

# Soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ODD_SPACES = re.compile("[\u00a0\u2007\u202f\u2000-\u2006\u2008-\u200a]")


def unicode_nfc(text: str) -> tuple[str, Edits]:
    """Compose letters and marks into single characters (Unicode NFC).

    >>> unicode_nfc("s\\u0326i")[0] == "și"
    True
    """
    fixed = unicodedata.normalize("NFC", text)
    if fixed == text:
        return text, []
    return fixed, [(w, unicodedata.normalize("NFC", w)) for w in _changed_words(text, fixed)]


def mojibake(text: str) -> tuple[str, Edits]:
    """Undo text that was decoded with the wrong encoding (UTF-8 read as cp1252/latin-1).

    Uses ftfy's ``fix_encoding``, which only changes text when the fix is
    unambiguous; correct text passes through.

    >>> mojibake("Ã®ntÃ¢lnirea È™i Äƒ")[0]
    'întâlnirea și ă'
    >>> mojibake("Ședința „azi” ™")[0]
    'Ședința „azi” ™'

    UTF-8 read as the DOS code page cp852, which ftfy does not know, is undone
    letter by letter: a box-drawing character and the one after it that together
    are the UTF-8 bytes of a Romanian letter (``preg─âtirea ┼či`` is
    ``pregătirea şi``). A table's borders are left alone:

    >>> mojibake("preg─âtirea ┼či activit─â┼úi")[0]
    'pregătirea şi activităţi'
    >>> mojibake("├── anexa ─ 2 ┼─┼")[0]
    '├── anexa ─ 2 ┼─┼'
    """
    if text.isascii():
        return text, []
    edits: Edits = []
    if _DOS_LEAD.search(text):
        text = _fix_dos_letters(text, edits)
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(text):
        return text, edits

    def fix_run(match: re.Match[str]) -> str:
        run = match.group()
        fixed = ftfy.fix_encoding(run)
        if fixed != run:
            edits.append((run, fixed))
        return fixed

    return _MANGLED_RUN.sub(fix_run, text), edits


def _dos_letter(pair: str) -> str | None:
    """The Romanian letter whose UTF-8 bytes cp852 shows as ``pair``, or None."""
    try:
        letter = pair.encode("cp852").decode("utf-8")
    except UnicodeError:
        return None
    return letter if letter in _ROMANIAN_LETTERS else None


def _fix_dos_letters(text: str, edits: Edits) -> str:
    def fix_word(match: re.Match[str]) -> str:
        word = match.group()
        fixed = _DOS_PAIR.sub(lambda m: _dos_letter(m.group()) or m.group(), word)
        if fixed != word:
            edits.append((word, fixed))
        return fixed

    return _DOS_WORD.sub(fix_word, text)


_ROMANIAN_LETTERS = frozenset("ăâîșțşţĂÂÎȘȚŞŢ")
#: The first bytes of the UTF-8 Romanian letters (C3, C4, C5, C8) as cp852 shows them.
_DOS_LEAD = re.compile("[├─┼╚]")
_DOS_PAIR = re.compile("[├─┼╚][^\\s]")
#: A word with such pairs in it: letters, then pairs and letters.
_DOS_WORD = re.compile("[^\\W\\d_]*(?:[├─┼╚][^\\s][^\\W\\d_]*)+")


# UTF-8 read as cp1252 turns each non-ASCII letter into a run of two or three
# characters that cp1252 can show. Each such run is fixed with the ASCII
# letters around it (ftfy needs them to be sure), so correct letters next to
# it (ș, ț) are left alone and "Â " is never read as a mangled no-break space.
_CP1252_HIGH = bytes(range(0x80, 0x100)).decode("cp1252", "ignore").replace("\xa0", "")
_MANGLED_RUN = re.compile(f"[A-Za-z0-9]*(?:[{re.escape(_CP1252_HIGH)}]{{2,}}[A-Za-z0-9]*)+")


#: Pre-Unicode Romanian fonts, each family with the real letters it stands for and the letters of a
#: language whose own they are: ``º þ ã ª Þ`` for ``ș ț ă Ș Ț``, and the ``ț`` of fonts whose PDFs map it
#: to ``Ń`` and ``Ț`` to ``ł`` (``funcŃionare``, ``INSTITUłIEI``), which are Polish letters too.
_LEGACY_FAMILIES = (
    (LEGACY_FONT, "ășțĂȘȚşţŞŢ", None),
    (POLISH_T_FONT, "țȚţŢ", re.compile("[ąęśźżćĄĘŚŹŻĆ]")),
)
#: The Monitorul Oficial's font read through a Mac code page (``GAZETTE_FONT``): its ``„`` and ``‚`` are
#: quotes too, so they count and are mapped only after a letter (``adopt„``, never ``„Text”``).
_GAZETTE_QUOTES = "„‚"
_GAZETTE_ALL = re.escape("".join(GAZETTE_FONT))
_GAZETTE_NOT_QUOTES = re.escape("".join(ch for ch in GAZETTE_FONT if ch not in _GAZETTE_QUOTES))
#: Its letters counted: each inside a word, a quote only after a letter.
_GAZETTE_LETTER = re.compile(rf"(?<=[^\W\d_])[{_GAZETTE_ALL}]|[{_GAZETTE_NOT_QUOTES}](?=[^\W\d_])")
#: The real letters it stands for, and their cedilla forms: a text with more of them is not in that font.
_GAZETTE_REAL = "".join(GAZETTE_FONT.values()) + "ȚşţŞŢ"
#: The fewest such letters, of ``ă`` and ``ț`` (which no symbol stands for: ``∫`` and ``√`` are also
#: a formula's), for a text to be taken for that font.
GAZETTE_LETTERS = 3
#: A run of word characters and the font's letters, each run tried once (linear in the text's length).
_GAZETTE_WORD = re.compile(rf"[\w{_GAZETTE_ALL}]+")


def legacy_font(text: str) -> tuple[str, Edits]:
    """Map the letters of pre-Unicode Romanian fonts: º þ ã ª Þ for ș ț ă Ș Ț, and Ń ł for ț Ț.

    Each family is applied only to a document that uses its letters inside words more often
    than the real letters they stand for, so Portuguese ``São`` or ``20º`` in correct text
    stay, and never to one with Polish letters (``łódź``).

    >>> legacy_font("Hotãrârea privind ºedinþa de astãzi")[0]
    'Hotărârea privind ședința de astăzi'
    >>> legacy_font("Delegația a vizitat São Paulo și Brașov.")[0]
    'Delegația a vizitat São Paulo și Brașov.'
    >>> legacy_font("REGULAMENTUL DE ORGANIZARE ȘI FUNCłIONARE, DispoziŃii generale")[0]
    'REGULAMENTUL DE ORGANIZARE ȘI FUNCȚIONARE, Dispoziții generale'
    """
    edits: Edits = []
    for mapping, real_letters, foreign in _LEGACY_FAMILIES:
        letters = "".join(mapping)
        legacy = len(re.findall(rf"(?<=[^\W\d_])[{letters}]|[{letters}](?=[^\W\d_])", text))
        if legacy < 2 or sum(text.count(ch) for ch in real_letters) >= legacy or (foreign and foreign.search(text)):
            continue
        table = str.maketrans(mapping)

        def fix_word(match: re.Match[str]) -> str:
            word = match.group()
            fixed = word.translate(table)
            if fixed != word:
                edits.append((word, fixed))
            return fixed

        # every run of word characters, each tried once: ``\w*[º]\w*`` would try a long run again at each letter
        text = re.sub(rf"[\w{letters}]+", fix_word, text)
    return _gazette_font(text, edits)


def _gazette_font(text: str, edits: Edits) -> tuple[str, Edits]:
    """Map the Monitorul Oficial font's letters (:data:`GAZETTE_FONT`) in a text that uses them inside
    words more often than the real letters.

    >>> _gazette_font("Hot„r‚re privind stemele din jude˛ul Cara∫-Severin, „Stema” adopt„ Ón ac˛iune", [])[0]
    'Hotărâre privind stemele din județul Caraș-Severin, „Stema” adoptă în acțiune'
    >>> _gazette_font("Fie ∫f(x)dx și √a + √b, calculate „exact”.", [])[0]
    'Fie ∫f(x)dx și √a + √b, calculate „exact”.'
    """
    found = _GAZETTE_LETTER.findall(text)
    if (sum(1 for ch in found if ch in "„˛") < GAZETTE_LETTERS
            or sum(text.count(ch) for ch in _GAZETTE_REAL) >= len(found)):
        return text, edits

    def mapped(word: str, i: int) -> str:
        ch = word[i]
        after_letter = i > 0 and (word[i - 1].isalpha() or word[i - 1] in GAZETTE_FONT)
        return ch if ch in _GAZETTE_QUOTES and not after_letter else GAZETTE_FONT.get(ch, ch)

    def fix_word(match: re.Match[str]) -> str:
        word = match.group()
        fixed = "".join(mapped(word, i) for i in range(len(word)))
        if fixed != word:
            edits.append((word, fixed))
        return fixed

    return _GAZETTE_WORD.sub(fix_word, text), edits


#: Typographic ligatures, and the styled letters and digits of Unicode's mathematical alphabets
#: that social-media posts use for bold or italic text (``𝗖𝗲𝗻𝘁𝗿𝘂𝗹``).
_LIGATURES = re.compile("[\ufb00-\ufb06]|[\U0001d400-\U0001d7ff]+")


def ligatures(text: str) -> tuple[str, Edits]:
    """Spell out typographic ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) and styled letters (𝗖𝗲𝗻𝘁𝗿𝘂𝗹 𝘥𝘦 𝘻𝘪), which no
    one types in a search.

    >>> ligatures("ﬁnanțare ﬂexibilă")[0]
    'finanțare flexibilă'
    >>> ligatures("𝗖𝗲𝗻𝘁𝗿𝘂𝗹 𝗱𝗲 𝘇𝗶 „Ț𝗮𝗿𝗮 𝗠𝗶𝗻𝘂𝗻𝗶𝗹𝗼𝗿”, 𝟮𝟬𝟮𝟰")[0]
    'Centrul de zi „Țara Minunilor”, 2024'
    """
    edits: Edits = [(m.group(), unicodedata.normalize("NFKC", m.group())) for m in _LIGATURES.finditer(text)]
    if not edits:
        return text, []
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text), edits


#: Each starts at a word's start (the look-behind): tried inside a word, it would fail again at every letter.
_SOFT_HYPHEN_BREAK = re.compile("(?<![^\\W\\d_])([^\\W\\d_]+)\u00ad[ \t]*\n[ \t]*([^\\W\\d_]+)")


def invisible_characters(text: str) -> tuple[str, Edits]:
    """Drop soft hyphens and zero-width characters; make odd spaces plain spaces.

    A soft hyphen at a line end marks where the typesetter broke a word: the
    two halves are joined.

    >>> invisible_characters("pro\\u00adiect\\u00a0nou, pro\\u00ad\\niectul")[0]
    'proiect nou, proiectul'
    """
    edits: Edits = [(m.group(), m.group(1) + m.group(2)) for m in _SOFT_HYPHEN_BREAK.finditer(text)]
    if edits:
        text = _SOFT_HYPHEN_BREAK.sub(r"\1\2", text)
    edits += [(m.group(), "") for m in _INVISIBLE.finditer(text)]
    edits += [(m.group(), " ") for m in _ODD_SPACES.finditer(text)]
    if not edits:
        return text, []
    return _ODD_SPACES.sub(" ", _INVISIBLE.sub("", text)), edits


def comma_below(text: str) -> tuple[str, Edits]:
    """Replace cedilla ş ţ Ş Ţ by the correct comma-below ș ț Ș Ț.

    >>> comma_below("Şedinţa")[0]
    'Ședința'
    """
    fixed = to_comma_below(text)
    if fixed == text:
        return text, []
    return fixed, [(w, to_comma_below(w)) for w in _changed_words(text, fixed)]


_HYPHEN_BREAK = re.compile(r"(?<!\w)(\w+)-[ \t]*\n[ \t]*(\w+)")
#: What follows the hyphen after an acronym: its article and case endings (``TVA-ul``).
ACRONYM_ENDINGS = frozenset("ul ului uri urile urilor lui le lor ii ilor ei ele elor a".split())


def join_hyphenated_lines(text: str, *, known: Callable[[str], bool] | None = None) -> tuple[str, Edits]:
    """Join a word hyphenated across a line end when the joined form is a word; keep real hyphens.

    ``pro-`` / ``iectului`` becomes ``proiectului``, a word. The hyphen stays,
    and the halves are joined on one line, when it belongs to the word: around
    a clitic (``într-`` / ``un``), before an acronym's ending (``TVA-`` /
    ``ul``), between capitalised halves (``Cluj-`` / ``Napoca``) or numbers
    (``2020-`` / ``2021``), or between two words that make no word together
    (``nord-`` / ``est``, ``grad-`` / ``hectar``). Anything else (``TVA-`` /
    ``această``, halves that are not words) is left as it stands. ``known``
    says whether a string is a word (default: the Romanian lexicon).

    >>> join_hyphenated_lines("pro-\\niectului")[0]
    'proiectului'
    >>> join_hyphenated_lines("la Cluj-\\nNapoca, într-\\nun an, TVA-\\nul, nord-\\nest")[0]
    'la Cluj-Napoca, într-un an, TVA-ul, nord-est'
    >>> join_hyphenated_lines("fără TVA-\\naceastă sumă")[0]
    'fără TVA-\\naceastă sumă'
    """
    if known is None:
        from arhiva.repair.layout import _known as known
    edits: Edits = []

    def join(match: re.Match[str]) -> str:
        joined = _hyphen_join(match.group(1), match.group(2), known)
        if joined is None:
            return match.group()
        edits.append((match.group(), joined))
        return joined

    return _HYPHEN_BREAK.sub(join, text), edits


def _hyphen_join(left: str, right: str, known: Callable[[str], bool]) -> str | None:
    """The halves joined (with or without the hyphen), or None to leave the line break."""
    kept = f"{left}-{right}"
    if len(left) > LONGEST_WORD or len(right) > LONGEST_WORD:
        return None  # no word: left as it stands
    if left.lower() in CLITICS_BEFORE or right.lower() in CLITICS_AFTER:
        return kept
    if left.isdigit() and right.isdigit():
        return kept
    if not (left.isalpha() and right.isalpha()):
        return None
    if len(left) > 1 and left.isupper():  # an acronym
        return kept if right.lower() in ACRONYM_ENDINGS else None
    if right[:1].isupper():
        return kept if left[:1].isupper() else None
    if len(left) == 1:  # typesetters never leave one letter on a line: a real hyphen (``e-mail``)
        return kept if known(right) else None
    if known(left + right):
        return left + right
    if known(left) and known(right):
        return kept
    return None


def _changed_words(before: str, after: str) -> list[str]:
    """The words of ``before`` that the fix changed (for the log's examples)."""
    words = re.findall(r"\S+", before)
    return [w for w in words if w not in after][:50] or [before[:40]]
