"""Decoding text files that hold Romanian: UTF-8/16 or a legacy 8-bit code page.

Old OCR output comes in whatever encoding the machine that made it used. We
never guess latin-1: among the 8-bit code pages that can carry Romanian
(cp1250, ISO-8859-2, ISO-8859-16) we pick the one whose decoding looks most like
Romanian text.

A UTF-8 file with a few damaged bytes (a bad sector, a cut-and-paste from a
legacy program) is still UTF-8: when most of its non-ASCII characters are
valid UTF-8, it is read as UTF-8 with the bad bytes replaced by U+FFFD, and the
decoding says how many (:attr:`DecodedText.notes`). Text in a legacy code page
read as UTF-8 is the opposite: nearly every non-ASCII byte is invalid.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from arhiva.errors import InputError
from arhiva.romanian.letters import DIACRITIC_LETTERS

#: 8-bit code pages tried, in order of preference when they tie.
LEGACY_ENCODINGS = ("cp1250", "iso8859_16", "iso8859_2")
#: Text is read as damaged UTF-8 when at most this share of its non-ASCII
#: sequences are invalid, and at least MIN_VALID_UTF8 are valid. Measured by
#: bench/encoding_eval.py on 564 Romanian texts: in a legacy code page, 0.97 or
#: more of their sequences are invalid; in UTF-8 with one byte damaged, 0.11 at
#: most, and with 1% of all bytes overwritten at random, 0.24 (95th percentile).
MAX_INVALID_UTF8_SHARE = 0.5
MIN_VALID_UTF8 = 3

#: Pre-Unicode Romanian fonts, as their text layers show ș ț ă Ș Ț (``Hotãrârea``, ``ºedinþa``); the ``ț``
#: and ``Ț`` of fonts whose PDFs map them to Polish letters (``funcŃionare``, ``INSTITUłIEI``); and the
#: Monitorul Oficial's font of the 1990s and 2000s read through a Mac code page (``Hot„r‚re``, ``jude˛ul``,
#: ``HOT√R¬RE``), whose ``„`` and ``‚`` are quotes too. Mapped by repair's ``legacy_font``.
LEGACY_FONT = {"º": "ș", "ª": "Ș", "þ": "ț", "Þ": "Ț", "ã": "ă", "Ã": "Ă"}
POLISH_T_FONT = {"Ń": "ț", "ł": "Ț"}
GAZETTE_FONT = {"„": "ă", "‚": "â", "˛": "ț", "∫": "ș", "Ó": "î", "√": "Ă", "¬": "Â", "™": "Ș", "Œ": "Î"}

_ROMANIAN = set(DIACRITIC_LETTERS + "şţŞŢ")
_PUNCTUATION = set("„”“«»–—…’‘")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    #: What the decoding had to do, for the manifest (bytes replaced, and why).
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data`` as text, detecting its encoding.

    Raises :class:`InputError` when the bytes are not text at all.

    >>> decode_bytes("ședință".encode("utf-8")).encoding
    'utf-8'
    >>> decode_bytes("şedinţă în ţară".encode("cp1250")).text
    'şedinţă în ţară'
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(data, utf16)
    if b"\x00" in data:
        raise InputError("binary data, not text (it contains NUL bytes)")
    invalid, valid = utf8_damage(data)
    if not invalid:
        return _checked(data, "utf-8")
    if valid >= MIN_VALID_UTF8 and invalid <= MAX_INVALID_UTF8_SHARE * (invalid + valid):
        return _replaced(data, "utf-8", f"not valid UTF-8 (the text has {valid} valid non-ASCII characters)")
    best = max(LEGACY_ENCODINGS, key=lambda enc: _romanian_score(data.decode(enc, "replace")))
    return _replaced(data, best, f"that {best} does not define")


def utf8_damage(data: bytes) -> tuple[int, int]:
    """Read as UTF-8, the number of invalid byte sequences in ``data`` and of valid non-ASCII characters.

    >>> utf8_damage("ședința bugetului".encode() + b"\\xff")
    (1, 2)
    >>> utf8_damage("şedinţa bugetului".encode("cp1250"))
    (2, 0)
    """
    text = data.decode("utf-8", "replace")
    genuine = data.count("\ufffd".encode())  # a U+FFFD written in the file is not damage
    invalid = text.count("\ufffd") - genuine
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return invalid, non_ascii - invalid - genuine


def _replaced(data: bytes, encoding: str, why: str) -> DecodedText:
    """``data`` decoded with the bytes it cannot decode replaced by U+FFFD, and a note saying how many and why.

    >>> _replaced(b"ab\\x81", "cp1250", "that cp1250 does not define").notes
    ('1 byte sequence(s) that cp1250 does not define replaced by U+FFFD',)
    """
    text = data.decode(encoding, "replace")
    decoded = _checked_text(text, encoding)
    replaced = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
    if not replaced:
        return decoded
    return DecodedText(decoded.text, decoded.encoding, (f"{replaced} byte sequence(s) {why} replaced by U+FFFD",))


def _checked(data: bytes, encoding: str) -> DecodedText:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"not valid {encoding} text") from err
    return _checked_text(text, encoding)


def _checked_text(text: str, encoding: str) -> DecodedText:
    if _control_share(text) > 0.01:
        raise InputError("binary data, not text (too many control characters)")
    return DecodedText(text, encoding.replace("-sig", ""))


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot UTF-16 by its NUL bytes in every other position (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.6 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.6 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def _romanian_score(text: str) -> float:
    """How Romanian a decoding looks: its letters count for, oddities against."""
    score = 0.0
    for ch in text:
        if ch in _ROMANIAN or ch in _PUNCTUATION:
            score += 1
        elif ch.isascii() or ch.isspace():
            continue
        elif not ch.isprintable() or ch == "\ufffd":
            score -= 3
        else:
            score -= 0.5
    return score


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / len(text)
