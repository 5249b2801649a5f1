"""Real documents, end to end: ingest, own date, type, title and known-item search.

Reads one or more labelled sets (``--docs DIR``, each with ``docs/`` and
``labels/NAME.json`` as described in ``bench/real/README.md``), ingests every
file with the real Tesseract into a fresh archive, and compares what arhiva
extracted with the labels, by kind of document (real scan, born-digital PDF,
text file):

- files in, ingested and failed (with the reasons);
- own date: correct, missing, wrong (a date other than the label's) and
  spurious (a date where the label has none); "exact where typed" counts the
  documents whose labelled date is typed (not handwritten);
- calibration: how many of the dates given at confidence >= 0.9 are right, and the
  dates given in each band of confidence (>= 0.9, 0.8-0.9, below 0.8) with how many are right;
- type accuracy (a finer type counts as its kind, ``ordonanță de urgență`` as
  ``ordonanță``; a type outside the label vocabulary, such as ``anexă``, as ``altul``);
- title similarity to the label (rapidfuzz ratio, 0–100, letter case ignored);
- Success@1, Success@10 and MRR of the labels' known-item queries, as
  written and typed without diacritics. A copy derived from another labelled
  file (``derived_from``) counts as the same document.

Run:
    .venv/bin/python bench/real_eval.py --docs ../shared/real
    .venv/bin/python bench/real_eval.py --docs ../shared/real --docs DIR --split holdout
    .venv/bin/python bench/real_eval.py --docs ../shared/real --work /tmp/re --reuse   # metadata and index again, no OCR
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.romanian.letters import fold  # noqa: E402

DEFAULT_DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
KINDS = ("scan", "born-digital", "text")
TYPES = {"hotărâre", "dispoziție", "proces-verbal", "comunicat de presă", "anunț", "ordin", "decizie", "ordonanță",
         "lege", "notă de fundamentare", "contract", "raport", "adresă", "altul"}
CONFIDENT = 0.9
MAPPING = "real-eval-files.json"


@dataclass
class Item:
    name: str
    path: Path
    label: dict
    group: str
    doc_id: str | None = None
    failure: str | None = None
    meta: dict = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)


def load(sets: list[Path], split: str) -> list[Item]:
    items = []
    for root in sets:
        for label_path in sorted((root / "labels").glob("*.json")):
            label = json.loads(label_path.read_text(encoding="utf-8"))
            if split != "all" and label.get("split", "dev") != split:
                continue
            origin = label.get("derived_from") or label["file"]
            items.append(Item(label_path.stem, root / label["file"], label, f"{root}:{Path(origin).stem}"))
    return items


def ingest(items: list[Item], work: Path, jobs: int) -> float:
    from arhiva.archive import Archive
    from arhiva.ingest import TesseractEngine
    from arhiva.pipeline import ingest as run_ingest

    archive = Archive.open(work, create=True)
    engine = TesseractEngine(lang="ron")
    engine.check()
    started = time.perf_counter()
    report = run_ingest([item.path for item in items], archive, engine, jobs=jobs, timeout=600)
    elapsed = time.perf_counter() - started
    outcomes = {Path(o.path).resolve(): o for o in report.outcomes}
    mapping = {}
    for item in items:
        outcome = outcomes.get(item.path.resolve())
        if outcome is None:
            mapping[str(item.path)] = {"failure": "not reported by the ingest"}
        elif outcome.status in ("ingested", "duplicate") and outcome.doc_id:
            mapping[str(item.path)] = {"id": outcome.doc_id}
        else:
            mapping[str(item.path)] = {"failure": outcome.reason or outcome.status}
    (work / MAPPING).write_text(json.dumps(mapping, indent=1), encoding="utf-8")
    return elapsed


def refresh(work: Path) -> None:
    """Extract the metadata again and rebuild the index, for the current code, without OCR."""
    from arhiva.archive import Archive
    from arhiva.maintenance import reindex
    try:
        from arhiva.operations import reextract
    except ImportError:  # a version where re-extraction was still in arhiva.metadata
        from arhiva.metadata.corrections import reextract

    archive = Archive.open(work)
    reextract(archive, list(archive.ids()))
    reindex(archive)


def attach(items: list[Item], work: Path) -> None:
    from arhiva.archive import Archive, catalog

    archive = Archive.open(work)
    mapping = json.loads((work / MAPPING).read_text(encoding="utf-8"))
    for item in items:
        entry = mapping.get(str(item.path), {"failure": "not in this archive (run without --reuse)"})
        item.doc_id, item.failure = entry.get("id"), entry.get("failure")
        if item.doc_id:
            item.meta = catalog.effective(archive, item.doc_id)


def run_queries(items: list[Item], work: Path) -> None:
    from arhiva.archive import Archive
    from arhiva.search import SearchIndex

    archive = Archive.open(work)
    index = SearchIndex.open(archive.index_dir)
    relevant: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.doc_id:
            relevant[item.group].add(item.doc_id)
    for item in items:
        if not item.doc_id:
            continue  # counted as misses in the report
        for i, query in enumerate(item.label.get("queries", [])):
            for how, text in (("written", query), ("folded", fold(query))):
                try:
                    hits = [hit.id for hit in index.search(text, limit=10).hits]
                except Exception as err:  # noqa: BLE001 - a failing query is a miss, and is shown
                    print(f"  query failed: {text!r}: {err}", file=sys.stderr)
                    hits = []
                rank = next((r for r, doc_id in enumerate(hits, 1) if doc_id in relevant[item.group]), None)
                item.ranks[f"{how}:{i}"] = rank


def title_similarity(ours: str | None, label: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(" ".join((ours or "").split()).casefold(), " ".join(label.split()).casefold())


def date_outcome(item: Item) -> str:
    want, got = item.label.get("date"), item.meta.get("date")
    if want is None:
        return "spurious" if got else "none-ok"
    if got is None:
        return "missing"
    return "correct" if got == want else "wrong"


def report(items: list[Item], verbose: bool) -> dict:
    groups = {kind: [i for i in items if i.label.get("kind") == kind] for kind in KINDS}
    groups["all"] = items
    figures = {}
    for kind, group in groups.items():
        if not group:
            continue
        done = [i for i in group if i.doc_id]
        dates = defaultdict(int)
        for i in done:
            dates[date_outcome(i)] += 1
        typed = [i for i in done if i.label.get("date") and i.label.get("date_where") != "handwritten"]
        typed_all = [i for i in group if i.label.get("date") and i.label.get("date_where") != "handwritten"]
        confident = [i for i in done if i.meta.get("date") and (i.meta.get("date_confidence") or 0) >= CONFIDENT]
        types_ok = sum(_type(i.meta.get("type")) == i.label["type"] for i in done)
        sims = [title_similarity(i.meta.get("title"), i.label.get("title", "")) for i in done]
        search = {}
        for how in ("written", "folded"):
            ranks = [r for i in group for k, r in i.ranks.items() if k.startswith(how + ":")]
            missing_docs = sum(len(i.label.get("queries", [])) for i in group if not i.doc_id)
            ranks += [None] * missing_docs
            n = max(len(ranks), 1)
            search[how] = {"queries": len(ranks), "s1": sum(r == 1 for r in ranks) / n,
                           "s10": sum(r is not None for r in ranks) / n, "mrr": sum(1 / r for r in ranks if r) / n}
        figures[kind] = {
            "files": len(group), "ingested": len(done), "failed": len(group) - len(done),
            "dates": dict(dates),
            "typed_dates": len(typed_all),
            "typed_exact": sum(date_outcome(i) == "correct" for i in typed),
            "confident": len(confident),
            "confident_right": sum(i.meta.get("date") == i.label.get("date") for i in confident),
            "type_right": types_ok,
            "title_mean": sum(sims) / max(len(sims), 1),
            "title_80": sum(s >= 80 for s in sims),
            "search": search,
            "calibration": calibration(done),
        }
    _print(figures)
    _print_details(items, verbose)
    return figures


#: Confidence bands of the calibration table: (lowest, label).
BANDS = ((0.9, "≥0.9"), (0.8, "0.8–0.9"), (0.0, "<0.8"))


def calibration(done: list[Item]) -> dict[str, dict[str, int]]:
    """The dates given, by band of ``date_confidence``: how many, and how many are the label's
    (a date where the label has none counts as given and not right)."""
    bands = {label: {"given": 0, "right": 0} for _, label in BANDS}
    for i in done:
        if not i.meta.get("date"):
            continue
        confidence = i.meta.get("date_confidence") or 0.0
        label = next(name for low, name in BANDS if confidence >= low)
        bands[label]["given"] += 1
        bands[label]["right"] += i.meta.get("date") == i.label.get("date")
    return bands


def _type(ours: str | None) -> str:
    """Our type in the label vocabulary: a finer kind counts as its kind (``ordonanță de urgență`` as
    ``ordonanță``), anything else as ``altul``."""
    if ours in TYPES:
        return ours
    return next((t for t in TYPES if ours and ours.startswith(t + " ")), "altul")


def _print(figures: dict) -> None:
    print(f"\n{'kind':<13} {'files':>5} {'in':>4} {'fail':>4} | {'date ok':>7} {'miss':>4} {'wrong':>5} {'spur':>4}"
          f" {'typed exact':>11} {'≥0.9 right':>10} | {'type':>6} | {'title':>5} {'≥80':>4}")
    for kind, f in figures.items():
        d = f["dates"]
        print(f"{kind:<13} {f['files']:>5} {f['ingested']:>4} {f['failed']:>4} | {d.get('correct', 0):>7}"
              f" {d.get('missing', 0):>4} {d.get('wrong', 0):>5} {d.get('spurious', 0):>4}"
              f" {f['typed_exact']:>5}/{f['typed_dates']:<5} {f['confident_right']:>4}/{f['confident']:<5} |"
              f" {f['type_right'] / max(f['ingested'], 1):>6.1%} | {f['title_mean']:>5.1f} {f['title_80']:>4}")
    print(f"\n{'kind':<13} {'queries':>7} | {'written S@1':>11} {'S@10':>6} {'MRR':>6} | {'no diacritics S@1':>17}"
          f" {'S@10':>6} {'MRR':>6}")
    for kind, f in figures.items():
        w, n = f["search"]["written"], f["search"]["folded"]
        print(f"{kind:<13} {w['queries']:>7} | {w['s1']:>11.3f} {w['s10']:>6.3f} {w['mrr']:>6.3f} |"
              f" {n['s1']:>17.3f} {n['s10']:>6.3f} {n['mrr']:>6.3f}")
    bands = figures.get("all", {}).get("calibration", {})
    print("\ndates given, by confidence (right / given): "
          + ", ".join(f"{name} {b['right']}/{b['given']}" for name, b in bands.items()))


def _print_details(items: list[Item], verbose: bool) -> None:
    print("\nproblems:")
    for i in items:
        lines = []
        if i.failure:
            lines.append(f"not ingested: {i.failure}")
        else:
            outcome = date_outcome(i)
            if outcome in ("missing", "wrong", "spurious"):
                lines.append(f"date {outcome}: {i.meta.get('date')} ({i.meta.get('date_confidence')}) "
                             f"want {i.label.get('date')} ({i.label.get('date_where')})")
            if _type(i.meta.get("type")) != i.label["type"]:
                lines.append(f"type {i.meta.get('type')} want {i.label['type']}")
            sim = title_similarity(i.meta.get("title"), i.label.get("title", ""))
            if sim < 80 or verbose:
                lines.append(f"title {sim:.0f}: {i.meta.get('title')!r}\n      want {i.label.get('title')!r}")
            missed = [k for k, r in sorted(i.ranks.items()) if r != 1]
            if missed:
                queries = i.label.get("queries", [])
                for k in missed:
                    how, n = k.split(":")
                    text = queries[int(n)] if how == "written" else fold(queries[int(n)])
                    lines.append(f"query {k} rank {i.ranks[k]}: {text}")
        if lines:
            print(f"- {i.name} [{i.label.get('kind')}]")
            for line in lines:
                print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", help="a labelled set (docs/ and labels/); repeatable")
    parser.add_argument("--split", default="all", choices=("dev", "holdout", "all"),
                        help="labels without a split count as dev (default: all)")
    parser.add_argument("--work", type=Path, help="archive folder (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the archive in --work: extract metadata and index again, without OCR")
    parser.add_argument("--jobs", type=int, default=1,
                        help="files ingested at once (default 1: one Tesseract at a time on a shared machine)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every title")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    sets = args.docs or [DEFAULT_DOCS]
    for root in sets:
        if not (root / "labels").is_dir():
            parser.error(f"{root} has no labels/ folder (a labelled set, e.g. ../shared/real)")
    items = load(sets, args.split)
    work = args.work or Path(tempfile.mkdtemp(prefix="arhiva-real-"))
    if args.reuse and (work / MAPPING).exists():
        refresh(work)
        print(f"reused the archive in {work}: metadata extracted again and index rebuilt")
    else:
        if work.exists() and any(work.iterdir()):
            parser.error(f"{work} is not empty: give --reuse, or a new folder")
        elapsed = ingest(items, work, args.jobs)
        print(f"ingested {len(items)} files in {elapsed:.0f} s into {work}")
    attach(items, work)
    run_queries(items, work)
    figures = report(items, args.verbose)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    command = ["bench/real_eval.py"] + [a for root in sets for a in ("--docs", str(root))] + ["--split", args.split]
    print("\nreproduce: .venv/bin/python " + shlex.join(command))


if __name__ == "__main__":
    main()
