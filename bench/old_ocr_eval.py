"""Old OCR on held-out scans: word error rate raw, after the clean-up, and the floor.

Pages of the held-out split (the one scripts/build_langdata.py leaves out of
the language data: 10% of the acts, 20% of the news and mixed sentences, by
hash; the OCR channel never sees it either) are typeset, degraded as a scanner
would and read by Tesseract ``eng``, as old OCR runs were made (the conditions,
typefaces and the OCR cache are those of scripts/build_ocr_channel.py).

Prints:
- WER raw, after ``arhiva.repair.clean`` as for an old OCR text file, and after
  the same clean-up without the OCR channel (``ocr_confusions`` off);
- the floor: the WER of the raw OCR once an oracle has put right every word
  whose only errors are on its diacritic letters. A word qualifies when it has
  one of ă â î ș ț (either case) and every edit from it to the OCR word
  (``edits`` of build_ocr_channel: a letter or run of letters and what OCR
  wrote for it, compared with case) is on those letters alone — read without
  the diacritic (``ă``→``a``), misread (``ă``→``d``, ``â``→``éa``, ``î``→``j``,
  ``Î``→``i``) or lost (``ă``→``""``) — the rest of the word, case included,
  being read right. Words are paired by a word-level Levenshtein alignment;
  only one-for-one pairs count;
- what ``repair_old_ocr`` did to the OCR tokens, against the truth: tokens put
  right (up to diacritics, which the diacritics fixer restores after it),
  tokens changed that were right, tokens changed to another wrong word;
- the words ``repair_old_ocr`` changes in correct held-out text, as is and
  stripped of its diacritics (what a perfect old OCR would give);
- the same for ``repair_ocr_confusions`` on poor held-out scans read by
  Tesseract ``ron`` (``--ron-pages``), and on the correct text as written.

With ``--tune DIR`` it runs on the development split instead, with the language
data built without it (``scripts/build_langdata.py --dev --out DIR``), and
prints how the corrector's settings trade repairs against damage: that is
where the settings in arhiva/romanian/confusions.py come from.

Run:  .venv/bin/python bench/old_ocr_eval.py [--corpora ../shared/corpora] [--pages 20] [--ron-pages 10]
      .venv/bin/python bench/old_ocr_eval.py --tune /tmp/dev-langdata [--pages 20]
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_langdata import CORPORA, lines_with_diacritics, read_jsonl  # noqa: E402
from build_ocr_channel import DEFAULT_CORPORA, edits, read_pages, split_of, word_pairs  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from arhiva.repair import CleanConfig, clean  # noqa: E402
from arhiva.repair import confusions  # noqa: E402
from arhiva.repair.confusions import normalise_case  # noqa: E402
from arhiva.romanian.letters import fold_romanian  # noqa: E402
from arhiva.repair.model import ContextModel  # noqa: E402
from arhiva.testing.metrics import words  # noqa: E402

DIACRITICS = set("ăâîșț")
_STRIP = str.maketrans("ăâîșțĂÂÎȘȚ", "aaistAAIST")


def only_diacritics_wrong(true: str, seen: str) -> bool:
    """True when the OCR word ``seen`` differs from ``true`` only on its diacritic letters.

    >>> only_diacritics_wrong("săptămâna", "sdptamana"), only_diacritics_wrong("În", "in")
    (True, True)
    >>> only_diacritics_wrong("România", "Roméania"), only_diacritics_wrong("proiect", "prolect")
    (True, False)
    >>> only_diacritics_wrong("Câteva", "cAteva"), only_diacritics_wrong("să", "sa")
    (False, True)
    """
    if true == seen or not DIACRITICS & set(true.lower()):
        return False
    found = edits(true, seen)
    return found is not None and all(set(t.lower()) <= DIACRITICS for t, _ in found)


def wer(truth: list[str], hypothesis: list[str]) -> int:
    return Levenshtein.distance(truth, hypothesis)


def floor_errors(truth: list[str], raw: list[str]) -> int:
    """Word errors of the raw OCR left once every diacritics-only error is put right."""
    fixable = 0
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(truth, raw):
        if tag == "replace" and i2 - i1 == j2 - j1:
            fixable += sum(only_diacritics_wrong(t, s) for t, s in zip(truth[i1:i2], raw[j1:j2]))
    return wer(truth, raw) - fixable


def clean_old_ocr(text: str, **config: bool) -> str:
    """The clean-up of ``text`` as an old OCR text file."""
    if "origins" in inspect.signature(clean).parameters:
        return clean(text, CleanConfig(**config), origins="old-ocr").text
    return clean(text, CleanConfig(**config)).text


def error_kinds(truth: list[str], cleaned: list[str]) -> Counter[str]:
    """The word errors left after the clean-up, by kind (paired by a word-level alignment).

    ``capital Î``: ``În`` written ``în`` or ``in``; ``diacritics added``: a
    diacritic where the true word has the plain letter (and none missing);
    ``diacritic choice``: the other errors on diacritic letters alone;
    ``other``: the rest (letters misread, words split, joined, lost or added).

    >>> sorted(error_kinds(["În", "casă", "sau", "mare", "de"], ["în", "casa", "său", "mere"]).items())
    [('capital Î', 1), ('diacritic choice', 1), ('diacritics added', 1), ('other', 2)]
    """
    kinds: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(truth, cleaned):
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            kinds["other"] += max(i2 - i1, j2 - j1)
            continue
        for t, c in zip(truth[i1:i2], cleaned[j1:j2]):
            if fold_romanian(t).lower() != fold_romanian(c).lower() or len(t) != len(c):
                kinds["other"] += 1
            elif t[:1] == "Î" and c[:1] in "îiI" and t[1:] == c[1:]:
                kinds["capital Î"] += 1
            elif t.lower() != fold_romanian(t).lower() or c.lower() == fold_romanian(c).lower():
                kinds["other" if t.lower() == c.lower() else "diacritic choice"] += 1
            elif all(a == b or a == fold_romanian(b) for a, b in zip(t.lower(), c.lower())):
                kinds["diacritics added"] += 1
            else:
                kinds["diacritic choice"] += 1
    return kinds


def written_mask(truth: str, lexicon) -> list[bool]:
    """For each word of ``truth``: whether its paragraph is correctly written.

    A paragraph is not when :func:`diacritics_eval.typed_without_diacritics`
    takes it for typed without some of its diacritics (the same rule for every
    text, fixed before any result was looked at).
    """
    from diacritics_eval import paragraphs, typed_without_diacritics

    mask: list[bool] = []
    for paragraph in paragraphs(truth):
        mask += [not typed_without_diacritics(paragraph, lexicon)] * len(words(paragraph))
    return mask if len(mask) == len(words(truth)) else [False] * len(words(truth))


def masked_errors(truth: list[str], hypothesis: list[str], mask: list[bool], floor: bool = False) -> int:
    """Word errors of ``hypothesis`` on the words of ``truth`` where ``mask`` is true (with ``floor``: once every diacritics-only error is put right).

    An inserted word counts against the true word it stands before (the last one at the end).

    >>> masked_errors(["a", "b", "c"], ["a", "x", "c", "d"], [True, False, True])
    1
    """
    errors = 0
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(truth, hypothesis):
        if tag == "equal":
            continue
        if tag == "insert":
            errors += (j2 - j1) * bool(mask and mask[min(i1, len(mask) - 1)])
        elif tag == "delete" or i2 - i1 != j2 - j1:
            errors += sum(mask[i1:i2]) if tag == "delete" else max(i2 - i1, j2 - j1) * any(mask[i1:i2])
        else:
            errors += sum(
                m and not (floor and only_diacritics_wrong(t, h))
                for m, t, h in zip(mask[i1:i2], truth[i1:i2], hypothesis[j1:j2])
            )
    return errors


def error_rates(pages: list[tuple[str, str]]) -> None:
    totals = dict.fromkeys(("words", "raw", "floor", "clean", "no channel"), 0)
    written = dict.fromkeys(totals, 0)
    whole_pages = 0
    kinds: Counter[str] = Counter()
    lexicon = ContextModel.load().lexicon
    for truth, raw in pages:
        t = words(truth)
        totals["words"] += len(t)
        totals["raw"] += wer(t, words(raw))
        totals["floor"] += floor_errors(t, words(raw))
        cleaned = words(clean_old_ocr(raw))
        totals["clean"] += wer(t, cleaned)
        kinds += error_kinds(t, cleaned)
        no_channel = words(clean_old_ocr(raw, ocr_confusions=False))
        totals["no channel"] += wer(t, no_channel)
        mask = written_mask(truth, lexicon)
        whole_pages += all(mask)
        written["words"] += sum(mask)
        written["raw"] += masked_errors(t, words(raw), mask)
        written["floor"] += masked_errors(t, words(raw), mask, floor=True)
        written["clean"] += masked_errors(t, cleaned, mask)
        written["no channel"] += masked_errors(t, no_channel, mask)
    n = totals["words"]
    print(f"word error rate over {n} words (Tesseract eng, {len(pages)} pages)")
    print(f"  raw OCR:                             {totals['raw'] / n:7.2%}")
    print(f"  after the clean-up:                  {totals['clean'] / n:7.2%}")
    print(f"  after the clean-up without channel:  {totals['no channel'] / n:7.2%}")
    print(f"  floor (diacritics put right by an oracle): {totals['floor'] / n:7.2%}")
    print(f"  clean-up minus floor:                {(totals['clean'] - totals['floor']) / n:+7.2%}")
    print("  errors left after the clean-up, by kind (points of WER): "
          + ", ".join(f"{kind} {count / n:.2%}" for kind, count in kinds.most_common()))
    w = max(written["words"], 1)
    print(f"the same on the paragraphs whose truth is correctly written ({written['words']} words, "
          f"{written['words'] / n:.1%}; {whole_pages} of {len(pages)} pages wholly; "
          "paragraphs typed without some diacritics left out by rule):")
    print(f"  raw OCR {written['raw'] / w:.2%}, after the clean-up {written['clean'] / w:.2%}, "
          f"without channel {written['no channel'] / w:.2%}, floor {written['floor'] / w:.2%}, "
          f"clean-up minus floor {(written['clean'] - written['floor']) / w:+.2%}")


def right(true: str, token: str) -> bool:
    """True when the token is the true word but for diacritics and a capital first letter.

    >>> right("către", "catre"), right("către", "cAtre"), right("În", "in"), right("de", "dé")
    (True, False, True, False)
    """
    seen = normalise_case(token)
    return fold_romanian(seen) == fold_romanian(true.lower()) and seen == seen.lower()


def token_outcomes(
    pages: list[tuple[str, str]], settings: confusions.Settings, model: ContextModel, examples: list | None = None
) -> dict[str, int]:
    """What the corrector did to the OCR tokens, each paired with its true word."""
    tally = dict.fromkeys(("tokens", "wrong", "fixed", "broken", "miscorrected"), 0)
    for truth, raw in pages:
        repaired, _ = confusions.repair(raw, settings, model)
        for (true, seen), (_, new) in zip(word_pairs(truth, raw), word_pairs(truth, repaired)):
            if not seen or " " in seen:
                continue
            before, after = right(true, seen), right(true, new)
            tally["tokens"] += 1
            tally["wrong"] += not before
            if new != seen:
                outcome = "fixed" if after and not before else "broken" if before and not after else "miscorrected"
                if not (after and before):
                    tally[outcome] += 1
                if examples is not None and outcome != "fixed":
                    examples.append((outcome, true, seen, new))
    return tally


def print_outcomes(tally: dict[str, int], name: str) -> None:
    print(f"{name} on {tally['tokens']} OCR tokens, {tally['wrong']} wrong beyond diacritics:")
    print(f"  put right {tally['fixed']} ({tally['fixed'] / max(tally['wrong'], 1):.1%} of the wrong); "
          f"broke {tally['broken']} right tokens; changed {tally['miscorrected']} wrong ones to other wrong words")


def held_out_text(corpora: Path, split: str) -> list[str]:
    out = []
    for name, (_, percent) in CORPORA.items():
        for record in read_jsonl(corpora / name):
            if split_of(record, percent) == split:
                out.append("\n".join(lines_with_diacritics(record["text"])))
    return [text for text in out if text]


def clean_text_changes(texts: list[str], settings: confusions.Settings, model: ContextModel, stripped: bool) -> None:
    forms = [("as written", lambda t: t)] + ([("without diacritics", lambda t: t.translate(_STRIP))] if stripped else [])
    for label, transform in forms:
        total = changed = 0
        examples = []
        started = time.perf_counter()
        for text in texts:
            text = transform(text)
            total += len(words(text))
            _, found = confusions.repair(text, settings, model)
            changed += len(found)
            examples += found[:2]
        elapsed = time.perf_counter() - started
        print(f"correct text {label}: {changed} of {total} words changed ({changed / max(total, 1):.3%}), "
              f"{total / elapsed:,.0f} words/s; e.g. {examples[:8]}")


def ocr_pages(corpora: Path, split: str, count: int) -> list[tuple[str, str]]:
    return read_pages(corpora, split, "eng", count)


#: The settings tried by --tune: unknown_logp, confidence, known_confidence, known_count.
GRID = list(itertools.product((0.0, 2.0, 3.0, 4.0, 5.0), (0.9, 0.95, 0.98), (0.99, 0.999), (1, 10, 30)))


def tune(corpora: Path, count: int, data: Path, engine: str) -> None:
    """Sweep the corrector's settings on the development split, with language data built without it.

    Repairs are counted on OCR pages of the split; damage on its correct text,
    as Tesseract ``eng`` would give it at best (without diacritics) or, for
    ``ron``, as written.
    """
    model = ContextModel.from_folder(data)
    pages = read_pages(corpora, "dev", engine, count)
    texts = held_out_text(corpora, "dev")
    if engine == "eng":
        texts = [t.translate(_STRIP) for t in texts]
    total = sum(len(words(t)) for t in texts)
    print(f"development split: {count} pages read by Tesseract {engine}; {total} words of correct text"
          f"{' without diacritics' if engine == 'eng' else ''}; language data from {data}")
    print(f"{'unknown':>8} {'conf':>5} {'known':>6} {'count':>5} {'fixed':>6} {'broken':>6} "
          f"{'miscorr':>7} {'clean text changed':>18}")
    base = confusions.OLD_OCR if engine == "eng" else confusions.TESSERACT_RON
    for unknown, confidence, known, known_count in GRID:
        settings = replace(base, unknown_logp=unknown, confidence=confidence, known_confidence=known,
                           known_count=known_count)
        tally = token_outcomes(pages, settings, model)
        changed = sum(len(confusions.repair(t, settings, model)[1]) for t in texts)
        print(f"{unknown:8.1f} {confidence:5.2f} {known:6.3f} {known_count:5d} {tally['fixed']:6d} "
              f"{tally['broken']:6d} {tally['miscorrected']:7d} {changed:18d}", flush=True)
    print(f"reproduce: .venv/bin/python bench/old_ocr_eval.py --tune {data} --engine {engine} --pages {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--pages", type=int, default=20, help="pages read by Tesseract eng")
    parser.add_argument("--ron-pages", type=int, default=10, help="poor pages read by Tesseract ron")
    parser.add_argument("--tune", type=Path, metavar="DIR", help="sweep the settings on the development split")
    parser.add_argument("--engine", choices=("eng", "ron"), default="eng", help="with --tune: whose corrector")
    parser.add_argument(
        "--dev", type=Path, metavar="DIR",
        help="word error rates on the development split, with the language data in DIR "
        "(scripts/build_langdata.py --dev --out DIR)",
    )
    args = parser.parse_args()
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    if args.tune:
        tune(args.corpora, args.pages, args.tune, args.engine)
        return
    if args.dev:
        from diacritics_eval import use_data

        use_data(args.dev)
        error_rates(ocr_pages(args.corpora, "dev", args.pages))
        print(f"\nreproduce: .venv/bin/python bench/old_ocr_eval.py --dev {args.dev} --pages {args.pages}")
        return
    pages = ocr_pages(args.corpora, "held-out", args.pages)
    model = ContextModel.load()
    texts = held_out_text(args.corpora, "held-out")
    error_rates(pages)
    print()
    print_outcomes(token_outcomes(pages, confusions.OLD_OCR, model), "repair_old_ocr")
    clean_text_changes(texts, confusions.OLD_OCR, model, stripped=True)
    if args.ron_pages:
        print()
        ron = read_pages(args.corpora, "held-out", "ron", args.ron_pages)
        print_outcomes(token_outcomes(ron, confusions.TESSERACT_RON, model), "repair_ocr_confusions (Tesseract ron, poor scans)")
        clean_text_changes(texts, confusions.TESSERACT_RON, model, stripped=False)
    print(f"\nreproduce: .venv/bin/python bench/old_ocr_eval.py --pages {args.pages} --ron-pages {args.ron_pages}")


if __name__ == "__main__":
    main()
