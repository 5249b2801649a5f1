"""Archive integrity: what the journal costs, and what the checks catch.

Prints, for docs/reliability.md and docs/archive-format.md:

- journal reads at size: the head, one entry by its number, the entries after
  a number, every entry about one document (a journal of ``--entries`` lines);
- writes: commits and corrections per second, each under the lock with its
  intent, fsyncs and journal entry;
- ``verify`` on ``--docs`` documents;
- hostile edits: single-byte edits of a manifest at random places (all must
  be caught), and concurrent ``arhiva tag`` processes on one document (none
  may be lost).

Run: .venv/bin/python bench/archive_integrity.py [--entries 100000] [--docs 300] [--rounds 12]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from arhiva.archive import Archive, NewDocument, NewRecord, catalog
from arhiva.archive.checks import check_archive
from arhiva.archive.journal import GENESIS, Head, Journal, encode, make_entry


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def journal_reads(folder: Path, entries: int) -> None:
    journal = Journal(folder / "journal.jsonl")
    head = Head(0, GENESIS)
    with open(journal.path, "wb") as out:
        for n in range(entries):
            kind = "commit" if n % 3 else "correction"
            fields = {"manifest": "0" * 64, "metadata": "1" * 64} if kind == "commit" else {"record": "2" * 64}
            entry = make_entry(head, kind, hashlib.sha256(str(n // 3).encode()).hexdigest(),
                               "2026-01-01T00:00:00+00:00", **fields)
            out.write(encode(entry))
            head = Head(entry["seq"], entry["hash"])
    size = journal.path.stat().st_size
    some = hashlib.sha256(str(entries // 6).encode()).hexdigest()
    print(f"journal of {entries:,} entries, {size / 1e6:.1f} MB ({size / entries:.0f} bytes an entry)")
    print(f"  head()                     {timed(journal.head) * 1e3:8.3f} ms")
    print(f"  entry(seq)                 {timed(lambda: journal.entry(entries // 2)) * 1e3:8.3f} ms")
    print(f"  since(head - 100)          {timed(lambda: journal.since(entries - 100)) * 1e3:8.3f} ms")
    print(f"  for_document(id)           {timed(lambda: journal.for_document(some)) * 1e3:8.3f} ms")
    print(f"  since(0): every entry      {timed(lambda: journal.since(0), 1):8.3f} s")


def writes(folder: Path, docs: int) -> Archive:
    archive = Archive.open(folder / "archive", create=True)
    source = folder / "source.txt"
    start = time.perf_counter()
    ids = []
    for n in range(docs):
        text = f"Hotărârea nr. {n} din 2021 privind bugetul local.\n"
        source.write_text(text, "utf-8")
        staged = archive.stage(source)
        doc = NewDocument("text/plain", [text], text, [], NewRecord(f"Hotărârea {n}", pages=[{}], extractor="bench"),
                          {"type": "hotărâre"})
        ids.append(archive.commit(staged, doc).id)
    commits = time.perf_counter() - start
    start = time.perf_counter()
    for doc_id in ids:
        catalog.correct(archive, doc_id, {"date": "2021-04-08"})
    corrections = time.perf_counter() - start
    print(f"{docs} commits: {docs / commits:.0f}/s; {docs} corrections: {docs / corrections:.0f}/s "
          "(each: lock, intent, fsyncs, journal entry)")
    start = time.perf_counter()
    report = check_archive(archive)
    elapsed = time.perf_counter() - start
    assert not report.problems, report.problems[:3]
    print(f"verify (archive part) of {docs} documents, {report.entries} journal entries: {elapsed:.2f} s "
          f"({docs / elapsed:.0f} documents/s)")
    return archive


def manifest_edits(archive: Archive, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    doc_id = next(archive.ids())
    path = archive.documents / doc_id[:2] / doc_id / "manifest.json"
    path.chmod(0o644)
    original = path.read_bytes()
    caught = 0
    for _ in range(count):
        data = bytearray(original)
        at = rng.randrange(len(data))
        data[at] = rng.choice([b for b in range(32, 127) if b != data[at]])
        path.write_bytes(bytes(data))
        caught += bool(archive.check_document(doc_id))
    path.write_bytes(original)
    print(f"single-byte edits of manifest.json at random places: {caught} of {count} caught")


def concurrent_tags(folder: Path, rounds: int, writers: int = 8) -> None:
    archive_dir = folder / "tags"
    source = folder / "anunt.txt"
    source.write_text("Anunț\n\nPrimăria organizează concurs.\n", "utf-8")
    subprocess.run([sys.executable, "-m", "arhiva", "ingest", "--jobs", "1", "--archive", str(archive_dir),
                    str(source)], check=True, capture_output=True)
    archive = Archive.open(archive_dir)
    doc_id = next(archive.ids())

    def tag(*args):
        return subprocess.Popen([sys.executable, "-m", "arhiva", "tag", doc_id, *args, "--archive", str(archive_dir)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    kept = failed = both = 0
    for round_ in range(rounds):
        before = len(catalog.corrections(archive, doc_id)["history"])
        processes = [tag("--title", f"T {round_}.{n}") for n in range(writers)]
        failed += sum(p.wait() != 0 for p in processes)
        kept += len(catalog.corrections(archive, doc_id)["history"]) - before
        date, kind = f"2021-01-{round_ + 1:02d}", ["hotărâre", "anunț"][round_ % 2]
        pair = [tag("--date", date), tag("--type", kind)]
        failed += sum(p.wait() != 0 for p in pair)
        merged = catalog.effective(archive, doc_id)
        both += (merged["date"], merged["type"]) == (date, kind)
    print(f"{writers} tags at once on one document, {rounds} rounds: {kept} of {writers * rounds} corrections kept, "
          f"{failed} commands failed; two tags of different fields at once: both kept in {both} of {rounds} rounds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        journal_reads(folder, args.entries)
        archive = writes(folder, args.docs)
        manifest_edits(archive, args.edits)
        concurrent_tags(folder, args.rounds)
    print(f"reproduce: .venv/bin/python bench/archive_integrity.py --entries {args.entries} --docs {args.docs} "
          f"--edits {args.edits} --rounds {args.rounds}")


if __name__ == "__main__":
    main()
