"""Evaluate metadata extraction (arhiva.metadata.extract) on a labelled set.

The set (bench/metadata_labels.json) has two parts:

- ``legislation``: acts of ``legislatie-achizitii.jsonl.gz`` by corpus id, each
  labelled with its own date and type (and, for a subset, every reference,
  by character offsets). Convention: an act's date is the date it was issued,
  in its title (``HOTĂRÂRE nr. 925 din 19 iulie 2006``); for a joint order
  whose title has no date (``ORDIN nr. 2.717/318/2018``), the date of the first
  issuer's number (``Nr. 2.717 din 27 decembrie 2018``). The Monitorul Oficial
  publication date is never the act's date.
- ``generated``: communiqué-shaped documents composed here, from a seed, of
  corpus sentences (by id) under a generated header (type line, title, date
  line, signature) with generated references, a period and a future date.
  The labels are the generation parameters; no corpus text is in the repo.

Prints precision and recall per field, the speed, and the command.

    .venv/bin/python bench/metadata_eval.py --corpora ../shared/corpora
    .venv/bin/python bench/metadata_eval.py --write-labels   # regenerate the generated part
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import DEFAULT_CORPORA, read_jsonl  # noqa: E402

LABELS = Path(__file__).resolve().parent / "metadata_labels.json"
SEED = 20210408
GENERATED = 40

MONTHS = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
          "octombrie", "noiembrie", "decembrie"]
ABBR = ["ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
WEEKDAYS = ["luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"]
FORMATS = ["long", "weekday", "dots", "slash", "roman", "iso", "ocr", "abbr"]
CITIES = ["Dej", "Turda", "Huedin", "Zalău", "Mediaș", "Făgăraș", "Pașcani", "Bârlad", "Caracal", "Lugoj"]
GIVEN = ["Ana", "Mihai", "Elena", "Andrei", "Ioana", "Radu", "Cristina", "Florin", "Daniela", "Sorin"]
FAMILY = ["Popescu", "Ionescu", "Stan", "Dumitrescu", "Marin", "Tudor", "Stoica", "Munteanu", "Moldovan", "Rusu"]
SUBJECTS = ["privind reabilitarea străzilor din centrul istoric", "privind aprobarea bugetului local",
            "privind organizarea târgului de toamnă", "privind digitalizarea serviciilor publice",
            "privind programul de iluminat public", "cu privire la consultarea publică a cetățenilor"]
#: type → (heading words, may carry a number, placements of the date that fit it)
TYPES = {
    "comunicat de presă": ("Comunicat de presă", False, ["place", "data", "registration", "body"]),
    "anunț": ("ANUNȚ", False, ["place", "registration", "data"]),
    "invitație": ("INVITAȚIE", False, ["place", "data"]),
    "proces-verbal": ("PROCES-VERBAL", False, ["incheiat", "heading"]),
    "hotărâre": ("HOTĂRÂREA", True, ["heading"]),
    "dispoziție": ("DISPOZIȚIA", True, ["heading"]),
    "raport": ("RAPORT", False, ["place", "data", "registration"]),
    "minută": ("MINUTA", False, ["heading", "data"]),
}
#: The type a generated document is labelled with, where its heading is a form of another type's.
LABEL_TYPES = {"invitație": "anunț"}
ROLES = ["Primar", "Secretar general", "Președinte de ședință", "Responsabil proiect", "Director executiv"]


def written_date(iso: str, fmt: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if fmt == "long":
        return f"{d} {MONTHS[m - 1]} {y}"
    if fmt == "weekday":
        import datetime

        return f"{WEEKDAYS[datetime.date(y, m, d).weekday()]}, {d} {MONTHS[m - 1]} {y}"
    if fmt == "dots":
        return f"{d:02d}.{m:02d}.{y}"
    if fmt == "slash":
        return f"{d:02d}/{m:02d}/{y}"
    if fmt == "roman":
        return f"{d}.{ROMAN[m - 1]}.{y}"
    if fmt == "iso":
        return iso
    if fmt == "ocr":
        return f"{d} {MONTHS[m - 1]} {str(y).replace('0', 'O', 1)}"
    return f"{d} {ABBR[m - 1]} {y}"


def fold_text(text: str) -> str:
    from arhiva.romanian.letters import fold

    return fold(text)


# ---------------------------------------------------------------- generation


def make_params(rng: random.Random, index: int, pool_size: int) -> dict:
    """The parameters of one generated document, all drawn from ``rng``."""
    doc_type = rng.choice(sorted(TYPES))
    placement = rng.choice(TYPES[doc_type][2])
    year = rng.randint(2015, 2023)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    refs = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["hcl", "lege", "ordonanță de urgență", "hotărâre", "dispoziție", "ordin", REG])
        ref_year = rng.randint(2000, year)
        refs.append({"kind": kind, "number": str(rng.randint(2, 1999)), "year": ref_year,
                     "date": f"{ref_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "form": rng.randint(0, 1)})
    start = rng.randrange(pool_size - 12)
    return {
        "id": f"gen-{index:03d}", "type": doc_type, "date": date, "format": rng.choice(FORMATS),
        "placement": placement, "number": rng.randint(1, 400), "city": rng.choice(CITIES),
        "subject": rng.randrange(len(SUBJECTS)), "diacritics": rng.random() > 0.2,
        "sentences": list(range(start, start + rng.randint(4, 10))), "references": refs,
        "period": rng.random() < 0.5, "future": rng.random() < 0.5,
        "signer": [rng.choice(ROLES), rng.choice(GIVEN), rng.choice(FAMILY)],
    }


REG = "număr de înregistrare"


def cite(ref: dict) -> str:
    y, m, d = ref["date"].split("-")
    n, year, form = ref["number"], ref["year"], ref["form"]
    return {
        "hcl": [f"HCL nr. {n}/{year}", f"Hotărârea Consiliului Local nr. {n}/{year}"],
        "lege": [f"Legea nr. {n}/{year}", f"Legii nr. {n}/{year}"],
        "ordonanță de urgență": [f"O.U.G. nr. {n}/{year}", f"Ordonanța de urgență a Guvernului nr. {n}/{year}"],
        "hotărâre": [f"Hotărârea Guvernului nr. {n} din {int(d)} {MONTHS[int(m) - 1]} {year}", f"HG nr. {n}/{year}"],
        "dispoziție": [f"Dispoziția primarului nr. {n}/{d}.{m}.{year}", f"Dispoziției nr. {n} din {d}.{m}.{year}"],
        "ordin": [f"Ordinul ministrului dezvoltării nr. {n}/{year}", f"Ordinului nr. {n}/{year}"],
        REG: [f"adresa nr. {n}/{d}.{m}.{year}", f"cererea înregistrată cu nr. {n} din {int(d)} {MONTHS[int(m) - 1]} {year}"],
    }[ref["kind"]][form]


def compose(params: dict, sentences: list[dict]) -> str:
    """The text of a generated document; the corpus sentences by position in the pool."""
    when = written_date(params["date"], params["format"])
    heading, numbered, _ = TYPES[params["type"]]
    city, placement = params["city"], params["placement"]
    head = [f"PRIMĂRIA MUNICIPIULUI {city.upper()}"]
    if placement == "registration":
        head.append(f"Nr. {params['number'] * 13}/{params['date'][8:]}.{params['date'][5:7]}.{params['date'][:4]}")
    if placement == "place":
        head.append(f"{city}, {when}")
    title = heading + (f" nr. {params['number']}" if numbered else "")
    if placement == "heading":
        title += f" din {when}"
    head.append(title + (":" if params["type"] == "comunicat de presă" else ""))
    head.append(SUBJECTS[params["subject"]])
    if placement == "data":
        head.append(f"Data: {when}")
    if placement == "incheiat":
        head.append(f"încheiat astăzi, {when}, în sala de ședințe")
    body = [sentences[i]["text"] for i in params["sentences"]]
    if placement == "body":
        body.insert(0, f"Pe {when} a avut loc la sediul primăriei întâlnirea grupului de lucru.")
    refs = [cite(r) for r in params["references"]]
    body.insert(len(body) // 2, f"În conformitate cu {', '.join(refs)}, s-au stabilit măsurile necesare.")
    if params["period"]:
        body.append("Proiectul se derulează în perioada martie 2022 - decembrie 2023.")
    if params["future"]:
        body.append("Următoarea întâlnire va avea loc pe 15 noiembrie 2024, la ora 10:00.")
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    role, given, family = params["signer"]
    text = "\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + f"\n\n{role},\n{given} {family}\n"
    return text if params["diacritics"] else fold_text(text)


def expected_generated(params: dict) -> dict:
    refs = [{"kind": r["kind"], "number": r["number"]} for r in params["references"]]
    if TYPES[params["type"]][1]:
        refs.insert(0, {"kind": params["type"], "number": str(params["number"])})
    if params["placement"] == "registration":
        refs.insert(0, {"kind": REG, "number": str(params["number"] * 13)})
    return {"date": params["date"], "type": LABEL_TYPES.get(params["type"], params["type"]), "references": refs}


def sentence_pool(corpora: Path) -> list[dict]:
    pool = []
    for name in ("ronec-valid.jsonl.gz", "ud-rrt-dev.jsonl.gz"):
        for record in read_jsonl(corpora / name):
            if not {"si", "in"} & set(record["text"].lower().split()):
                pool.append(record)
    return pool


# ---------------------------------------------------------------- evaluation


def _norm(number: str) -> str:
    """The first part of a number, without dots and spaces: ``nr. 1.240/2000`` → ``1240``."""
    first = re.split(r"\s*/\s*", number.strip())[0]
    return re.sub(r"[\s.]", "", first).lower()


def evaluate(corpora: Path, labels: dict, verbose: bool, strip_index: bool) -> dict:
    from arhiva.metadata import extract

    acts = {r["id"]: r["text"] for r in read_jsonl(corpora / "legislatie-achizitii.jsonl.gz")}
    pool = sentence_pool(corpora)
    docs = []  # (id, group, text, expected)
    for label in labels["legislation"]:
        text = acts[label["id"]]
        if strip_index:
            first = text.index("\n")
            text = " " * first + text[first:]  # keep offsets, drop the portal's index line
        docs.append((label["id"], "legislation", text, label))
    for params in labels["generated"]:
        ids = [pool[i]["id"] for i in params["sentences"]]
        if ids != params["sentence_ids"]:
            sys.exit(f"{params['id']}: the corpus changed (sentence ids differ); rerun with --write-labels")
        docs.append((params["id"], "generated", compose(params, pool), expected_generated(params)))

    stats: dict[str, dict[str, int]] = {}

    def count(group: str, key: str, n: int = 1) -> None:
        for g in (group, "all"):
            stats.setdefault(g, {}).setdefault(key, 0)
            stats[g][key] += n

    failures = []
    for doc_id, group, text, expected in docs:
        meta = extract(text)
        count(group, "docs")
        if meta.date is not None:
            count(group, "date_predicted")
        if meta.date == expected["date"]:
            count(group, "date_correct")
        else:
            failures.append(f"{doc_id} date {meta.date} != {expected['date']}")
        if meta.type != "altul":
            count(group, "type_predicted")
        if meta.type == expected["type"]:
            count(group, "type_correct")
        else:
            failures.append(f"{doc_id} type {meta.type} != {expected['type']}")
        refs = expected.get("references")
        if refs is None:
            continue
        count(group, "ref_docs")
        count(group, "ref_labelled", len(refs))
        count(group, "ref_predicted", len(meta.references))
        matched_predictions = set()
        for ref in refs:
            hits = [
                i for i, r in enumerate(meta.references)
                if _norm(r.number) == _norm(ref["number"])
                and ("start" not in ref or (r.start < ref["end"] and ref["start"] < r.end))
            ]
            if hits:
                count(group, "ref_found")
                matched_predictions.update(hits)
                if "kind" in ref:
                    count(group, "ref_kind_labelled")
                    count(group, "ref_kind_correct", any(meta.references[i].kind == ref["kind"] for i in hits))
            else:
                where = text[ref["start"] : ref["end"]] if "start" in ref else f"{ref.get('kind')} {ref['number']}"
                failures.append(f"{doc_id} reference missed: {where!r}")
        count(group, "ref_correct_predictions", len(matched_predictions))
        if verbose:
            for i, r in enumerate(meta.references):
                if i not in matched_predictions:
                    failures.append(f"{doc_id} reference not labelled: {r.text!r}")
    return {"stats": stats, "failures": failures, "texts": [d[2] for d in docs]}


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:6.2f}%" if b else "     –"


def report(result: dict) -> None:
    print(f"{'group':12} {'docs':>5}  {'date P':>7} {'date R':>7}  {'type P':>7} {'type R':>7}  "
          f"{'refs':>5} {'ref P':>7} {'ref R':>7} {'kind':>7}")
    for group in ("legislation", "generated", "all"):
        s = result["stats"].get(group, {})
        g = s.get
        print(f"{group:12} {g('docs', 0):5d}  {pct(g('date_correct', 0), g('date_predicted', 0)):>7} "
              f"{pct(g('date_correct', 0), g('docs', 0)):>7}  {pct(g('type_correct', 0), g('type_predicted', 0)):>7} "
              f"{pct(g('type_correct', 0), g('docs', 0)):>7}  {g('ref_labelled', 0):5d} "
              f"{pct(g('ref_correct_predictions', 0), g('ref_predicted', 0)):>7} "
              f"{pct(g('ref_found', 0), g('ref_labelled', 0)):>7} {pct(g('ref_kind_correct', 0), g('ref_kind_labelled', 0)):>7}")


def speed(texts: list[str]) -> None:
    from arhiva.metadata import extract

    chunks = [t[:3000] for t in texts]
    start = time.perf_counter()
    for _ in range(3):
        for chunk in chunks:
            extract(chunk)
    per_second = 3 * len(chunks) / (time.perf_counter() - start)
    print(f"speed: {per_second:,.0f} documents of 3 KB per second (one core)")
    import subprocess

    code = "import time; t = time.perf_counter(); import arhiva.metadata; print(time.perf_counter() - t)"
    took = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    print(f"import arhiva.metadata in a fresh process: {float(took) * 1000:.0f} ms")


def compare_dateparser(texts: list[str], expected: list[str | None]) -> None:
    """dateparser's ``search_dates`` (Romanian) against ours, on the header of each document."""
    import subprocess

    code = "import time; t = time.perf_counter(); import dateparser.search; print(time.perf_counter() - t)"
    took = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    from dateparser.search import search_dates

    from arhiva.metadata import extract

    heads = ["\n".join(t.strip().split("\n")[:6]) for t in texts]
    correct = found = 0
    start = time.perf_counter()
    for head, iso in zip(heads, expected):
        try:
            result = search_dates(head, languages=["ro"], settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})
        except Exception:  # noqa: BLE001 - a benchmark of someone else's library
            result = None
        dates = [d.date().isoformat() for _, d in result or []]
        found += bool(dates)
        correct += iso in dates
    dp_time = time.perf_counter() - start
    start = time.perf_counter()
    ours = sum(iso in [d.iso for d in extract(h).dates] for h, iso in zip(heads, expected))
    our_time = time.perf_counter() - start
    print(f"dateparser {__import__('dateparser').__version__}: import {float(took) * 1000:.0f} ms; "
          f"the true date among those found in the header: {pct(correct, len(heads))} "
          f"({found} headers with any date), {len(heads) / dp_time:,.0f} headers/s")
    print(f"arhiva.metadata on the same headers: {pct(ours, len(heads))}, {len(heads) / our_time:,.0f} headers/s")


def write_labels(corpora: Path) -> None:
    labels = json.loads(LABELS.read_text("utf-8")) if LABELS.exists() else {"legislation": []}
    pool = sentence_pool(corpora)
    rng = random.Random(SEED)
    generated = []
    for index in range(GENERATED):
        params = make_params(rng, index, len(pool))
        params["sentence_ids"] = [pool[i]["id"] for i in params["sentences"]]
        generated.append(params)
    labels["generated"] = generated
    labels["seed"] = SEED
    LABELS.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(generated)} generated documents to {LABELS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--write-labels", action="store_true", help="regenerate the generated part of the labels")
    parser.add_argument("--failures", action="store_true", help="list each error")
    parser.add_argument("--dateparser", action="store_true", help="compare with dateparser (must be installed)")
    args = parser.parse_args()
    if not (args.corpora / "legislatie-achizitii.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {args.corpora}: pass --corpora DIR (the shared Romanian corpora)")
    if args.write_labels:
        write_labels(args.corpora)
        return
    labels = json.loads(LABELS.read_text("utf-8"))
    result = evaluate(args.corpora, labels, args.failures, strip_index=False)
    print("metadata extraction on bench/metadata_labels.json (P: precision, R: recall)")
    report(result)
    stripped = evaluate(args.corpora, labels, False, strip_index=True)
    print("\nthe same, with the legislation portal's index line (`ORDIN  170 29/12/2021`) blanked out")
    report(stripped)
    print()
    speed(result["texts"])
    if args.dateparser:
        expected = [label["date"] for label in labels["legislation"]]
        expected += [p["date"] for p in labels["generated"]]
        compare_dateparser(stripped["texts"], expected)
    if args.failures:
        print("\n" + "\n".join(result["failures"]))
    print(f"\nreproduce: .venv/bin/python bench/metadata_eval.py --corpora {args.corpora}")


if __name__ == "__main__":
    main()
