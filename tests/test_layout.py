"""The layout fixers, with cases kept as data in tests/data/layout/<fixer>.json.

The fixers that need to know words get a vocabulary made from the expected texts
of the (non-xfail) cases, so these tests do not depend on the shipped lexicon.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arhiva.repair import layout
from arhiva.romanian.letters import fold

CASES_DIR = Path(__file__).parent / "data" / "layout"
FIXER_NAMES = ["remove_running_headers", "reattach_fragments", "join_split_words", "join_drop_capitals", "join_paragraph_lines"]
NEEDS_WORDS = {"reattach_fragments", "join_split_words", "join_drop_capitals"}


def read_cases(name: str) -> list[dict]:
    return json.loads((CASES_DIR / f"{name}.json").read_text("utf-8"))


def _vocabulary() -> frozenset[str]:
    words = {"lamai"}  # lămâi: a real word that ``la`` + ``mai`` would make
    for name in FIXER_NAMES:
        if name == "remove_running_headers":  # needs no words; its cases would add names
            continue
        for case in read_cases(name):
            if not case.get("xfail"):
                words.update(re.findall(r"[^\W\d_]+", fold(case["expected"]).lower()))
    return frozenset(words)


VOCABULARY = _vocabulary()


def known(word: str) -> bool:
    return fold(word).lower() in VOCABULARY


def fixer(name: str):
    function = getattr(layout, name)
    return partial(function, known=known) if name in NEEDS_WORDS else function


def load_cases():
    for name in FIXER_NAMES:
        for number, case in enumerate(read_cases(name)):
            marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("xfail") else []
            yield pytest.param(name, case, id=f"{name}-{number}", marks=marks)


@pytest.mark.parametrize(("name", "case"), list(load_cases()))
def test_case(name, case):
    assert fixer(name)(case["original"], **case.get("options", {}))[0] == case["expected"], case["comment"]


def test_every_fixer_has_cases():
    assert sorted(p.stem for p in CASES_DIR.glob("*.json")) == sorted(FIXER_NAMES)


def test_edits_name_what_changed():
    text = "Primaria informeaza ca incepand de luni\n\nprog\n\nramul se modifica."
    assert fixer("reattach_fragments")(text)[1] == [("prog\nramul", "programul")]
    text = "Bugetul alocat prin program acestor activitati este\nde maxim 10.000 euro."
    assert layout.join_paragraph_lines(text)[1] == [("este\nde", "este de")]
    pages = "\f".join(f"ANUNȚ\nText {n}.\n" for n in range(3))
    assert layout.remove_running_headers(pages)[1] == [("ANUNȚ", "", 2), ("ANUNȚ", "", 3)]


def test_unchanged_text_has_no_edits():
    for name in FIXER_NAMES:
        assert fixer(name)("Consiliul Local a aprobat bugetul.\n\nȘedința a fost publică.") == (
            "Consiliul Local a aprobat bugetul.\n\nȘedința a fost publică.",
            [],
        )


def test_fallback_word_list():
    assert layout._fallback_known("Proiectului") and layout._fallback_known("ACȚIUNE")
    assert not layout._fallback_known("sealeg")


def test_default_known_is_used_without_argument():
    """Called as the pipeline calls it, with the text alone (lexicon or fallback)."""
    text = "Consiliul a aprobat in cadrul\n\npro\n\niectului aflat in derulare bugetul."
    expected = "Consiliul a aprobat in cadrul\nproiectului aflat in derulare bugetul."
    assert layout.reattach_fragments(text)[0] == expected


# Text made of the pieces the fixers react to, shuffled by hypothesis.
PIECES = [
    "pro", "iectului", "Act", "iune", "se", "aleg", "mu", "Itor", "bugetul local", "ANUNȚ", "Primar",
    "Ion Popescu", "Pagina 2 din 3", "- 4 -", "7", "PRIMĂRIA TURDA", "cererea;", "Consiliul Local a aprobat",
    ".", ",", ";", ":", " ", " ", "\n", "\n", "\n\n", "\f", "\n\f", "a", "ș", "I", "0",
]
layout_text = st.lists(
    st.sampled_from(PIECES) | st.text("abcăîșț .,;\n\f0", max_size=6), max_size=60
).map("".join)


def alnum(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch.isalnum())


@pytest.mark.parametrize("name", FIXER_NAMES)
@settings(max_examples=200, deadline=None)
@given(text=layout_text)
def test_idempotent(name, text):
    once, _ = fixer(name)(text)
    assert fixer(name)(once) == (once, [])


@pytest.mark.parametrize("name", ["reattach_fragments", "join_split_words", "join_paragraph_lines"])
@settings(max_examples=200, deadline=None)
@given(text=layout_text)
def test_never_drops_letters_or_digits(name, text):
    assert alnum(fixer(name)(text)[0]) == alnum(text)


@settings(max_examples=200, deadline=None)
@given(text=layout_text)
def test_headers_drop_only_whole_lines_they_report(text):
    fixed, edits = layout.remove_running_headers(text)
    pages = [page.split("\n") for page in text.split("\f")]
    assert all(after == "" and before in pages[page - 1] for before, after, page in edits)
    assert alnum(fixed) + alnum("".join(before for before, _, _ in edits)) == alnum(text)
    kept = {" ".join(line.split()) for line in fixed.replace("\f", "\n").split("\n")}
    for before, _, _ in edits:  # a running line's first occurrence stays; only page numbers go whole
        assert " ".join(before.split()) in kept or layout._PAGE_NUMBER.fullmatch(before.strip())
    if "\f" not in text:
        assert fixed == text


def _join_paragraph_lines_by_whole_lines(text: str, across_blank_lines: bool) -> tuple[str, list]:
    """join_paragraph_lines as first written: every decision asks _continues of the whole line joined so far."""
    lines, out, edits, a = text.split("\n"), [], [], 0
    while a < len(lines):
        line = lines[a]
        while line.strip():
            b = layout._next_text(lines, a)
            gap = b is not None and b - a > 1
            if b is None or (gap and (not across_blank_lines or "\f" in "".join(lines[a:b]))):
                break
            if not layout._continues(line, lines[b], gap):
                break
            right = lines[b].strip()
            last, first = line.split()[-1], right.split()[0]
            edits.append((last + "\n" * (b - a) + first, f"{last} {first}"))
            line, a = line.rstrip() + " " + right, b
        out.append(line)
        a += 1
    return "\n".join(out), edits


# Lines that are joined, or stand alone only once joined: capitals, spaced letters, columns, contacts.
PARAGRAPH_PIECES = [
    "a", "A", "B C", "D E F", "x |", "| y", "tel", "e-mail", "www.x.ro", "    ", "\t", "al", "nr.", "2021",
    "Consiliul Local a aprobat", "bugetul pe anul", "rândul 17 al tabelului", "ANUNȚ PUBLIC", "AB", "ș", "1.",
    "a)", "Art. 2", "-", ".", ";", " ", " ", "\n", "\n", "\n\n", "\n  \n",
]


@settings(max_examples=500, deadline=None)
@given(
    text=st.lists(st.sampled_from(PARAGRAPH_PIECES) | st.text("aAbBș |.;\n\t", max_size=5), max_size=80).map("".join),
    across=st.booleans(),
)
def test_paragraph_lines_as_by_whole_lines(text, across):
    # The joined line's state is kept up to date line by line: the same decisions as asking of it whole.
    assert layout.join_paragraph_lines(text, across_blank_lines=across) == _join_paragraph_lines_by_whole_lines(
        text, across
    )
