"""Fuzzing the text clean-up and the query parser: no crash, no exception escaping.

A short run is part of the default suite; ``pytest -m slow tests/test_fuzz.py``
runs 10,000 examples of each.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arhiva.errors import QueryError
from arhiva.repair import clean
from arhiva.search import IndexDoc, SearchIndex

ROMANIAN = "aăâbcdefghiîjklmnopqrsștțuvwxyzAĂÂBCDEFGHIÎJKLMNOPQRSȘTȚUVWXYZşţŞŢ0123456789"
PUNCTUATION = " \n\n\f\t.,;:!?-–—„”\"'()[]{}*~^:+/\\<>|&@#%\u00ad\u00a0\u200bºþãÃ©™Ã®È™"
QUERY_SYNTAX = ['"', "OR", "AND", "NOT", "-", "*", "?", "~", "~2", "(", ")", "[", "]", " to ", ":", "titlu:", "tip:",
                "data:", "data:2021-04", "^", "{", "}", "/", "\\"]

text = st.text(alphabet=st.sampled_from(list(ROMANIAN + PUNCTUATION)), max_size=400)
query_text = st.lists(st.one_of(st.sampled_from(QUERY_SYNTAX), st.text(alphabet=ROMANIAN, min_size=1, max_size=8)),
                      max_size=8).map(" ".join) | st.text(max_size=60)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex.create(tmp_path_factory.mktemp("fuzz") / "index")
    ix.add([IndexDoc("a" * 64, "Ședința", "Consiliul Local a aprobat bugetul.", "x.txt", "text/plain", 1,
                     datetime.now(timezone.utc), datetime(2021, 4, 8, tzinfo=timezone.utc), "hotărâre")])
    return ix


def check_clean(sample: str) -> None:
    result = clean(sample)
    assert isinstance(result.text, str)


def check_query(index, sample: str) -> None:
    try:
        index.search(sample, text_of=lambda _: "Consiliul Local a aprobat bugetul.")
    except QueryError as err:
        assert "\n" not in str(err)


@settings(max_examples=300, deadline=None)
@given(text)
def test_clean_never_crashes(sample):
    check_clean(sample)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_query_parser_never_crashes(index, sample):
    check_query(index, sample)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(text)
def test_clean_never_crashes_10000(sample):
    check_clean(sample)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_query_parser_never_crashes_10000(index, sample):
    check_query(index, sample)


def spans_the_plain_way(sample: str, wanted: list[tuple[str, set[str]]]) -> list[tuple[int, int]]:
    """Every word stemmed, no prefilter: what the snippet finder must find."""
    from arhiva.search.analyzer import word_terms, words_with_offsets

    return [(s, e) for s, e, word in words_with_offsets(sample)
            if any(term in found for field, found in wanted for term in word_terms(word).get(field, ()))]


words = st.text(alphabet=st.sampled_from(list(ROMANIAN + "éÉçİßﬁ")), min_size=1, max_size=10)


@settings(max_examples=2_000, deadline=None)
@given(st.lists(words | st.text(alphabet=st.sampled_from(list(PUNCTUATION)), max_size=3), max_size=40),
       st.lists(words, min_size=1, max_size=4))
def test_snippet_prefilter_finds_what_every_word_would(parts, query_words):
    """The snippet finder's regular-expression prefilter drops no matching word."""
    from arhiva.search.analyzer import word_terms
    from arhiva.search.snippets import _matched_spans

    sample = " ".join(parts + query_words[:1])
    wanted: dict[str, set[str]] = {}
    for word in query_words:
        for field, terms in word_terms(word.lower()).items():
            wanted.setdefault(field, set()).update(terms)
    pairs = list(wanted.items())
    assert list(_matched_spans(sample, pairs)) == spans_the_plain_way(sample, pairs)


# Input: decoding, text layers, file names, damaged files. No exception other than the one-line ArhivaError.

def _common_words() -> list[str]:
    from arhiva.romanian.lexicon import Lexicon

    counts = Lexicon.load().counts
    return sorted((w for w in counts if len(w) >= 3 and w.isalpha() and w.isascii()), key=lambda w: -counts[w])[:3000]


COMMON = _common_words()
DIACRITICS = "ăâîșțĂÂÎȘȚ"


def check_decoding(data: bytes) -> None:
    from arhiva.errors import InputError
    from arhiva.romanian.encoding import decode_bytes

    try:
        decoded = decode_bytes(data)
    except InputError as err:
        assert "\n" not in str(err)
        return
    decoded.text.encode("utf-8")  # no surrogates: it can be stored
    assert all("\n" not in note for note in decoded.notes)


any_bytes = st.binary(max_size=600)


@settings(max_examples=500, deadline=None)
@given(any_bytes)
def test_any_bytes_decode_or_are_refused_in_one_line(data):
    check_decoding(data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(any_bytes)
def test_any_bytes_decode_or_are_refused_in_one_line_10000(data):
    check_decoding(data)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(ROMANIAN + " \n.,")), min_size=20, max_size=300),
       st.text(alphabet=st.sampled_from(list(DIACRITICS)), min_size=10, max_size=30), st.randoms())
def test_utf8_with_one_damaged_byte_is_still_utf8(text, diacritics, rng):
    from arhiva.romanian.encoding import decode_bytes

    words = text.split() or ["text"]
    mixed = " ".join(w + (diacritics[i] if i < len(diacritics) else "") for i, w in enumerate(words))
    mixed += " " + diacritics[len(words):]
    data = bytearray(mixed.encode("utf-8"))
    data[rng.randrange(len(data))] = 0xFF  # never valid in UTF-8
    decoded = decode_bytes(bytes(data))
    assert decoded.encoding == "utf-8" and len(decoded.notes) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_layer_gets_a_verdict(text):
    from arhiva.ingest.pdf import text_layer_is_usable, text_layer_problem

    problem = text_layer_problem(text)
    assert problem is None or (problem and "\n" not in problem)
    assert text_layer_is_usable(text) is (problem is None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(COMMON), min_size=8, max_size=40, unique=True), st.sampled_from([1, 2, 3, -1, -2]))
def test_words_are_trusted_and_their_shifted_glyphs_are_not(words, shift):
    # Distinct words, as in a page of text: eight copies of one shifted word
    # can read like a language by their letter pairs alone.
    from arhiva.ingest.pdf import text_layer_is_usable
    from arhiva.testing.hostile import shift_letters

    text = " ".join(words) + "."
    assert text_layer_is_usable(text)
    assert not text_layer_is_usable(shift_letters(text, shift))


@settings(max_examples=500, deadline=None)
@given(st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_any_file_name_has_a_readable_form(name):
    import os

    from arhiva.files import display_path

    shown = display_path(os.fsdecode(name))
    shown.encode("utf-8")
    try:
        assert shown == name.decode("utf-8")
    except UnicodeDecodeError:
        assert "\\x" in shown


def _seed_files() -> dict[str, bytes]:
    import io

    from PIL import Image

    from arhiva.testing.hostile import minimal_pdf

    png = io.BytesIO()
    Image.new("L", (40, 30), 255).save(png, format="PNG")
    content = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Consiliul Local) Tj ET\nendstream"
    pdf = minimal_pdf(b"/MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
                      b"/BaseFont /Helvetica >> >> >>", content)
    return {"png": png.getvalue(), "pdf": pdf,
            "txt": "Consiliul Local a aprobat în ședința din 8 aprilie bugetul.\f".encode("utf-8")}


SEEDS = _seed_files()


damage = st.tuples(st.sampled_from(sorted(SEEDS)),
                   st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
                   st.integers(min_value=0))


def check_damaged_file(kind: str, changes: list[tuple[int, int]], cut: int) -> None:
    """Bytes changed, and the file cut short: a plan, or an ArhivaError; never another exception."""
    import tempfile
    from pathlib import Path

    from arhiva.errors import ArhivaError
    from arhiva.ingest import plan_document, run_page_job
    from arhiva.limits import Limits
    from tests.conftest import FakeEngine

    data = bytearray(SEEDS[kind])
    for at, value in changes:
        data[at % len(data)] = value
    data = data[: max(1, len(data) - cut % (len(data) // 2 + 1))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fisier.{kind}"
        path.write_bytes(bytes(data))
        try:
            plan = plan_document(path, Limits(megapixels=1))
            for _, page in plan.jobs[:2]:
                run_page_job(page, FakeEngine(), Limits(megapixels=1))
        except ArhivaError as err:
            assert "\n" not in str(err)


@settings(max_examples=300, deadline=None)
@given(damage)
def test_damaged_files_are_read_or_refused_in_one_line(case):
    check_damaged_file(*case)


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None)
@given(damage)
def test_damaged_files_are_read_or_refused_in_one_line_5000(case):
    check_damaged_file(*case)
