"""What search says besides its results: did-you-mean, and queries quoted in messages."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from arhiva.cli import cli
from arhiva.search import IndexDoc, SearchIndex
from arhiva.search import query as querylang
from arhiva.search.index import reference_forms
from tests.conftest import FakeEngine

DATA = Path(__file__).parent / "data" / "search"
DOCS = json.loads((DATA / "documents.json").read_text("utf-8"))
SUGGESTIONS = json.loads((DATA / "suggestions.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex.create(tmp_path_factory.mktemp("ix") / "index")
    ix.add(
        IndexDoc(f"{n:02x}" * 32, doc["title"], doc["text"], f"{key}.pdf", "application/pdf", 1,
                 datetime(2026, 1, 1, tzinfo=timezone.utc),
                 datetime.fromisoformat(doc["date"]).replace(tzinfo=timezone.utc) if doc["date"] else None,
                 doc["type"], *reference_forms(doc.get("references", [])))
        for n, (key, doc) in enumerate(DOCS.items(), start=1)
    )
    return ix


@pytest.mark.parametrize("case", SUGGESTIONS, ids=[c["query"] for c in SUGGESTIONS])
def test_did_you_mean_corrects_only_plain_words(index, case):
    suggestion = index.search(case["query"]).suggestion
    assert suggestion == case["suggestion"], case["comment"]
    if suggestion is not None:
        querylang.parse(suggestion)  # what is offered always parses


@pytest.fixture
def run(tmp_path, monkeypatch):
    import arhiva.ingest

    class Engine(FakeEngine):
        def __init__(self, lang="ron", timeout=300):
            super().__init__()

        def check(self):
            pass

    monkeypatch.setattr(arhiva.ingest, "TesseractEngine", Engine)
    monkeypatch.setenv("ARHIVA_HOME", str(tmp_path / "archive"))
    source = tmp_path / "anunt.txt"
    source.write_text("Anunț\n\nConsiliul Local a aprobat bugetul pe anul 2021.\n", "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(source)]).exit_code == 0
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("query", ["data:banana " + "buget " * 2000, "data:[2021 to " + "x" * 10000])
def test_a_malformed_query_is_quoted_short(run, query):
    result = run("search", query)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("arhiva: error: cannot understand the query 'data:") and "…" in line
    assert len(line) < 250


def test_did_you_mean_is_cut_on_the_terminal_and_whole_in_json(run):
    query = "bugetl " + "consiliul " * 20
    result = run("search", query)
    (line, _) = result.stderr.splitlines()
    assert line.startswith("did you mean: bugetul consiliul") and line.endswith("…") and len(line) < 100
    assert json.loads(run("search", "--json", query).stdout)["suggestion"] == " ".join(["bugetul"] + ["consiliul"] * 20)
