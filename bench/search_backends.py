"""The two search backends side by side: Whoosh (embedded) and PostgreSQL.

- quality: the known-item queries of ``bench/search_quality.py`` (real
  Romanian documents), Success@1, Success@10 and MRR for each kind of query;
- scale: an archive of N generated documents (``bench/search_scale.py``),
  reindexed into each backend in a process of its own (wall time,
  documents/s, the process's peak memory; the PostgreSQL server's own memory
  is not in it), then the scale benchmark's mixed queries with snippets: one
  client (p50, p95, by kind), and 8 clients at once, each a process with its
  own index connection (queries/s, p95).

Needs a PostgreSQL server and a database the user may create schemas in
(``--postgres``; the benchmark's index is the schema ``arhiva_bench``, dropped at the end).

Run:  nice .venv/bin/python bench/search_backends.py --docs 20000 \\
          [--postgres postgresql://arhiva:arhiva@localhost/arhiva_test] [--work DIR [--reuse]]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import namedtuple
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.archive import Archive  # noqa: E402
from arhiva.search import IndexDoc, SearchIndex  # noqa: E402
from arhiva.search.backend import open_index  # noqa: E402
from bench import search_quality, search_scale  # noqa: E402
from bench.corpus import DEFAULT_CORPORA, require  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql://arhiva:arhiva@localhost/arhiva_test"
Mark = namedtuple("Mark", "seq hash")

REINDEX = """
import sys, time
from pathlib import Path
from arhiva.archive import Archive
from arhiva.archive.checks import journal_states
from arhiva.maintenance import index_docs
from arhiva.search.backend import rebuild_index
archive = Archive.open(Path(sys.argv[1]))
start = time.perf_counter()
location = sys.argv[2] if "://" in sys.argv[2] else Path(sys.argv[2])
# as arhiva reindex reads the archive (one pass over the journal), without taking its lock
count = rebuild_index(location, index_docs(archive, archive.ids(), None, journal_states(archive)))
print(count, time.perf_counter() - start)
"""


def with_index(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}index={name}"


def drop(url: str) -> None:
    from arhiva.search.postgres_backend.engine import PostgresBackend, _connect, connect_location

    conninfo, schema, shown = connect_location(url)
    backend = PostgresBackend(_connect(conninfo, shown), schema, shown)
    for suffix in ("", "_new", "_old"):
        backend._conn.execute(f"DROP SCHEMA IF EXISTS {schema}{suffix} CASCADE")
    backend.close()


def quality(corpora: Path, postgres: str) -> None:
    docs = search_quality.documents(corpora)
    queries = search_quality.make_queries(docs)
    ids = {key: f"{i:064x}" for i, key in enumerate(docs)}
    now = datetime.now(timezone.utc)
    work = Path(tempfile.mkdtemp(prefix="arhiva-sb-"))
    url = with_index(postgres, "bench_quality")
    drop(url)
    indexes = {"Whoosh": SearchIndex.create(work / "whoosh"), "PostgreSQL": SearchIndex(open_index(url, create=True))}
    for index in indexes.values():
        index.add(IndexDoc(ids[k], "", text, k, "text/plain", 1, now) for k, text in docs.items())
    print(f"quality: {len(docs)} documents, {len(queries)} known-item queries of each kind")
    print(f"{'query kind':<15} {'backend':<11} {'S@1':>6} {'S@10':>6} {'MRR':>6}")
    for kind in ("written", "no diacritics", "inflected"):
        for name, index in indexes.items():
            s1, s10, mrr = search_quality.summarise(
                [search_quality.rank_arhiva(index, qs[kind], ids[key]) for key, qs in queries])
            print(f"{kind:<15} {name:<11} {s1:>6.3f} {s10:>6.3f} {mrr:>6.3f}", flush=True)
    for index in indexes.values():
        index.close()
    drop(url)
    shutil.rmtree(work, ignore_errors=True)


def load() -> str:
    """The machine's load average over the last minute (other work on it slows every figure)."""
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def tree_memory(pid: int) -> float:
    """The resident memory (MB) of a process and its descendants (a reindex's pool of processes)."""
    from arhiva.testing.hostile import process_tree

    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/statm").read_text().split()
        except OSError:
            continue
        total += int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
    return total / 2**20


def reindex(root: Path, location: str) -> tuple[int, float, float, float, str]:
    """Reindex in a process of its own: documents, seconds, peak memory of that process (MB), peak memory
    of it with its pool of processes (MB, sampled every half second), and the load averages during it."""
    before = load()
    process = subprocess.Popen([sys.executable, "-c", REINDEX, str(root), location], stdout=subprocess.PIPE,
                               cwd=ROOT, text=True)
    peak_tree = 0.0
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_memory(process.pid))
        time.sleep(0.5)
    output = process.stdout.read()
    if process.returncode:
        raise SystemExit(f"reindex into {location} failed")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    count, seconds = output.split()
    return int(count), float(seconds), usage.ru_maxrss / 1024, peak_tree, f"{before}-{load()}"


def one_client(location, root: Path, queries: list[str]) -> tuple[list[float], dict[str, list[float]]]:
    index = SearchIndex(open_index(location))
    archive = Archive.open(root)
    latencies, by_kind = [], {}
    for k, text in enumerate(queries):
        start = time.perf_counter()
        index.search(text, limit=10, text_of=archive.text)
        latencies.append((time.perf_counter() - start) * 1000)
        by_kind.setdefault(search_scale.KINDS[k % len(search_scale.KINDS)], []).append(latencies[-1])
    index.close()
    return latencies, by_kind


def _client(args) -> list[float]:
    location, root, queries, start_at = args
    index = SearchIndex(open_index(location))
    archive = Archive.open(root)
    index.search(queries[0], limit=10, text_of=archive.text)  # open the searcher before the clock starts
    while time.time() < start_at:
        time.sleep(0.01)
    latencies = []
    for text in queries:
        start = time.perf_counter()
        index.search(text, limit=10, text_of=archive.text)
        latencies.append((time.perf_counter() - start) * 1000)
    index.close()
    return latencies


def many_clients(location, root: Path, queries: list[str], clients: int) -> tuple[float, float]:
    """Queries/s and p95 (ms) with ``clients`` processes searching at once."""
    share = [queries[i::clients] for i in range(clients)]
    start_at = time.time() + 3 + clients * 0.5
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, [(location, root, part, start_at) for part in share])
    wall = time.time() - start_at
    latencies = [value for part in results for value in part]
    return len(latencies) / wall, search_scale.percentile(latencies, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a database to make the benchmark's index in")
    parser.add_argument("--work", type=Path, help="keep the archive here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --work: measure queries on the archive and both indexes already there")
    parser.add_argument("--reindex", action="store_true",
                        help="with --reuse: reindex the archive already there into PostgreSQL first "
                             "(a Whoosh index already there is only read)")
    parser.add_argument("--archive", type=Path,
                        help="with --reuse: the archive to read (default WORK/archive); its Whoosh index is "
                             "its index/ folder, only read")
    parser.add_argument("--index-name", default="bench", help="the PostgreSQL index's name (its schema)")
    parser.add_argument("--backends", default="Whoosh,PostgreSQL", help="which to measure (comma-separated)")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    corpora = require(args.corpora)
    if not args.skip_quality:
        quality(corpora, args.postgres)
    if args.quality_only:
        print("reproduce: .venv/bin/python bench/search_backends.py --quality-only")
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="arhiva-sb-"))
    root = args.archive or work / "archive"
    if args.reuse and root.is_dir():
        docs = search_scale.reused_documents(root, args.queries)
    else:
        start = time.perf_counter()
        docs = search_scale.build_archive(root, args.docs, search_scale.corpus_sentences(corpora))
        print(f"archive: {args.docs} documents written in {time.perf_counter() - start:.0f} s", flush=True)
    queries = search_scale.make_queries(docs, args.queries)
    url = with_index(args.postgres, args.index_name)
    locations = {name: location for name, location in (("Whoosh", str(root / "index")), ("PostgreSQL", url))
                 if name.lower() in args.backends.lower().split(",")}
    rows = {}
    for name, location in locations.items():
        if args.reuse and not (args.reindex and name == "PostgreSQL"):
            count, seconds, peak = SearchIndex(open_index(Path(location) if name == "Whoosh" else location)
                                               ).doc_count(), float("nan"), float("nan")
        else:
            count, seconds, peak, peak_tree, during = reindex(root, location)
            print(f"{name}: reindexed {count} documents in {seconds:.0f} s ({count / seconds:.0f} documents/s), "
                  f"peak memory {peak:.0f} MB (with its pool of processes {peak_tree:.0f} MB); load {during}",
                  flush=True)
        location = root / "index" if name == "Whoosh" else location
        before = load()
        latencies, by_kind = one_client(location, root, queries)
        during_one = f"{before}-{load()}"
        rate, p95_many = many_clients(location, root, queries, args.clients)
        rows[name] = (count / seconds, peak, latencies, by_kind, rate, p95_many)
        print(f"{name}: one client p50 {search_scale.percentile(latencies, 0.5):.1f} ms, "
              f"p95 {search_scale.percentile(latencies, 0.95):.1f} ms (load {during_one}); {args.clients} clients "
              f"{rate:.1f} queries/s, p95 {p95_many:.0f} ms (load {load()} after)", flush=True)
    print(f"\n{count} documents, {len(queries)} mixed queries (snippets included)")
    print(f"{'':<34}" + "".join(f"{name:>14}" for name in rows))
    def line(label, values):
        print(f"{label:<34}" + "".join(f"{v:>14}" for v in values))
    line("reindex documents/s", [f"{r[0]:.0f}" for r in rows.values()])
    line("reindex peak memory (MB)", [f"{r[1]:.0f}" for r in rows.values()])
    line("one client p50 / p95 (ms)", [f"{search_scale.percentile(r[2], 0.5):.0f} / "
                                       f"{search_scale.percentile(r[2], 0.95):.0f}" for r in rows.values()])
    for kind in search_scale.KINDS:
        line(f"  {kind}", [f"{search_scale.percentile(r[3][kind], 0.5):.0f} / "
                           f"{search_scale.percentile(r[3][kind], 0.95):.0f}" for r in rows.values()])
    line(f"{args.clients} clients queries/s", [f"{r[4]:.1f}" for r in rows.values()])
    line(f"{args.clients} clients p95 (ms)", [f"{r[5]:.0f}" for r in rows.values()])
    print("reproduce: nice .venv/bin/python bench/search_backends.py"
          + ("" if args.reuse else f" --docs {args.docs}") + f" --queries {args.queries}"
          + (f" --work {args.work}" if args.work else "")
          + (f" --reuse --index-name {args.index_name}" if args.reuse else "")
          + (" --reindex" if args.reindex else "") + (f" --archive {args.archive}" if args.archive else "")
          + (f" --backends {args.backends}" if args.backends != "Whoosh,PostgreSQL" else "")
          + (f" --clients {args.clients}" if args.clients != 8 else "")
          + (f" --postgres {args.postgres}" if args.postgres != DEFAULT_POSTGRES else "") + " --skip-quality")
    if not args.reuse and "PostgreSQL" in locations:
        drop(url)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
