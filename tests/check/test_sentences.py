"""Sentences and the citations attached to each, in English, Chinese and Markdown."""
from __future__ import annotations

from engine.check.sentences import split_sentences


def split(text):
    return [(s.plain, s.keys) for s in split_sentences(text)]


def test_cites_belong_to_their_sentence_even_after_the_full_stop():
    text = ("Rain fell for six weeks \\cite{textid1}. Dr. Khan of the U.S. Army said so. "
            "\\cite{textid2} Rivers rose 3.5 m in July \\citep{textid3, textid1}.")
    assert split(text) == [("Rain fell for six weeks.", ["textid1"]),
                           ("Dr. Khan of the U.S. Army said so.", ["textid2"]),
                           ("Rivers rose 3.5 m in July.", ["textid3", "textid1"])]


def test_spans_point_at_the_sentence_in_the_markdown():
    text = "First one \\cite{textid1}.\n\n- **Second** item \\cite{textid2};\n- third."
    sentences = split_sentences(text)
    assert [text[s.start:s.end] for s in sentences] == [
        "First one \\cite{textid1}.", "**Second** item \\cite{textid2};", "third."]
    assert sentences[1].plain == "Second item;"


def test_chinese_and_mixed_text():
    text = "2022年夏季降雨达到常年的五倍\\cite{textid1}。约3300万人受灾！The UN asked for help \\cite{textid2}."
    assert split(text) == [("2022年夏季降雨达到常年的五倍。", ["textid1"]),
                           ("约3300万人受灾！", []),
                           ("The UN asked for help.", ["textid2"])]


def test_headings_code_and_display_math_are_skipped_tables_give_rows():
    text = ("## Heading 45\n\n```\nx = 45\n```\n\n$$\nE = 45 mc^2\n$$\n\n"
            "| Year | Deaths |\n|---|---|\n| 2022 | 1,739 \\cite{textid1} |\n\n"
            "Inline $x^2 = 45$ math and \\textbf{bold} text.")
    assert split(text) == [("Year; Deaths", []), ("2022; 1,739", ["textid1"]),
                           ("Inline math and bold text.", [])]


def test_a_sentence_of_two_thousand_characters_is_one_sentence():
    long = "The river " + "rose and " * 240 + "fell \\cite{textid1}."
    [(plain, keys)] = split(long)
    assert len(plain) > 2000 and keys == ["textid1"]
