"""Search at scale: an archive of many realistic documents made of corpus sentences.

Builds an archive of N documents of about 3 KB (default 100,000) through the
archive's own writer (each a text document with a title, a date and a type),
then measures:

- ``arhiva reindex`` in its own process: wall time, documents/s, peak memory
  (the largest resident set of the process), index size;
- query latency, in one process, over Q mixed queries (1–4 words with and
  without diacritics, a phrase of three running words of a document, a field
  filter, a date range), snippets included: p50 and p95. The queries go
  through one ``SearchIndex``, which keeps its searcher open between searches
  as a long-running program would;
- outside that mix: the first 100 of those queries with a new searcher each
  (what every search of a separate process pays), word queries sorted by
  date, and phrases of three words that do not stand together (the slowest
  case: found nowhere, words common);
- the wall time of whole ``arhiva search`` commands, each a new process.

Run:  .venv/bin/python bench/search_scale.py [--docs 100000] [--queries 500] [--work DIR]
(about 6 minutes of archive writing and half an hour of indexing for 100,000 documents).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.archive import Archive, NewDocument, NewRecord, Source  # noqa: E402
from arhiva.romanian.letters import fold  # noqa: E402
from arhiva.search import SearchIndex  # noqa: E402
from bench.corpus import DEFAULT_CORPORA, read_jsonl, require, sentences  # noqa: E402
from bench.timing import compile_bytecode  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["1-4 words", "1-4 words, no diacritics", "a phrase", "a word and a type", "a word and a date range"]
TYPES = ["hotărâre", "proces-verbal", "comunicat de presă", "dispoziție", "anunț", "raport"]


def corpus_sentences(corpora: Path) -> list[str]:
    pool = sentences(corpora)
    for record in read_jsonl(corpora / "legislatie-achizitii.jsonl.gz"):
        pool += [s.strip() + "." for s in record["text"].split(". ") if 40 < len(s) < 400]
    return pool


def build_archive(root: Path, n: int, pool: list[str], seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    archive = Archive.open(root, create=True)
    source = root.parent / "source.txt"
    made = []
    for i in range(n):
        parts, size = [], 0
        while size < 3000:
            sentence = rng.choice(pool)
            parts.append(sentence)
            size += len(sentence) + 1
        text = f"Document {i}\n\n" + " ".join(parts)
        year, month, day = rng.randint(2000, 2021), rng.randint(1, 12), rng.randint(1, 28)
        metadata = {"date": f"{year}-{month:02d}-{day:02d}", "type": rng.choice(TYPES)}
        source.write_text(text, "utf-8")
        staged = archive.stage(source)
        record = NewRecord(parts[0][:100], Source(f"doc{i}.txt", media_type="text/plain"),
                           pages=[{"method": "text-file"}], extractor="bench")
        archive.commit(staged, NewDocument("text/plain", [text], text, [], record, metadata))
        made.append({"text": text, **metadata})
        if (i + 1) % 10000 == 0:
            print(f"  {i + 1} documents written", flush=True)
    return made


def reused_documents(root: Path, count: int, seed: int = 3) -> list[dict]:
    """A sample of an existing archive's documents, with their metadata, to build queries from."""
    from arhiva.archive import catalog

    archive = Archive.open(root)
    ids = sorted(archive.ids())
    sample = random.Random(seed).sample(ids, min(count, len(ids)))
    docs = []
    for doc_id in sample:
        metadata = catalog.effective(archive, doc_id)
        docs.append({"text": archive.text(doc_id), "date": metadata.get("date") or "2010-01-01",
                     "type": metadata.get("type") or "hotărâre"})
    return docs


def make_queries(docs: list[dict], count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for k in range(count):
        doc = rng.choice(docs)
        words = [w for w in doc["text"].split() if w.isalpha() and len(w) > 3]
        kind = k % 5
        if kind == 0:
            queries.append(" ".join(rng.sample(words, rng.randint(1, 4))))
        elif kind == 1:
            queries.append(fold(" ".join(rng.sample(words, rng.randint(1, 4)))))
        elif kind == 2:
            running = re.findall(r"\w+", doc["text"])
            start = rng.randrange(max(1, len(running) - 3))
            queries.append('"' + " ".join(running[start:start + 3]) + '"')
        elif kind == 3:
            queries.append(f'{rng.choice(words)} tip:"{doc["type"]}"')
        else:
            queries.append(f"{rng.choice(words)} data:[{doc['date'][:7]} to {doc['date'][:4]}-12]")
    return queries


def absent_phrases(docs: list[dict], count: int, seed: int = 4) -> list[str]:
    """Three words of a document that do not stand together in it (longer words,
    with the short ones between them left out): phrases that are mostly in no
    document while their words are in many, the slowest case."""
    rng = random.Random(seed)
    phrases = []
    for _ in range(count):
        words = [w for w in rng.choice(docs)["text"].split() if w.isalpha() and len(w) > 3]
        start = rng.randrange(max(1, len(words) - 3))
        phrases.append('"' + " ".join(words[start:start + 3]) + '"')
    return phrases


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--work", type=Path, help="keep the archive here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --work: measure queries on the archive and index already there")
    args = parser.parse_args()
    pool = corpus_sentences(require(args.corpora))
    compile_bytecode()
    work = args.work or Path(tempfile.mkdtemp(prefix="arhiva-scale-"))
    root = work / "archive"
    arhiva = str(ROOT / ".venv" / "bin" / "arhiva")

    if args.reuse and (root / "index").is_dir():
        docs = reused_documents(root, args.queries)
        indexing = peak_mb = None
    else:
        start = time.perf_counter()
        docs = build_archive(root, args.docs, pool)
        print(f"archive: {args.docs} documents written in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        subprocess.run([arhiva, "reindex", "--archive", str(root)], check=True)
        indexing = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = sum(f.stat().st_size for f in (root / "index").iterdir() if f.is_file()) / 2**20

    index = SearchIndex.open(root / "index")
    archive = Archive.open(root)
    queries = make_queries(docs, args.queries)
    latencies, found = [], 0
    by_kind: dict[str, list[float]] = {}
    for k, text in enumerate(queries):
        t = time.perf_counter()
        results = index.search(text, limit=10, text_of=archive.text)
        latencies.append((time.perf_counter() - t) * 1000)
        found += bool(results.hits)
        by_kind.setdefault(KINDS[k % len(KINDS)], []).append(latencies[-1])
    # Not in the mix: a new searcher for each query.
    fresh = []
    for text in queries[:100]:
        index.close()
        t = time.perf_counter()
        index.search(text, limit=10, text_of=archive.text)
        fresh.append((time.perf_counter() - t) * 1000)
    # Word queries sorted by date, newest first.
    dated = []
    for text in queries[:250:5]:
        t = time.perf_counter()
        index.search(text, limit=10, text_of=archive.text, sort="-date")
        dated.append((time.perf_counter() - t) * 1000)
    absent, absent_found = [], 0
    for text in absent_phrases(docs, 50):
        t = time.perf_counter()
        absent_found += bool(index.search(text, limit=10, text_of=archive.text).hits)
        absent.append((time.perf_counter() - t) * 1000)
    cli, cli_cpu = [], []
    for text in queries[:10]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([arhiva, "search", "--archive", str(root), *text.split()], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    print(f"documents                    {sum(1 for _ in archive.ids()) if args.reuse else args.docs}")
    if indexing is not None:
        print(f"reindex wall time            {indexing:.0f} s ({args.docs / indexing:.0f} documents/s)")
        print(f"reindex peak memory          {peak_mb:.0f} MB")
    print(f"index size                   {size_mb:.0f} MB")
    print(f"queries                      {len(queries)} ({found} with results)")
    print(f"query latency p50 / p95      {percentile(latencies, 0.5):.1f} / {percentile(latencies, 0.95):.1f} ms")
    for kind, values in by_kind.items():
        print(f"  {kind:<26} {percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} ms")
    print(f"new searcher each (extra)    {percentile(fresh, 0.5):.1f} / {percentile(fresh, 0.95):.1f} ms "
          f"(the mix's first {len(fresh)} queries; {percentile(latencies[:len(fresh)], 0.5):.1f} / "
          f"{percentile(latencies[:len(fresh)], 0.95):.1f} ms with the searcher kept)")
    print(f"word queries by date (extra) {percentile(dated, 0.5):.1f} / {percentile(dated, 0.95):.1f} ms "
          f"({len(dated)} queries, --sort -date)")
    print(f"phrases of separated words   {percentile(absent, 0.5):.1f} / {percentile(absent, 0.95):.1f} ms "
          f"({len(absent)} queries, {absent_found} found; extra)")
    print(f"whole CLI search (median)    {statistics.median(cli):.2f} s (max {max(cli):.2f} s; "
          f"CPU median {statistics.median(cli_cpu):.2f} s)")
    print(f"load average                 {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
          if Path("/proc/loadavg").exists() else "load average                 unknown")
    print(f"reproduce: .venv/bin/python bench/search_scale.py --docs {args.docs} --queries {args.queries}"
          + (f" --work {args.work} --reuse" if args.reuse else ""))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
