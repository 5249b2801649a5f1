"""The lexicon, diacritics restoration and OCR confusion repair, on the shipped data only.

Cases are data in tests/data/language/*.json, one file per fixer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arhiva.repair.confusions import repair_ocr_confusions
from arhiva.repair.diacritics import NOT_PROSE, restore_diacritics
from arhiva.romanian.letters import fold
from arhiva.repair.model import ContextModel
from arhiva.romanian.lexicon import Lexicon

CASES_DIR = Path(__file__).parent / "data" / "language"


def not_prose(text: str) -> tuple[str, None]:
    """The spans that diacritics and OCR repair leave alone, joined by `` | ``."""
    return " | ".join(m.group() for m in NOT_PROSE.finditer(text)), None


FIXERS = {"diacritics": restore_diacritics, "confusions": repair_ocr_confusions, "not_prose": not_prose}


def load_cases():
    for path in sorted(CASES_DIR.glob("*.json")):
        for number, case in enumerate(json.loads(path.read_text("utf-8"))):
            marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("xfail") else []
            yield pytest.param(path.stem, case, id=f"{path.stem}-{number}", marks=marks)


@pytest.mark.parametrize("fixer, case", list(load_cases()))
def test_case(fixer, case):
    assert FIXERS[fixer](case["original"])[0] == case["expected"], case["comment"]


@pytest.mark.parametrize("run", ["a-", "a.", "a.-", "-a", "a_"])
def test_addresses_are_tried_only_where_a_run_starts(run):
    # What keeps NOT_PROSE linear on long runs (``a-a-a-…``): inside a run of
    # letters, dots and hyphens no match can start, so no try reads on to the
    # run's end from each of its words.
    text = "x " + run * 40 + "primaria.ro"
    first = NOT_PROSE.search(text)
    assert first is not None and first.end() == len(text) and first.start() <= 3
    assert all(NOT_PROSE.match(text, at) is None for at in range(first.start() + 1, len(text) - len("primaria.ro")))


@pytest.mark.parametrize("origin", ["ocr", "old-ocr", "text-file"])
def test_a_long_run_of_hyphenated_letters_is_left_alone(origin):
    from arhiva.repair import clean

    run = "a-" * 8000 + "a"
    result = clean("Primăria a anunțat ședința consiliului local. " + run, origins=origin)
    assert run in result.text
    assert not any("a-a" in e.before for change in result.changes for e in change.examples)


def test_lexicon_is_loaded_once():
    assert Lexicon.load() is Lexicon.load()


def test_lexicon_api():
    lexicon = Lexicon.load()
    assert lexicon.count("și") > 10_000
    assert lexicon.count("Și") == 0  # forms are lowercase
    assert lexicon.knows("SEDINTA") and lexicon.knows("ședința") and lexicon.knows("Şedinţa")
    assert not lexicon.knows("URBACT")
    forms = lexicon.forms("sa")
    assert forms[0][0] == "să" and "sa" in dict(forms)
    assert [count for _, count in forms] == sorted((count for _, count in forms), reverse=True)
    assert lexicon.forms("xyzzy") == []


def test_lexicon_from_tables():
    words = "sala\t22\nsală\t65\nde\t900\nșa\t3\n"  # not sorted by key: sorted when read
    context = "L\tsala\t3\t22\tin 11 <s> 4\nL\tsală\t2\t65\tin 23\nL\t<s>\t1\t7\t<s> 7\n"
    letters = "C\t^Inz\tî\nC\taTi\tț\n"
    lexicon = Lexicon.from_table(words)
    model = ContextModel.from_tables(lexicon, context, letters)
    assert lexicon.forms("sala") == [("sală", 65), ("sala", 22)]
    assert lexicon.forms("sa") == [("șa", 3)] and lexicon.forms("xyz") == []
    assert lexicon.folded_count("sala") == 87 and lexicon.count("sala") == 22 and lexicon.total == 990
    assert lexicon.knows("SALA") and not lexicon.knows("salam")
    assert lexicon.counts["de"] == 900
    assert model.lexicon is lexicon and model.total == 990
    assert model.context["L"]["sala"] == {"in": 11, "<s>": 4}
    assert model.context_types["L"]["sala"] == 3 and model.context_totals["L"]["sala"] == 22  # pairs not listed count
    assert model.neighbour_count("<s>") == 7 and model.neighbour_count("sala") == 87  # sentences seen; any spelling
    assert lexicon.folded_count("<s>") == 0  # the lexicon knows words, not sentences
    assert model.letters == {"^Inz": "î", "aTi": "ț"}


def test_model_is_loaded_once_over_the_shared_lexicon():
    assert ContextModel.load() is ContextModel.load()
    assert ContextModel.load().lexicon is Lexicon.load()


def test_edits_are_reported():
    text, edits = restore_diacritics("Sedinta consiliului a avut loc in sala de sedinte.")
    assert ("Sedinta", "Ședința") in edits and ("in", "în") in edits
    assert restore_diacritics(text) == (text, [])


romanian_words = st.sampled_from(
    "și în să că sa ca sau său țara tara fată fata ședința sedinta consiliul local URBACT DigiPlace "
    "primăria primaria bugetul 2021 www.primaria.ro a i s t Ana".split()
)
romanian_text = st.lists(st.tuples(romanian_words, st.sampled_from([" ", ", ", ". ", "\n", "\n\n"])), max_size=40).map(
    lambda pairs: "".join(word + sep for word, sep in pairs)
)


@settings(max_examples=200, deadline=None)
@given(romanian_text)
def test_restoration_only_adds_diacritics(text):
    restored, _ = restore_diacritics(text)
    assert fold(restored) == fold(text)
    assert len(restored) == len(text)
    for before, after in zip(text, restored):
        assert before == after or (before, after) in {
            ("a", "ă"), ("a", "â"), ("i", "î"), ("s", "ș"), ("t", "ț"),
            ("A", "Ă"), ("A", "Â"), ("I", "Î"), ("S", "Ș"), ("T", "Ț"),
        }


@settings(max_examples=200, deadline=None)
@given(romanian_text)
def test_restoration_is_idempotent(text):
    once, _ = restore_diacritics(text)
    assert restore_diacritics(once)[0] == once


@settings(max_examples=200, deadline=None)
@given(romanian_text)
def test_confusion_repair_leaves_known_words_alone(text):
    assert repair_ocr_confusions(text) == (text, [])


def test_punctuation_between_words_is_a_neighbour():
    """A comma, a bracket or quote, or a dash between two words is their neighbour, as build_langdata counts it."""
    from arhiva.repair import diacritics

    text = "Spune, ca (vezi) sau – nu. Apoi ca"
    paragraph = diacritics._paragraph(text, 0, len(text), ContextModel.load(), {})
    ca = paragraph.words.index("ca")
    assert diacritics._neighbours(paragraph, ca)["L"] == "," and diacritics._neighbours(paragraph, ca)["L2"] == "spune"
    assert diacritics._neighbours(paragraph, ca)["R"] == "(" and diacritics._neighbours(paragraph, ca)["R2"] == "vezi"
    sau = paragraph.words.index("sau")
    assert [diacritics._neighbours(paragraph, sau)[side] for side in ("L", "L2", "R")] == [")", "vezi", "-"]
    last = len(paragraph) - 1  # a new sentence: no mark carried over its start
    assert [diacritics._neighbours(paragraph, last)[side] for side in ("L", "L2")] == ["apoi", "<s>"]


def test_build_counts_the_neighbours_restoration_reads():
    """scripts/build_langdata.py counts, for each side, the neighbour that restore_diacritics looks up."""
    import sys
    from collections import Counter
    from pathlib import Path

    from arhiva.repair import diacritics

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    try:
        import build_langdata
    finally:
        sys.path.pop(0)
    text = "Spune, ca (vezi) sau – nu. Apoi ca"
    counts = Counter({"ca": 1, "că": 1, "sau": 1, "său": 1, "spune": 1, "vezi": 1, "nu": 1, "apoi": 1})
    counted = build_langdata.count_contexts([text], {"ca", "sau"}, counts)
    paragraph = diacritics._paragraph(text, 0, len(text), ContextModel.load(), {})
    read = Counter()
    for i, word in enumerate(paragraph.words):
        if word in ("ca", "sau"):
            for side, neighbour in diacritics._neighbours(paragraph, i).items():
                read[(side, neighbour, word)] += 1
    assert read == Counter({key: n for key, n in counted.items() if key[1:] != ("<s>", "<s>") or key[0] != "L"})


def test_build_leaves_out_the_extra_corpora_named_in_without(tmp_path):
    """build_langdata --without NAME reads the other extra corpora and not that one."""
    import gzip
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    try:
        import build_langdata
    finally:
        sys.path.pop(0)
    corpora, extra = tmp_path / "corpora", tmp_path / "extra"
    corpora.mkdir()
    for name in build_langdata.CORPORA:
        with gzip.open(corpora / name, "wt", encoding="utf-8") as out:
            out.write(json.dumps({"id": name, "text": "Consiliul local a aprobat bugetul."}) + "\n")
    speeches = extra / "RomanianPresidentialDiscourses" / "disc"
    speeches.mkdir(parents=True)
    (speeches / "X_texts.txt").write_text(
        "\n".join(f"Discursul numărul {i} al președintelui României." for i in range(40)), "utf-8"
    )
    sts = extra / "RO-STS" / "dataset" / "ro-en"
    sts.mkdir(parents=True)
    for part in ("train", "dev"):
        (sts / f"RO-STS.{part}.ro").write_text(
            "\n".join(f"Propoziția {part} numărul {i} despre știri." for i in range(40)), "utf-8"
        )
    (extra / "UD_Romanian-SiMoNERo").mkdir()
    (extra / "UD_Romanian-SiMoNERo" / "ro_simonero-ud-dev.conllu").write_text(
        "".join(f"# text = Pacientul {i} a fost tratat în spital.\n1\tx\n\n" for i in range(40)), "utf-8"
    )
    (extra / "NTREX" / "NTREX-128").mkdir(parents=True)
    (extra / "NTREX" / "NTREX-128" / "newstest2019-ref.ron.txt").write_text(
        "\n".join(f"Știrea {i} a apărut ieri." for i in range(40)), "utf-8")
    (extra / "flores").mkdir()
    for part in ("dev", "devtest"):
        (extra / "flores" / f"ron_Latn.{part}").write_text(
            "\n".join(f"Ghidul {part} {i} descrie orașul." for i in range(40)), "utf-8")
    (extra / "xquad").mkdir()
    paragraphs = [{"context": f"Articolul {i} despre râuri.", "qas": [{"question": "Întrebarea?"}]} for i in range(40)]
    (extra / "xquad" / "xquad.ro.json").write_text(json.dumps({"data": [{"paragraphs": paragraphs}]}), "utf-8")
    (extra / "wmt24pp").mkdir()
    rows = [{"target": f"Traducerea {i} a textului.", "is_bad_source": False} for i in range(40)]
    rows.append({"target": "Sursa rea.", "is_bad_source": True})
    (extra / "wmt24pp" / "en-ro_RO.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")

    def texts(without=()):
        train, held = build_langdata.split_corpora(corpora, False, extra, without)
        return " ".join(train + [line for _, lines in held for line in lines])

    everything = texts()
    assert "Discursul" in everything and "Propoziția" in everything and "Pacientul" in everything
    assert all(word in everything for word in ("Știrea", "Ghidul", "Articolul", "Traducerea"))
    assert "Întrebarea" not in everything and "Sursa rea" not in everything  # questions and bad sources are no prose
    left = texts(["presidential-speeches"])
    assert "Discursul" not in left and "Propoziția" in left and "Pacientul" in left
    with pytest.raises(ValueError):
        texts(["no-such-corpus"])
