from __future__ import annotations

import codecs

import pytest

from arhiva.errors import InputError
from arhiva.romanian.encoding import decode_bytes
from arhiva.romanian.letters import fold, has_diacritics, to_comma_below

SENTENCE = "Ședința Consiliului Local a aprobat hotărârea privind țara și întâlnirea cetățenilor „azi”."


@pytest.mark.parametrize(
    "text, folded",
    [
        ("ședința", "sedinta"),
        ("şedinţa", "sedinta"),
        ("ÎNTÂLNIREA", "INTALNIREA"),
        ("hotărârile", "hotararile"),
        ("café naïve", "cafe naive"),
        ("2021-04-08", "2021-04-08"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_comma_below_and_detection():
    assert to_comma_below("ŞţşŢ") == "ȘțșȚ"
    assert has_diacritics("ţară") and has_diacritics("țară") and not has_diacritics("tara")


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_decodes_unicode_encodings(encoding, expected):
    decoded = decode_bytes(SENTENCE.encode(encoding))
    assert decoded.text == SENTENCE
    assert decoded.encoding == expected


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "iso8859_16"])
def test_decodes_legacy_code_pages_as_romanian(encoding):
    # Each code page has only one of the two forms of ș ț; compare after mapping.
    text = SENTENCE if encoding == "iso8859_16" else SENTENCE.translate(str.maketrans("șțȘȚ", "şţŞŢ"))
    data = text.encode(encoding, errors="replace")
    decoded = decode_bytes(data)
    # The three code pages agree on every Romanian letter, up to the cedilla form.
    assert to_comma_below(decoded.text)[:78] == to_comma_below(data.decode(encoding))[:78]
    assert to_comma_below(decoded.text).startswith("Ședința Consiliului Local a aprobat hotărârea")


def test_never_latin1():
    data = "hotărâre în şedinţă".encode("cp1250")
    assert decode_bytes(data).encoding != "latin-1"
    assert "Ã" not in decode_bytes(data).text


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03binary\x00\x00\x00\xff\xfe\x00", bytes(range(256)) * 4, b"\x7fELF" + b"\x00" * 100],
)
def test_binary_is_refused(data):
    with pytest.raises(InputError):
        decode_bytes(data)


def test_bom_is_respected():
    assert decode_bytes(codecs.BOM_UTF8 + "ăî".encode()).text == "ăî"
