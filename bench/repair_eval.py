"""All the figures of the Romanian text repair, in one run.

1. The whole clean-up on held-out correct corpus text: the share of words it
   changes when the text is taken for what it is (a typed text file, so
   classified), and when it is wrongly taken for OCR or old OCR (what the OCR
   fixers would break); how many held-out documents the classifier takes for
   old OCR; speed in words per second on one core. The words changed are
   split into words valid as written and words the corpus itself misspells
   without diacritics (``preselectati``), whose restoring is a repair;
   ``--list-changes`` lists the valid ones with their context, to be read.
2. The real documents (``--real``, default ../shared/real): each as arhiva
   reads it (PDF text layer, Tesseract on scans, text files classified as old
   OCR or typed). On the born-digital text layers and the typed text files,
   which are correct text, every word the clean-up changes, by kind:
   normalisation of characters (cedillas, legacy fonts), diacritics restored
   in a text typed without them, diacritics changed in a text that has them,
   hyphenated words joined, and any other change (a correct word damaged).
   On all of them: every line the clean-up removed, and the lines joined.
   The classification of the text files, against which are known to be OCR.
   On the synthetic scans with a transcription: word error rate of the OCR
   before and after the clean-up.
3. The example communiqué against its careful transcription: word error rate
   before and after the clean-up.
4. The figures of bench/diacritics_eval.py and bench/old_ocr_eval.py (their
   own scripts), when they are there.
5. With --ocr-pages N: the OCR pipeline on degraded scans of corpus text,
   character error rate before and after the clean-up (bench/ocr_quality.py).

Scanned real documents are OCRed once and kept in --cache (default
~/.cache/arhiva-bench/real-pages); delete it to OCR them again.

Run:  .venv/bin/python bench/repair_eval.py [--corpora ../shared/corpora] [--real ../shared/real] [--ocr-pages 12]
      [--list-changes]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import diacritics_eval  # noqa: E402

from arhiva.repair import CleanConfig, clean, dropped  # noqa: E402
from arhiva.repair.pipeline import CHARACTER_FIXERS  # noqa: E402
from arhiva.romanian.letters import fold, has_diacritics, to_comma_below  # noqa: E402
from arhiva.repair.model import ContextModel  # noqa: E402
from arhiva.testing.metrics import word_error_rate, words  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "real"
DEFAULT_CACHE = Path.home() / ".cache" / "arhiva-bench" / "real-pages"
#: The real text files known to be OCR output (read in their labels' notes):
#: the truth the classifier is measured against. Every other text file is typed.
KNOWN_OLD_OCR = {"constanta-hotarare-2011-12-15", "ps2-proces-verbal-2011-09-30", "ps3-hotarare-2019-06-25"}
#: Only the character fixers: what the text is before any word or line is touched.
CHARACTERS_ONLY = CleanConfig(**{name: name in CHARACTER_FIXERS for name in CleanConfig().enabled()})


def changed_words(text: str, out: str) -> int:
    return round(word_error_rate(text, out) * len(words(text)))


def changed_by_validity(
    docs: list[tuple[str, str]], outs: list[str], listed: list[str] | None = None
) -> tuple[int, int]:
    """Changed words that are valid as written, and changed words that are not (misspelt in the corpus).

    A word is misspelt in the corpus when the lexicon knows spellings of it with
    diacritics but not the one written (``preselectati``, ``fisierul``): the
    held-out text keeps some lines typed without diacritics, and restoring such
    a word repairs it. Every other changed word (``aplica``, ``sa``) counts as
    valid, whatever its context says; with ``listed``, each of those is added
    to it with the words around it, to be judged by reading.
    """
    lexicon = ContextModel.load().lexicon
    valid = misspelt = 0
    for (_, text), out in zip(docs, outs):
        found = list(_TOKEN.finditer(text))
        olds, news = [m.group() for m in found], _TOKEN.findall(out)
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, olds, news, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            if i2 - i1 != j2 - j1:
                valid += max(i2 - i1, j2 - j1)
                continue
            for i, j in zip(range(i1, i2), range(j1, j2)):
                old, new = olds[i], news[j]
                lower = old.lower()
                if lexicon.count(lower) == 0 and lexicon.forms(fold(lower)) and fold(new) == fold(old):
                    misspelt += 1
                    continue
                valid += 1
                if listed is not None:
                    at = found[i]
                    around = " ".join(text[max(0, at.start() - 60) : at.end() + 40].split())
                    listed.append(f"    {old} -> {new}    | {around}")
    return valid, misspelt


def written_only(docs: list[tuple[str, str]], outs: list[str], list_changes: bool = False) -> None:
    """The words changed in the correctly written paragraphs alone.

    A paragraph the rule of :func:`diacritics_eval.typed_without_diacritics`
    takes for typed without some of its diacritics is left out, so that a word
    changed is a correct word damaged, not a diacritic the corpus line lacks.
    Paragraphs are paired by their order (the clean-up of a typed text keeps
    its blank lines); a document whose count of paragraphs changed is left out
    whole, and counted.
    """
    lexicon = ContextModel.load().lexicon
    total = kept = changed = unpaired = 0
    kept_docs: list[tuple[str, str]] = []
    kept_outs: list[str] = []
    for (genre, text), out in zip(docs, outs):
        before, after = diacritics_eval.paragraphs(text), diacritics_eval.paragraphs(out)
        total += len(words(text))
        if len(before) != len(after):
            unpaired += 1
            continue
        for paragraph, cleaned in zip(before, after):
            if diacritics_eval.typed_without_diacritics(paragraph, lexicon):
                continue
            kept += len(words(paragraph))
            changed += changed_words(paragraph, cleaned)
            kept_docs.append((genre, paragraph))
            kept_outs.append(cleaned)
    listed: list[str] | None = [] if list_changes else None
    valid, misspelt = changed_by_validity(kept_docs, kept_outs, listed)
    print(f"correctly written paragraphs only ({kept} of {total} words, {kept / total:.1%}; paragraphs typed without "
          f"some diacritics left out by rule; documents unpaired: {unpaired}): {changed} of {kept} words changed "
          f"({changed / kept:.3%}); valid as written {valid} ({valid / kept:.3%}), misspelt {misspelt}")
    if listed:
        print("  valid words changed in correctly written paragraphs:")
        print("\n".join(listed))


def whole_cleanup(docs: list[tuple[str, str]], list_changes: bool = False) -> None:
    ContextModel.load()  # the lexicon and the model read before timing
    total = sum(len(words(text)) for _, text in docs)
    print("\nwhole clean-up on held-out correct text")
    started, cpu = time.perf_counter(), time.process_time()
    results = [clean(text) for _, text in docs]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    changed = sum(changed_words(text, r.text) for (_, text), r in zip(docs, results))
    taken = Counter(r.sources[0] for r in results)
    print(f"as text files (classified): {changed} of {total} words changed ({changed / total:.3%}); "
          f"documents taken for old OCR: {taken['old-ocr']} of {len(docs)}")
    listed: list[str] | None = [] if list_changes else None
    valid, misspelt = changed_by_validity(docs, [r.text for r in results], listed)
    print(f"  word by word ({valid + misspelt} changed): valid words as written {valid} ({valid / total:.3%}); "
          f"words the corpus misspells without diacritics (no known spelling lacks them) {misspelt}")
    if listed:
        print("\n".join(listed))
    written_only(docs, [r.text for r in results], list_changes)
    for source in ("ocr", "old-ocr"):
        changed = sum(changed_words(text, clean(text, origins=source).text) for _, text in docs)
        print(f"if taken for {source:7}:        {changed} of {total} words changed ({changed / total:.3%})")
    print(f"speed: {total / elapsed:,.0f} words/s on one core ({total} words in {elapsed:.1f} s; "
          f"{total / cpu:,.0f} per CPU second; load {os.getloadavg()[0]:.1f})")


def classifier_on_corpora(corpora: Path) -> None:
    """Signs of OCR in typed text: every legislation act, and the sentences in pieces of 250 words."""
    import gzip

    from arhiva.repair.sources import classify_text_file

    def read(name: str) -> list[str]:
        with gzip.open(corpora / name, "rt", encoding="utf-8") as lines:
            return [json.loads(line)["text"] for line in lines]

    acts = [classify_text_file(text) for text in read("legislatie-achizitii.jsonl.gz")]
    worst = max(1000 * len(c.signs) / max(c.words, 1) for c in acts)
    spoken = " ".join(read("ronec-valid.jsonl.gz") + read("ud-rrt-dev.jsonl.gz")).split()
    pieces = [classify_text_file(" ".join(spoken[i : i + 250])) for i in range(0, len(spoken), 250)]
    print(f"\ntext-file classifier on typed corpus text: legislation acts taken for old OCR "
          f"{sum(c.source == 'old-ocr' for c in acts)} of {len(acts)} (at most {worst:.2f} signs per 1000 words); "
          f"news/mixed pieces of 250 words {sum(c.source == 'old-ocr' for c in pieces)} of {len(pieces)} "
          f"(at most {max(len(c.signs) for c in pieces)} signs)")
    texts = read("legislatie-achizitii.jsonl.gz") + [" ".join(spoken[i : i + 250]) for i in range(0, len(spoken), 250)]
    shares = [len(dropped.signs(t)) / max(len(t.split()), 1) for t in texts]
    print(f"dropped letters on the same typed text: taken {sum(map(dropped.has_dropped_letters, texts))} of "
          f"{len(texts)} documents (at most {max(shares):.1%} of a document's words show them; "
          f"taken at {dropped.SIGN_SHARE:.0%} and {dropped.MIN_SIGNS} words)")


# ------------------------------------------------------------------ real documents
def real_pages(path: Path, cache: Path):
    """The document's pages as arhiva reads them; OCR results are cached by content."""
    from arhiva.ingest import PageText, TesseractEngine, extract_pages

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = cache / f"{digest}.json"
    if cached.is_file():
        return [PageText(**page) for page in json.loads(cached.read_text("utf-8"))]
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _, pages = extract_pages(path, TesseractEngine())
    if any(p.method == "ocr" for p in pages):
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps([{"text": p.text, "method": p.method, "confidence": p.confidence}
                                      for p in pages], ensure_ascii=False), "utf-8")
    return pages


_TOKEN = re.compile(r"[^\W_]+")


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    """The (before, after) word groups that differ, aligned."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if tag != "equal"]


def kind_of_change(before: str, after: str, removed: str) -> str:
    if not after and all(word in removed for word in before.split()):
        return "in lines removed"
    if before.replace(" ", "") == after.replace(" ", ""):
        return "hyphenated words joined"
    if fold(before).lower() == fold(after).lower() and before.lower() != after.lower():
        return "diacritics changed" if has_diacritics(before) else "diacritics added"
    return "other: correct words changed"


def real_documents(real: Path, cache: Path) -> None:
    labels = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted((real / "labels").glob("*.json"))}
    tally: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    removed: list[str] = []
    joins = Counter()
    classes = []
    words_total = 0
    ocr_wer = []
    for name, label in labels.items():
        path = real / label["file"]
        if not path.is_file():
            continue
        pages = real_pages(path, cache)
        raw = "\n\f".join(p.text for p in pages)
        result = clean(raw, origins=[p.method for p in pages])
        tally["dropped letters: documents"] += any(c.fixer == "dropped_letters" for c in result.changes)
        for change in result.changes:
            if change.fixer == "remove_running_headers":
                removed += [f"{name} p.{e.page}: {e.before.strip()!r}" for e in change.examples]
            if change.fixer.startswith("join") or change.fixer == "reattach_fragments":
                joins[change.fixer] += change.count
        if result.classification is not None:
            truth = "old-ocr" if name in KNOWN_OLD_OCR else "typed"
            c = result.classification
            classes.append((name, truth, c.source, len(c.signs), c.words, [s for _, s in c.signs[:4]]))
        if label.get("truth") and (real / label["truth"]).is_file():
            truth_text = to_comma_below((real / label["truth"]).read_text("utf-8"))  # cedillas are no OCR error
            ocr_wer.append((name, word_error_rate(truth_text, to_comma_below(raw)),
                            word_error_rate(truth_text, result.text),
                            word_error_rate(fold(truth_text), fold(raw)), word_error_rate(fold(truth_text), fold(result.text))))
        correct = label["kind"] == "born-digital" or (label["kind"] == "text" and name not in KNOWN_OLD_OCR)
        if not correct:
            continue
        base = clean(raw, CHARACTERS_ONLY).text
        tally["normalised characters"] += len(word_changes(raw, base))
        words_total += len(words(base))
        lines_removed = " ".join(e.before for c in result.changes if c.fixer == "remove_running_headers"
                                 for e in c.examples)
        for before, after in word_changes(base, result.text):
            kind = kind_of_change(before, after, lines_removed)
            tally[kind] += 1
            examples.setdefault(kind, []).append(f"{name}: {before!r} -> {after!r}")
    print(f"\nreal documents ({len(labels)} in {real})")
    print(f"born-digital text layers and typed text files (correct text): {words_total} words")
    meaning = {
        "normalised characters": "cedillas, legacy fonts, mojibake: expected",
        "diacritics added": "to words written without them: right or wrong, listed",
        "diacritics changed": "on words that had them: wrong",
        "hyphenated words joined": "expected",
        "in lines removed": "page numbers and running headers: listed below",
        "other: correct words changed": "wrong",
    }
    for kind, what in meaning.items():
        print(f"  {kind:30} {tally[kind]:5}   ({what})")
    for kind in ("other: correct words changed", "diacritics changed", "diacritics added"):
        for line in examples.get(kind, [])[:60]:
            print(f"    [{kind.split(':')[0]}] {line}")
    print(f"lines removed (all documents): {len(removed)}")
    for line in removed:
        print(f"    {line}")
    print("lines joined: " + ", ".join(f"{fixer} {n}" for fixer, n in sorted(joins.items())))
    print(f"documents taken for dropped letters (dropped_letters): {tally['dropped letters: documents']}")
    right = sum(truth == got for _, truth, got, *_ in classes)
    print(f"text files classified: {right} of {len(classes)} right "
          f"(old OCR when >= 2 signs and >= 3 per 1000 words)")
    for name, truth, got, signs, n, found in classes:
        mark = "" if truth == got else "   <-- WRONG"
        print(f"    {name[:44]:44} {truth:7} -> {got:7} {signs} signs / {n} words {found}{mark}")
    if ocr_wer:
        print("synthetic scans (Tesseract), word error rate against the transcription: raw -> after the clean-up;"
              " the same ignoring diacritics (a transcription keeps a document typed without them as it is)")
        for name, before, after, plain_before, plain_after in ocr_wer:
            print(f"    {name[:44]:44} {before:6.2%} -> {after:6.2%}   {plain_before:6.2%} -> {plain_after:6.2%}")


def example() -> None:
    truth = (ROOT / "tests" / "data" / "comunicat-urbact-transcription.txt").read_text("utf-8")
    ocr = (ROOT / "samples" / "comunicat-urbact-ocr.txt").read_text("utf-8")
    result = clean(ocr)
    print("\nexample communiqué against the transcription (word error rate; words / tokens with punctuation)")
    print(f"taken for: {result.sources[0]} ({len(result.classification.signs)} signs of OCR "
          f"in {result.classification.words} words)")
    print(f"as the old OCR left it: {word_error_rate(truth, ocr):.2%} / {word_error_rate(truth, ocr, True):.2%}")
    print(f"after the clean-up:     {word_error_rate(truth, result.text):.2%} / "
          f"{word_error_rate(truth, result.text, True):.2%}  ({len(words(truth))} words)")


def others(corpora: Path) -> None:
    """The figures other parts of the repair keep in their own scripts."""
    for script in ("diacritics_eval.py", "old_ocr_eval.py"):
        path = ROOT / "bench" / script
        if path.is_file():
            print(f"\n== bench/{script}")
            sys.stdout.flush()
            subprocess.run([sys.executable, str(path), "--corpora", str(corpora)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=diacritics_eval.DEFAULT_CORPORA)
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="the real labelled documents")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where OCR of the real scans is kept")
    parser.add_argument("--ocr-pages", type=int, default=0, help="also run the OCR pipeline on N degraded pages")
    parser.add_argument("--list-changes", action="store_true",
                        help="list each valid word the clean-up changes in held-out correct text, with its context")
    args = parser.parse_args()
    if not (args.corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    docs = diacritics_eval.documents(args.corpora)
    print(f"held-out: {sum(g == 'legal' for g, _ in docs)} legal acts, "
          f"{sum(g != 'legal' for g, _ in docs)} news/mixed documents")
    whole_cleanup(docs, args.list_changes)
    classifier_on_corpora(args.corpora)
    if (args.real / "labels").is_dir():
        real_documents(args.real, args.cache)
    else:
        print(f"\nreal documents not found in {args.real}: pass --real DIR")
    example()
    others(args.corpora)
    if args.ocr_pages:
        print()
        subprocess.run([sys.executable, str(ROOT / "bench" / "ocr_quality.py"), "--pages", str(args.ocr_pages),
                        "--corpora", str(args.corpora)], check=True)
    print(f"\nreproduce: .venv/bin/python bench/repair_eval.py"
          f"{f' --ocr-pages {args.ocr_pages}' if args.ocr_pages else ''}")


if __name__ == "__main__":
    main()
