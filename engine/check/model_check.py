"""The optional model check: each sentence the rules flagged is put to the model as a
short question (does the passage say this? yes / partly / no), answered under a grammar,
and the answer is recorded beside the flags. Only for models of about 3B parameters or
more: a 135M demo model's verdict would be noise, so it is off for it."""
from __future__ import annotations

from engine.check.types import MODEL, Flag
from engine.library.types import Passage
from engine.llm.base import Backend, GenerationRequest, generate

ANSWERS = ("yes", "partly", "no")
GRAMMAR = 'root ::= "yes" | "partly" | "no"\n'
# A 3B model at 4 bits is about 1.9 GB; the demo model is 0.1 GB. Size is what every
# local backend knows (engine.llm.grammar.is_small_model reads the same attribute).
MIN_MODEL_BYTES = 1_500_000_000
_PASSAGE_CHARS = 1500


def model_can_check(backend: Backend) -> bool:
    size = getattr(backend, "model_bytes", None)
    return isinstance(size, int) and size >= MIN_MODEL_BYTES


def ask(backend: Backend, sentence: str, passages: list[Passage]) -> str:
    """The model's verdict on one sentence: 'yes', 'partly' or 'no'."""
    sources = "\n\n".join(f"Passage {i}: {p.text[:_PASSAGE_CHARS]}"
                          for i, p in enumerate(passages, start=1))
    prompt = (f"{sources}\n\nSentence: {sentence}\n\nDo the passages say what the sentence "
              "says? Answer yes, partly or no.")
    result = generate(backend, GenerationRequest(
        messages=[{"role": "user", "content": prompt}], max_tokens=4, temperature=0.0,
        grammar=GRAMMAR, cache_slot="claim-check", seed=0))
    answer = result.text.strip().lower()
    return answer if answer in ANSWERS else "no"


def model_flags(backend: Backend, flags: list[Flag], citations: dict[str, Passage]) -> list[Flag]:
    """One `model` flag per flagged sentence, carrying the model's answer."""
    seen, out = set(), []
    for flag in flags:
        passages = [citations[k] for k in flag.keys if k in citations]
        if flag.start in seen or not passages or flag.kind == MODEL:
            continue
        seen.add(flag.start)
        verdict = ask(backend, flag.sentence, passages)
        out.append(Flag(section=flag.section, sentence=flag.sentence, kind=MODEL,
                        detail=f"the model says: {verdict}", keys=flag.keys,
                        node_id=flag.node_id, title=flag.title, start=flag.start,
                        end=flag.end, evidence=verdict))
    return out
