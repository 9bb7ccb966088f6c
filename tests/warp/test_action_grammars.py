"""The action grammars, checked by llama.cpp's own grammar engine token by token: what a
well-formed section may look like passes, what breaks the rules is refused."""
from __future__ import annotations

import ctypes
import math

import pytest

from engine.llm import open_backend
from engine.llm.grammar import write_body_grammar

KEYS = ["textid3", "textid7"]


@pytest.fixture(scope="module")
def vocab_llm():
    backend = open_backend("demo", n_ctx=512, prompt_cache="off")
    yield backend.llm
    backend.close()


def accepts(llm, grammar: str, text: str) -> bool:
    """True when llama.cpp's grammar sampler allows every token of `text` in turn."""
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(llm._model.vocab, grammar.encode(), b"root")
    assert sampler, "grammar did not compile"
    try:
        for token in llm.tokenize(text.encode("utf-8"), add_bos=False, special=False):
            data = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
            candidates = llama_cpp.llama_token_data_array(
                data=ctypes.cast(data, llama_cpp.llama_token_data_p), size=1, selected=-1,
                sorted=False)
            llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
            if math.isinf(data[0].logit):
                return False
            llama_cpp.llama_sampler_accept(sampler, token)
        return True
    finally:
        llama_cpp.llama_sampler_free(sampler)


@pytest.mark.parametrize("text", [
    "Output grew fast \\cite{textid3}. Then it slowed \\cite{textid3, textid7}.</action>",
    "Output grew fast. Costs fell. Then \\cite{textid7} showed why.</action>",
    "Output grew fast. Costs fell. Then it slowed. \\cite{textid7}</action>",
    "2022年大桥发生爆炸。随后交通中断 \\cite{textid3}。</action>",
    "Was it planned? Yes! The report says so \\cite{textid3}.</action>",
    "- a list item \\cite{textid3}\n- another item.</action>",
    "A first paragraph.\n\nA second one \\cite{textid3}.</action>",
    "In 2022 the U.S. economy grew 2.5% and 3.1% in 2023 \\cite{textid3}.</action>",
    "It grew fast.\n\\cite{textid3} says so.</action>",
    "Really?! Yes... It did \\cite{textid7}.</action>",
])
def test_well_formed_sections_pass(vocab_llm, text):
    assert accepts(vocab_llm, write_body_grammar(KEYS), text)


@pytest.mark.parametrize("text, why", [
    ("One. Two. Three. Four. \\cite{textid3}</action>", "no citation in three sentences"),
    ("Text \\cite{textid9}.</action>", "a key that was not shown"),
    ("## Heading \\cite{textid3}</action>", "a heading"),
    ("Text <b>bold</b> \\cite{textid3}</action>", "markup"),
])
def test_rule_breaking_sections_are_refused(vocab_llm, text, why):
    assert not accepts(vocab_llm, write_body_grammar(KEYS), text), why


def test_without_shown_keys_text_needs_no_citation(vocab_llm):
    assert accepts(vocab_llm, write_body_grammar([]), "Nothing was found, so this is plain.</action>")


@pytest.mark.parametrize("keywords, ok", [
    ('["Crimean Bridge", "2022 explosion"]', True),
    ('["克里米亚大桥"]', True),
    ('["..."]', False),       # the protocol's placeholder, copied
    ('["…"]', False),
    ('[" bridge"]', False),   # starts with a space
])
def test_search_keywords_start_with_a_word(vocab_llm, keywords, ok):
    from engine.warp.actions import SEARCH_SCHEMA
    from engine.llm.grammar import json_body_grammar

    text = '{"name": "search", "keywords": ' + keywords + '}</action>'
    assert accepts(vocab_llm, json_body_grammar(SEARCH_SCHEMA), text) is ok


def test_a_line_break_ends_a_sentence_before_the_first_citation(vocab_llm):
    loop = "This is the case, this is the case\n\n" * 4
    assert not accepts(vocab_llm, write_body_grammar(KEYS), loop)
    assert accepts(vocab_llm, write_body_grammar(KEYS),
                   "First line\nSecond line\n\\cite{textid3} ends it.</action>")


@pytest.mark.parametrize("title", ["《红楼梦》人物", "“Quoted” title", "(Un)making the bridge"])
def test_titles_may_open_with_a_quote_or_bracket(vocab_llm, title):
    from engine.warp.actions import INIT_PLAN_SCHEMA
    from engine.llm.grammar import json_body_grammar

    text = ('{"name": "init-plan", "title": "' + title + '", "sections": '
            '[{"title": "A", "plan": "a"}, {"title": "B", "plan": "b"}, '
            '{"title": "C", "plan": "c"}]}</action>')
    assert accepts(vocab_llm, json_body_grammar(INIT_PLAN_SCHEMA), text)


def test_a_run_of_dots_and_line_breaks_is_not_one_endless_sentence(vocab_llm):
    """Seen in a real run: the tiny model wrote ".\n\n" hundreds of times, which a
    repeatable end mark let pass as a single sentence end, never reaching a citation."""
    assert not accepts(vocab_llm, write_body_grammar(KEYS), "It began" + ".\n\n" * 8)


TABLE = "| Year | Output |\n|---|---|\n| 2022 | 2.5% |\n\n"
LATEX = "Growth was $\\frac{a}{b} \\cdot 100\\%$ and $\\alpha_{t}$ \\citep{textid3}.\n"
CODE = "Run `f(x) { return x < 2; }` as shown \\citet{textid3, textid7}.\n"


@pytest.mark.parametrize("text", [
    TABLE + "Output rose \\cite{textid3}.</action>",
    LATEX + "</action>",
    CODE + "</action>",
    "No citation at all, which the authors accept as well.</action>",
    "Many cites" + " \\cite{textid3}" * 12 + ".</action>",
    "As shown \\parencite{textid3} and \\autocite{textid7}; \\textcite{textid3} agrees.</action>",
    "Symbols $\\alpha\\beta$, \\emph{circle} and \\textit{recite} stay.</action>",
])
def test_large_model_retry_grammar_allows_latex_code_and_tables(vocab_llm, text):
    from engine.llm.grammar import large_write_body_grammar

    assert accepts(vocab_llm, large_write_body_grammar(KEYS), text)


@pytest.mark.parametrize("text, why", [
    ("Text \\cite{textid9}.</action>", "a key that was not shown"),
    ("Text \\citep{textid9}.</action>", "a key that was not shown, other command"),
    ("## Heading \\cite{textid3}</action>", "a heading"),
    ("Too many" + " \\cite{textid3}" * 13 + ".</action>", "13 cites"),
    ("Text \\parencite{textid9}.</action>", "biblatex's parencite, unknown key"),
    ("Text \\autocite{textid9}.</action>", "autocite, unknown key"),
    ("Text \\textcite{textid9}.</action>", "textcite, unknown key"),
    ("Text \\footcite{textid9}.</action>", "footcite, unknown key"),
    ("Text \\Citeauthor{textid9}.</action>", "a capitalised cite command"),
    ("Text \\supercite{textid9}.</action>", "any other command spelling cite"),
    ("Text \\nocite{textid3}.</action>", "nocite cites nothing"),
    ("Text \\parencite[p. 3]{textid9}.</action>", "optional argument"),
    ("Text \\\\cite{textid9}.</action>", "a line break command, then cite"),
])
def test_large_model_retry_grammar_refuses_what_the_validator_refuses(vocab_llm, text, why):
    from engine.llm.grammar import large_write_body_grammar

    assert not accepts(vocab_llm, large_write_body_grammar(KEYS), text), why


def test_large_model_retry_bounds():
    from engine.warp.actions import SEARCH_SCHEMA
    from engine.llm.grammar import json_reply, write_reply

    small, large = write_reply(KEYS), write_reply(KEYS, large=True)
    assert small.thought_tokens == 160 and small.close_on_length
    assert large.thought_tokens == 1024 and not large.close_on_length   # cut off: rejected
    assert large.action_tokens is None
    assert "char{0,599}" in json_reply(SEARCH_SCHEMA, large=True).action_grammar
    assert "char{0,99}" in json_reply(SEARCH_SCHEMA).action_grammar
