"""Document type on documents the rules were not tuned on: cross-validation by batch.

The labelled real documents of the development split (``--docs`` collections, texts from
``bench/real_eval.py`` work dirs given with ``--archive``; see
``scripts/build_doctype_model.py``) are grouped by the batch they were collected in
(``bench/real/batches.json``; the development set ``../shared/real`` is one group). For each
group, the type fallback model is trained on the *other* groups only and the group is typed:

- ``rules``: the rules alone (heading, operative formula, cue words; else ``altul``);
- ``+model``: where the rules found no heading and no cue (``altul``), the model's type when its
  probability reaches the threshold; ``altul`` otherwise;
- ``+model/weak``: also where only cue words typed it (no heading, no operative formula),
  the model's type replaces the cues' when the model is confident (``--weak``) and disagrees.

Types are compared in the label vocabulary (a finer type counts as its kind, one outside it as
``altul``), as bench/real_eval.py does. The rules were tuned on all of these documents, so the
``rules`` column is optimistic; the model's part is honestly out-of-batch. With ``--first-read``,
the batches of :data:`FIRST_READ` are typed by the rules *as they stood when the batch was first
read* (before any rule was changed for it): the honest figure for documents the rules had not seen.

Run:
    .venv/bin/python bench/doctype_cv.py --docs /work/collected --docs ../shared/real \\
        --archive /tmp/re-dev --archive /tmp/re-shared [--thresholds 0.5,0.7,0.9,0.99] [-v]
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_doctype_model import TYPES, load  # noqa: E402

from arhiva.metadata import classifier  # noqa: E402
from arhiva.metadata.doctypes import OTHER  # noqa: E402
from arhiva.metadata.text import folded, lines  # noqa: E402
from arhiva.metadata.types import body_type, find_heading  # noqa: E402


#: The commit that added each batch's labels (and the rules changed for it): the code of its
#: parent is the code that first read the batch, before any rule was changed for it.
FIRST_READ = {"batch 3": "8447821", "batch 4": "2063b3c", "batch 5": "dd82788", "batch 6": "c4b1eff",
              "batch 7": "8c5f33f", "batch 8": "5723537", "batch 9": "c9f9b5c", "batch 10": "f1389a2", "batch 11": "947b44c",
              "batch 12": "2d1871d", "batch 13": "ce7d4f2", "batch 14": "da2c4fd", "batch 15": "0c982ab", "batch 16": "6387cfd",
              "batch 17": "0c95c7b", "batch 18": "f417f3a", "batch 19": "61a4552", "batch 20": "41875c4", "batch 21": "fcd7903", "batch 22": "2c42ac9"}
#: The confidences the rules give a type read from cue words alone (``body_type``).
CUES_CONFIDENCE = (0.5, 0.7)
_OLD_TYPES = """
import json, sys
from arhiva.metadata import extract
texts = json.load(sys.stdin)
print(json.dumps({name: [(m := extract(text)).type, m.type_confidence] for name, text in texts.items()}))
"""


def first_read(docs: list) -> dict[str, tuple[str, float]]:
    """The type and its confidence each document of a batch in :data:`FIRST_READ` got from the code
    that first read it (the labelling commit's parent, exported with ``git archive``, run in a subprocess)."""
    found: dict[str, tuple[str, float]] = {}
    for batch, commit in FIRST_READ.items():
        texts = {d.name: d.text for d in docs if d.batch == batch}
        if not texts:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", f"{commit}^", "arhiva"], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            out = subprocess.run([sys.executable, "-c", _OLD_TYPES], input=json.dumps(texts), capture_output=True,
                                 text=True, check=True, cwd=tmp, env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"})
            found.update({name: (kind, confidence) for name, (kind, confidence) in json.loads(out.stdout).items()})
    return found


def vocabulary(ours: str) -> str:
    if ours in TYPES:
        return ours
    return next((t for t in TYPES if ours.startswith(t + " ")), "altul")


def rules(text: str) -> tuple[str, str]:
    """The rules' type and how they found it: ``heading``, ``formula`` (operative, 0.8), ``cues``, ``none``."""
    text = text[:200_000]
    flat = folded(text)
    text_lines = lines(text)
    heading = find_heading(text_lines, flat, text)
    if heading is not None:
        return heading.type, "heading"
    name, confidence = body_type(flat, text_lines)
    if name == OTHER:
        return name, "none"
    return name, "formula" if confidence >= 0.8 else "cues"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", required=True)
    parser.add_argument("--archive", type=Path, action="append", default=[])
    parser.add_argument("--thresholds", default="0.4,0.5,0.6,0.7")
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--keep", type=float, default=0.2, help="smallest weight kept in the model")
    parser.add_argument("--first-read", action="store_true",
                        help="type the batches of FIRST_READ with the code that first read them (rules not tuned on them)")
    parser.add_argument("--weak", type=float,
                        help="the model's probability at which it overrides a type given by cue words alone "
                             "(the +model/weak columns; default: each column's threshold)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    docs = load(args.docs, args.archive)
    groups = sorted({d.batch for d in docs}, key=lambda g: (g.startswith("set"), len(g), g))
    ruled = {d.name: rules(d.text) for d in docs}
    if args.first_read:
        for name, (old, confidence) in first_read(docs).items():
            # body cues give 0.5-0.7; a heading 0.85 or more, an operative formula 0.8
            how = "none" if old == OTHER else "cues" if CUES_CONFIDENCE[0] <= confidence <= CUES_CONFIDENCE[1] else "first read"
            ruled[name] = (old, how)
        groups = [g for g in groups if g in FIRST_READ]
    predicted: dict[str, tuple[str, float]] = {}
    for group in groups:
        model = classifier.train([(d.text, d.label["type"]) for d in docs if d.batch != group],
                                 min_df=args.min_df, l2=args.l2, keep=args.keep)
        prepared = classifier._prepared(model)
        for d in docs:
            if d.batch == group:
                probs = classifier.posteriors(model, d.text, prepared)
                best = max(probs, key=lambda c: (probs[c], c))
                predicted[d.name] = (best, probs[best])

    def typed(d, threshold: float | None, weak: bool) -> str:
        name, how = ruled[d.name]
        if threshold is None:
            return vocabulary(name)
        best, p = predicted[d.name]
        if p >= threshold and classifier.enough_words(d.text) and how == "none":
            return best
        if weak and how == "cues" and p >= (args.weak or threshold) and classifier.enough_words(d.text):
            return best
        return vocabulary(name)

    columns = [("rules", None, False)] + [(f"+model {t}", t, False) for t in thresholds] + \
              [(f"+model/weak {t}", t, True) for t in thresholds]
    print(f"{'group':<14}{'n':>4}" + "".join(f"{c:>20}" for c, _, _ in columns))
    totals = defaultdict(int)
    for group in groups + ["all"]:
        members = [d for d in docs if d.batch in groups and group in ("all", d.batch)]
        row = f"{group:<14}{len(members):>4}"
        for label, threshold, weak in columns:
            right = sum(typed(d, threshold, weak) == d.label["type"] for d in members)
            row += f"{right:>8} ({100 * right / len(members):5.1f}%)  "
        print(row)
    print("\nwrong with the model (altul kept when it abstains):")
    for t in thresholds:
        changed = [d for d in docs if d.batch in groups and typed(d, t, False) != vocabulary(ruled[d.name][0])]
        good = sum(typed(d, t, False) == d.label["type"] for d in changed)
        bad = sum(vocabulary(ruled[d.name][0]) == d.label["type"] for d in changed)
        print(f"  threshold {t}: {len(changed)} changed, {good} now right, {bad} were right (broken), "
              f"{len(changed) - good - bad} wrong both ways")
    if args.verbose:
        for d in (d for d in docs if d.batch in groups):
            name, how = ruled[d.name]
            best, p = predicted[d.name]
            if vocabulary(name) != d.label["type"] or (how in ("none", "cues") and best != d.label["type"]):
                print(f"  {d.batch:<10} {d.name[:55]:<55} label={d.label['type']:<20} rules={name} ({how})  model={best} {p:.3f}")
    print("\n" + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/doctype_cv.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
