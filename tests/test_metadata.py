"""Metadata extraction, with cases kept as data in tests/data/metadata/*.json.

A case has ``text`` (or ``file``, a path from the repository root, with
``"clean": true`` to run it through the clean-up first, as ingest does) and
``expected``: a field's value for ``date``, ``type``, ``title``, or a list of
items for ``dates``, ``references``, ``entities``, ``people``, each of which
must match some extracted item on the keys it gives. A field named in the
case's ``exact`` list must have exactly that many items. ``date_confidence``
and ``type_confidence`` are minimums. ``unsure`` lists the readings OCR was
unsure of, as ``[word, next word]`` pairs. Known failures are ``xfail`` (strict).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arhiva.metadata import Metadata, extract
from arhiva.repair import clean

ROOT = Path(__file__).parent.parent
CASES_DIR = Path(__file__).parent / "data" / "metadata"
LISTS = ("dates", "references", "entities", "people")


def load_cases():
    for path in sorted(CASES_DIR.glob("*.json")):
        for number, case in enumerate(json.loads(path.read_text("utf-8"))):
            marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("xfail") else []
            yield pytest.param(case, id=f"{path.stem}-{number}", marks=marks)


def case_text(case: dict) -> str:
    if "text" in case:
        return case["text"]
    text = (ROOT / case["file"]).read_text("utf-8")
    return clean(text).text if case.get("clean") else text


@pytest.mark.parametrize("case", list(load_cases()))
def test_case(case):
    got = extract(case_text(case), [tuple(pair) for pair in case.get("unsure", ())]).to_json()
    for field, expected in case["expected"].items():
        if field in LISTS:
            for item in expected:
                assert any(all(g.get(k) == v for k, v in item.items()) for g in got[field]), (
                    f"{field}: no {item} in {got[field]} ({case['comment']})"
                )
            if field in case.get("exact", []):
                assert len(got[field]) == len(expected), f"{field}: {got[field]} ({case['comment']})"
        elif field.endswith("_confidence"):
            assert got[field] >= expected, f"{field}: {got[field]} < {expected} ({case['comment']})"
        else:
            assert got[field] == expected, f"{field}: {got[field]!r} ({case['comment']})"


def test_json_round_trip():
    meta = extract(case_text({"file": "tests/data/texts/hotarare-buget.txt"}))
    data = meta.to_json()
    assert json.loads(json.dumps(data)) == data
    assert Metadata.from_json(data) == meta
    assert list(data) == [
        "date", "date_confidence", "dates", "type", "type_confidence", "title", "references", "entities", "people",
    ]


def test_offsets_point_into_the_text():
    text = case_text({"file": "samples/comunicat-urbact-ocr.txt", "clean": True})
    meta = extract(text)
    for item in (*meta.dates, *meta.references):
        assert text[item.start : item.end] == item.text
    for person in meta.people:
        assert text[person.start : person.end] == person.name


document_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["HOTĂRÂREA", "nr.", "din", "8", "aprilie", "2O21", "12.05.2021", "8.IV.2021", "-", "/", "\n", "Legea",
             "HCL", "45/2021", "Pe", "Primăria", "Proiectului", "DigiPlace", "Secretar general,", "Ioana Mureșan",
             "„", "”", "lunii", "mai", "joi,", "ș", "İ", "\x00", "  "]
        ),
        st.text(max_size=8),
    ),
    max_size=60,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(document_text)
def test_never_raises_and_is_json(text):
    data = extract(text).to_json()
    assert json.loads(json.dumps(data)) == data
    for date in data["dates"]:
        assert text[date["start"] : date["end"]] == date["text"]


def test_type_model_trains_deterministically_and_abstains():
    from arhiva.metadata import classifier

    docs = [("primaria informeaza cetatenii ca a avut loc sedinta", "comunicat de presă"),
            ("se organizeaza concurs pentru ocuparea postului vacant", "anunț")] * 2
    one, two = classifier.train(docs, min_df=1, keep=0.0), classifier.train(docs, min_df=1, keep=0.0)
    assert one == two
    assert json.loads(json.dumps(one)) == one
    assert classifier.predict(one, "organizeaza concurs pentru postul", threshold=0.5)[0] == "anunț"
    assert classifier.predict(one, "cuvinte fara legatura", threshold=0.99) is None


def test_shipped_type_model_is_small_and_complete():
    from arhiva.metadata import classifier

    path = classifier.MODEL_PATH
    assert path.stat().st_size < 400_000
    model = json.loads(path.read_text("utf-8"))
    assert "altul" in model["classes"] and "comunicat de presă" in model["classes"]
    assert 0.3 <= model["threshold"] < 1 and model["trained_on"] > 100
    assert len(model["bias"]) == len(model["classes"])
