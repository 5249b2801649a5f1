"""The clean-up fixers, with cases kept as data in tests/data/repair/*.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arhiva.repair import clean

CASES_DIR = Path(__file__).parent / "data" / "repair"


def load_cases():
    for path in sorted(CASES_DIR.glob("*.json")):
        for number, case in enumerate(json.loads(path.read_text("utf-8"))):
            marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("xfail") else []
            yield pytest.param(case, id=f"{path.stem}-{number}", marks=marks)


@pytest.mark.parametrize("case", list(load_cases()))
def test_case(case):
    assert clean(case["original"], origins=case.get("origins")).text == case["expected"], case["comment"]


def test_change_log_counts_and_examples():
    result = clean("Şedinţa din pro-\niectul ţării")
    log = {c.fixer: c for c in result.changes}
    assert log["comma_below"].count == 2
    assert ("Şedinţa", "Ședința") in [(e.before, e.after) for e in log["comma_below"].examples]
    assert [(e.before, e.after, e.page) for e in log["join_hyphenated_lines"].examples] == [
        ("pro-\niectul", "proiectul", 1)
    ]


def test_config_and_registry_are_one_list():
    """CleanConfig has one flag per fixer of the registry, in the order they run; the log keeps that order."""
    from dataclasses import fields

    from arhiva.repair.pipeline import FIXERS, REGISTRY, CleanConfig, check_registry

    check_registry()
    assert [f.name for f in fields(CleanConfig)] == [step.name for step in REGISTRY] == list(FIXERS)
    assert CleanConfig().enabled() == list(FIXERS)
    order = list(FIXERS)
    changes = [c.fixer for c in clean("Şedinţa din pro-\niectul ţării\n\nla Tn sedinta", origins="ocr").changes]
    assert changes == sorted(changes, key=order.index) and len(changes) >= 3


def test_a_disabled_fixer_does_not_run():
    from arhiva.repair.pipeline import CleanConfig

    assert clean("Şedinţa din pro-\niectul", CleanConfig(comma_below=False)).text == "Şedinţa din proiectul"
    assert clean("Sedinta din sala", CleanConfig(diacritics=False)).text == "Sedinta din sala"


def test_unchanged_text_has_empty_log():
    assert clean("Consiliul Local a aprobat bugetul.").changes == []


romanian_text = st.lists(
    st.sampled_from(list("abcdefghijklmnoprstuvzăâîșțşţĂÂÎȘȚ0123 -\n\f.,\u00ad\u00a0ºþãÃ") + ["s\u0326", "È™", "Ã®"]),
    max_size=200,
).map("".join)


@given(romanian_text)
def test_idempotent(text):
    once = clean(text).text
    assert clean(once).text == once


@given(romanian_text)
def test_never_drops_letters_or_digits_without_logging_it(text):
    """Each fixer that changes the letters or digits of a text says so in its log."""
    import unicodedata

    from arhiva.repair.pipeline import DEFAULT_CONFIG, FIXERS
    from arhiva.romanian.letters import fold

    def letters(s: str) -> str:
        return "".join(ch for ch in fold(unicodedata.normalize("NFC", s)) if ch.isalnum())

    for name in DEFAULT_CONFIG.enabled():
        fixed, edits = FIXERS[name](text)
        assert letters(fixed) == letters(text) or edits, name
        text = fixed


def test_no_word_of_the_lexicon_comes_near_the_longest_word():
    from importlib import resources

    from arhiva.repair.model import LONGEST_WORD

    table = resources.files("arhiva.romanian.data").joinpath("words.tsv").read_text("utf-8")
    longest = max(len(line.split("\t", 1)[0]) for line in table.splitlines())
    assert longest * 1.5 <= LONGEST_WORD


@pytest.mark.parametrize("origin", ["ocr", "old-ocr", "text-file", "typed"])
def test_tokens_too_long_for_a_word_are_left_alone(origin):
    # Letter by letter, diacritics restoration would spell it "ședințasedința…"; no fixer scores it.
    long = "sedinta" * 15
    text = f"Primaria anunta {long} si {'a' * 70}-\n{'b' * 70} in sala.\nIn {'x' * 80}"
    result = clean(text, origins=origin)
    for token in (long, "a" * 70 + "-\n" + "b" * 70, "x" * 80):
        assert token in result.text
    edited = " ".join(e.before + e.after for change in result.changes for e in change.examples)
    assert "aaaa" not in edited and "sedintased" not in edited and "xxxx" not in edited


@pytest.mark.parametrize("origin, expected", [
    ("typed", "Comisia naționala a decis."),
    ("text-layer", "Comisia naționala a decis."),
    ("ocr", "Comisia națională a decis."),
    ("old-ocr", "Comisia națională a decis."),
])
def test_a_marked_word_keeps_its_ending_only_where_no_page_is_ocr(origin, expected):
    # A writer who put the ț of naționala chose its -a; OCR's letters say nothing of it.
    assert clean("Comisia naționala a decis.", origins=origin).text == expected
