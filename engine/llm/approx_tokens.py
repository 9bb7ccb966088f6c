"""A deterministic stand-in tokenizer for backends that cannot tokenize locally (replay,
servers without a tokenize endpoint): words, single punctuation marks and runs of
whitespace are tokens. Detokenizing joins them back exactly. Real BPE tokenizers give
somewhat fewer tokens for English, so budgets computed with it err on the safe side."""
from __future__ import annotations

import re

_PIECES = re.compile(r"\w+|[^\w\s]|\s+", re.UNICODE)


class ApproxTokenizer:
    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._pieces: list[str] = []

    def tokenize(self, text: str) -> list[int]:
        ids = []
        for piece in _PIECES.findall(text):
            if piece not in self._vocab:
                self._vocab[piece] = len(self._pieces)
                self._pieces.append(piece)
            ids.append(self._vocab[piece])
        return ids

    def detokenize(self, tokens: list[int]) -> str:
        return "".join(self._pieces[t] for t in tokens)
