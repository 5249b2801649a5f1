"""What the public-interface path costs: the same queries through the fast path
(whoosh3's posting blocks and columns read directly) and through the path taken
when the adapter's probe fails (here: whoosh3's release number changed).

Runs on an archive made by ``bench/search_scale.py --work DIR`` (its queries,
snippets included), alternating the two paths query by query, and checks that
they give the same hits. Prints p50 / p95 of each.

Run: .venv/bin/python bench/search_fallback.py --work /tmp/scale [--queries 100]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import whoosh  # noqa: E402

from arhiva.archive import Archive  # noqa: E402
from arhiva.search import SearchIndex  # noqa: E402
from arhiva.search.whoosh_backend import private  # noqa: E402
from bench.search_scale import make_queries, percentile, reused_documents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="the folder given to bench/search_scale.py --work")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger(private.__name__).setLevel(logging.ERROR)  # the notice, once per query here
    root = args.work / "archive"
    archive = Archive.open(root)
    queries = make_queries(reused_documents(root, args.queries), args.queries)
    index = SearchIndex.open(root / "index")
    pinned = whoosh.__version__
    times: dict[str, list[float]] = {"fast": [], "public": []}
    differ = 0
    for text in queries:
        found = {}
        for path in ("fast", "public"):
            whoosh.__version__ = pinned if path == "fast" else (pinned[0], pinned[1] + 1, 0)
            private.reset()
            start = time.perf_counter()
            results = index.search(text, limit=10, text_of=archive.text)
            times[path].append((time.perf_counter() - start) * 1000)
            found[path] = [(h.id, round(h.score, 6)) for h in results.hits]
        differ += found["fast"] != found["public"]
    whoosh.__version__ = pinned
    for path, values in times.items():
        print(f"{path:7} {percentile(values, 0.5):8.1f} / {percentile(values, 0.95):8.1f} ms (p50 / p95, "
              f"{len(values)} queries)")
    print(f"queries whose hits differ: {differ}")
    print(f"reproduce: .venv/bin/python bench/search_fallback.py --work {args.work} --queries {args.queries}")


if __name__ == "__main__":
    main()
