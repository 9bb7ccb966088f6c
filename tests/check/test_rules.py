"""The check of one section: each rule, and the bad input it must survive."""
from __future__ import annotations

from engine.check import ClaimChecker, Evidence
from engine.library.types import Passage

RELIEF = Passage(chunk_id="relief:0", doc_id="relief", path="/lib/relief.md", title="Relief",
                 text="Aid agencies estimated that 33 million people were affected; Prime "
                      "Minister Shehbaz Sharif called it \"a climate catastrophe\".")
RAIN = Passage(chunk_id="rain:0", doc_id="rain", path="/lib/rain.md", title="Rain", page=2,
               text="Some districts received five times their usual August rainfall in 2022.")
ZH = Passage(chunk_id="zh:0", doc_id="zh", path="/lib/zh.txt", title="季风",
             text="2022年夏季，信德省部分地区八月降雨量达到常年的五倍，约3300万人受灾。")


def check(text, missing=(), question="What did the 2022 floods do?"):
    evidence = Evidence(citations={"textid1": RELIEF, "textid2": RAIN, "textid3": ZH},
                        question=question, outline_text="Causes\nThe Indus Valley",
                        missing=set(missing))
    return [(f.kind, f.detail) for f in ClaimChecker().check(text, evidence, section="1")]


def test_supported_sentences_give_no_flag():
    assert check("About 33,000,000 people were affected, said Prime Minister Shehbaz "
                 "Sharif \\cite{textid1}. Rain in the Indus Valley was five times the usual "
                 "in August \\cite{textid2}. 约3300万人受灾，降雨达到五倍\\cite{textid3}。") == []


def test_a_changed_figure_is_flagged_with_what_the_source_says():
    assert check("Aid agencies say 45 million people were affected \\cite{textid1}.") == [
        ("figure", "figure 45 million not in its sources (they say 33 million)")]
    assert check("降雨达到常年的八倍\\cite{textid3}。") == [
        ("figure", "figure 八 not in its sources (they say 五)")]


def test_an_uncited_figure_is_judged_against_the_sections_citations():
    assert check("It rained \\cite{textid2}. Some 12 million people fled.") == [
        ("figure", "figure 12 million not in its sources (they say 2022)")]


def test_swapped_names_and_misquotes_are_flagged():
    assert check("Prime Minister Imran Khan called it \"a climate emergency\" \\cite{textid1}.") == [
        ("name", 'name "Prime Minister Imran Khan" not in its sources'),
        ("name", 'quotation "a climate emergency" not in its sources')]


def test_removed_and_unknown_sources_are_reported_as_such():
    assert check("Rain was five times the usual \\cite{textid2}. Floods hit \\cite{textid9}.",
                 missing={"textid2"}) == [
        ("source", "source no longer in the library (Rain, p. 2)"),
        ("source", "cites textid9, which no passage of this report has")]


def test_bad_input_completes_and_flags_only_what_it_can_judge():
    assert check("A section that cites nothing, with 45 million people and John Smith.") == []
    assert check("") == [] and check("\\cite{textid1}") == []
    latex = ("Rain $x = 45$ fell \\cite{textid2}.\n\n\\begin{equation}\ny = 99\n"
             "\\end{equation}\n\nIt was \\textbf{five} times the usual \\cite{textid2}.")
    assert check(latex) == []
    table = "| Year | People |\n|---|---|\n| 2022 | 45 million \\cite{textid1} |"
    assert check(table) == [("figure", "figure 45 million not in its sources (they say 33 million)")]
    long = "Rain fell " + "and fell " * 250 + "for 2022 in August \\cite{textid2}."
    assert len(long) > 2000 and check(long) == []
    mixed = "The UN said 约4500万人受灾 \\cite{textid3}. 信德省 rainfall was 五倍 \\cite{textid3}."
    assert check(mixed) == [("figure", "figure 4500万 not in its sources (they say 3300万)")]


def test_an_uncited_small_number_in_words_counts_the_texts_own_items():
    assert check("Rain fell \\cite{textid2}. Two further causes made it worse:") == []
    assert check("Rain was seven times the usual \\cite{textid2}.") == [
        ("figure", "figure seven not in its sources (they say five)")]
