"""Chinese in the library: the keyword index finds Chinese terms (character pairs, with a
migration for libraries indexed before), and each library keeps its own embedding model
and query prefix."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "data"))
from zh_docs import QUERIES, write_docs  # noqa: E402

from engine.library import open_library  # noqa: E402
from engine.library.errors import LibraryError  # noqa: E402
from engine.library.dedup import text_key  # noqa: E402
from engine.library.manifest import MIGRATIONS, Manifest  # noqa: E402
from engine.library.retrieval import fts_query  # noqa: E402


@pytest.fixture
def zh_library(tmp_path):
    folder = tmp_path / "zh"
    folder.mkdir()
    write_docs(folder)
    lib = open_library("zh-tests", hybrid=True)
    for _ in lib.ingest([folder]):
        pass
    yield lib
    lib.close()


def test_keyword_search_finds_chinese_terms(zh_library):
    names = {}
    paths = {d.doc_id: d.path for d in zh_library.documents()}
    for query, expected in QUERIES.items():
        ranked = zh_library.manifest.bm25(fts_query(query), 5)   # text keys
        found = zh_library.manifest.locations([k for k, _ in ranked])
        names[query] = [Path(paths[found[k][1][0].doc_id]).stem for k, _ in ranked]
        assert names[query][:1] == [expected], (query, names[query])
    hybrid = [Path(p.path).stem for p in zh_library.search("霍乱", k=5)]
    assert "cholera" in hybrid


def test_english_keyword_search_is_unchanged():
    assert fts_query("The floods in Pakistan") == '"floods" OR "pakistan"'
    assert fts_query("洪水 and 巴基斯坦") == '"洪水" OR "巴基" OR "基斯" OR "斯坦"'


def test_a_library_indexed_before_is_migrated(tmp_path):
    path = tmp_path / "old" / "manifest.sqlite"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0].apply + ";INSERT INTO meta VALUES ('schema_version', '1');")
    db.execute("INSERT INTO chunks (chunk_id, doc_id, idx, text, page, locator, heading_path, "
               "char_start, char_end) VALUES ('d:0', 'd', 0, '巴基斯坦洪水造成重大损失', NULL, '', "
               "'[]', 0, 12)")
    db.commit()
    assert db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '\"洪水\"'"
                      ).fetchone()[0] == 0          # one long token: not found before
    db.close()
    manifest = Manifest(path)
    assert manifest.get_meta("schema_version") == str(len(MIGRATIONS))
    assert [k for k, _ in manifest.bm25(fts_query("洪水"), 5)] == [text_key("巴基斯坦洪水造成重大损失")]
    manifest.delete("d")
    assert manifest.bm25(fts_query("洪水"), 5) == []
    manifest.close()


def test_each_library_keeps_its_embedding_model_and_query_prefix(tmp_path, monkeypatch):
    from engine.bundled import default_embedding_path
    from engine.library import embedder

    folder = str(default_embedding_path())          # any sentence-transformers folder
    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "a.txt").write_text("Glaciers retreated four kilometres.", encoding="utf-8")
    lib = open_library("own-model", model=folder, query_prefix="Query: ")
    for _ in lib.ingest([docs]):
        pass
    lib.close()
    seen = []
    loaded = type(embedder.get_embedder(folder))    # torch or ONNX, as the library uses
    original = loaded.encode_queries
    monkeypatch.setattr(loaded, "encode_queries",
                        lambda self, texts: seen.extend(texts) or original(self, texts))
    again = open_library("own-model")                # no model given: the recorded one
    assert again.model == folder and again.query_prefix == "Query: "
    assert again.search("glaciers", k=1)
    assert seen == ["Query: glaciers"]
    again.close()
    with pytest.raises(LibraryError, match="prefix"):
        open_library("own-model", query_prefix="")
    other = open_library("plain")
    assert other.model == "default" and other.query_prefix == ""
    other.close()
