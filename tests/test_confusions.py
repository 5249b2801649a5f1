"""OCR confusion repair for old OCR text files (engines without Romanian letters).

Cases are data in tests/data/confusions/old_ocr.json; the corrector for
Tesseract ``ron`` output has its cases in tests/data/language/confusions.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arhiva.repair.confusions import Channel, repair_old_ocr

CASES = Path(__file__).parent / "data" / "confusions" / "old_ocr.json"


def load_cases():
    for number, case in enumerate(json.loads(CASES.read_text("utf-8"))):
        marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("xfail") else []
        yield pytest.param(case, id=f"old_ocr-{number}", marks=marks)


@pytest.mark.parametrize("case", list(load_cases()))
def test_case(case):
    assert repair_old_ocr(case["original"])[0] == case["expected"], case["comment"]


def test_edits_are_reported():
    text, edits = repair_old_ocr("a fost trimis cAtre primarie jn cadrul proiectului")
    assert edits == [("cAtre", "către"), ("jn", "în")]
    assert repair_old_ocr(text) == (text, [])


def test_channel_is_learnt_data():
    channel = Channel.load("eng")
    assert dict(channel.reverse["d"])["ă"] > dict(channel.reverse.get("a", ())).get("d", -99)  # d is ă far more than a
    assert channel.alone["0"][0] == "o"
    assert Channel.load("eng") is channel


words = st.sampled_from(
    "si in sa ca sau tara fata sedinta consiliul local primaria bugetul chiriei darii fonica "
    "URBACT DigiPlace 2021 www.primaria.ro a i s t o Ana".split()
)
text = st.lists(st.tuples(words, st.sampled_from([" ", ", ", ". ", "\n", "\n\n"])), max_size=40).map(
    lambda pairs: "".join(word + sep for word, sep in pairs)
)


@settings(max_examples=200, deadline=None)
@given(text)
def test_old_ocr_repair_leaves_words_alone(sample):
    assert repair_old_ocr(sample) == (sample, [])
