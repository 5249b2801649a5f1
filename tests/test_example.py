"""The example communiqué, exactly as an old OCR run left it, against a careful transcription."""

from __future__ import annotations

from pathlib import Path

from arhiva.repair import clean
from arhiva.testing.metrics import word_error_rate

ROOT = Path(__file__).parent.parent
OCR = ROOT / "samples" / "comunicat-urbact-ocr.txt"
TRANSCRIPTION = Path(__file__).parent / "data" / "comunicat-urbact-transcription.txt"

#: The issue's target: at most 2% of the words may differ from the transcription.
MAX_WER = 0.02


def test_example_communique_is_repaired():
    truth = TRANSCRIPTION.read_text("utf-8")
    ocr = OCR.read_text("utf-8")
    assert word_error_rate(truth, ocr) > 0.25  # what there is to repair
    repaired = clean(ocr).text
    assert word_error_rate(truth, repaired) <= MAX_WER


def test_signature_block_and_list_items_stay_separate_lines():
    lines = clean(OCR.read_text("utf-8")).text.splitlines()
    assert "Claudiu Nanea" in lines and "Ortansa Albu" in lines
    assert "utilizarea temporară a instrumentelor digitale în serviciile oferite de municipalitate cetățenilor;" in lines
