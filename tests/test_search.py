from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from arhiva.errors import ArchiveError
from arhiva.search import IndexDoc, SearchIndex
from arhiva.search.analyzer import romanian_analyzer

DOCS = {
    "a" * 64: ("Ședința Consiliului Local", "Ședința Consiliului Local a aprobat bugetul.\n\fHotărârea a fost adoptată."),
    "b" * 64: ("Anunț", "Consultare publică pentru bugetul participativ din țară."),
    "c" * 64: ("Şedinţă veche", "Textul vechi scris cu sedila: şedinţa din ţara noastră."),
}


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex.create(tmp_path / "index")
    ix.add(
        IndexDoc(doc_id, title, text, "x.txt", "text/plain", text.count("\f") + 1, datetime(2021, 4, 8, tzinfo=timezone.utc))
        for doc_id, (title, text) in DOCS.items()
    )
    return ix


def ids(hits):
    return sorted(h.id[0] for h in hits)


def test_analyzer_folds_both_forms():
    tokens = [t.text for t in romanian_analyzer()("Ședința ŞEDINŢA sedinta")]
    assert tokens == ["sedinta", "sedinta", "sedinta"]


@pytest.mark.parametrize("query", ["sedinta", "ședința", "şedinţa", "SEDINTA"])
def test_diacritics_do_not_matter(index, query):
    assert ids(index.search(query)) == ["a", "c"]


def test_all_words_must_match(index):
    assert ids(index.search("bugetul consiliului")) == ["a"]
    assert ids(index.search("bugetul")) == ["a", "b"]
    assert ids(index.search("tara")) == ["b", "c"]


def test_snippets_have_page_numbers(index):
    (hit,) = index.search("hotararea", text_of=lambda doc_id: DOCS[doc_id][1])
    (snippet,) = hit.snippets
    assert snippet.page == 2
    assert [p for p, matched in snippet.parts if matched] == ["Hotărârea"]
    assert json.loads(json.dumps(hit.to_json()))["snippets"][0]["page"] == 2


def test_replacing_a_document(index):
    index.add([IndexDoc("a" * 64, "Nou", "alt conținut", "x.txt", "text/plain", 1, datetime.now(timezone.utc))])
    assert index.doc_count() == 3
    assert ids(index.search("sedinta")) == ["c"]


def test_missing_and_outdated_indexes_are_reported(tmp_path, index):
    with pytest.raises(ArchiveError, match="missing.*arhiva reindex"):
        SearchIndex.open(tmp_path / "nowhere")
    (tmp_path / "index" / "arhiva-index.json").write_text('{"schema_version": 0}')
    with pytest.raises(ArchiveError, match="another version of arhiva.*reindex"):
        SearchIndex.open(tmp_path / "index")


def test_damaged_index_is_reported_not_recreated(tmp_path, index):
    for segment in (tmp_path / "index").glob("*.seg"):
        segment.write_bytes(b"")
    for toc in (tmp_path / "index").glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(ArchiveError, match="damaged"):
        SearchIndex.open(tmp_path / "index").search("sedinta")
    assert list((tmp_path / "index").glob("_MAIN_*.toc"))
