"""Chinese (and Japanese) text for the keyword index: FTS5's unicode61 tokenizer keeps a
run of Han characters as one token, so "洪水" never matched a chunk saying "巴基斯坦洪水造成".
We index such runs as overlapping character pairs ("巴基 基斯 斯坦 坦洪 洪水 水造 造成"),
the usual bigram scheme for Chinese retrieval, and look queries up the same way; other
scripts keep unicode61's words, so English ranking is unchanged."""
from __future__ import annotations

import re

_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]+")


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run; a lone character stays itself."""
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """`text` with every CJK run replaced by its bigrams, space separated."""
    return _CJK_RUN.sub(lambda m: " " + " ".join(bigrams(m.group(0))) + " ", text)


def query_terms(word: str) -> list[str]:
    """The index terms one query word stands for: its bigrams when it holds CJK."""
    if not _CJK_RUN.search(word):
        return [word]
    terms: list[str] = []
    for piece in index_text(word).split():
        terms.append(piece)
    return terms
