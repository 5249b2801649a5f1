"""Processor time of a new search, in-process, on an existing archive: the index
search, the snippets of its hits and the "did you mean" lookup, and a digest of
every answer (hits, scores, snippets, suggestion) to compare two versions.

Each query is asked once, in one process, after ``--warm`` other searches
(0: the caches of word analysis and stems and the kept postings empty, as a
server meeting new words; 1,000: as a server that has run a while). Queries
are those of bench/search_scale.py (mixed: words, folded words, phrases, a
type, a date range), plus ``--misspelt`` words changed by one letter (the
"did you mean" path). Prints the CPU milliseconds per query
(median, 90th percentile, mean), the load average, and with ``--digest FILE``
writes every answer as JSON lines, to diff against another version's.

Run: nice -n 10 .venv/bin/python bench/search_cpu.py --archive ../extra/web20k/archive [--queries 200]
     [--misspelt 20] [--digest /tmp/after.jsonl] [--profile /tmp/search.prof] [--nothing-kept | --kept MB]
     [--serving] [--warm 1000]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.search_scale import make_queries, percentile, reused_documents  # noqa: E402


def misspelt(queries: list[str], count: int, seed: int = 5) -> list[str]:
    """Single words of the queries with one letter changed: mostly in no document."""
    rng = random.Random(seed)
    words = [w for q in queries for w in q.split() if w.isalpha() and len(w) > 5]
    out = []
    for word in rng.sample(words, min(count, len(words))):
        i = rng.randrange(1, len(word) - 1)
        out.append(word[:i] + rng.choice("aeiourstnl") + word[i + 1:])
    return out


def answer(results) -> dict:
    return {"total": results.total, "suggestion": results.suggestion,
            "hits": [[h.id, round(h.score, 6), [[s.page, s.parts] for s in h.snippets], h.missing]
                     for h in results.hits]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, default=HERE.parent / "extra" / "web20k" / "archive")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--misspelt", type=int, default=20)
    parser.add_argument("--digest", type=Path, help="write every answer as JSON lines here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of all the searches here")
    parser.add_argument("--nothing-kept", action="store_true",
                        help="keep no decoded postings between searches (each search reads its terms again)")
    parser.add_argument("--kept", type=int, metavar="MB",
                        help="keep this many MB of decoded postings (default: the budget sized from the index)")
    parser.add_argument("--serving", action="store_true",
                        help="keep postings as arhiva serve's search processes do")
    parser.add_argument("--warm", type=int, default=0, metavar="N",
                        help="ask N other searches first, not measured (as a server that has run a while)")
    args = parser.parse_args()
    from arhiva.search.whoosh_backend import segment

    if args.nothing_kept:
        segment.KEPT_BYTES = 0
    elif args.kept is not None:
        segment.KEPT_BYTES = args.kept << 20
    if args.serving:
        segment.serving(1)

    from arhiva.archive import Archive
    from arhiva.search.index import SearchIndex

    archive = Archive.open(args.archive)
    docs = reused_documents(args.archive, 300)
    queries = make_queries(docs, args.queries)
    queries += misspelt(queries, args.misspelt)
    index = SearchIndex.open(archive.index_dir)
    index.search("arhiva", limit=1)  # the index's tables read, the analysis loaded
    for q in make_queries(docs, args.warm, seed=7):
        index.search(q)

    def text_of(doc_id: str) -> str:
        return archive.read_member(doc_id, "text.txt").decode("utf-8")

    times, answers = [], []
    profiler = cProfile.Profile() if args.profile else None
    for q in queries:
        if profiler:
            profiler.enable()
        start = time.process_time()
        results = index.search(q, text_of=text_of)
        times.append(time.process_time() - start)
        if profiler:
            profiler.disable()
        answers.append(answer(results))
    if profiler:
        profiler.dump_stats(str(args.profile))
    ms = [t * 1e3 for t in times]
    words = ms[:args.queries]
    wrong = ms[args.queries:]
    print(f"{len(words)} queries: CPU per search p50 {statistics.median(words):.1f} ms, "
          f"p90 {percentile(words, 0.9):.1f} ms, mean {statistics.mean(words):.1f} ms")
    if wrong:
        print(f"{len(wrong)} misspelt words: p50 {statistics.median(wrong):.1f} ms, "
              f"p90 {percentile(wrong, 0.9):.1f} ms, mean {statistics.mean(wrong):.1f} ms")
    slowest = sorted(zip(ms, queries), reverse=True)[:5]
    print("slowest: " + "; ".join(f"{t:.0f} ms {q!r}" for t, q in slowest))
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average: {open('/proc/loadavg').read().split()[:3]}")
    if args.digest:
        with args.digest.open("w", encoding="utf-8") as out:
            for q, a in zip(queries, answers):
                out.write(json.dumps({"q": q, **a}, ensure_ascii=False) + "\n")
    print("command: " + " ".join(["nice -n 10 .venv/bin/python", *sys.argv]))


if __name__ == "__main__":
    main()
