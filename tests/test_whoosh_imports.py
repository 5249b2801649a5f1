"""Whoosh stays behind the search backend: no module outside ``arhiva/search/`` imports it,
and arhiva's query tree goes to Whoosh and back unchanged."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from arhiva.search import query as querylang
from arhiva.search.whoosh_backend.translate import to_whoosh

PACKAGE = Path(__file__).resolve().parents[1] / "arhiva"
DATA = Path(__file__).parent / "data" / "search"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_no_module_outside_search_imports_whoosh():
    outside = [path for path in PACKAGE.rglob("*.py") if PACKAGE / "search" not in path.parents]
    assert outside
    offenders = {str(path.relative_to(PACKAGE)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "whoosh")
                 for path in outside}
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_only_the_whoosh_backend_and_the_parser_import_whoosh():
    """Inside search/, Whoosh is imported by its backend, by the query parser that reads
    the syntax, and by the snowball stemmer that arhiva borrows."""
    search = PACKAGE / "search"
    users = {str(path.relative_to(search)) for path in search.rglob("*.py")
             if any(m.split(".")[0] == "whoosh" for m in imported_modules(path))}
    assert {u for u in users if not u.startswith("whoosh_backend/")} <= {"query.py", "stemming.py"}


def typed_queries() -> list[str]:
    ranking = json.loads((DATA / "ranking.json").read_text("utf-8"))
    queries = [case["query"] for case in json.loads((DATA / "queries.json").read_text("utf-8"))]
    queries += [case["query"] for case in json.loads((DATA / "suggestions.json").read_text("utf-8"))]
    patterns = ranking["patterns"] + ranking["phrase_patterns"] + ranking["relaxed_patterns"]
    queries += [p.replace("{phrase}", "consiliul local").replace("{w}", "buget").replace("{p}", "hot")
                for p in patterns]
    queries += ['titlu:[a TO c]', "buget^2 OR taxe", "consiliu~2", "h?tarare", "buget ANDNOT taxe",
                "buget ANDMAYBE taxe", "buget REQUIRE taxe", "*", "data:2021-04", "data:[2021-01 to 2021-06]"]
    return list(dict.fromkeys(queries))


@pytest.mark.parametrize("text", typed_queries())
def test_the_query_tree_goes_to_whoosh_and_back_unchanged(text):
    try:
        parsed = querylang.parse(text)
    except Exception:  # noqa: BLE001 - a query that does not parse has no tree
        return
    if parsed is not None:
        assert querylang.to_tree(to_whoosh(parsed)) == parsed
