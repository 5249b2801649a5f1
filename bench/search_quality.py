"""Search quality: known-item queries over real Romanian documents, arhiva against plain Whoosh.

Documents: the whole legislation documents of the corpora, plus news documents
made of consecutive sentences of the news and mixed-genre corpora. For each
document, 2–4 of its distinctive words (frequent in it, rare elsewhere) form a
query, typed three ways: (a) as written, (b) without diacritics, (c) with each
word in another inflected form found in the corpus (``hotărârea`` →
``hotărârile``). The same queries run against an index with Whoosh's plain
``StandardAnalyzer`` as the baseline. Reported: Success@1, Success@10, MRR.

Run:  .venv/bin/python bench/search_quality.py [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import fields, index, qparser  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402

from arhiva.romanian.letters import fold  # noqa: E402
from arhiva.romanian.stopwords import STOP_WORDS  # noqa: E402
from arhiva.search import IndexDoc, SearchIndex  # noqa: E402
from bench.corpus import DEFAULT_CORPORA, read_jsonl, require, sentences  # noqa: E402

WORD = re.compile(r"[^\W\d_]{5,}")
ENDINGS = ("ului", "ilor", "elor", "ile", "ele", "lor", "ii", "ei", "ea", "ul", "le", "a", "e", "i")


def documents(corpora: Path) -> dict[str, str]:
    docs = {f"lege-{r['id']}": r["text"] for r in read_jsonl(corpora / "legislatie-achizitii.jsonl.gz")}
    news = sentences(corpora)
    for start in range(0, len(news) - 8, 8):
        docs[f"stire-{start // 8}"] = " ".join(news[start:start + 8])
    return docs


def inflected_variant(word: str, vocabulary: Counter, rng: random.Random) -> str | None:
    """Another form of ``word`` from the corpus: same base, another inflectional ending."""
    lower = word.lower()
    base = next((lower[: -len(e)] for e in ENDINGS if lower.endswith(e) and len(lower) - len(e) >= 4), lower)
    options = [w for w in vocabulary if w != lower and w.startswith(base) and w[len(base):] in ("",) + ENDINGS]
    return rng.choice(sorted(options)) if options else None


def make_queries(docs: dict[str, str], seed: int = 7):
    rng = random.Random(seed)
    tokenised = {k: [w.lower() for w in WORD.findall(v)] for k, v in docs.items()}
    df = Counter(w for words in tokenised.values() for w in set(words))
    vocabulary = Counter(w for words in tokenised.values() for w in words)
    n = len(docs)
    queries = []
    for key, words in tokenised.items():
        tf = Counter(w for w in words if w not in STOP_WORDS)
        ranked = sorted(tf, key=lambda w: -tf[w] * math.log(n / df[w]))
        chosen = ranked[: rng.randint(2, 4)]
        if len(chosen) < 2:
            continue
        variants = [inflected_variant(w, vocabulary, rng) or w for w in chosen]
        queries.append((key, {"written": " ".join(chosen), "no diacritics": fold(" ".join(chosen)),
                              "inflected": " ".join(variants)}))
    return queries


def baseline_index(folder: Path, docs: dict[str, str]):
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), content=fields.TEXT(analyzer=StandardAnalyzer()))
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for key, text in docs.items():
        writer.add_document(id=key, content=text)
    writer.commit()
    return ix


def rank_baseline(ix, text: str, target: str) -> int | None:
    with ix.searcher() as searcher:
        q = qparser.QueryParser("content", ix.schema, group=qparser.AndGroup).parse(text)
        for rank, hit in enumerate(searcher.search(q, limit=10), start=1):
            if hit["id"] == target:
                return rank
    return None


def rank_arhiva(ix: SearchIndex, text: str, target_id: str) -> int | None:
    for rank, hit in enumerate(ix.search(text, limit=10).hits, start=1):
        if hit.id == target_id:
            return rank
    return None


def summarise(ranks: list[int | None]) -> tuple[float, float, float]:
    n = len(ranks)
    return (sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = parser.parse_args()
    docs = documents(require(args.corpora))
    queries = make_queries(docs)
    work = Path(tempfile.mkdtemp(prefix="arhiva-sq-"))
    ids = {key: f"{i:064x}" for i, key in enumerate(docs)}
    ours = SearchIndex.create(work / "arhiva")
    now = datetime.now(timezone.utc)
    ours.add(IndexDoc(ids[k], "", text, k, "text/plain", 1, now) for k, text in docs.items())
    (work / "plain").mkdir()
    plain = baseline_index(work / "plain", docs)
    print(f"{len(docs)} documents ({sum(k.startswith('lege') for k in docs)} legislation, "
          f"{sum(k.startswith('stire') for k in docs)} news), {len(queries)} known-item queries of each kind")
    print(f"{'query kind':<15} {'index':<22} {'S@1':>6} {'S@10':>6} {'MRR':>6}")
    for kind in ("written", "no diacritics", "inflected"):
        for name, ranker in (("arhiva", lambda q, k: rank_arhiva(ours, q, ids[k])),
                             ("Whoosh StandardAnalyzer", lambda q, k: rank_baseline(plain, q, k))):
            s1, s10, mrr = summarise([ranker(qs[kind], key) for key, qs in queries])
            print(f"{kind:<15} {name:<22} {s1:>6.3f} {s10:>6.3f} {mrr:>6.3f}")
    print("examples:", "; ".join(f"{qs['written']} / {qs['inflected']}" for _, qs in queries[:3]))
    print("reproduce: .venv/bin/python bench/search_quality.py")


if __name__ == "__main__":
    main()
